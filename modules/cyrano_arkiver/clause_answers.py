"""One answer of `arkiver_clauses`, sized for a model's context.

One document: its present categories (with their value, pages and, by default, quotes) and the absent ones; when
the quotes run past ANSWER_CHARS the rest of the present categories come a page at a time with `next_cursor`.
A matter: the grid, a page of documents at a time (newest first), each row its present categories; the summary
counts every document of the matter. A cursor is bound to its scope and arguments; with others it is refused.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cyrano_arkiver.clause_views import (
    QUOTE_CHARS,
    ClauseItem,
    ClausesRequest,
    ClauseValueView,
    ConsentValue,
    DateValue,
    DocumentClauses,
    MoneyValue,
    PassageQuote,
    PeriodValue,
    ShareValue,
    TextValue,
)
from cyrano_arkiver.clauses.review import StoredClause
from cyrano_arkiver.clauses.values import ClauseValue
from cyrano_arkiver.extraction.models import Provenance
from cyrano_mcp.kit import arguments_fingerprint, cursor_index, issue_cursor, read_cursor, require_bound

ANSWER_CHARS = 7_500
# What `more` and `next_cursor` add to an answer after its rows are measured.
RESERVE = 400


@dataclass(frozen=True, slots=True)
class Row:
    """A document and its stored clauses (of every category; `item` picks the asked ones)."""

    document_id: str
    filename: str | None
    clauses: Sequence[StoredClause]


def clause_item(clause: StoredClause, request: ClausesRequest) -> ClauseItem:
    return ClauseItem(
        category=clause.category,
        value=value_view(clause.value) if clause.value is not None else None,
        method=clause.method,
        score=clause.score,
        pages=list(dict.fromkeys(passage.page for passage in clause.passages)),
        passage=passage_quote(clause.passages[0]) if request.with_quotes() else None,
    )


def passage_quote(passage: Provenance) -> PassageQuote:
    """The passage quoted, cut at a word after QUOTE_CHARS characters (still the page's exact words)."""
    if len(passage.quote) <= QUOTE_CHARS:
        return PassageQuote(
            page=passage.page, start=passage.start, end=passage.end, quote=passage.quote, passage_end=None
        )
    cut = passage.quote.rfind(" ", 0, QUOTE_CHARS)
    cut = cut if cut > QUOTE_CHARS // 2 else QUOTE_CHARS
    quote = passage.quote[:cut].rstrip()
    return PassageQuote(
        page=passage.page, start=passage.start, end=passage.start + len(quote), quote=quote, passage_end=passage.end
    )


def value_view(value: ClauseValue) -> ClauseValueView:
    common: dict[str, Any] = {"text": value.text, "mention": value.mention}
    if value.amount is not None and value.currency is not None:
        return MoneyValue(**common, amount=value.amount, currency=value.currency)
    if value.percent is not None:
        return ShareValue(**common, percent=value.percent)
    if value.consent_required is not None:
        return ConsentValue(**common, consent_required=value.consent_required)
    if value.date is not None:
        return DateValue(**common, date=value.date)
    if value.duration is not None or value.text == "until terminated":
        return PeriodValue(**common, duration=value.duration)
    return TextValue(**common)


def document_rows(
    row: Row, columns: Sequence[str], request: ClausesRequest, head_chars: int
) -> tuple[DocumentClauses, int | None]:
    """One document's row for a single-document answer from the cursor's place on, and where the next page starts.

    `head_chars`: the size of the answer around the row."""
    start = decode_cursor(request.cursor, fingerprint(request)) if request.cursor else 0
    present = [clause for clause in row.clauses if clause.category in columns]
    found = {clause.category for clause in present}
    head = DocumentClauses(
        document_id=row.document_id,
        filename=row.filename,
        present=[],
        absent=[key for key in columns if key not in found] if start == 0 else None,
    )
    used = head_chars + len(head.model_dump_json()) + RESERVE
    for index in range(start, len(present)):
        item = clause_item(present[index], request)
        size = len(item.model_dump_json()) + 1
        if head.present and used + size > ANSWER_CHARS:
            return head, index
        head.present.append(item)
        used += size
    return head, None


def grid_row(row: Row, columns: Sequence[str], request: ClausesRequest) -> DocumentClauses:
    return DocumentClauses(
        document_id=row.document_id,
        filename=row.filename,
        present=[clause_item(clause, request) for clause in row.clauses if clause.category in columns],
        absent=None,
    )


def fit_rows(rows: Sequence[DocumentClauses], used: int) -> list[DocumentClauses]:
    """The leading rows that fit in the answer (at least one)."""
    kept: list[DocumentClauses] = []
    for row in rows:
        size = len(row.model_dump_json()) + 1
        if kept and used + size > ANSWER_CHARS:
            break
        kept.append(row)
        used += size
    return kept


# --- cursors --------------------------------------------------------------------------------------------
def fingerprint(request: ClausesRequest) -> str:
    scope = request.document_id or f"m:{request.matter_id}"
    return arguments_fingerprint(scope, ",".join(sorted(request.categories or [])), request.with_quotes())


def encode_cursor(offset: int, bound: str) -> str:
    return issue_cursor({"o": offset}, bound)


def decode_cursor(cursor: str, bound: str) -> int:
    position = read_cursor(cursor)
    offset = cursor_index(position, "o")
    require_bound(position, bound)
    return offset

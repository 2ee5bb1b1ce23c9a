"""One answer of `arkiver_insights`: the key terms first, then the long lists a page at a time.

A long contract has hundreds of insights (231 obligations in one 45-page franchise agreement: 145,000
characters), and a host pays for every character it passes to a model. So an answer holds, in this order:

* the key terms, in full: parties, the first date of each key kind, governing law, term, renewal and notice;
* counts of every kind, and obligations per obligor;
* as many items of the long lists (amounts, obligations, other dates, defined terms, citations, in that
  order) as fit in about ANSWER_CHARS characters and `limit` items, at least one;
* `next_cursor`, an opaque position after the last item given, and `more`, which says what the page holds.

Following the cursors gives every item of the selected kinds exactly once (the key terms on the first page).
A cursor is bound to its document, kinds and obligor filter; with other arguments it is refused.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cyrano_arkiver.extraction.models import ExtractedDate, Insights, Obligation, Party
from cyrano_arkiver.extraction.obligations import obligor_key
from cyrano_arkiver.insight_views import (
    AmountItem,
    CitationItem,
    DateItem,
    DefinedTermItem,
    DocumentInsights,
    InsightLists,
    KeyTerms,
    LawItem,
    ObligationItem,
    PartyItem,
    Quotes,
    TermItem,
    TermView,
    view,
)
from cyrano_arkiver.models import InsightsRequest
from cyrano_mcp.kit import (
    NOT_ISSUED,
    InvalidInputError,
    arguments_fingerprint,
    cursor_index,
    issue_cursor,
    read_cursor,
    require_bound,
)

ANSWER_CHARS = 7_500
KINDS = ("parties", "dates", "governing_law", "amounts", "citations", "defined_terms", "obligations", "term")
LIST_KINDS = ("amounts", "obligations", "dates", "defined_terms", "citations")
KEY_DATE_KINDS = ("agreement", "effective", "expiration", "renewal", "termination_notice")
_VIEWS: dict[str, type[Any]] = {
    "amounts": AmountItem,
    "obligations": ObligationItem,
    "dates": DateItem,
    "defined_terms": DefinedTermItem,
    "citations": CitationItem,
}
# What `more`, `next_cursor` and the ids add to an answer after the lists are measured.
_RESERVE = 600


@dataclass(frozen=True, slots=True)
class Selection:
    """The kinds an answer covers and the obligor filter, as a request gives them."""

    kinds: frozenset[str]
    obligor: str | None

    @classmethod
    def of(cls, request: InsightsRequest) -> "Selection":
        if request.obligor is not None and request.kinds is not None and "obligations" not in request.kinds:
            raise InvalidInputError('obligor: it selects obligations; add "obligations" to kinds or leave kinds out')
        kinds: frozenset[str] = frozenset(KINDS)
        if request.kinds:
            kinds = frozenset(request.kinds)
        elif request.obligor is not None:
            kinds = frozenset({"obligations"})
        return cls(kinds=kinds, obligor=request.obligor)

    def stored_kinds(self) -> list[str]:
        """The kinds to read from the store: the selected ones, and the parties to know obligors by."""
        return sorted(self.kinds | {"parties"} if "obligations" in self.kinds else self.kinds)

    def fingerprint(self, document_id: str) -> str:
        obligor = " ".join(self.obligor.split()).casefold() if self.obligor else ""
        return arguments_fingerprint(document_id, ",".join(sorted(self.kinds)), obligor)


def insights_answer(
    *,
    document_id: str,
    method: str,
    insights: Insights,
    counts: dict[str, int],
    request: InsightsRequest,
) -> DocumentInsights:
    """The answer to `request` from the document's stored insights (of `Selection.stored_kinds` at least)."""
    selection = Selection.of(request)
    fingerprint = selection.fingerprint(document_id)
    kind, offset = _decode(request.cursor, fingerprint) if request.cursor else (LIST_KINDS[0], 0)
    key_dates = _key_dates(insights.dates)
    quotes = Quotes()
    key_terms = _key_terms(insights, key_dates, selection, quotes) if request.cursor is None else None
    obligors = _obligors(insights.obligations, insights.parties) if "obligations" in selection.kinds else None
    lists = _lists(insights, key_dates, selection)

    head = DocumentInsights(
        document_id=document_id,
        method=method,
        key_terms=key_terms,
        counts=counts,
        obligors=obligors,
        lists=InsightLists(),
        next_cursor=None,
        more=None,
    )
    used = len(head.model_dump_json()) + _RESERVE
    page: dict[str, list[Any]] = {name: [] for name in LIST_KINDS}
    given = 0
    position: tuple[str, int] | None = None
    for name in LIST_KINDS[LIST_KINDS.index(kind) :]:
        items = lists.get(name, [])
        index = offset if name == kind else 0
        while index < len(items):
            if given >= request.limit:
                position = (name, index)
                break
            item = view(_VIEWS[name], items[index], quotes)
            size = len(item.model_dump_json()) + 1
            if given and used + size > ANSWER_CHARS:
                quotes.withdraw(item.provenance)  # not in this answer: its quote covers nothing here
                position = (name, index)
                break
            page[name].append(item)
            used += size
            given += 1
            index += 1
        if position is not None:
            break
    quotes.leave_out_contained()  # after measuring: it only shortens the answer
    head.lists = InsightLists(**page)
    head.next_cursor = _encode(position, fingerprint) if position is not None else None
    head.more = _more(page, lists, kind, offset, position, selection)
    return head


# --- the key terms --------------------------------------------------------------------------------------
def _key_dates(dates: Sequence[ExtractedDate]) -> list[ExtractedDate]:
    """The first date of each key kind, in document order."""
    firsts: dict[str, ExtractedDate] = {}
    for item in dates:
        if item.kind in KEY_DATE_KINDS and item.kind not in firsts:
            firsts[item.kind] = item
    return [item for item in dates if any(item is first for first in firsts.values())]


def _key_terms(insights: Insights, key_dates: list[ExtractedDate], selection: Selection, quotes: Quotes) -> KeyTerms:
    kinds = selection.kinds
    term = insights.term
    return KeyTerms(
        parties=[view(PartyItem, item, quotes) for item in insights.parties] if "parties" in kinds else [],
        dates=[view(DateItem, item, quotes) for item in key_dates] if "dates" in kinds else [],
        governing_law=view(LawItem, insights.governing_law, quotes)
        if "governing_law" in kinds and insights.governing_law is not None
        else None,
        term=TermView(
            **{
                slot: view(TermItem, clause, quotes)
                for slot, clause in (
                    ("initial", term.initial),
                    ("renewal", term.renewal),
                    ("non_renewal_notice", term.non_renewal_notice),
                )
                if clause is not None and "term" in kinds
            }
        ),
    )


# --- the lists ------------------------------------------------------------------------------------------
def _lists(insights: Insights, key_dates: list[ExtractedDate], selection: Selection) -> dict[str, list[Any]]:
    """Every item each selected list holds, in the order pages give them."""
    lists: dict[str, list[Any]] = {}
    for name in LIST_KINDS:
        if name not in selection.kinds:
            continue
        items: list[Any] = getattr(insights, name)
        if name == "dates":
            items = [item for item in items if not any(item is key for key in key_dates)]
        if name == "obligations" and selection.obligor is not None:
            wanted = obligor_key(selection.obligor, insights.parties)
            items = [item for item in items if obligor_key(item.obligor or "", insights.parties) == wanted]
        lists[name] = items
    return lists


def _obligors(obligations: Sequence[Obligation], parties: Sequence[Party]) -> dict[str, int]:
    """Obligations per obligor, most first, each under the label its obligations use most."""
    groups: dict[str, Counter[str]] = {}
    for item in obligations:
        label = item.obligor or "(unnamed)"
        groups.setdefault(obligor_key(label, parties), Counter())[label] += 1
    totals = {labels.most_common(1)[0][0]: sum(labels.values()) for labels in groups.values()}
    return dict(sorted(totals.items(), key=lambda pair: -pair[1]))


def _more(
    page: Mapping[str, list[Any]],
    lists: Mapping[str, list[Any]],
    kind: str,
    offset: int,
    position: tuple[str, int] | None,
    selection: Selection,
) -> str | None:
    """What this page holds of each list and how to go on; None when it holds all of them."""
    if selection.obligor is not None and not lists.get("obligations"):
        return f"No obligations of {selection.obligor!r}; obligors gives the names that have some."
    if position is None and offset == 0 and kind == LIST_KINDS[0]:
        return None
    held = []
    for name in LIST_KINDS:
        if page.get(name):
            first = (offset if name == kind else 0) + 1
            held.append(f"{name} {first}-{first + len(page[name]) - 1} of {len(lists[name])}")
    text = f"This page: {', '.join(held) or 'nothing'}."
    if position is not None:
        text += (
            " For the rest call arkiver_insights again with cursor=next_cursor and the same arguments; "
            "kinds (and obligor, for obligations) narrow the lists."
        )
    return text


# --- cursors --------------------------------------------------------------------------------------------
def _encode(position: tuple[str, int], fingerprint: str) -> str:
    return issue_cursor({"k": position[0], "i": position[1]}, fingerprint)


def _decode(cursor: str, fingerprint: str) -> tuple[str, int]:
    position = read_cursor(cursor)
    kind = position.get("k")
    if kind not in LIST_KINDS:
        raise InvalidInputError(NOT_ISSUED)
    index = cursor_index(position, "i")
    require_bound(
        position,
        fingerprint,
        mismatch="cursor: it belongs to another document, kinds or obligor; give the same arguments, "
        "or start without it",
    )
    return kind, index

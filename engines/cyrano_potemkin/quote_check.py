"""Whether a quotation's words are the source's: `exact`, `close` (the words that differ, one run at a time) or
`not_found`, with the source's own words as evidence.

Each document's pages become one stream of words (so a quotation may run across a page break) with an index of
where each word occurs. A quotation is looked for only where its rarest words agree on a starting point, and
aligned word by word there (an edit distance that lets the source run on before and after the quoted words), so
a text of thirty quotations against a hundred pages costs milliseconds, not a fuzzy scan of every window.

Case: words compare case-sensitively, since a capital marks a defined term ("Confidential Information" is not
"confidential information"), except where quoting conventions change it: the first letter of the quotation and
of the words after an ellipsis or brackets, letters in brackets, and a source word in capitals throughout (set
in capitals for conspicuousness, not as other words). Any other change of case is a change.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cyrano_potemkin.quote_words import WORD, cased_form
from cyrano_potemkin.quotes import Piece, Quotation, QuotedWord, find_quotations, parse_quotation
from cyrano_potemkin.sources import SourceDocument
from cyrano_potemkin.verdicts import Evidence, QuotationCheck, QuotationStatus, WordChange

# Below this share of words in common (2 x matched / (quoted + source words)), a passage is another text, not an
# altered quotation: one word changed in a four-word quotation still reaches it (0.75).
CLOSE_SIMILARITY = 0.75
_ANCHORS = 8  # the rarest words of a piece that vote for where it starts
_COMMON = 400  # a word this frequent in a document says nothing about where a quotation is
_CANDIDATES = 3  # starting points aligned per document
_ANCHOR_PIECES = 3  # pieces of a quotation with ellipses each looked for first
_SHORTLIST = 64  # starting points the anchors agree on most, compared word by word before the best are aligned
_SLACK = 3  # words a candidate start may be off by, or a piece grow by before each quarter of its length
_MARGIN_WORDS = 6  # a page's first or last line this short is a running header, footer or page number

Op = Literal["equal", "case", "replace", "insert", "delete", "margin"]


@dataclass(slots=True)
class _DocumentWords:
    """A document's words across its pages, in columns: where each is, its forms, and what leaving it out costs."""

    document: SourceDocument
    pages: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    cased: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    omission_cost: list[int] = field(default_factory=list)  # 0 for a running header or footer between pages
    positions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, document: SourceDocument) -> "_DocumentWords":
        indexed = cls(document)
        last = len(document.pages)
        for number, page in enumerate(document.pages, start=1):
            first_word = len(indexed.keys)
            for match in WORD.finditer(page):
                cased = cased_form(match.group())
                key = cased.lower()
                indexed.positions[key].append(len(indexed.keys))
                indexed.pages.append(number)
                indexed.starts.append(match.start())
                indexed.ends.append(match.end())
                indexed.cased.append(cased)
                indexed.keys.append(key)
                indexed.omission_cost.append(1)
            page_starts = indexed.starts[first_word:]
            for index in _margin_words(page, page_starts, first_page=number == 1, last_page=number == last):
                indexed.omission_cost[first_word + index] = 0
        return indexed


def _margin_words(page: str, starts: list[int], *, first_page: bool, last_page: bool) -> list[int]:
    """Indexes of the words on a short first line (not on page 1) or a short last line (not on the last page)."""
    if not starts:
        return []
    margin: list[int] = []
    if not first_page:
        line_end = page.find("\n", starts[0])
        on_line = bisect_left(starts, line_end if line_end != -1 else len(page))
        margin.extend(range(on_line) if on_line <= _MARGIN_WORDS else ())
    if not last_page:
        line_start = page.rfind("\n", 0, starts[-1]) + 1
        on_line = bisect_left(starts, line_start)
        margin.extend(range(on_line, len(starts)) if len(starts) - on_line <= _MARGIN_WORDS else ())
    return margin


class QuotationSources:
    """The documents a text's quotations are checked against, indexed once for all of them."""

    def __init__(self, documents: Sequence[SourceDocument]) -> None:
        self.documents = [_DocumentWords.of(document) for document in documents]


class QuotationResult(BaseModel):
    """What one quotation's check found: its status, the word changes, and the source's words as evidence."""

    model_config = ConfigDict(frozen=True)

    status: QuotationStatus
    changes: list[WordChange] = []
    evidence: list[Evidence] = []  # one per page the source's words are on (two when they run across a break)
    similarity: float = 0.0

    def as_check(self) -> QuotationCheck:
        return QuotationCheck(status=self.status, changes=self.changes)


@dataclass(frozen=True, slots=True)
class _Step:
    op: Op
    quoted: QuotedWord | None
    source: int | None


@dataclass(frozen=True, slots=True)
class _Aligned:
    first: int  # the source words the piece covers: [first, last]
    last: int
    steps: tuple[_Step, ...]


def check_quotation(
    quotation: Quotation | str, sources: QuotationSources | Sequence[SourceDocument]
) -> QuotationResult:
    """The best match of the quotation's words in the sources: exact, close (with the changes) or not found."""
    words = quotation.words if isinstance(quotation, Quotation) else quotation
    indexed = sources if isinstance(sources, QuotationSources) else QuotationSources(sources)
    pieces = parse_quotation(words)
    if not pieces:
        return QuotationResult(status="not_found")
    best: tuple[tuple[bool, float], _DocumentWords, list[_Aligned]] | None = None
    for document in indexed.documents:
        for aligned in _matches(pieces, document):
            rank = _rank(pieces, aligned)
            if best is None or rank > best[0]:
                best = (rank, document, aligned)
    if best is None or (not best[0][0] and best[0][1] < CLOSE_SIMILARITY):
        return QuotationResult(status="not_found", similarity=best[0][1] if best else 0.0)
    (exact, similarity), document, aligned = best
    return QuotationResult(
        status="exact" if exact else "close",
        changes=[] if exact else _changes(document, aligned),
        evidence=_evidence(document, aligned, "supports" if exact else "contradicts"),
        similarity=similarity,
    )


def check_quotations(
    text: str, sources: QuotationSources | Sequence[SourceDocument]
) -> list[tuple[Quotation, QuotationResult]]:
    """Every quotation of the text (`find_quotations`) with its check, the sources indexed once."""
    indexed = sources if isinstance(sources, QuotationSources) else QuotationSources(sources)
    return [(quotation, check_quotation(quotation, indexed)) for quotation in find_quotations(text)]


def _matches(pieces: list[Piece], document: _DocumentWords) -> list[list[_Aligned]]:
    """The quotation aligned at each candidate place in the document: one alignment per piece, in order.

    Each of the longest pieces in turn is looked for first and the others near it: a piece may be a running
    header found on every page, which alone cannot say where the quotation is.
    """
    longest = sorted(range(len(pieces)), key=lambda index: -len(pieces[index].words))[:_ANCHOR_PIECES]
    return [found for anchor in longest for found in _matches_around(pieces, anchor, document)]


def _matches_around(pieces: list[Piece], anchor: int, document: _DocumentWords) -> list[list[_Aligned]]:
    found = []
    for low, high in _candidate_starts(pieces[anchor].words, document):
        size = len(pieces[anchor].words)
        aligned = {anchor: _align(pieces[anchor].words, document, low - _SLACK, high + size + _slack(size), False)}
        for index in range(anchor + 1, len(pieces)):
            size, after = len(pieces[index].words), aligned[index - 1].last + 1
            window = after + pieces[index].gap_before + size + _slack(size)
            aligned[index] = _align(pieces[index].words, document, after, window, False)
        for index in range(anchor - 1, -1, -1):
            size, before = len(pieces[index].words), aligned[index + 1].first
            window = before - pieces[index + 1].gap_before - size - _slack(size)
            aligned[index] = _align(pieces[index].words, document, window, before, True)
        found.append([aligned[index] for index in range(len(pieces))])
    return found


def _slack(size: int) -> int:
    return _SLACK + size // 4


def _candidate_starts(piece: Sequence[QuotedWord], document: _DocumentWords) -> list[tuple[int, int]]:
    """Where the piece may start: clusters of starts its rarest words agree on, the best supported first."""
    counted = [
        (len(document.positions.get(word.key, ())), offset, word.key)
        for offset, word in enumerate(piece)
        if word.kept is None and word.key in document.positions
    ]
    counted.sort()
    anchors = [entry for entry in counted if entry[0] <= _COMMON][:_ANCHORS] or counted[:2]
    votes = sorted((position - offset, key) for _, offset, key in anchors for position in document.positions[key])
    clusters: list[tuple[int, int, set[str]]] = []
    for start, key in votes:
        if clusters and start - clusters[-1][1] <= _SLACK:
            low, _, keys = clusters[-1]
            clusters[-1] = (low, start, keys | {key})
        else:
            clusters.append((start, start, {key}))
    needed = 2 if len(anchors) >= 3 else 1
    voted = sorted((c for c in clusters if len(c[2]) >= needed), key=lambda c: -len(c[2]))[:_SHORTLIST]
    # Where the anchors tie (a clause repeated with one word changed), the words in place decide.
    ranked = sorted(voted, key=lambda c: (-len(c[2]), -_in_place(piece, document.keys, c[0], c[1]), c[0]))
    return [(low, high) for low, high, _ in ranked[:_CANDIDATES]]


def _in_place(piece: Sequence[QuotedWord], keys: list[str], low: int, high: int) -> int:
    """The most of the piece's words found where a start in [low, high] puts them."""
    return max(
        sum(0 <= start + offset < len(keys) and keys[start + offset] == word.key for offset, word in enumerate(piece))
        for start in range(low, high + 1)
    )


def _same_word(quoted: QuotedWord, source: str) -> bool:
    if quoted.kept is None:
        return quoted.key == source
    head, tail = quoted.kept
    return len(source) >= len(head) + len(tail) and source.startswith(head) and source.endswith(tail)


def _align(piece: Sequence[QuotedWord], document: _DocumentWords, low: int, high: int, prefer_last: bool) -> _Aligned:
    """Word-level edit alignment of the piece against `words[low:high]`, free to start and end anywhere in it."""
    low, high = max(0, low), min(len(document.keys), max(high, low + 1))
    keys, omission = document.keys[low:high], document.omission_cost[low:high]
    rows = [[0] * (len(keys) + 1)]
    for i, quoted in enumerate(piece, start=1):
        previous, row = rows[-1], [i]
        for j, key in enumerate(keys, start=1):
            row.append(
                min(
                    previous[j - 1] + (0 if _same_word(quoted, key) else 1),
                    previous[j] + 1,
                    row[j - 1] + omission[j - 1],
                )
            )
        rows.append(row)
    last = rows[-1]
    lowest = min(last)
    end = max(j for j, cost in enumerate(last) if cost == lowest) if prefer_last else last.index(lowest)
    return _trace(piece, document, rows, low, end)


def _trace(
    piece: Sequence[QuotedWord], document: _DocumentWords, rows: list[list[int]], low: int, end: int
) -> _Aligned:
    steps: list[_Step] = []
    i, j = len(piece), end
    keys, omission = document.keys, document.omission_cost
    while i > 0:
        quoted, cost = piece[i - 1], rows[i][j]
        if j > 0 and cost == rows[i - 1][j - 1] + (0 if _same_word(quoted, keys[low + j - 1]) else 1):
            source = low + j - 1
            op: Op = "replace" if cost != rows[i - 1][j - 1] else _equal_or_case(quoted, document.cased[source])
            steps.append(_Step(op, quoted, source))
            i, j = i - 1, j - 1
        elif cost == rows[i - 1][j] + 1:
            steps.append(_Step("insert", quoted, None))
            i -= 1
        else:
            margin = omission[low + j - 1] == 0
            steps.append(_Step("margin" if margin else "delete", None, low + j - 1))
            j -= 1
    steps.reverse()
    sources = [step.source for step in steps if step.source is not None]
    first = sources[0] if sources else low + end
    return _Aligned(first, sources[-1] if sources else first - 1, tuple(steps))


def _equal_or_case(quoted: QuotedWord, source: str) -> Op:
    if quoted.kept is not None or quoted.cased == source:
        return "equal"
    if len(source) > 1 and source.isupper():
        return "equal"
    if quoted.first and quoted.cased[1:] == source[1:]:
        return "equal"
    return "case"


def _rank(pieces: list[Piece], aligned: list[_Aligned]) -> tuple[bool, float]:
    """(exact, similarity): 2 x matched words / (quoted words + source words aligned, omissions included)."""
    steps = [step for piece in aligned for step in piece.steps]
    matched = sum(step.op in ("equal", "case") for step in steps)
    source = sum(step.source is not None and step.op != "margin" for step in steps)
    quoted = sum(len(piece.words) for piece in pieces)
    exact = all(step.op in ("equal", "margin") for step in steps)
    return exact, 2 * matched / (quoted + source) if quoted + source else 0.0


def _changes(document: _DocumentWords, aligned: list[_Aligned]) -> list[WordChange]:
    """Each run of differing words, as the text writes them and as the source does."""
    changes = []
    for piece in aligned:
        run: list[_Step] = []
        for step in [*piece.steps, _Step("equal", None, None)]:
            if step.op not in ("equal", "margin"):
                run.append(step)
                continue
            if run:
                quoted = " ".join(s.quoted.raw for s in run if s.quoted is not None)
                source = " ".join(_raw(document, s.source) for s in run if s.source is not None)
                changes.append(WordChange(quoted=quoted, source=source))
                run = []
    return changes


def _raw(document: _DocumentWords, index: int) -> str:
    page = document.document.pages[document.pages[index] - 1]
    return " ".join(page[document.starts[index] : document.ends[index]].split())


def _evidence(
    document: _DocumentWords, aligned: list[_Aligned], role: Literal["supports", "contradicts"]
) -> list[Evidence]:
    """The source's words from the first matched to the last, one piece of evidence per page they are on."""
    used = [s.source for piece in aligned for s in piece.steps if s.source is not None and s.op != "margin"]
    if not used:
        return []
    by_page: dict[int, tuple[int, int]] = {}
    for index in range(min(used), max(used) + 1):
        if document.omission_cost[index] == 0 and index not in used:
            continue  # a running header or footer between the pages is not the quotation's
        page, start, end = document.pages[index], document.starts[index], document.ends[index]
        low, high = by_page.get(page, (start, end))
        by_page[page] = (min(low, start), max(high, end))
    return [_evidence_on(document.document, page, start, end, role) for page, (start, end) in by_page.items()]


def _evidence_on(
    document: SourceDocument, page: int, start: int, end: int, role: Literal["supports", "contradicts"]
) -> Evidence:
    quote = document.pages[page - 1][start:end]
    return Evidence(document_id=document.document_id, page=page, start=start, end=end, quote=quote, role=role)

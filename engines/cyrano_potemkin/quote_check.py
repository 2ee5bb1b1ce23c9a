"""Whether a quotation's words are the source's: `exact`, `close` (the words that differ, one run at a time) or
`not_found`, with the source's own words as evidence.

Each document's pages are one stream of words (`source_words`) with an index of where each word occurs. A
quotation is looked for only where its rarest words agree on a starting point, and aligned word by word there
(an edit distance that lets the source run on before and after the quoted words), so a text of thirty quotations
against a hundred pages costs milliseconds, not a fuzzy scan of every window.

Case: words compare case-sensitively, since a capital marks a defined term ("Confidential Information" is not
"confidential information"), except where quoting conventions change it: the first letter of the quotation and
of the words after an ellipsis or brackets, letters in brackets, and a source word in capitals throughout (set
in capitals for conspicuousness, not as other words). Any other change of case is a change.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cyrano_potemkin.quotes import Piece, Quotation, QuotedWord, find_quotations, parse_quotation
from cyrano_potemkin.source_words import DocumentWords, QuotationSources
from cyrano_potemkin.sources import SourceDocument
from cyrano_potemkin.verdicts import Evidence, QuotationCheck, QuotationStatus, WordChange

# Below this share of words in common (2 x matched / (quoted + source words)), a passage is another text, not an
# altered quotation: one word changed in a four-word quotation still reaches it (0.75).
CLOSE_SIMILARITY = 0.75
# Words whose omission turns a sentence's meaning, looked for in what a short ellipsis leaves out.
MEANING_WORDS = frozenset(
    {"not", "no", "never", "neither", "nor", "none", "nothing", "without", "except", "unless", "excluding", "only"}
)
_SHORT_OMISSION = 12  # words an ellipsis leaves out within one sentence, about
_ANCHORS = 8  # the rarest words of a piece that vote for where it starts
_COMMON = 400  # a word this frequent in a document says nothing about where a quotation is
_CANDIDATES = 3  # starting points aligned per document
_CHUNK = 120  # words of a long quotation aligned at a time
_ANCHOR_PIECES = 3  # pieces of a quotation with ellipses each looked for first
_SHORTLIST = 64  # starting points the anchors agree on most, compared word by word before the best are aligned
_SLACK = 3  # words a candidate start may be off by, or a piece grow by before each quarter of its length

Op = Literal["equal", "case", "replace", "insert", "delete", "margin"]


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
    pieces = _chunked(parse_quotation(words))
    if not pieces:
        return QuotationResult(status="not_found")
    best: tuple[tuple[bool, float], DocumentWords, list[_Aligned]] | None = None
    for document in indexed.documents:
        for aligned in _matches(pieces, document):
            rank = _rank(pieces, aligned)
            if best is None or rank > best[0]:
                best = (rank, document, aligned)
    if best is None or (not best[0][0] and best[0][1] < CLOSE_SIMILARITY):
        return QuotationResult(status="not_found", similarity=best[0][1] if best else 0.0)
    (exact, similarity), document, aligned = best
    hidden = _hidden_exceptions(pieces, aligned, document)
    exact = exact and not hidden
    return QuotationResult(
        status="exact" if exact else "close",
        changes=[] if exact else _changes(document, aligned) + hidden,
        evidence=_evidence(document, aligned, "supports" if exact else "contradicts"),
        similarity=similarity,
    )


def check_quotations(
    text: str, sources: QuotationSources | Sequence[SourceDocument]
) -> list[tuple[Quotation, QuotationResult]]:
    """Every quotation of the text (`find_quotations`) with its check, the sources indexed once."""
    indexed = sources if isinstance(sources, QuotationSources) else QuotationSources(sources)
    return [(quotation, check_quotation(quotation, indexed)) for quotation in find_quotations(text)]


def _chunked(pieces: list[Piece]) -> list[Piece]:
    """Long pieces cut into pieces that follow each other: alignment costs the square of a piece's length."""
    return [
        Piece(piece.words[start : start + _CHUNK], piece.gap_before if start == 0 else 0)
        for piece in pieces
        for start in range(0, len(piece.words), _CHUNK)
    ]


def _matches(pieces: list[Piece], document: DocumentWords) -> list[list[_Aligned]]:
    """The quotation aligned at each candidate place in the document: one alignment per piece, in order.

    Each of the longest pieces in turn is looked for first and the others near it: a piece may be a running
    header found on every page, which alone cannot say where the quotation is.
    """
    longest = sorted(range(len(pieces)), key=lambda index: -len(pieces[index].words))[:_ANCHOR_PIECES]
    found: list[list[_Aligned]] = []
    for anchor in longest:
        found.extend(_matches_around(pieces, anchor, document, found))
    return found


def _matches_around(
    pieces: list[Piece], anchor: int, document: DocumentWords, earlier: list[list[_Aligned]]
) -> list[list[_Aligned]]:
    found = []
    for low, high in _candidate_starts(pieces[anchor].words, document):
        if any(low - _SLACK <= match[anchor].first <= high + _SLACK for match in earlier):
            continue  # another piece's candidate already put this one here
        size = len(pieces[anchor].words)
        aligned = {anchor: _align(pieces[anchor].words, document, low - _SLACK, high + size + _slack(size), False)}
        if _similarity(aligned[anchor].steps, size) < CLOSE_SIMILARITY:
            continue  # the longest piece is not here: the quotation cannot be
        for index in range(anchor + 1, len(pieces)):
            size, after = len(pieces[index].words), aligned[index - 1].last + 1
            window = after + pieces[index].gap_before + size + _slack(size)
            aligned[index] = _align(pieces[index].words, document, after, window, False)
        for index in range(anchor - 1, -1, -1):
            size, before = len(pieces[index].words), aligned[index + 1].first
            window = before - pieces[index + 1].gap_before - size - _slack(size)
            aligned[index] = _align(pieces[index].words, document, window, before, True)
        found.append(_joined(pieces, [aligned[index] for index in range(len(pieces))], document))
    return found


def _joined(pieces: list[Piece], aligned: list[_Aligned], document: DocumentWords) -> list[_Aligned]:
    """The source's words between pieces that no ellipsis or brackets separate, counted as left out."""
    joined = [aligned[0]]
    for piece, current in zip(pieces[1:], aligned[1:], strict=True):
        skipped = range(joined[-1].last + 1, current.first)
        if piece.gap_before == 0 and skipped:
            costs = document.omission_cost
            steps = [_Step("delete" if costs[index] else "margin", None, index) for index in skipped]
            current = _Aligned(skipped[0], current.last, (*steps, *current.steps))
        joined.append(current)
    return joined


def _hidden_exceptions(pieces: list[Piece], aligned: list[_Aligned], document: DocumentWords) -> list[WordChange]:
    """A few words an ellipsis or brackets leave out that negate or except: "shall . . . be liable" for "shall
    not be liable" misquotes the source however exact the words around it."""
    hidden = []
    for piece, previous, current in zip(pieces[1:], aligned, aligned[1:], strict=False):
        skipped = range(previous.last + 1, current.first)
        short = piece.gap_before and len(skipped) <= _SHORT_OMISSION
        if short and any(document.keys[index] in MEANING_WORDS for index in skipped):
            hidden.append(WordChange(quoted="…", source=" ".join(_raw(document, index) for index in skipped)))
    return hidden


def _slack(size: int) -> int:
    return _SLACK + size // 4


def _candidate_starts(piece: Sequence[QuotedWord], document: DocumentWords) -> list[tuple[int, int]]:
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


def _align(piece: Sequence[QuotedWord], document: DocumentWords, low: int, high: int, prefer_last: bool) -> _Aligned:
    """Word-level edit alignment of the piece against `words[low:high]`, free to start and end anywhere in it."""
    low, high = max(0, low), min(len(document.keys), max(high, low + 1))
    keys, omission = document.keys[low:high], document.omission_cost[low:high]
    rows = [[0] * (len(keys) + 1)]
    for i, quoted in enumerate(piece, start=1):
        previous, row, left = rows[-1], [i], i
        differs = (
            [quoted.key != key for key in keys] if quoted.kept is None else [not _same_word(quoted, k) for k in keys]
        )
        for j in range(len(keys)):  # the innermost loop of the check: plain comparisons, no calls
            cost = previous[j] + differs[j]
            if previous[j + 1] + 1 < cost:
                cost = previous[j + 1] + 1
            if left + omission[j] < cost:
                cost = left + omission[j]
            row.append(cost)
            left = cost
        rows.append(row)
    last = rows[-1]
    lowest = min(last)
    end = max(j for j, cost in enumerate(last) if cost == lowest) if prefer_last else last.index(lowest)
    return _trace(piece, document, rows, low, end)


def _trace(piece: Sequence[QuotedWord], document: DocumentWords, rows: list[list[int]], low: int, end: int) -> _Aligned:
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
    """(exact, similarity) of the whole quotation."""
    steps = [step for piece in aligned for step in piece.steps]
    exact = all(step.op in ("equal", "margin") for step in steps)
    return exact, _similarity(steps, sum(len(piece.words) for piece in pieces))


def _similarity(steps: Sequence[_Step], quoted: int) -> float:
    """2 x matched words / (quoted words + source words aligned, omissions included)."""
    matched = sum(step.op in ("equal", "case") for step in steps)
    source = sum(step.source is not None and step.op != "margin" for step in steps)
    return 2 * matched / (quoted + source) if quoted + source else 0.0


def _changes(document: DocumentWords, aligned: list[_Aligned]) -> list[WordChange]:
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


def _raw(document: DocumentWords, index: int) -> str:
    page = document.document.pages[document.pages[index] - 1]
    return " ".join(page[document.starts[index] : document.ends[index]].split())


def _evidence(
    document: DocumentWords, aligned: list[_Aligned], role: Literal["supports", "contradicts"]
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

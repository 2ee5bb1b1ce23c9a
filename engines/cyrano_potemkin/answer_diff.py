"""Two answers to the same question compared, offline and deterministically.

What changed between them, in the order a lawyer cares: the conclusion ("is enforceable" became "is not
enforceable", a leading "Yes" became "No", a firm answer became "may"), the values it states (dates, periods,
places, amounts and percentages, read as `anchors_in` reads them), the authorities it cites (eyecite's full case
and statute citations), and how far the wording moved (`distance`).

`distance` is 1 - cosine similarity of the two answers' word-stem counts (stop words left out, stems cut by a
small suffix rule): 0.0 for the same words in any order, 1.0 for no word in common. Rewording an answer that says
the same thing typically lands between 0.2 and 0.4; a different answer above 0.5.
"""

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from eyecite import get_citations
from eyecite.models import FullCaseCitation, FullLawCitation, ShortCaseCitation

from cyrano_potemkin.anchors import anchors_in

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])|\n+")
_ABBREVIATION = re.compile(r"(?:\b[A-Z][A-Za-z]{0,3}|\b[a-z]|§)\.$")  # "Cal.", "Bus.", "Mr.", "v." end no sentence
_STOP_WORDS = (
    "a an and are as at be been but by can could do does for from had has have if in into is it its may might "
    "must not of on or shall should so such that the their there these they this to under was were which will "
    "with would you your"
)
_STOP = frozenset(_STOP_WORDS.split())
_SUFFIXES = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")
_PREDICATES = {
    "enforceable": ("enforceable", "yes"),
    "unenforceable": ("enforceable", "no"),
    "valid": ("valid", "yes"),
    "invalid": ("valid", "no"),
    "void": ("valid", "no"),
    "binding": ("binding", "yes"),
    "lawful": ("lawful", "yes"),
    "legal": ("lawful", "yes"),
    "unlawful": ("lawful", "no"),
    "illegal": ("lawful", "no"),
    "permitted": ("permitted", "yes"),
    "allowed": ("permitted", "yes"),
    "prohibited": ("permitted", "no"),
    "required": ("required", "yes"),
    "liable": ("liable", "yes"),
    "entitled": ("entitled", "yes"),
    "eligible": ("eligible", "yes"),
    "barred": ("barred", "yes"),
    "protected": ("protected", "yes"),
}
_VERB = r"(?:is|are|was|were|be|remains?|would\s+be|will\s+be|can\s+be|could\s+be|may\s+be|might\s+be|cannot\s+be)"
_CONCLUSION = re.compile(
    rf"\b(?P<verb>{_VERB}|isn't|aren't|wouldn't\s+be|won't\s+be)\s+(?P<neg>not\s+|never\s+)?"
    rf"(?:(?P<hedge>likely|unlikely\s+to\s+be|generally|probably)\s+)?(?P<word>{'|'.join(_PREDICATES)})\b",
    re.IGNORECASE,
)
_OPENING = re.compile(r"^\W*(?P<word>yes|no|maybe|it depends)\b", re.IGNORECASE)
_MAX_PASSAGES = 3
_PASSAGE_CHARS = 300
_UNMATCHED = 0.5  # a sentence whose nearest in the other answer is this far or farther is "only in" its answer


@dataclass(frozen=True, slots=True)
class ConclusionChange:
    about: str  # "enforceable", "answer" (the opening yes/no) ...
    before: str  # "yes", "no" or "may"
    after: str


@dataclass(slots=True)
class AnswerDiff:
    distance: float
    conclusions: list[ConclusionChange] = field(default_factory=list)
    values_removed: list[str] = field(default_factory=list)
    values_added: list[str] = field(default_factory=list)
    authorities_removed: list[str] = field(default_factory=list)
    authorities_added: list[str] = field(default_factory=list)
    only_before: list[str] = field(default_factory=list)  # sentences of the first answer the second lacks
    only_after: list[str] = field(default_factory=list)

    @property
    def substantive(self) -> bool:
        """Did the conclusion, a value or an authority change (whatever the wording did)?"""
        return bool(
            self.conclusions
            or self.values_removed
            or self.values_added
            or self.authorities_removed
            or self.authorities_added
        )


def compare_answers(before: str, after: str, *, worded: Callable[[str], str] = str) -> AnswerDiff:
    """What changed from `before` to `after`; `worded` is the form the wording is compared in (bias sets the
    swapped words aside with it), the passages are quoted as written."""
    diff = AnswerDiff(distance=distance(worded(before), worded(after)))
    first, second = conclusions_of(before), conclusions_of(after)
    for about in first.keys() & second.keys():
        if first[about] != second[about]:
            diff.conclusions.append(ConclusionChange(about, first[about], second[about]))
    diff.conclusions.sort(key=lambda change: change.about)
    diff.values_removed, diff.values_added = _set_changes(values_of(before), values_of(after))
    diff.authorities_removed, diff.authorities_added = _set_changes(authorities_of(before), authorities_of(after))
    diff.only_before = _unmatched_sentences(before, after, worded)
    diff.only_after = _unmatched_sentences(after, before, worded)
    return diff


def conclusions_of(text: str) -> dict[str, str]:
    """What the answer concludes, per predicate: "yes", "no" or "may" (the first statement of each counts)."""
    found: dict[str, str] = {}
    opening = _OPENING.match(text)
    if opening:
        word = opening.group("word").lower()
        found["answer"] = {"yes": "yes", "no": "no"}.get(word, "may")
    for match in _CONCLUSION.finditer(text):
        about, polarity = _PREDICATES[match.group("word").lower()]
        verb = " ".join(match.group("verb").lower().split())
        hedge = (match.group("hedge") or "").lower()
        negated = bool(match.group("neg")) or "n't" in verb or verb.startswith("cannot") or hedge.startswith("unlikely")
        if negated:
            polarity = "no" if polarity == "yes" else "yes"
        if verb.split()[0] in ("may", "might", "could") or hedge in ("likely", "probably", "generally"):
            polarity = "may"
        found.setdefault(about, polarity)
    return found


def values_of(text: str) -> set[str]:
    return {f"{anchor.kind} {anchor.shown()}" for anchor in anchors_in(text)}


def authorities_of(text: str) -> set[str]:
    """The cases and statutes cited, normalised by eyecite; a short cite counts when its case is not cited in full."""
    full: set[str] = set()
    short: dict[str, str] = {}
    for citation in _citations(text):
        if isinstance(citation, FullCaseCitation | FullLawCitation):
            full.add(str(citation.corrected_citation()))  # type: ignore[no-untyped-call]
        elif isinstance(citation, ShortCaseCitation):
            groups = citation.groups
            short[f"{groups.get('volume')} {groups.get('reporter')}"] = str(citation.corrected_citation())  # type: ignore[no-untyped-call]
    volumes = {" ".join(cited.split()[:-1]) for cited in full}
    return full | {cited for volume, cited in short.items() if _spaced(volume) not in {_spaced(v) for v in volumes}}


def _spaced(reporter: str) -> str:
    return reporter.replace(" ", "").lower()


@lru_cache(maxsize=256)
def _citations(text: str) -> tuple[object, ...]:
    return tuple(get_citations(text))


def distance(first: str, second: str) -> float:
    """1 - cosine similarity of the stem counts (rounded to 3 places); 0.0 when both have no words."""
    a, b = _stems(first), _stems(second)
    if not a and not b:
        return 0.0
    dot = sum(count * b[stem] for stem, count in a.items())
    norms = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return round(1.0 - (dot / norms if norms else 0.0), 3)


def _stems(text: str) -> Counter[str]:
    return Counter(_stem(word) for word in _WORD.findall(text.lower()) if word not in _STOP)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _set_changes(before: set[str], after: set[str]) -> tuple[list[str], list[str]]:
    return sorted(before - after), sorted(after - before)


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for piece in _BREAK.split(text):
        piece = piece.strip()
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        elif piece:
            sentences.append(piece)
    return [sentence for sentence in sentences if any(character.isalnum() for character in sentence)]


def _unmatched_sentences(text: str, other: str, worded: Callable[[str], str]) -> list[str]:
    theirs = [(sentence, worded(sentence)) for sentence in _sentences(other)]
    unmatched = []
    for sentence in _sentences(text):
        mine = worded(sentence)
        gaps = [(distance(mine, form), candidate) for candidate, form in theirs]
        gap, nearest = min(gaps, default=(1.0, ""))
        if gap >= _UNMATCHED or _says_otherwise(sentence, nearest):
            unmatched.append(_quoted(sentence))
        if len(unmatched) == _MAX_PASSAGES:
            break
    return unmatched


def _says_otherwise(sentence: str, nearest: str) -> bool:
    """Worded alike, yet another conclusion or other values: the sentence that changed."""
    return conclusions_of(sentence) != conclusions_of(nearest) or values_of(sentence) != values_of(nearest)


def _quoted(sentence: str) -> str:
    return sentence if len(sentence) <= _PASSAGE_CHARS else sentence[: _PASSAGE_CHARS - 1].rstrip() + "…"

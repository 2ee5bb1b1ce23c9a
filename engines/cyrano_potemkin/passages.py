"""The sources cut into passages (their sentences), found again by the words a claim shares with them.

Built once per check over every page of every source: an inverted index from word stems to passages, scored by
the rarity of the shared words (idf), so a claim about "renewal" and "notice" meets the renewal clause first.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from cyrano_arkiver.api import DateMention, Found, dates_in, durations_in, jurisdictions_in, sentences_in
from cyrano_potemkin.anchors import Anchor, anchors_in
from cyrano_potemkin.sources import SourceDocument, Span

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+")
STOPWORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are",
    "was", "were", "be", "been", "being", "this", "that", "these", "those", "it", "its", "their", "they", "them",
    "he", "she", "his", "her", "we", "our", "you", "your", "which", "who", "whom", "whose", "shall", "will", "may",
    "must", "can", "any", "all", "each", "such", "not", "no", "nor", "than", "then", "there", "here", "hereby",
    "herein", "under", "upon", "into", "out", "over", "also", "both", "either", "neither", "per", "if", "so", "has",
    "have", "had", "do", "does", "did"
})  # fmt: skip
# A single line break wraps a line; a blank line (or a form feed) ends a paragraph.
_LINE_WRAP = re.compile(r"(?<![\n\f])\n(?![\n\f])")
_EVIDENCE_CHARS = 300  # a quote around an anchor: enough to read the sentence's point, not a page


def stem(word: str) -> str:
    """A crude stem: lower case, at most six letters ("governed", "governing" and "governs" meet)."""
    word = word.lower()
    if len(word) > 6:
        return word[:6]
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def content_stems(text: str) -> list[str]:
    return [stem(word) for word in _WORD.findall(text) if word.lower() not in STOPWORDS]


@dataclass(eq=False)
class Passage:
    document: SourceDocument
    page: int
    start: int
    end: int
    text: str
    stems: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def dates(self) -> list[DateMention]:
        return dates_in(self.text)

    @cached_property
    def durations(self) -> list[Found]:
        return durations_in(self.text)

    @cached_property
    def places(self) -> list[Found]:
        return jurisdictions_in(self.text)

    @cached_property
    def anchors(self) -> list[Anchor]:
        """Every value the passage states, read as a claim's are (money and percentages among them)."""
        return anchors_in(self.text)

    def span(self, start: int, end: int) -> Span:
        """A page span around `text[start:end]` (offsets in this passage), widened to whole words, clipped."""
        spare = max(0, _EVIDENCE_CHARS - (end - start)) // 2
        low, high = max(0, start - spare), min(len(self.text), end + spare)
        while low > 0 and not self.text[low - 1].isspace():
            low -= 1
        while high < len(self.text) and not self.text[high].isspace():
            high += 1
        while low < high and self.text[low].isspace():
            low += 1
        while high > low and self.text[high - 1].isspace():
            high -= 1
        return Span(page=self.page, start=self.start + low, end=self.start + high)


class SourceIndex:
    """Every sentence of every source page, indexed by its word stems."""

    def __init__(self, documents: Sequence[SourceDocument]) -> None:
        self.passages: list[Passage] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for document in documents:
            for number, page in enumerate(document.pages, start=1):
                unwrapped = _LINE_WRAP.sub(" ", page)  # same length: offsets stay the page's
                for start, end in sentences_in(unwrapped):
                    text = unwrapped[start:end]
                    stems = frozenset(content_stems(text))
                    index = len(self.passages)
                    self.passages.append(Passage(document, number, start, end, text, stems))
                    for item in stems:
                        postings[item].append(index)
        self._postings = postings
        self._matching: dict[re.Pattern[str], list[Passage]] = {}
        total = max(1, len(self.passages))
        self._idf = {item: math.log(1 + total / len(found)) for item, found in postings.items()}

    def ranked(self, stems: Iterable[str], limit: int = 8) -> list[tuple[float, Passage]]:
        """The passages sharing most (rarity-weighted) stems with `stems`, best first, with their scores."""
        scores: dict[int, float] = defaultdict(float)
        for item in set(stems):
            weight = self._idf.get(item, 0.0)
            for index in self._postings.get(item, ()):
                scores[index] += weight
        best = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
        return [(score, self.passages[index]) for index, score in best]

    def weight(self, stems: Iterable[str]) -> float:
        """The score a passage holding all of `stems` would get (stems no source has count as the rarest)."""
        rarest = math.log(1 + max(1, len(self.passages)))
        return sum(self._idf.get(item, rarest) for item in set(stems))

    def matching(self, pattern: re.Pattern[str]) -> list[Passage]:
        """The passages where `pattern` matches (remembered: every claim of a text asks for the same few)."""
        found = self._matching.get(pattern)
        if found is None:
            found = self._matching[pattern] = [passage for passage in self.passages if pattern.search(passage.text)]
        return found

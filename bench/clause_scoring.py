"""Scoring helpers of the clause bench: locating gold spans in the normalised text, overlap, thresholds, F1."""

import re
from dataclasses import dataclass

from stats import PrecisionRecall

_SPACE = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S")
_STRAIGHTEN = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "ʺ": '"', "‘": "'", "’": "'", "‛": "'"})


class SpanLocator:
    """Finds gold spans in a text ignoring whitespace (the text is squeezed once, then searched per span)."""

    def __init__(self, text: str) -> None:
        self.positions = [match.start() for match in _NON_SPACE.finditer(text)]
        self.squeezed = _SPACE.sub("", text)

    def locate(self, spans: list[str]) -> list[tuple[int, int]]:
        """[start, end) offsets of each span's first occurrence; spans not found are left out."""
        found = []
        for span in spans:
            needle = _SPACE.sub("", span.translate(_STRAIGHTEN))
            at = self.squeezed.find(needle) if needle else -1
            if at >= 0:
                found.append((self.positions[at], self.positions[at + len(needle) - 1] + 1))
        return found


def overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def best_threshold(scored: list[tuple[float, bool]]) -> float:
    """The threshold maximising F1 of `score >= threshold` (midway between neighbouring scores); 1.0 if no positive."""
    if not any(gold for _, gold in scored):
        return 1.0
    ordered = sorted(scored, key=lambda pair: -pair[0])
    positives = sum(gold for _, gold in ordered)
    best_f1, best = -1.0, 1.0
    tp = 0
    for rank, (score, gold) in enumerate(ordered):
        tp += gold
        following = ordered[rank + 1][0] if rank + 1 < len(ordered) else 0.0
        if following == score:
            continue
        f1 = 2 * tp / (rank + 1 + positives)
        if f1 > best_f1:
            best_f1, best = f1, (score + following) / 2
    return best


@dataclass
class Counts(PrecisionRecall):
    quote_hits: int = 0  # true positives whose top quote overlaps a gold span

    def add(self, predicted: bool, gold: bool, quote_hit: bool) -> None:
        self.tp += predicted and gold
        self.fp += predicted and not gold
        self.fn += gold and not predicted
        self.quote_hits += predicted and gold and quote_hit

"""The few figures every bench reports the same way: percentiles of latencies and CPU time per call."""

from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value at `fraction` (0.95 for p95) of the sorted values, nearest rank; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def us_per_call(cpu_seconds: float, calls: int) -> float:
    """CPU time per call in microseconds (a run with no calls counts as one)."""
    return cpu_seconds / max(calls, 1) * 1e6


@dataclass
class PrecisionRecall:
    """True positive, false positive and false negative counts, and the precision, recall and F1 they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

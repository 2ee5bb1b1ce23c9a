"""The shipped clause model: sparse logistic-regression weights per category, read once per process.

Scoring is pure Python (dictionary lookups and a sigmoid), so run time needs neither numpy nor scikit-learn.
"""

import gzip
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ARTEFACT = Path(__file__).with_name("clause_model.json.gz")


@dataclass(frozen=True)
class ClauseModel:
    """`weights[feature]` lists (category index, weight); a category's score is sigmoid(bias + sum of weights)."""

    version: str
    keys: tuple[str, ...]
    biases: tuple[float, ...]
    thresholds: tuple[float, ...]
    weights: dict[str, list[tuple[int, float]]]

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "ClauseModel":
        categories = data["categories"]
        assert isinstance(categories, list)
        weights = data["weights"]
        assert isinstance(weights, dict)
        return cls(
            version=str(data["version"]),
            keys=tuple(str(category["key"]) for category in categories),
            biases=tuple(float(category["bias"]) for category in categories),
            thresholds=tuple(float(category["threshold"]) for category in categories),
            weights={feature: [(int(i), float(w)) for i, w in pairs] for feature, pairs in weights.items()},
        )

    def scores(self, features: set[str]) -> list[float]:
        """The probability of each category for one passage's features."""
        totals = list(self.biases)
        weights = self.weights
        for feature in features:
            pairs = weights.get(feature)
            if pairs:
                for index, weight in pairs:
                    totals[index] += weight
        return [_sigmoid(total) for total in totals]


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@cache
def shipped_model() -> ClauseModel:
    with gzip.open(ARTEFACT, "rt", encoding="utf-8") as file:
        return ClauseModel.from_json(json.load(file))

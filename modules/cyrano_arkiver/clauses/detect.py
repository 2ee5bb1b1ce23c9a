"""Which of CUAD's 41 clause categories a contract has, and the passages that show each one.

Each sentence of the contract is scored for every category by the shipped model (`model.py`); a category is present
when its best sentence's probability reaches the category's threshold (chosen by cross-validation at training time).
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from cyrano_arkiver.clauses.categories import CATEGORY_BY_KEY
from cyrano_arkiver.clauses.model import ClauseModel, shipped_model
from cyrano_arkiver.clauses.passages import Passage, features, passages_of
from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.models import Provenance

MODEL_VERSION = "cuad-lr-1"
_MAX_PASSAGES = 3


class ClausePassage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=0.0, le=1.0)
    provenance: Provenance


class ClauseFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str
    score: float = Field(ge=0.0, le=1.0, description="The best passage's probability.")
    passages: list[ClausePassage] = Field(min_length=1, max_length=_MAX_PASSAGES)


@dataclass(frozen=True, slots=True)
class CategoryRanking:
    """One category's passages of a document, best first, with their probabilities."""

    index: int
    ranked: list[tuple[float, Passage]]


def rank_passages(document: Document, model: ClauseModel, indices: Sequence[int]) -> list[CategoryRanking]:
    """For each category index asked for, every passage with its probability, best first (ties: earliest)."""
    passages = passages_of(document)
    per_passage = [model.scores(features(document.lower, passage)) for passage in passages]
    rankings = []
    for index in indices:
        ranked = sorted(
            ((scores[index], passage) for scores, passage in zip(per_passage, passages, strict=True)),
            key=lambda pair: (-pair[0], pair[1].start),
        )
        rankings.append(CategoryRanking(index, ranked))
    return rankings


def detect_clauses(
    pages: Sequence[str], keys: Collection[str] | None = None, *, model: ClauseModel | None = None
) -> list[ClauseFinding]:
    """One finding per category judged present (in CUAD's order), limited to `keys` when given."""
    model = model or shipped_model()
    if keys is not None:
        unknown = set(keys) - CATEGORY_BY_KEY.keys()
        if unknown:
            raise ValueError(f"unknown clause categories: {', '.join(sorted(unknown))}")
    indices = [index for index, key in enumerate(model.keys) if keys is None or key in keys]
    document = Document(pages)
    if not indices or not document.text.strip():
        return []
    findings = []
    for ranking in rank_passages(document, model, indices):
        threshold = model.thresholds[ranking.index]
        if not ranking.ranked or ranking.ranked[0][0] < threshold:
            continue
        passages: list[ClausePassage] = []
        for score, passage in ranking.ranked:
            if score < threshold or len(passages) == _MAX_PASSAGES:
                break
            provenance = document.provenance(passage.start, passage.end)
            if provenance is not None:
                passages.append(ClausePassage(score=round(score, 4), provenance=provenance))
        if passages:
            findings.append(
                ClauseFinding(category=model.keys[ranking.index], score=passages[0].score, passages=passages)
            )
    return findings

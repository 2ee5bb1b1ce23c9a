"""A contract's clause review: each present category with its passages, its value, and what found it.

The classifier (`detect.py`) judges every category. The metadata categories (parties, the three dates, governing
law, renewal and notice) also have the document's insights: where the extraction rules found one, it is present
with their value and their passage first, even if the classifier missed it. The classifier's word counts for the
dates and the law only in a document whose parties the rules found: its thresholds for categories nearly every
contract has are low, and a dated note is no agreement. Parties are the rules' alone (a classifier passage would
name nobody). Measured on held-out contracts (bench/clause_review.py), this beats either method alone.
"""

from collections.abc import Collection, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cyrano_arkiver.clauses.categories import CATEGORIES, CATEGORY_BY_KEY
from cyrano_arkiver.clauses.detect import detect_clauses
from cyrano_arkiver.clauses.model import ClauseModel
from cyrano_arkiver.clauses.values import ClauseValue, describe, value_from_passages
from cyrano_arkiver.extraction import extract_insights
from cyrano_arkiver.extraction.models import DateKind, Insights, Provenance, TermClause

ClauseMethod = Literal["classifier", "rules", "model"]
# Categories whose value is an insight (extracted by the rules; arkiver_refine proposes them as insights).
INSIGHT_CATEGORIES = frozenset({"parties", "agreement_date", "effective_date", "expiration_date", "governing_law"})
_DATE_CATEGORIES: dict[str, DateKind] = {
    "agreement_date": "agreement",
    "effective_date": "effective",
    "expiration_date": "expiration",
}


class StoredClause(BaseModel):
    """One present category of one document, as stored (sealed) with its insights."""

    model_config = ConfigDict(extra="forbid")

    category: str
    method: ClauseMethod = Field(
        description="classifier: the shipped clause model; rules: the document's insights; model: a language "
        "model's grounded proposal (arkiver_refine)."
    )
    score: float | None = Field(default=None, description="The classifier's probability for the best passage.")
    passages: list[Provenance] = Field(min_length=1)
    value: ClauseValue | None = None


def review_clauses(
    pages: Sequence[str],
    insights: Insights,
    keys: Collection[str] | None = None,
    *,
    model: ClauseModel | None = None,
) -> list[StoredClause]:
    """Every category (of `keys`, default all) present in the document, in CUAD's order; `model` defaults to the
    shipped classifier (benches pass one trained without the contracts they score)."""
    judged = list(keys if keys is not None else CATEGORY_BY_KEY)
    findings = {f.category: f for f in detect_clauses(pages, judged, model=model)} if judged else {}
    found: list[StoredClause] = []
    for category in CATEGORIES:
        if keys is not None and category.key not in keys:
            continue
        finding = findings.get(category.key)
        if category.key in INSIGHT_CATEGORIES and (category.key == "parties" or not insights.parties):
            finding = None
        passages = [passage.provenance for passage in finding.passages] if finding else []
        known = value_from_insights(category.key, insights)
        value: ClauseValue | None
        if known is not None:
            value, provenance = known
            passages = [provenance, *(passage for passage in passages if not _overlaps(passage, provenance))]
        elif passages:
            value = value_from_passages(category.key, [passage.quote for passage in passages])
        else:
            continue
        found.append(
            StoredClause(
                category=category.key,
                method="classifier" if finding else "rules",
                score=finding.score if finding else None,
                passages=passages[: len(finding.passages) if finding else 1],
                value=value,
            )
        )
    return found


def read_contract(pages: Sequence[str]) -> tuple[Insights, list[StoredClause]]:
    """A document's insights, and its clause review (which takes the metadata values from them)."""
    insights = extract_insights(pages)
    return insights, review_clauses(pages, insights)


def value_from_insights(category: str, insights: Insights) -> tuple[ClauseValue, Provenance] | None:
    """A metadata category's value and where it is stated, from the document's insights."""
    if category == "parties" and insights.parties:
        names = [party.name for party in insights.parties]
        first = insights.parties[0].provenance
        return ClauseValue(text="; ".join(names), mention=first.quote if len(first.quote) <= 200 else None), first
    if category in _DATE_CATEGORIES:
        date = insights.first_date(_DATE_CATEGORIES[category])
        if date is None:
            return None
        mention = date.mention.quote if date.mention is not None else None
        return ClauseValue(text=date.date.isoformat(), mention=mention, date=date.date), date.provenance
    if category == "governing_law" and insights.governing_law is not None:
        law = insights.governing_law
        return ClauseValue(text=law.jurisdiction), law.provenance
    if category == "renewal_term":
        return _term_value(insights.term.renewal)
    if category == "notice_period_to_terminate_renewal":
        return _term_value(insights.term.non_renewal_notice)
    return None


def _term_value(clause: TermClause | None) -> tuple[ClauseValue, Provenance] | None:
    if clause is None:
        return None
    if clause.duration is not None:
        text = describe(clause.duration)
        if clause.kind == "renewal" and clause.automatic:
            text += ", renewing automatically"
    elif clause.perpetual:
        text = "until terminated"
    else:
        return None
    return ClauseValue(text=text, duration=clause.duration), clause.provenance


def _overlaps(one: Provenance, other: Provenance) -> bool:
    return one.page == other.page and one.start < other.end and other.start < one.end

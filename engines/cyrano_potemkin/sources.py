"""What a text is checked against: the source documents' pages, and the facts Arkiver read from them.

Kept apart from how they are fetched (the engine reads them through Arkiver's tools, the bench from the shared
data), so the checker is a pure function of the text and its sources.
"""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cyrano_arkiver.api import DocumentInsights, Duration, Quoted

FactField = Literal[
    "party", "agreement_date", "effective_date", "expiration_date", "governing_law", "initial_term", "renewal_term",
    "notice_period",
]  # fmt: skip
_DATE_FIELDS: dict[str, FactField] = {
    "agreement": "agreement_date",
    "effective": "effective_date",
    "expiration": "expiration_date",
}
_TERM_FIELDS: dict[str, FactField] = {
    "initial": "initial_term",
    "renewal": "renewal_term",
    "non_renewal_notice": "notice_period",
}


class Span(BaseModel):
    """`pages[page - 1][start:end]` of one source document."""

    model_config = ConfigDict(frozen=True)

    page: int
    start: int
    end: int


class SourceFact(BaseModel):
    """One key fact Arkiver read from a document, where it read it, and for a computed date what it counted from."""

    model_config = ConfigDict(frozen=True)

    field: FactField
    value: str | dt.date | Duration
    span: Span
    anchor: Span | None = None  # the stated date a computed one counts from, when it is elsewhere
    anchor_date: dt.date | None = None
    offset: Duration | None = None
    perpetual: bool = False


class SourceDocument(BaseModel):
    """A document's pages (`pages[0]` is page 1) and its facts."""

    document_id: str
    name: str
    pages: list[str]
    facts: list[SourceFact] = []

    def quote(self, span: Span) -> str:
        return self.pages[span.page - 1][span.start : span.end]


def facts_from_insights(insights: DocumentInsights) -> list[SourceFact]:
    """The key terms of `arkiver_insights`'s first answer, as facts."""
    key_terms = insights.key_terms
    if key_terms is None:
        return []
    facts = [SourceFact(field="party", value=party.name, span=_span(party.provenance)) for party in key_terms.parties]
    for item in key_terms.dates:
        field = _DATE_FIELDS.get(item.kind)
        if field is None:
            continue
        resolved = item.resolved_from
        facts.append(
            SourceFact(
                field=field,
                value=item.date,
                span=_span(item.provenance),
                anchor_date=resolved.anchor_date if resolved is not None else None,
                offset=resolved.offset if resolved is not None else None,
            )
        )
    if key_terms.governing_law is not None:
        law = key_terms.governing_law
        facts.append(SourceFact(field="governing_law", value=law.jurisdiction, span=_span(law.provenance)))
    for slot, field in _TERM_FIELDS.items():
        clause = getattr(key_terms.term, slot)
        if clause is not None and (clause.duration is not None or clause.perpetual):
            facts.append(
                SourceFact(
                    field=field,
                    value=clause.duration if clause.duration is not None else "until terminated",
                    span=_span(clause.provenance),
                    perpetual=clause.perpetual,
                )
            )
    return facts


def _span(quoted: Quoted) -> Span:
    return Span(page=quoted.page, start=quoted.start, end=quoted.end)

"""Model-assisted extraction: a model proposes parties, dates, governing law and clauses the rules missed; only
grounded proposals are kept.

A proposal survives only if its quote occurs in the document (whitespace may differ: PDF text is full of double
spaces and line breaks that a model tidies). The stored quote is then the page's own text at the matched offsets,
so every kept item satisfies the same provenance rule as the rules' items.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from cyrano_arkiver.clauses.categories import CATEGORY_BY_KEY
from cyrano_arkiver.clauses.review import StoredClause
from cyrano_arkiver.clauses.values import value_from_passages
from cyrano_arkiver.extraction.models import DateKind, ExtractedDate, GoverningLaw, Insights, Party, Provenance
from cyrano_arkiver.models import KeptProposal

EXCERPT_CHARS = 24_000
SYSTEM_PROMPT = (
    "You read contracts for a law firm and report only what the text states. For every item, `quote` must be "
    "words copied exactly from the text (one sentence or less) that state the item. Leave out anything you "
    "would have to guess. Dates are ISO (YYYY-MM-DD). A clause is proposed only for a category listed in the "
    "request, with the sentence that makes it one as its quote."
)


class ProposedParty(BaseModel):
    name: str = Field(description="The party's full legal name as written.")
    role: str | None = Field(default=None, description='The short name or role the contract gives, e.g. "Licensee".')
    quote: str


class ProposedDate(BaseModel):
    date: date
    kind: DateKind
    quote: str


class ProposedLaw(BaseModel):
    jurisdiction: str = Field(description='The state or country whose law governs, e.g. "New York".')
    quote: str


class ProposedClause(BaseModel):
    category: str = Field(description="The clause category's key, one of those listed in the request.")
    quote: str


class Proposals(BaseModel):
    parties: list[ProposedParty] = Field(default_factory=list)
    dates: list[ProposedDate] = Field(default_factory=list)
    governing_law: ProposedLaw | None = None
    clauses: list[ProposedClause] = Field(
        default_factory=list, description="Clauses of the listed categories that the text contains."
    )


@dataclass(slots=True)
class Outcome:
    insights: Insights
    clauses: list[StoredClause] = field(default_factory=list)
    kept: list[KeptProposal] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def keep(self, kind: str, value: str, provenance: Provenance) -> None:
        self.kept.append(KeptProposal(kind=kind, value=value, page=provenance.page, quote=provenance.quote))


def excerpt(pages: Sequence[str], budget: int = EXCERPT_CHARS) -> str:
    """The opening and closing pages, where parties, dates and governing law are stated, within a budget."""
    numbered = list(enumerate(pages, 1))
    chosen = numbered if len(numbered) <= 5 else [*numbered[:3], *numbered[-2:]]
    share = budget // max(1, len(chosen))
    return "\n\n".join(f"[page {number}]\n{text[:share]}" for number, text in chosen)


def ground(quote: str, pages: Sequence[str]) -> Provenance | None:
    """Where `quote` stands in the document, whitespace-insensitively; None if it stands nowhere."""
    words = quote.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    for number, page in enumerate(pages, 1):
        found = pattern.search(page)
        if found is not None:
            return Provenance(page=number, start=found.start(), end=found.end(), quote=found.group())
    return None


def clause_request(absent: Collection[str]) -> str:
    """What to ask about clauses: the categories the document is not known to have."""
    if not absent:
        return ""
    listed = "\n".join(f"- {key}: {CATEGORY_BY_KEY[key].name}. {CATEGORY_BY_KEY[key].description}" for key in absent)
    return f"Clause categories to look for (give each one the text contains, with its quote):\n{listed}\n\n"


def merge(rules: Insights, proposals: Proposals, pages: Sequence[str], absent: Collection[str] = ()) -> Outcome:
    """The rules' insights plus every grounded proposal they did not already have; clauses of `absent` only."""
    outcome = Outcome(insights=rules.model_copy(deep=True))
    merged = outcome.insights
    for party in proposals.parties:
        if any(fuzz.token_set_ratio(party.name, known.name) >= 90 for known in merged.parties):
            continue
        provenance = _grounded(party.quote, pages, party.name, outcome)
        if provenance is not None and _mentions(provenance.quote, party.name):
            aliases = [party.role] if party.role else []
            merged.parties.append(
                Party(name=party.name, aliases=aliases, role=party.role, provenance=provenance, method="model")
            )
            outcome.keep("parties", f"{party.name} ({party.role})" if party.role else party.name, provenance)
    for proposed in proposals.dates:
        if any(known.date == proposed.date and known.kind == proposed.kind for known in merged.dates):
            continue
        provenance = _grounded(proposed.quote, pages, f"{proposed.kind} date", outcome)
        if provenance is not None:
            merged.dates.append(
                ExtractedDate(date=proposed.date, kind=proposed.kind, provenance=provenance, method="model")
            )
            outcome.keep("dates", f"{proposed.date.isoformat()} ({proposed.kind})", provenance)
    law = proposals.governing_law
    if law is not None and merged.governing_law is None:
        provenance = _grounded(law.quote, pages, "governing law", outcome)
        if provenance is not None and _mentions(provenance.quote, law.jurisdiction):
            merged.governing_law = GoverningLaw(jurisdiction=law.jurisdiction, provenance=provenance, method="model")
            outcome.keep("governing_law", law.jurisdiction, provenance)
    _merge_clauses(outcome, proposals.clauses, pages, absent)
    return outcome


def _merge_clauses(
    outcome: Outcome, proposed: Sequence[ProposedClause], pages: Sequence[str], absent: Collection[str]
) -> None:
    for clause in proposed:
        category = CATEGORY_BY_KEY.get(clause.category)
        if category is None or clause.category not in absent:
            if category is None:
                outcome.rejected.append(f"{clause.category}: not a clause category")
            continue
        if any(found.category == clause.category for found in outcome.clauses):
            continue
        provenance = _grounded(clause.quote, pages, category.name, outcome)
        if provenance is not None:
            value = value_from_passages(clause.category, [provenance.quote])
            outcome.clauses.append(
                StoredClause(category=clause.category, method="model", passages=[provenance], value=value)
            )
            outcome.keep("clauses", category.name, provenance)


def _grounded(quote: str, pages: Sequence[str], what: str, outcome: Outcome) -> Provenance | None:
    provenance = ground(quote, pages)
    if provenance is None:
        outcome.rejected.append(f"{what}: its quote is not in the document")
    return provenance


def _mentions(quote: str, name: str) -> bool:
    """The quote must name what it supports, not merely exist somewhere."""
    return fuzz.partial_ratio(name.lower(), quote.lower()) >= 85

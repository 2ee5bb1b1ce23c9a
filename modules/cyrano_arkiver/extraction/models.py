"""What the extractor returns: every insight carries the exact page slice it was read from."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Rules fill everything here; the other values let later reviewers (a model, a person) reuse these models.
Method = Literal["rules", "model", "manual"]
PartyKind = Literal["company", "person", "government", "unknown"]
DateKind = Literal["agreement", "effective", "expiration", "deadline", "renewal", "termination_notice", "other"]
CitationKind = Literal["case", "statute", "regulation", "journal"]
TermKind = Literal["initial", "renewal", "non_renewal_notice"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(_Model):
    """Where an insight was read: `quote == pages[page - 1][start:end]`, offsets into the raw page text."""

    page: int = Field(ge=1, description="1-based page number.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str

    @classmethod
    def on_page(cls, text: str, page: int, start: int, end: int) -> "Provenance":
        """The span `text[start:end]` of page `page`, without the whitespace a matcher took in at either end."""
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return cls(page=page, start=start, end=end, quote=text[start:end])


class _Item(_Model):
    provenance: Provenance
    method: Method = "rules"


class Duration(_Model):
    years: int = 0
    months: int = 0
    days: int = 0

    def total_months(self) -> int:
        return self.years * 12 + self.months


class Party(_Item):
    name: str
    aliases: list[str] = Field(default_factory=list, description='Short names the contract defines, e.g. "Aura".')
    role: str | None = Field(default=None, description='A role noun among the aliases, e.g. "Licensee".')
    kind: PartyKind = "unknown"


class ResolvedFrom(_Model):
    """How a computed date follows from another date the contract states."""

    anchor: Literal["agreement", "effective", "stated"] = Field(
        description='"stated": a date the text gives for the start, in the same sentence or, for signatures, by them.'
    )
    anchor_date: dt.date
    offset: Duration | None = None


class ExtractedDate(_Item):
    """A date and the sentence that gives it (`provenance`); `mention` is the date's own text when stated."""

    date: dt.date
    kind: DateKind
    mention: Provenance | None = None
    computed: bool = False
    resolved_from: ResolvedFrom | None = None


class GoverningLaw(_Item):
    jurisdiction: str = Field(description='Canonical state, province or country name, e.g. "New York".')
    country: str | None = None


class Amount(_Item):
    value: Decimal
    currency: str = Field(description="ISO 4217 code.")
    purpose: str | None = Field(default=None, description="What the amount is for, where the sentence says.")


class Citation(_Item):
    kind: CitationKind
    text: str
    normalized: str
    volume: str | None = None
    reporter: str
    page: str | None = Field(default=None, description="First page for cases; section for statutes.")
    court: str | None = None
    year: int | None = None
    case_name: str | None = None
    reporter_known: bool


class DefinedTerm(_Item):
    term: str
    definition: str


class Obligation(_Item):
    obligor: str | None = Field(default=None, description="Who must act, as the sentence names them.")
    modal: str = Field(description='The obligating words, e.g. "shall" or "agrees to".')
    action: str
    negative: bool = False
    deadline: str | None = Field(default=None, description='The stated time limit, e.g. "within thirty (30) days".')
    deadline_duration: Duration | None = None


class TermClause(_Item):
    kind: TermKind
    text: str
    duration: Duration | None = None
    perpetual: bool = Field(default=False, description="The term runs until someone terminates it.")
    automatic: bool = Field(default=False, description="Renewal happens unless a party gives notice.")


class ContractTerm(_Model):
    initial: TermClause | None = None
    renewal: TermClause | None = None
    non_renewal_notice: TermClause | None = None


class Insights(_Model):
    parties: list[Party] = Field(default_factory=list)
    dates: list[ExtractedDate] = Field(default_factory=list)
    governing_law: GoverningLaw | None = None
    amounts: list[Amount] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    defined_terms: list[DefinedTerm] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    term: ContractTerm = Field(default_factory=ContractTerm)

    def first_date(self, kind: DateKind) -> ExtractedDate | None:
        return next((item for item in self.dates if item.kind == kind), None)

    def counts(self) -> dict[str, int]:
        """How many insights of each kind; dates also by their kind (e.g. `dates.effective`)."""
        counts = {
            "parties": len(self.parties),
            "dates": len(self.dates),
            "governing_law": int(self.governing_law is not None),
            "amounts": len(self.amounts),
            "citations": len(self.citations),
            "defined_terms": len(self.defined_terms),
            "obligations": len(self.obligations),
            "term": sum(
                clause is not None for clause in (self.term.initial, self.term.renewal, self.term.non_renewal_notice)
            ),
        }
        for item in self.dates:
            counts[f"dates.{item.kind}"] = counts.get(f"dates.{item.kind}", 0) + 1
        return counts

    def provenances(self) -> list[Provenance]:
        """Every provenance in these insights, for checking them against the pages."""
        found: list[Provenance] = []
        items: list[_Item] = [*self.parties, *self.dates, *self.amounts, *self.citations, *self.defined_terms]
        items += self.obligations
        if self.governing_law is not None:
            items.append(self.governing_law)
        items += [clause for clause in (self.term.initial, self.term.renewal, self.term.non_renewal_notice) if clause]
        for item in items:
            found.append(item.provenance)
            if isinstance(item, ExtractedDate) and item.mention is not None:
                found.append(item.mention)
        return found

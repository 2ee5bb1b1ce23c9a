"""Insights as `arkiver_insights` shows them: each item with its words quoted once, nothing said twice.

The stored items (`extraction.models`) keep everything the rules found. An answer leaves out what would repeat
the quote (an obligation's action, a term clause's text, a defined term's definition, a citation's text: the
quote holds those words) and, where several items of one answer stand on the same words (the renewal clause
that also sets the notice period, the sentence that gives both the agreement and the effective date), quotes
them on the first item only.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import Field

from cyrano_arkiver.extraction.models import (
    CitationKind,
    DateKind,
    Duration,
    Method,
    PartyKind,
    Provenance,
    ResolvedFrom,
)
from cyrano_mcp.kit import ToolOutput


class Quoted(ToolOutput):
    page: int = Field(description="1-based page number.")
    start: int
    end: int
    quote: str | None = Field(
        description="The words at [start:end] of the page's text, as the page has them; null when another "
        "quote in this answer holds them (the same span, or one around it on the same page)."
    )


class _Item(ToolOutput):
    """An item's own fields come first; each ends with its `method` and `provenance`."""


class PartyItem(_Item):
    name: str
    aliases: list[str]
    role: str | None
    kind: PartyKind
    method: Method
    provenance: Quoted


class DateItem(_Item):
    date: dt.date
    kind: DateKind
    mention: str | None = Field(description="The date as the text writes it; null for a computed date.")
    computed: bool
    resolved_from: ResolvedFrom | None
    method: Method
    provenance: Quoted


class LawItem(_Item):
    jurisdiction: str
    country: str | None
    method: Method
    provenance: Quoted


class AmountItem(_Item):
    value: Decimal
    currency: str = Field(description="ISO 4217 code.")
    purpose: str | None
    method: Method
    provenance: Quoted


class CitationItem(_Item):
    kind: CitationKind
    normalized: str
    volume: str | None
    reporter: str
    page: str | None = Field(description="First page for cases; section for statutes.")
    court: str | None
    year: int | None
    case_name: str | None
    reporter_known: bool
    method: Method
    provenance: Quoted


class DefinedTermItem(_Item):
    term: str = Field(description="The term; the quote holds its definition.")
    method: Method
    provenance: Quoted


class ObligationItem(_Item):
    obligor: str | None = Field(description="Who must act: the party's name as the contract uses it most.")
    modal: str = Field(description='The obligating words, e.g. "shall" or "agrees to"; the quote holds the action.')
    negative: bool
    deadline: str | None
    deadline_duration: Duration | None
    method: Method
    provenance: Quoted


class TermItem(_Item):
    duration: Duration | None
    perpetual: bool = Field(description="The term runs until someone terminates it.")
    automatic: bool = Field(description="Renewal happens unless a party gives notice.")
    method: Method
    provenance: Quoted


class TermView(ToolOutput):
    initial: TermItem | None = None
    renewal: TermItem | None = None
    non_renewal_notice: TermItem | None = None


class Quotes:
    """The spans of one answer, so that no words are quoted twice in it: a span is quoted on its first item
    only, and not at all when another item's quote in the answer holds it (`leave_out_contained`)."""

    def __init__(self) -> None:
        self._seen: set[tuple[int, int, int]] = set()
        self._quoted: list[Quoted] = []

    def span(self, provenance: Provenance) -> Quoted:
        key = (provenance.page, provenance.start, provenance.end)
        first = key not in self._seen
        self._seen.add(key)
        quoted = Quoted(page=key[0], start=key[1], end=key[2], quote=provenance.quote if first else None)
        if first:
            self._quoted.append(quoted)
        return quoted

    def withdraw(self, quoted: Quoted) -> None:
        """Forget a span given by `span` to an item that the answer then left out."""
        if any(quoted is kept for kept in self._quoted):
            self._quoted.remove(quoted)
            self._seen.discard((quoted.page, quoted.start, quoted.end))

    def leave_out_contained(self) -> None:
        """Drop the quote of every span that lies inside another quoted span of the answer (a party's name in
        the opening sentence, an amount in the obligation that pays it): its words are in that quote."""
        by_page: dict[int, list[Quoted]] = {}
        for quoted in self._quoted:
            by_page.setdefault(quoted.page, []).append(quoted)
        for spans in by_page.values():
            for inner in spans:
                if any(outer is not inner and outer.start <= inner.start and inner.end <= outer.end for outer in spans):
                    inner.quote = None


ViewT = TypeVar("ViewT", bound=_Item)


def view(view_type: type[ViewT], item: Any, quotes: Quotes) -> ViewT:
    """`item` (a stored insight) as `view_type` shows it: the view's fields, its span quoted once."""
    values: dict[str, Any] = {name: getattr(item, name) for name in view_type.model_fields if name != "provenance"}
    if view_type is DateItem:
        values["mention"] = item.mention.quote if item.mention is not None else None
    values["provenance"] = quotes.span(item.provenance)
    return view_type.model_validate(values)


class KeyTerms(ToolOutput):
    parties: list[PartyItem] = Field(default_factory=list)
    dates: list[DateItem] = Field(
        default_factory=list, description="The first date of each key kind (agreement, effective, expiration, ...)."
    )
    governing_law: LawItem | None = None
    term: TermView = Field(default_factory=TermView)


class InsightLists(ToolOutput):
    amounts: list[AmountItem] = Field(default_factory=list)
    obligations: list[ObligationItem] = Field(default_factory=list)
    dates: list[DateItem] = Field(default_factory=list, description="Dates other than the key ones.")
    defined_terms: list[DefinedTermItem] = Field(default_factory=list)
    citations: list[CitationItem] = Field(default_factory=list)


class DocumentInsights(ToolOutput):
    document_id: str
    method: str = Field(
        description='What produced the stored insights: "rules", or "rules+llm:<provider>/<model>" once a model '
        "added to them. Each item also says its own method."
    )
    key_terms: KeyTerms | None = Field(
        description="Parties, key dates, governing law, term, renewal and notice (of the kinds asked for), in full, "
        "on the first page; null on the pages a cursor brings."
    )
    counts: dict[str, int] = Field(
        description="How many insights of each kind the document has (dates also by kind, e.g. dates.effective)."
    )
    obligors: dict[str, int] | None = Field(
        description="Obligations per obligor (the values obligor takes), when obligations are asked for."
    )
    lists: InsightLists = Field(description="This page of the long lists, in this order; next_cursor continues.")
    next_cursor: str | None = Field(description="Pass as cursor (with the same arguments) for the next page.")
    more: str | None = Field(description="What this page holds of each list, and how to get the rest.")

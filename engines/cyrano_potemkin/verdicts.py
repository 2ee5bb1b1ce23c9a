"""What the check says of each claim: its verdict, the method that decided it, and the evidence, quoted and paged."""

from typing import Literal

from pydantic import Field

from cyrano_mcp.kit import ToolOutput

Verdict = Literal["supported", "contradicted", "unverifiable"]
EvidenceRole = Literal["supports", "contradicts", "counted_from"]
QuotationStatus = Literal["exact", "close", "not_found"]


class Evidence(ToolOutput):
    document_id: str
    page: int = Field(description="1-based page number.")
    start: int
    end: int
    quote: str = Field(description="The source's words at [start:end] of the page, verbatim.")
    role: EvidenceRole = Field(
        description='"supports" or "contradicts" the claim; "counted_from": the stated date a computed one counts from.'
    )


class WordChange(ToolOutput):
    """One difference between a quotation and the source's words: what the text has, what the source has."""

    quoted: str
    source: str


class QuotationCheck(ToolOutput):
    status: QuotationStatus = Field(
        description='"exact" (after normalising spaces, hyphenation and quote marks), "close" (the words differ: '
        'an altered quotation, shown in changes), or "not_found".'
    )
    changes: list[WordChange] = Field(default_factory=list)


class ClaimCheck(ToolOutput):
    index: int = Field(description="1-based position of the claim in the text.")
    claim: str = Field(description="The claim as the text writes it.")
    start: int = Field(description="Where the claim starts in the text (character offset).")
    verdict: Verdict
    method: str = Field(
        description='What decided the verdict: "anchors" (dates, periods, places, names and numbers compared with '
        'the sources), "computed" (against a date the source counts from another), "quotation" (quoted words '
        'compared verbatim), "llm:<provider>/<model>" (a model, with a verbatim quote), or "none".'
    )
    topic: str | None = Field(default=None, description="What the claim is about, when recognised.")
    claimed: str | None = Field(default=None, description="The value the claim states, normalised.")
    source_value: str | None = Field(default=None, description="For a contradiction: the value the source gives.")
    reason: str | None = Field(default=None, description="Why the claim could not be verified.")
    evidence: list[Evidence] = Field(default_factory=list)
    quotation: QuotationCheck | None = None

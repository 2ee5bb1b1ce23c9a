"""`arkiver_clauses`: what it takes and what it answers (the review grid of CUAD's 41 clause categories)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from cyrano_arkiver.clauses.categories import CATEGORIES, CATEGORY_KEYS, CategoryKey
from cyrano_arkiver.extraction.models import Duration
from cyrano_arkiver.models import DocumentId
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import ToolInput, ToolOutput

QUOTE_CHARS = 500  # a passage's quote is cut (at a word) after this many characters; the page has the rest
GRID_QUOTE_CATEGORIES = 5  # a matter's grid quotes passages by default when at most this many categories are asked


class ClausesRequest(ToolInput):
    document_id: DocumentId | None = Field(default=None, description="One stored document.")
    matter_id: MatterId | None = Field(default=None, description="Every document of this matter, as a grid.")
    categories: list[CategoryKey] | None = Field(
        default=None,
        min_length=1,
        max_length=len(CATEGORIES),
        description="Only these categories (default: all 41).",
    )
    quotes: bool | None = Field(
        default=None,
        description=f"Quote passages (else pages only). Default: yes for a document, or a matter with at most "
        f"{GRID_QUOTE_CATEGORIES} categories.",
    )
    limit: int = Field(default=10, ge=1, le=50, description="A matter's documents per answer, at most.")
    cursor: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="next_cursor of the previous answer (same other arguments)."
    )

    @model_validator(mode="after")
    def _one_scope(self) -> "ClausesRequest":
        if (self.document_id is None) == (self.matter_id is None):
            raise ValueError("give either document_id or matter_id")
        return self

    def with_quotes(self) -> bool:
        if self.quotes is not None:
            return self.quotes
        return self.document_id is not None or len(self.categories or CATEGORY_KEYS) <= GRID_QUOTE_CATEGORIES


class PassageQuote(ToolOutput):
    page: int = Field(description="1-based page number.")
    start: int
    end: int
    quote: str = Field(description="The page's words at [start:end].")
    passage_end: int | None = Field(
        description=f"Set when the passage runs past {QUOTE_CHARS} characters and the quote stops short: where "
        "the passage ends on the page (arkiver_read_document has the rest)."
    )


class PeriodValue(ToolOutput):
    kind: Literal["period"] = "period"
    text: str
    mention: str | None
    duration: Duration | None


class MoneyValue(ToolOutput):
    kind: Literal["money"] = "money"
    text: str
    mention: str | None
    amount: Decimal
    currency: str = Field(description="ISO 4217 code.")


class ShareValue(ToolOutput):
    kind: Literal["share"] = "share"
    text: str
    mention: str | None
    percent: Decimal


class ConsentValue(ToolOutput):
    kind: Literal["consent"] = "consent"
    text: str
    mention: str | None
    consent_required: bool


class DateValue(ToolOutput):
    kind: Literal["date"] = "date"
    text: str
    mention: str | None
    date: dt.date


class TextValue(ToolOutput):
    kind: Literal["text"] = "text"
    text: str = Field(description="Parties (separated by '; ') or a governing law.")
    mention: str | None


ClauseValueView = Annotated[
    PeriodValue | MoneyValue | ShareValue | ConsentValue | DateValue | TextValue, Field(discriminator="kind")
]


class ClauseItem(ToolOutput):
    category: str = Field(description="The category's key (its CUAD name is in the arkiver_clauses description).")
    value: ClauseValueView | None = Field(
        description="What the clause sets, normalised, where the category has such a value and the clause states it."
    )
    method: Literal["classifier", "rules", "model"] = Field(
        description="What found it: the shipped clause classifier, Arkiver's extraction rules (the document's "
        "insights), or a language model whose proposal was grounded (arkiver_refine)."
    )
    score: float | None = Field(description="The classifier's probability (0-1) for the best passage.")
    pages: list[int] = Field(description="The pages where the classifier found it, best passage first.")
    passage: PassageQuote | None = Field(description="The best passage, quoted; null when quotes were not asked.")


class DocumentClauses(ToolOutput):
    document_id: str
    filename: str | None
    present: list[ClauseItem] = Field(description="The categories found, in CUAD's order.")
    absent: list[str] | None = Field(
        description="For one document: the categories asked for and not found. In a matter's grid: null (absent "
        "is every column not in present)."
    )


class ClauseReview(ToolOutput):
    scope: Literal["document", "matter"]
    matter_id: str | None
    model_version: str = Field(description="The clause classifier that judged presence.")
    columns: list[str] | None = Field(
        description="The categories asked for, in CUAD's order; null when all 41 were (no categories given)."
    )
    summary: dict[str, int] = Field(
        description="For a matter: how many of its documents have each category (of the columns), over all its "
        "documents, most first. For one document: present and absent counts."
    )
    documents_total: int = Field(description="Documents in scope (1 for one document).")
    documents: list[DocumentClauses] = Field(description="This answer's rows: a matter's documents newest first.")
    next_cursor: str | None = Field(description="Pass as cursor (with the same other arguments) for more.")
    more: str | None = Field(description="What this answer holds and how to get the rest.")

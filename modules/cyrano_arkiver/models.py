"""Arkiver's tables, and the models its tools take and return."""

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, StringConstraints, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cyrano_arkiver.clauses.categories import CategoryKey
from cyrano_arkiver.message_models import SkippedAttachment
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import (
    DOCUMENT_TEXT,
    JobSubmitted,
    ToolInput,
    ToolOutput,
    UTCDateTime,
    UuidText,
    id_field,
    uuid_of,
)

_DOCUMENT_SOURCE = "arkiver_ingest and arkiver_list_documents"
DocumentId = Annotated[UuidText, uuid_of("document", _DOCUMENT_SOURCE), id_field("document", _DOCUMENT_SOURCE)]


# --- tables ------------------------------------------------------------------------------------------
class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_matter_id_created_at", "matter_id", "created_at"),
        Index("ix_documents_created_at", "created_at"),
        Index("ix_documents_format_created_at", "format", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    matter_id: str | None = Field(default=None, sa_column=Column(String(36), ForeignKey("matters.id"), nullable=True))
    # Sealed; arkiver_list_documents finds words of it through the blind tokens beside it.
    filename: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    filename_tokens: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    filename_key_version: int | None = Field(default=None, index=True)
    format: str = Field(max_length=16)
    sha256: str = Field(max_length=64, index=True)
    # One copy of the same content per matter (documents outside any matter share the key "-").
    dedup_key: str = Field(max_length=110, unique=True)
    size_bytes: int
    page_count: int
    char_count: int
    method: str = Field(max_length=32, description="How the text was obtained: text-layer, ocr, docx, ...")
    insights_method: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    # The clause classifier that judged the document (`clauses.MODEL_VERSION`); NULL: stored before it existed.
    clauses_version: str | None = Field(default=None, max_length=32)


class DocumentPage(SQLModel, table=True):
    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("document_id", "page_no"),)

    id: int | None = Field(default=None, primary_key=True)
    # "<document id>:<page>": what the sealed text is bound to (known before the row exists, unlike `id`).
    ref: str = Field(max_length=48, unique=True)
    document_id: str = Field(
        sa_column=Column(String(36), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    )
    page_no: int
    method: str = Field(max_length=16)
    char_count: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    # The search key version the page's blind-index entry was built with; NULL: the page has no words.
    search_key_version: int | None = Field(default=None, index=True)


class Insight(SQLModel, table=True):
    __tablename__ = "insights"
    __table_args__ = (
        Index("ix_insights_document_id_kind", "document_id", "kind"),
        Index("ix_insights_kind_date_value", "kind", "date_value"),
        Index("ix_insights_kind_subkind", "kind", "subkind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "<document id>:<n>": what the sealed quote and data are bound to.
    ref: str = Field(max_length=48, unique=True)
    document_id: str = Field(
        sa_column=Column(String(36), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(max_length=24)
    subkind: str | None = Field(default=None, max_length=48)
    page: int
    start: int
    end: int
    quote: str = Field(sa_column=Column(Text, nullable=False))
    date_value: date | None = None
    method: str = Field(max_length=32)
    data: str = Field(sa_column=Column(Text, nullable=False))


# --- tool inputs -------------------------------------------------------------------------------------
Filename = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^/\\\x00]+$")]


def _valid_base64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not valid base64") from None
    return value


class IngestRequest(ToolInput):
    path: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = PydanticField(
        default=None,
        description="A file under one of the allowed roots (CYRANO_ALLOWED_ROOTS), named without '..' or "
        "symlinks below the root.",
    )
    # Kept exactly as given (no trimming): offsets and the content hash refer to these characters.
    text: Annotated[str, StringConstraints(min_length=1, strip_whitespace=False), DOCUMENT_TEXT] | None = PydanticField(
        default=None, description="The document's text itself."
    )
    content_base64: Annotated[str, AfterValidator(_valid_base64)] | None = PydanticField(
        default=None, description="The file's bytes, base64-encoded (PDF, DOCX, image, text, HTML, .eml)."
    )
    filename: Filename | None = PydanticField(
        default=None, description="The document's name; required with content_base64, optional with text."
    )
    matter_id: MatterId | None = PydanticField(default=None, description="The open matter to file it under.")

    @model_validator(mode="after")
    def _exactly_one_source(self) -> "IngestRequest":
        given = [name for name in ("path", "text", "content_base64") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of path, text or content_base64")
        if self.content_base64 is not None and self.filename is None:
            raise ValueError("filename is required with content_base64")
        return self


AbsolutePath = Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class BatchIngestRequest(ToolInput):
    paths: list[AbsolutePath] | None = PydanticField(
        default=None, max_length=10_000, description="Files under the allowed roots (CYRANO_ALLOWED_ROOTS)."
    )
    folder: AbsolutePath | None = PydanticField(
        default=None,
        description="A folder under the allowed roots: the documents in it (files named like PDF, DOCX, images, "
        "HTML, Markdown, text or .eml; the answer lists what was skipped).",
    )
    recursive: bool = PydanticField(default=False, description="With folder: also the files in its subfolders.")
    include_all: bool = PydanticField(
        default=False,
        description="With folder: also files not named like documents (e.g. manifest.json, Thumbs.db); hidden "
        "files and symlinks are never read.",
    )
    matter_id: MatterId | None = PydanticField(default=None, description="The open matter to file them under.")

    @model_validator(mode="after")
    def _one_source(self) -> "BatchIngestRequest":
        if (self.paths is None) == (self.folder is None):
            raise ValueError("give either paths or folder")
        if self.paths is not None and not self.paths:
            raise ValueError("paths: give at least one path")
        return self


class BatchItem(ToolInput):
    """One file of a batch: what the job runner hands to Arkiver."""

    path: AbsolutePath
    matter_id: str | None = None
    # The root of the submitting stdio client that the path is under, when no configured root covers it: the
    # job runs after the call, when the client can no longer be asked.
    client_root: AbsolutePath | None = None


class SkippedFiles(ToolOutput):
    count: int = PydanticField(description="Files of the folder left out.")
    names: list[str] = PydanticField(description="The first of them, relative to the folder.")
    reason: str


class BatchSubmitted(JobSubmitted):
    skipped: SkippedFiles | None = PydanticField(
        default=None, description="Files of the folder that were not taken; null when none was left out."
    )


class BatchItemResult(ToolOutput):
    document_id: str
    filename: str | None
    duplicate: bool
    page_count: int
    method: str


class DocumentRef(ToolInput):
    document_id: DocumentId


InsightKind = Literal[
    "parties", "dates", "governing_law", "amounts", "citations", "defined_terms", "obligations", "term"
]


class InsightsRequest(ToolInput):
    document_id: DocumentId
    kinds: list[InsightKind] | None = PydanticField(
        default=None, description="Only these kinds (default: all: the key terms, then the lists a page at a time)."
    )
    obligor: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = PydanticField(
        default=None,
        description='Only the obligations of this party: its name or a short name the contract gives it ("the '
        'Developer", "Developer" and "InfinixSoft Global LLC" are one party), or "each party", "either party"... '
        "Implies kinds=['obligations'] when kinds is not given.",
    )
    limit: int = PydanticField(
        default=25, ge=1, le=100, description="Most list items in one answer; it ends sooner at about 8,000 characters."
    )
    cursor: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = PydanticField(
        default=None, description="next_cursor from the previous answer (with the same document_id, kinds and obligor)."
    )


class SearchRequest(ToolInput):
    query: Annotated[str, StringConstraints(min_length=1, max_length=500)] = PydanticField(
        description='Words to find (all must occur on the page); "quoted phrases" match exactly.'
    )
    matter_id: MatterId | None = PydanticField(default=None, description="Only the documents of this matter.")
    document_id: DocumentId | None = PydanticField(default=None, description="Only this document.")
    limit: int = PydanticField(default=10, ge=1, le=50)


class DocumentListRequest(ToolInput):
    matter_id: MatterId | None = None
    format: Annotated[str, StringConstraints(max_length=16)] | None = None
    filename: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = PydanticField(
        default=None,
        description="Words of the file name, each of which it must hold (any case; forms of a word meet: "
        "'lease' finds 'Leases_2024.pdf').",
    )
    has_clauses: list[CategoryKey] | None = PydanticField(
        default=None,
        max_length=41,
        description="Only documents with all these clause categories.",
    )
    lacks_clauses: list[CategoryKey] | None = PydanticField(
        default=None,
        max_length=41,
        description="Only documents judged to lack all these.",
    )
    limit: int = PydanticField(default=10, ge=1, le=100, description="Documents per page (10 fit a model's context).")
    offset: int = PydanticField(default=0, ge=0, le=100_000, description="next_offset from the previous page.")


class PageRangeRequest(ToolInput):
    document_id: DocumentId
    first_page: int = PydanticField(default=1, ge=1)
    last_page: int | None = PydanticField(
        default=None,
        ge=1,
        description="Default: as many pages from first_page as fit in about 6,500 characters of text (at least one).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> "PageRangeRequest":
        if self.last_page is not None and self.last_page < self.first_page:
            raise ValueError("last_page is before first_page")
        return self


# --- tool outputs -------------------------------------------------------------------------------------
class DocumentRecord(ToolOutput):
    id: str
    matter_id: str | None
    filename: str | None
    format: str
    sha256: str
    size_bytes: int
    page_count: int
    char_count: int
    method: str
    insights_method: str
    created_at: datetime
    uri: str
    attachments: list[str] | None = PydanticField(
        default=None, description="An e-mail's attachments stored as documents (ids); arkiver_messages names them."
    )
    attached_to: list[str] | None = PydanticField(
        default=None, description="The e-mails (document ids) this document came attached to."
    )

    @classmethod
    def of(
        cls,
        document: Document,
        *,
        filename: str | None,
        attachments: list[str] | None = None,
        attached_to: list[str] | None = None,
    ) -> "DocumentRecord":
        """`filename` is the opened (decrypted) value; the row holds it sealed, with its blind tokens."""
        fields: dict[str, Any] = document.model_dump(
            exclude={"dedup_key", "filename", "filename_tokens", "filename_key_version", "clauses_version"}
        )
        return cls(
            **fields,
            filename=filename,
            uri=f"cyrano://documents/{document.id}",
            attachments=attachments or None,
            attached_to=attached_to or None,
        )


class IngestResult(ToolOutput):
    document: DocumentRecord
    duplicate: bool = PydanticField(description="True when this content was already stored in this matter.")
    insight_counts: dict[str, int]
    skipped_attachments: list[SkippedAttachment] | None = PydanticField(
        default=None, description="An e-mail's attachments that were not stored, and why."
    )


class KeptProposal(ToolOutput):
    kind: Literal["parties", "dates", "governing_law", "clauses"]
    value: str = PydanticField(
        description="What was added: a party (and its role), a date and its kind, a law, or a clause category."
    )
    page: int
    quote: str = PydanticField(description="The page's own words that ground it.")


class RefineResult(ToolOutput):
    document_id: str
    method: str = PydanticField(
        description='What produced the stored insights now: "rules", or "rules+llm:<provider>/<model>".'
    )
    model: str = PydanticField(description='"llm:<provider>/<model>" that answered, or "rules" when none did.')
    kept: list[KeptProposal] = PydanticField(
        description="Proposals stored: grounded in the document and new (arkiver_insights shows them)."
    )
    dropped: list[str] = PydanticField(description="Proposals not stored, and why.")
    redacted: bool = PydanticField(description="Whether identifiers were masked before the text left the machine.")
    fallback_reason: str | None = PydanticField(default=None, description="Why no model answered, if none did.")


class SearchHit(ToolOutput):
    document_id: str
    filename: str | None
    matter_id: str | None
    page: int
    score: float = PydanticField(description="Higher is a better match.")
    snippet: str = PydanticField(
        description="Text around where the query's words stand together (in a row first); searched words are "
        "marked «like this»."
    )


class SearchResults(ToolOutput):
    query: str
    hits: list[SearchHit]


class DocumentPageList(ToolOutput):
    items: list[DocumentRecord]
    total: int = PydanticField(description="How many documents match the filters, over all pages.")
    next_offset: int | None = PydanticField(description="Pass as offset for the next page; null on the last.")


class PageText(ToolOutput):
    page: int
    method: str
    text: str


class DocumentText(ToolOutput):
    document: DocumentRecord
    pages: list[PageText]
    next_page: int | None = PydanticField(
        description="The first page not given here (pass it as first_page to read on); null after the last page."
    )


class DeleteResult(ToolOutput):
    document_id: str
    deleted_pages: int
    deleted_insights: int

"""What parsing returns: the format found and the text of every page."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DocumentFormat(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"
    EML = "eml"


class ExtractionMethod(StrEnum):
    """How a page's text was obtained; MIXED only ever describes a whole document."""

    TEXT_LAYER = "text-layer"
    OCR = "ocr"
    DOCX = "docx"
    TEXT = "text"
    HTML = "html"
    EML = "eml"
    IMAGE_OCR = "image-ocr"
    MIXED = "mixed"


class ParsedDocument(BaseModel):
    """A document's text, page by page. Offsets stored later point into these exact strings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: DocumentFormat
    pages: list[str] = Field(description="pages[0] is page 1; PDF and TIFF pages keep their numbering, blank or not.")
    page_methods: list[ExtractionMethod] = Field(description="How each page's text was obtained.")
    method: ExtractionMethod = Field(description="The one method every page used, or 'mixed'.")
    page_count: int = Field(ge=1)
    char_count: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Of the input bytes.")
    mail: "ParsedMail | None" = Field(
        default=None, description="An e-mail's headers and attachments; its pages are the message's own text."
    )

    @model_validator(mode="after")
    def _consistent(self) -> "ParsedDocument":
        if not len(self.pages) == len(self.page_methods) == self.page_count:
            raise ValueError("pages, page_methods and page_count disagree")
        if ExtractionMethod.MIXED in self.page_methods:
            raise ValueError("'mixed' describes a document, not a page")
        if self.method != overall_method(self.page_methods):
            raise ValueError("method does not summarise page_methods")
        if self.char_count != sum(len(page) for page in self.pages):
            raise ValueError("char_count is not the length of the pages")
        return self

    @classmethod
    def build(
        cls,
        format: DocumentFormat,
        pages: list[str],
        page_methods: list[ExtractionMethod],
        sha256: str,
        mail: "ParsedMail | None" = None,
    ) -> "ParsedDocument":
        return cls(
            format=format,
            pages=pages,
            page_methods=page_methods,
            method=overall_method(page_methods),
            page_count=len(pages),
            char_count=sum(len(page) for page in pages),
            sha256=sha256,
            mail=mail,
        )


def overall_method(page_methods: list[ExtractionMethod]) -> ExtractionMethod:
    distinct = set(page_methods)
    return distinct.pop() if len(distinct) == 1 else ExtractionMethod.MIXED


class MailHeaders(BaseModel):
    """What an e-mail's headers say, decoded (RFC 2047 names and subjects as text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sender: list[str] = Field(description="The From addresses, each `Name <address>` or the bare address.")
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    date_written: str = Field(description="The Date header as written; empty when the message has none.")
    sent_at: datetime | None = Field(description="The Date header in UTC; None when missing or unreadable.")
    message_id: str
    in_reply_to: str
    references: list[str]


class MailAttachment(BaseModel):
    """An attached file, decoded, still to be read by the document pipeline like any other document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    filename: str
    content_type: str
    data: bytes = Field(repr=False)


class ParsedMail(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    headers: MailHeaders
    text: str = Field(description="The header block, then the body (forwarded messages after it).")
    attachments: list[MailAttachment]


ParsedDocument.model_rebuild()  # its `mail` field names ParsedMail, defined after it

"""What parsing returns: the format found and the text of every page."""

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


class ExtractionMethod(StrEnum):
    """How a page's text was obtained; MIXED only ever describes a whole document."""

    TEXT_LAYER = "text-layer"
    OCR = "ocr"
    DOCX = "docx"
    TEXT = "text"
    HTML = "html"
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
        cls, format: DocumentFormat, pages: list[str], page_methods: list[ExtractionMethod], sha256: str
    ) -> "ParsedDocument":
        return cls(
            format=format,
            pages=pages,
            page_methods=page_methods,
            method=overall_method(page_methods),
            page_count=len(pages),
            char_count=sum(len(page) for page in pages),
            sha256=sha256,
        )


def overall_method(page_methods: list[ExtractionMethod]) -> ExtractionMethod:
    distinct = set(page_methods)
    return distinct.pop() if len(distinct) == 1 else ExtractionMethod.MIXED

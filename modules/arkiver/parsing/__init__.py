"""Arkiver's document parsing: bytes to the text of every page, from PDF, DOCX, images, HTML, Markdown and text.

    detect_format(data, filename=None) -> DocumentFormat
    parse_document(data, *, filename, limits, progress=None) -> ParsedDocument
    resolve_allowed_path(path, allowed_roots) -> Path
    resolve_allowed_folder(path, allowed_roots) -> Path;  files_in(folder, recursive=, limit=) -> list[Path]

Pure and synchronous: no store, no network. Failures are the typed errors of `errors`.
"""

from modules.arkiver.parsing.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    ImageTooLarge,
    NotARegularFile,
    OcrFailed,
    OcrUnavailable,
    PasswordProtected,
    PathNotAllowed,
    PathNotFound,
    SuspiciousArchive,
    TooManyPages,
    UnsupportedFormat,
)
from modules.arkiver.parsing.formats import detect_format
from modules.arkiver.parsing.limits import ParseLimits
from modules.arkiver.parsing.models import DocumentFormat, ExtractionMethod, ParsedDocument
from modules.arkiver.parsing.parse import parse_document
from modules.arkiver.parsing.paths import files_in, resolve_allowed_folder, resolve_allowed_path

__all__ = [
    "CorruptDocument",
    "DocumentError",
    "DocumentFormat",
    "DocumentTooLarge",
    "EmptyDocument",
    "ExtractionMethod",
    "ImageTooLarge",
    "NotARegularFile",
    "OcrFailed",
    "OcrUnavailable",
    "ParseLimits",
    "ParsedDocument",
    "PasswordProtected",
    "PathNotAllowed",
    "PathNotFound",
    "SuspiciousArchive",
    "TooManyPages",
    "UnsupportedFormat",
    "detect_format",
    "files_in",
    "parse_document",
    "resolve_allowed_folder",
    "resolve_allowed_path",
]

"""Arkiver's document parsing: bytes to the text of every page, from PDF, DOCX, images, HTML, Markdown, text
and e-mail (.eml: its text, headers and attachments).

    detect_format(data, filename=None) -> DocumentFormat
    parse_document(data, *, filename, limits, progress=None) -> ParsedDocument
    read_allowed_file(path, allowed_roots, limit=, allow_hardlinks=) -> bytes
    list_allowed_folder(path, allowed_roots, recursive=, limit=) -> FolderListing (files, hidden)
    covering_root(path, allowed_roots) -> the root a path is below, by its names
    looks_like_document(name) -> whether a file's name is a document's, not a system file's or a lock file's

Synchronous, with no store and no network. Failures are the typed errors of `errors`.

Files are read by path only below an allowed root. The root is resolved once; below it the path is opened
one name at a time from the parent folder's descriptor without following any symlink (`..` is refused),
and the opened file must be a regular file on the root's file system with a single hard link (unless
CYRANO_ALLOW_HARDLINKS). There is no check separate from the open, so nothing can be swapped in between.
"""

from cyrano_arkiver.parsing.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    FileHasHardLinks,
    ImageTooLarge,
    NotARegularFile,
    OcrFailed,
    OcrUnavailable,
    PasswordProtected,
    PathContainsLink,
    PathNotAllowed,
    PathNotFound,
    SuspiciousArchive,
    TooManyAttachments,
    TooManyPages,
    UnsupportedFormat,
)
from cyrano_arkiver.parsing.formats import detect_format, looks_like_document
from cyrano_arkiver.parsing.limits import ParseLimits
from cyrano_arkiver.parsing.models import (
    DocumentFormat,
    ExtractionMethod,
    MailAttachment,
    MailHeaders,
    ParsedDocument,
    ParsedMail,
)
from cyrano_arkiver.parsing.parse import parse_document
from cyrano_arkiver.parsing.paths import FolderListing, covering_root, list_allowed_folder, read_allowed_file

__all__ = [
    "CorruptDocument",
    "DocumentError",
    "DocumentFormat",
    "DocumentTooLarge",
    "EmptyDocument",
    "ExtractionMethod",
    "FileHasHardLinks",
    "FolderListing",
    "ImageTooLarge",
    "MailAttachment",
    "MailHeaders",
    "NotARegularFile",
    "OcrFailed",
    "OcrUnavailable",
    "ParseLimits",
    "ParsedDocument",
    "ParsedMail",
    "PasswordProtected",
    "PathContainsLink",
    "PathNotAllowed",
    "PathNotFound",
    "SuspiciousArchive",
    "TooManyAttachments",
    "TooManyPages",
    "UnsupportedFormat",
    "covering_root",
    "detect_format",
    "list_allowed_folder",
    "looks_like_document",
    "parse_document",
    "read_allowed_file",
]

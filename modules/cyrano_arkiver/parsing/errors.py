"""Why a document or a path was refused; every message tells the user what to do about it.

The classes keep their parent's `code` (invalid_input, unavailable, ...), the project's error vocabulary:
the class says which case it is, the message says it to the user. The refusals of size (bytes, pages,
pixels, a zip directory's promises, an e-mail's attachments) are also TooLargeError (code too_large): the
document may be fine, only bigger than this server reads, and a client can tell that from a document that is wrong.

    InvalidInputError
    ├── DocumentError          the document cannot be turned into text; nothing of it is returned
    │   ├── UnsupportedFormat  unknown, binary, or a format Arkiver does not read
    │   ├── DocumentTooLarge   over max_bytes, or a PDF over its memory or time budget (too_large)
    │   ├── TooManyPages       more pages than ParseLimits.max_pages (too_large)
    │   ├── ImageTooLarge      more pixels than the budget: a decompression bomb (too_large)
    │   ├── SuspiciousArchive  a DOCX whose zip directory looks like a zip bomb (too_large)
    │   ├── TooManyAttachments an e-mail with more attachments than ParseLimits.max_attachments (too_large)
    │   ├── PasswordProtected
    │   ├── CorruptDocument    damaged or truncated
    │   ├── EmptyDocument      no text at all, even after OCR
    │   └── OcrFailed          Tesseract gave up on a page (error or timeout)
    └── NotARegularFile        a directory, device, FIFO or socket
    UnavailableError
    └── OcrUnavailable         Tesseract or its English data is not installed
    PermissionDeniedError
    └── PathNotAllowed         outside every allowed root, or on another file system below one
        ├── PathContainsLink   a symlink below the root, wherever it leads
        └── FileHasHardLinks   more than one name, and CYRANO_ALLOW_HARDLINKS is off
    NotFoundError
    └── PathNotFound
"""

from cyrano_mcp.kit import InvalidInputError, NotFoundError, PermissionDeniedError, TooLargeError, UnavailableError


class DocumentError(InvalidInputError):
    """The document cannot be turned into text."""


class UnsupportedFormat(DocumentError):
    """Not a format Arkiver reads (or not a document at all)."""


class DocumentTooLarge(DocumentError, TooLargeError):
    """More bytes, or more memory or time to read, than the limits allow (code too_large)."""


class TooManyPages(DocumentError, TooLargeError):
    """More pages (or image frames) than the limit allows."""


class ImageTooLarge(DocumentError, TooLargeError):
    """An image or frame with more pixels than the budget: refused before it is decoded."""


class SuspiciousArchive(DocumentError, TooLargeError):
    """A DOCX whose zip directory promises far more data, members or nesting than a real document has."""


class TooManyAttachments(DocumentError, TooLargeError):
    """An e-mail with more attachments than the limit allows."""


class PasswordProtected(DocumentError):
    """The document needs a password to be opened."""


class CorruptDocument(DocumentError):
    """The document is damaged or truncated."""


class EmptyDocument(DocumentError):
    """No text at all, not even after OCR."""


class OcrFailed(DocumentError):
    """Tesseract failed or timed out on a page."""


class OcrUnavailable(UnavailableError):
    """Tesseract (or its English language data) is not installed where the server runs."""


class PathNotAllowed(PermissionDeniedError):
    """The path is outside every allowed root."""


class PathContainsLink(PathNotAllowed):
    """A component below the root is a symlink: refused even if it points inside, since it can change."""


class FileHasHardLinks(PathNotAllowed):
    """The file has other names, which may be outside every root; the operator can allow such files."""


class PathNotFound(NotFoundError):
    """Nothing exists at the path."""


class NotARegularFile(InvalidInputError):
    """Only regular files are read: not directories, devices, FIFOs or sockets."""

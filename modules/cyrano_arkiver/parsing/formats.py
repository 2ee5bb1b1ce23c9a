"""Which format a document is, judged from its bytes; a filename only settles text vs Markdown vs HTML vs e-mail."""

import codecs
import io
import re
import zipfile
import zlib
from pathlib import PurePath

from cyrano_arkiver.parsing.errors import (
    CorruptDocument,
    EmptyDocument,
    PasswordProtected,
    SuspiciousArchive,
    UnsupportedFormat,
)
from cyrano_arkiver.parsing.models import DocumentFormat
from cyrano_arkiver.parsing.text import bom_encoding

_SNIFF_BYTES = 64 * 1024
_PDF_HEADER_WINDOW = 1024  # readers accept junk before %PDF- within the first KiB
_CONTENT_TYPES = "[Content_Types].xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", DocumentFormat.PNG),
    (b"\xff\xd8\xff", DocumentFormat.JPEG),
    (b"II*\x00", DocumentFormat.TIFF),
    (b"MM\x00*", DocumentFormat.TIFF),
    (b"II+\x00", DocumentFormat.TIFF),  # BigTIFF
    (b"MM\x00+", DocumentFormat.TIFF),
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Outlook stores a message's properties in OLE streams named __substg1.0_<tag> (the names are UTF-16LE).
_OUTLOOK_STREAM = "__substg1.0_".encode("utf-16-le")
OUTLOOK_MSG_REFUSAL = "Outlook .msg is not supported yet: save the message as .eml (File > Save As) and send that"
_UNSUPPORTED_MAGIC = (
    (
        _OLE_MAGIC,
        "a legacy Microsoft Office file (.doc, .xls, .msg) or a password-protected Office document;"
        " remove any password and save it as DOCX or PDF",
    ),
    (b"{\\rtf", "an RTF document; save it as DOCX or PDF"),
    (b"GIF87a", "a GIF image; convert it to PNG"),
    (b"GIF89a", "a GIF image; convert it to PNG"),
    (b"%!PS", "a PostScript file; convert it to PDF"),
    (b"\x1f\x8b", "a gzip archive; unpack it and send the documents inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it and send the documents inside"),
    (b"Rar!", "a RAR archive; unpack it and send the documents inside"),
)
# Office Open XML and OpenDocument packages that are not Word documents, by a marker in their content types.
_OTHER_PACKAGES = (
    (b"ms-word.document.macroEnabled", "a macro-enabled Word document (.docm); save it as DOCX"),
    (b"wordprocessingml.template", "a Word template (.dotx); save it as a DOCX document"),
    (b"spreadsheetml", "an Excel workbook"),
    (b"presentationml", "a PowerPoint presentation"),
)

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
_MAIL_SUFFIXES = frozenset({".eml"})
_DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
    | _MARKDOWN_SUFFIXES
    | _HTML_SUFFIXES
    | _TEXT_SUFFIXES
    | _MAIL_SUFFIXES
)
# Files systems and programs leave beside documents: Windows' thumbnail caches and folder settings.
_SYSTEM_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})

# A header field's name: printable ASCII but the colon (RFC 5322 section 2.2).
_HEADER_FIELD = re.compile(r"([!-9;-~]+)[ \t]*:")
_MAIL_HEADERS = frozenset({"from", "to", "cc", "subject", "date", "message-id"})
# Headers mail software writes and people typing a memo do not: with From, they make a text an e-mail.
_MACHINE_HEADERS = frozenset(
    {"mime-version", "message-id", "received", "return-path", "content-type", "content-transfer-encoding"}
    | {"dkim-signature", "delivered-to", "x-mailer", "user-agent", "authentication-results", "in-reply-to"}
)
_HTML_DOCUMENT = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|table|tr|td|th|li|ul|ol|h[1-6]|body|head|title|b|i|em|strong|section|article)\b[^<>]*>",
    re.IGNORECASE,
)
# Kinds of Markdown syntax that ordinary prose rarely has.
_MARKDOWN_STRONG = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # heading
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # link
    re.compile(r"(\*\*|__)[^*_\n]+\1"),  # bold
    re.compile(r"^(```|~~~)", re.MULTILINE),  # fenced code
    re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*\|", re.MULTILINE),  # table rule
)
_MARKDOWN_WEAK = (
    re.compile(r"^[ \t]*[-*+][ \t]+\S", re.MULTILINE),  # bullet
    re.compile(r"^>[ \t]?\S", re.MULTILINE),  # quote
)


def looks_like_document(name: str) -> bool:
    """Whether a file's name is a document's of a format Arkiver reads: not a system file (Thumbs.db, desktop.ini,
    .DS_Store), not an Office lock file (~$name.docx), not a file of another kind (manifest.json, notes.doc).
    What a batch picks from a folder; the format itself is judged from the bytes when a file is read."""
    lowered = name.lower()
    if lowered.startswith((".", "~$")) or lowered in _SYSTEM_NAMES:
        return False
    return PurePath(lowered).suffix in _DOCUMENT_SUFFIXES


def detect_format(data: bytes, filename: str | None = None) -> DocumentFormat:
    """The document's format, from its content; raises UnsupportedFormat for anything else."""
    if not data:
        raise EmptyDocument("the document is empty (0 bytes)")
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return DocumentFormat.PDF
    for magic, image_format in _IMAGE_MAGIC:
        if data.startswith(magic):
            return image_format
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _detect_package(data)
    if data.startswith(_OLE_MAGIC) and (_suffix(filename) == ".msg" or _OUTLOOK_STREAM in data):
        raise UnsupportedFormat(OUTLOOK_MSG_REFUSAL)
    for magic, what in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormat(f"this is {what}")
    return _detect_text(data, filename)


def _detect_package(data: bytes) -> DocumentFormat:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if _CONTENT_TYPES in names:
                info = archive.getinfo(_CONTENT_TYPES)
                if info.flag_bits & 0x1:
                    raise PasswordProtected("the document is password-protected (its zip is encrypted)")
                if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                    raise SuspiciousArchive("the document's [Content_Types].xml is implausibly large")
                content_types = archive.read(info)
            elif "mimetype" in names:
                raise UnsupportedFormat("this is an OpenDocument file; save it as DOCX or PDF")
            else:
                raise UnsupportedFormat("this is a ZIP archive; unpack it and send the documents inside")
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise CorruptDocument("the document is a ZIP package (like DOCX) that is damaged or truncated") from exc
    if _DOCX_MAIN in content_types:
        return DocumentFormat.DOCX
    for marker, what in _OTHER_PACKAGES:
        if marker in content_types:
            raise UnsupportedFormat(f"this is {what}; Arkiver reads DOCX, PDF, images, text, Markdown, HTML and e-mail")
    raise UnsupportedFormat("this is an Office package that is not a Word document")


def _detect_text(data: bytes, filename: str | None) -> DocumentFormat:
    sample = _text_sample(data)
    if sample is None:
        raise UnsupportedFormat(
            "this is not a document Arkiver can read (binary data of an unknown kind);"
            " it reads PDF, DOCX, PNG, JPEG, TIFF, HTML, Markdown, e-mail (.eml) and plain text"
        )
    suffix = _suffix(filename)
    if _is_mail(sample, suffix):
        return DocumentFormat.EML
    if _HTML_DOCUMENT.match(sample):
        return DocumentFormat.HTML
    html_tags = len(_HTML_TAG.findall(sample))
    if suffix in _HTML_SUFFIXES and html_tags:
        return DocumentFormat.HTML
    if suffix in _MARKDOWN_SUFFIXES:
        return DocumentFormat.MARKDOWN
    if suffix in _TEXT_SUFFIXES:
        return DocumentFormat.TEXT
    if html_tags >= 3:
        return DocumentFormat.HTML
    strong = sum(1 for pattern in _MARKDOWN_STRONG if pattern.search(sample))
    weak = sum(1 for pattern in _MARKDOWN_WEAK if pattern.search(sample))
    if strong and strong + weak >= 2:
        return DocumentFormat.MARKDOWN
    return DocumentFormat.TEXT


def _suffix(filename: str | None) -> str:
    return PurePath(filename).suffix.lower() if filename else ""


def _is_mail(sample: str, suffix: str) -> bool:
    """Whether a text is an e-mail: named .eml and opening with message headers, or, whatever its name but
    a text's, HTML's or Markdown's, opening with From and a header only mail software writes. A memo's
    To/From/Date/Re lines, or a contract, never qualify."""
    names = _opening_headers(sample)
    if suffix in _MAIL_SUFFIXES:
        if not names & _MAIL_HEADERS:
            raise CorruptDocument("the .eml file does not start with message headers (From, To, Subject, Date)")
        return True
    if suffix in _TEXT_SUFFIXES | _MARKDOWN_SUFFIXES | _HTML_SUFFIXES:
        return False
    return "from" in names and bool(names & _MACHINE_HEADERS) and len(names) >= 3


def _opening_headers(sample: str) -> set[str]:
    """The field names of the header block a text opens with (lowered); empty unless every line before the
    first blank one is a header field or the continuation of one. An mbox "From " line before it is skipped."""
    lines = sample.lstrip("\r\n").splitlines()
    if lines and lines[0].startswith("From "):
        lines = lines[1:]
    names: set[str] = set()
    for line in lines:
        if not line.strip():
            break
        if line[0] in " \t" and names:
            continue
        field = _HEADER_FIELD.match(line)
        if field is None:
            return set()
        names.add(field.group(1).lower())
    return names


def _text_sample(data: bytes) -> str | None:
    """The start of the document as text, or None when it looks like binary data."""
    head = data[:_SNIFF_BYTES]
    encoding = bom_encoding(head)
    if encoding is None:
        if b"\x00" in head:
            return None
        try:
            # Incremental, so a character cut at the end of the sample is not an error.
            sample = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            sample = head.decode("cp1252", errors="replace")
    else:
        sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    controls = sum(1 for char in sample if char < " " and char not in "\t\n\r\f\x1a\x1b")
    if controls > max(1, len(sample) // 100):
        return None
    return sample

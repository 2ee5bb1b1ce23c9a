"""parse_document: bytes in, the text of every page out, or a typed error and nothing else."""

import hashlib
from collections.abc import Callable

from cyrano_arkiver.pages import paginate_text
from cyrano_arkiver.parsing.docx import docx_text
from cyrano_arkiver.parsing.errors import EmptyDocument
from cyrano_arkiver.parsing.formats import detect_format
from cyrano_arkiver.parsing.images import parse_image
from cyrano_arkiver.parsing.limits import ParseLimits, check_page_count, check_size
from cyrano_arkiver.parsing.mail import parse_mail
from cyrano_arkiver.parsing.models import DocumentFormat, ExtractionMethod, ParsedDocument, ParsedMail
from cyrano_arkiver.parsing.pdf import parse_pdf
from cyrano_arkiver.parsing.text import decode_text, html_charset, html_to_text

_IMAGES = frozenset({DocumentFormat.PNG, DocumentFormat.JPEG, DocumentFormat.TIFF})
_OCR_FORMATS = _IMAGES | {DocumentFormat.PDF}


def parse_document(
    data: bytes,
    *,
    filename: str | None,
    limits: ParseLimits,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedDocument:
    """Detect the format from the content and extract the text of every page. An e-mail's pages are its own
    text (header block, body); its attachments come back unread in `mail`, each for the caller to parse.

    `progress(done, total)` is called in this thread after each page; an exception it raises stops the
    parse (that is how a caller cancels). Blocking and CPU-bound: run it in a worker thread.
    """
    check_size(len(data), limits)
    document_format = detect_format(data, filename)
    mail: ParsedMail | None = None
    if document_format is DocumentFormat.EML:
        mail = parse_mail(data, limits)
        pages, methods = _paginated(mail.text, ExtractionMethod.EML, limits, progress)
    elif document_format is DocumentFormat.PDF:
        pages, methods = parse_pdf(data, limits, progress)
    elif document_format in _IMAGES:
        pages, methods = parse_image(data, document_format, limits, progress)
    else:
        pages, methods = _parse_text(data, document_format, limits, progress)
    if not any(page.strip() for page in pages):
        found = "not even by OCR" if document_format in _OCR_FORMATS else "in it"
        raise EmptyDocument(f"the document has no text: none was found {found}")
    return ParsedDocument.build(document_format, pages, methods, hashlib.sha256(data).hexdigest(), mail)


def _parse_text(
    data: bytes,
    document_format: DocumentFormat,
    limits: ParseLimits,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[str], list[ExtractionMethod]]:
    if document_format is DocumentFormat.DOCX:
        # Forced page breaks split the document, and paginate_text cuts each part into readable pages (given
        # the whole text it would cut only at the breaks, leaving one huge page after a cover page).
        sections = docx_text(data, limits).split("\f")
        pages = [page for section in _with_breaks(sections) for page in paginate_text(section)]
        return _counted(pages, ExtractionMethod.DOCX, limits, progress)
    if document_format is DocumentFormat.HTML:
        text = html_to_text(decode_text(data, declared=html_charset(data)))
        return _paginated(text, ExtractionMethod.HTML, limits, progress)
    return _paginated(decode_text(data), ExtractionMethod.TEXT, limits, progress)


def _paginated(
    text: str, method: ExtractionMethod, limits: ParseLimits, progress: Callable[[int, int], None] | None
) -> tuple[list[str], list[ExtractionMethod]]:
    return _counted(paginate_text(text), method, limits, progress)


def _counted(
    pages: list[str], method: ExtractionMethod, limits: ParseLimits, progress: Callable[[int, int], None] | None
) -> tuple[list[str], list[ExtractionMethod]]:
    check_page_count(len(pages), limits)
    if progress is not None:
        for done in range(1, len(pages) + 1):
            progress(done, len(pages))
    return pages, [method] * len(pages)


def _with_breaks(sections: list[str]) -> list[str]:
    """Each section but the last keeps its form feed, so the pages still join to the exact text."""
    return [section + "\f" for section in sections[:-1]] + sections[-1:]

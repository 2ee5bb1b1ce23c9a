"""PDF: each page's text layer through pdfium; a page without a usable one is rendered at 300 dpi and OCR'd.

Pages are opened one at a time and closed at once, so memory stays flat however long the document is.
"""

import itertools
import math
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from modules.arkiver.parsing.errors import CorruptDocument, PasswordProtected
from modules.arkiver.parsing.limits import ParseLimits, check_page_count
from modules.arkiver.parsing.models import ExtractionMethod
from modules.arkiver.parsing.ocr import OCR_DPI, OcrJob, recognise

# pdfium is not thread-safe. The lock is taken per call, not per document, so documents parsed at the same
# time interleave instead of queueing behind each other.
_PDFIUM = threading.Lock()
_EOF_WINDOW = 1024  # where readers look for the final %%EOF
_POINTS_PER_INCH = 72
# Fewer letters and digits than this, on a page that has an image, means the page is a scan (a text layer
# holding only a page number or a Bates stamp does not count as one).
_MIN_READABLE_CHARS = 16
# What pdfium yields for glyphs it cannot map to Unicode (control and private-use characters, U+FFFD; U+0002
# is its hyphen mark): a text layer mostly made of them is noise.
_UNMAPPED = re.compile(r"[\x00\x01\x03-\x08\x0e-\x1f\ue000-\uf8ff\ufffd]")
_CONTROLS = re.compile(r"[\x00\x01\x03-\x08\x0b-\x1f]")
_VISIBLE = re.compile(r"\S")
_READABLE = re.compile(r"[^\W_]")  # letters and digits, any script


def parse_pdf(
    data: bytes, limits: ParseLimits, progress: Callable[[int, int], None] | None
) -> tuple[list[str], list[ExtractionMethod]]:
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise CorruptDocument("the PDF is truncated (it does not end with %%EOF); send the complete file")
    with _PDFIUM:
        document = _open(data)
    try:
        with _PDFIUM:
            count = len(document)
        if count == 0:
            raise CorruptDocument("the PDF has no pages")
        check_page_count(count, limits)
        texts = [""] * count
        methods = [ExtractionMethod.TEXT_LAYER] * count
        done = 0

        def finished() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, count)

        def on_ocr(index: int, text: str) -> None:
            if text or not texts[index].strip():  # keep the text layer when OCR finds nothing better
                texts[index] = text
                methods[index] = ExtractionMethod.OCR
            finished()

        def scans() -> Iterator[OcrJob]:
            for index in range(count):
                texts[index], job = _read_page(document, index, limits)
                if job is None:
                    finished()
                else:
                    yield job

        recognise(scans(), limits=limits, on_page=on_ocr)
    finally:
        with _PDFIUM:
            document.close()
    return texts, methods


def _open(data: bytes) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise PasswordProtected(
                "the PDF is password-protected; remove the password (or print it to a new PDF) and send it again"
            ) from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise PasswordProtected("the PDF is encrypted with a scheme that cannot be opened") from exc
        raise CorruptDocument("the PDF is damaged and cannot be opened") from exc


def _read_page(document: Any, index: int, limits: ParseLimits) -> tuple[str, OcrJob | None]:
    """The page's text layer, and an OCR job when the page is a scan (or its text layer is noise)."""
    with _PDFIUM:
        try:
            page = document[index]
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(f"page {index + 1} of the PDF is damaged", details={"page": index + 1}) from exc
        try:
            textpage = page.get_textpage()
            try:
                raw: str = textpage.get_text_bounded()
            finally:
                textpage.close()
            text = _clean(raw)
            if not _needs_ocr(raw, text, page):
                return text, None
            scale = _render_scale(page, limits)
            if scale is None:
                return text, None
            bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False)
            try:
                image: Image.Image = bitmap.to_pil().copy()  # to_pil shares pdfium's buffer, freed below
            finally:
                bitmap.close()
        finally:
            page.close()
    return text, OcrJob(index=index, image=image, dpi=round(_POINTS_PER_INCH * scale))


def _clean(raw: str) -> str:
    # pdfium ends lines with CRLF and marks a hyphen it joined across a line break with U+0002.
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")
    return _CONTROLS.sub("", text)


def _needs_ocr(raw: str, text: str, page: Any) -> bool:
    # Counted with regexes, not per character in Python: this runs on every page of every PDF.
    unmapped = len(_UNMAPPED.findall(raw))
    if unmapped * 2 >= _MIN_READABLE_CHARS and unmapped * 2 > len(_VISIBLE.findall(raw)):
        return True
    enough = next(itertools.islice(_READABLE.finditer(text), _MIN_READABLE_CHARS - 1, None), None)
    return enough is None and _has_image(page)


def _has_image(page: Any) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))


def _render_scale(page: Any, limits: ParseLimits) -> float | None:
    """300 dpi, or less for a page so large it would exceed the pixel budget; None for a page of no size."""
    width, height = page.get_size()
    if width <= 0 or height <= 0:
        return None
    scale: float = OCR_DPI / _POINTS_PER_INCH
    pixels = width * height * scale * scale
    if pixels > limits.max_image_pixels:
        scale *= math.sqrt(limits.max_image_pixels / pixels)
    return scale

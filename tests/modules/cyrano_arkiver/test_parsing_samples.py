"""Real documents built on the fly for the parsing tests and benchmark (no tests in here).

PDFs are written with pypdfium2 itself: text objects in a standard font for a text layer, a full-page image
for a scan. Scans are text drawn with Pillow's bundled font, so no system fonts are needed.
"""

import ctypes
import io
import os
import struct
import textwrap
import zlib
from typing import Any

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont

LETTER = (612.0, 792.0)  # points

CONTRACT = (
    "MASTER SERVICES AGREEMENT\n"
    "This Agreement is made between Acme Corporation and Widget Holdings Limited.\n"
    "1. Term. The initial term is three years from the Effective Date.\n"
    "2. Governing Law. This Agreement is governed by the laws of Delaware.\n"
    "3. Notices. Notices must be given in writing to the addresses above."
)


def pdf(pages: list[tuple[Image.Image | None, str]], size: tuple[float, float] = LETTER) -> bytes:
    """A PDF of (image, text) pages: the image covers the page like a scan, the text is a real text layer."""
    document = pdfium.PdfDocument.new()
    font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    width, height = size
    font_size = 11.0
    columns = max(10, int((width - 72) / (font_size * 0.5)))
    for image, text in pages:
        page = document.new_page(width, height)
        if image is not None:
            picture = pdfium.PdfImage.new(document)
            picture.set_bitmap(pdfium.PdfBitmap.from_pil(image.convert("RGB")))
            picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
            page.insert_obj(picture)
        y = height - 18 - font_size
        for line in _wrap(text, columns) if text else []:
            if line:
                obj = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, font_size)
                encoded = ctypes.create_string_buffer(line.encode("utf-16-le") + b"\x00\x00")
                pdfium_c.FPDFText_SetText(obj, ctypes.cast(encoded, ctypes.POINTER(ctypes.c_ushort)))
                pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 18, y)
                pdfium_c.FPDFPage_InsertObject(page.raw, obj)
            y -= font_size * 1.3
        page.gen_content()
        page.close()
    pdfium_c.FPDFFont_Close(font)
    return _save(document)


def text_pdf(pages: list[str], size: tuple[float, float] = LETTER) -> bytes:
    """A born-digital PDF: every page has a text layer (Helvetica), lines wrapped to the page."""
    return pdf([(None, text) for text in pages], size)


def scanned_pdf(images: list[Image.Image], size: tuple[float, float] | None = None) -> bytes:
    """A PDF whose pages are nothing but an image each, as a scanner makes them (page shaped like the first)."""
    if size is None:
        size = (288.0, 288.0 * images[0].height / images[0].width)
    return pdf([(image, "") for image in images], size)


def blank_pdf(pages: int = 1) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(*LETTER).close()
    return _save(document)


def scan(text: str, *, width: int = 1400, font_px: int = 40, margin: int = 40) -> Image.Image:
    """`text` drawn black on white like a clean scan; tall enough for every line."""
    font = ImageFont.load_default(size=font_px)
    lines = [line for paragraph in text.split("\n") for line in _wrap(paragraph, int(width / (font_px * 0.5)))]
    height = margin * 2 + len(lines) * int(font_px * 1.4)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((margin, margin + number * int(font_px * 1.4)), line, fill=0, font=font)
    return image


def page_scan(text: str, *, dpi: int = 300) -> Image.Image:
    """A letter-size page of `text` at `dpi`, in 11-point type: what a scanner hands over."""
    width, height = int(8.5 * dpi), int(11 * dpi)
    font_px = round(11 / 72 * dpi)
    font = ImageFont.load_default(size=font_px)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    margin = dpi
    y = margin
    for line in _wrap(text, int((width - 2 * margin) / (font_px * 0.48))):
        if y > height - margin:
            break
        draw.text((margin, y), line, fill=0, font=font)
        y += int(font_px * 1.35)
    return image


def image_bytes(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def tiff_pages(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return buffer.getvalue()


def word_document(*paragraphs: str, page_break_after: int | None = None) -> bytes:
    """A DOCX of `paragraphs`, with an explicit page break after paragraph number `page_break_after`."""
    document: Any = docx.Document()  # python-docx is only partly typed
    for number, paragraph in enumerate(paragraphs, start=1):
        document.add_paragraph(paragraph)
        if number == page_break_after:
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _wrap(text: str, columns: int) -> list[str]:
    return [wrapped for line in text.split("\n") for wrapped in (textwrap.wrap(line, columns) or [""])]


def _save(document: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb's calling card."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + chunk(b"IEND", b"")
    )


def require_tesseract() -> None:
    """Skip an OCR test where Tesseract is missing, or fail it when CI says services must be there."""
    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError):
        reason = "Tesseract OCR is not installed (apt-get install tesseract-ocr)"
        if os.environ.get("CYRANO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}; CYRANO_REQUIRE_SERVICES=1 requires it")
        pytest.skip(f"{reason}; set CYRANO_REQUIRE_SERVICES=1 to make this a failure")

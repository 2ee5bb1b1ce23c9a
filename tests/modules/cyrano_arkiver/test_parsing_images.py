"""Images (PNG, JPEG, multi-page TIFF) through Tesseract, the decompression-bomb guard, and the OCR pool."""

import os
import threading
import time
from pathlib import Path

import pytesseract
import pytest
from PIL import Image

from cyrano_arkiver.parsing import (
    CorruptDocument,
    DocumentFormat,
    EmptyDocument,
    ExtractionMethod,
    ImageTooLarge,
    OcrUnavailable,
    ParseLimits,
    TooManyPages,
    ocr,
    parse_document,
)
from cyrano_arkiver.parsing.images import _declared_dpi
from cyrano_arkiver.parsing.limits import usable_cores
from tests.modules.cyrano_arkiver.test_parsing_samples import (
    CONTRACT,
    image_bytes,
    png_claiming,
    require_tesseract,
    scan,
    text_pdf,
    tiff_pages,
)

LIMITS = ParseLimits()


def parse(data: bytes, limits: ParseLimits = LIMITS) -> list[str]:
    return parse_document(data, filename=None, limits=limits).pages


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_a_photographed_or_scanned_page_is_read(image_format: str) -> None:
    require_tesseract()
    document = parse_document(
        image_bytes(scan("The Tenant shall pay rent monthly"), image_format), filename=None, limits=LIMITS
    )
    assert document.format is DocumentFormat(image_format.lower())
    assert document.pages == ["The Tenant shall pay rent monthly"]
    assert document.method is ExtractionMethod.IMAGE_OCR


def test_every_frame_of_a_tiff_is_a_page() -> None:
    require_tesseract()
    frames = [scan("Exhibit A Premises"), scan("Exhibit B Rent"), scan("Exhibit C Insurance")]
    calls: list[tuple[int, int]] = []
    document = parse_document(tiff_pages(frames), filename=None, limits=LIMITS, progress=lambda *c: calls.append(c))
    assert document.format is DocumentFormat.TIFF
    assert document.pages == ["Exhibit A Premises", "Exhibit B Rent", "Exhibit C Insurance"]
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_transparent_and_sideways_images_are_read_as_paper() -> None:
    require_tesseract()
    page = scan("Indemnity survives termination")
    transparent = Image.new("RGBA", page.size, (0, 0, 0, 0))
    transparent.putalpha(page.point(lambda value: 255 - value))  # black ink on a see-through sheet
    assert parse(image_bytes(transparent, "PNG")) == ["Indemnity survives termination"]
    sideways = page.rotate(90, expand=True)  # counter-clockwise, as a phone held sideways takes it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: "turn 90 degrees clockwise to view"
    assert parse(image_bytes(sideways, "JPEG", exif=exif)) == ["Indemnity survives termination"]


def test_fax_tiffs_and_16_bit_scans_are_read() -> None:
    require_tesseract()
    fax = image_bytes(scan("Group four fax of the lease").convert("1"), "TIFF", compression="group4", dpi=(300, 300))
    assert parse(fax) == ["Group four fax of the lease"]
    deep = scan("Sixteen bit gray scan").convert("I").point(lambda value: value * 257).convert("I;16")
    assert parse(image_bytes(deep, "PNG")) == ["Sixteen bit gray scan"]


@pytest.mark.parametrize(
    ("info", "expected"),
    [({"dpi": (300, 300)}, 300), ({"dpi": (72, 72)}, None), ({}, None), ({"dpi": "bogus"}, None)],
)
def test_only_a_plausible_scan_resolution_is_passed_to_tesseract(info: dict[str, object], expected: int | None) -> None:
    image = Image.new("L", (10, 10))
    image.info.update(info)
    assert _declared_dpi(image) == expected


def test_a_blank_image_is_empty() -> None:
    require_tesseract()
    with pytest.raises(EmptyDocument):
        parse(image_bytes(Image.new("L", (600, 200), 255), "PNG"))


# --- refused before any decoding or OCR (no Tesseract needed) ---------------------------------------------------
def test_a_decompression_bomb_png_is_refused() -> None:
    with pytest.raises(ImageTooLarge):  # Pillow's own check, 50,000 x 50,000 from a few hundred bytes
        parse(png_claiming(50_000, 50_000))
    with pytest.raises(ImageTooLarge):  # between Pillow's warning and error thresholds
        parse(png_claiming(10_000, 10_000))


def test_images_over_the_pixel_budget_are_refused() -> None:
    with pytest.raises(ImageTooLarge, match="300x200") as refused:
        parse(image_bytes(Image.new("L", (300, 200), 255), "PNG"), limits=ParseLimits(max_image_pixels=50_000))
    assert refused.value.code == "too_large"


def test_a_tiff_with_too_many_frames_is_refused() -> None:
    frames = [Image.new("L", (50, 50), 255)] * 3
    with pytest.raises(TooManyPages, match="3 pages; the limit is 2"):
        parse(tiff_pages(frames), limits=ParseLimits(max_pages=2))


def test_a_truncated_image_is_corrupt() -> None:
    data = image_bytes(scan("Truncated in transit"), "PNG")
    with pytest.raises(CorruptDocument, match="damaged or truncated"):
        parse(data[: len(data) // 2])


def test_missing_tesseract_is_a_clear_unavailable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    monkeypatch.setattr(ocr.tesseract, "_ready", False)
    with pytest.raises(OcrUnavailable, match="tesseract-ocr") as raised:
        parse(image_bytes(scan("x"), "PNG"))
    assert raised.value.code == "unavailable"
    assert parse(text_pdf([CONTRACT])) == [CONTRACT]  # born-digital PDFs never need it


def test_ocr_runs_single_threaded_tesseracts_in_a_pool_bounded_by_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    running = 0
    peak = 0
    lock = threading.Lock()
    seen_environments: set[str | None] = set()

    def fake_tesseract(path: str, **kwargs: object) -> str:
        nonlocal running, peak
        assert Path(path).stat().st_size > 0
        with lock:
            running += 1
            peak = max(peak, running)
            seen_environments.add(os.environ.get("OMP_THREAD_LIMIT"))
        time.sleep(0.1)
        with lock:
            running -= 1
        return f"text of {Path(path).name}"

    monkeypatch.setattr(ocr.tesseract, "ensure", lambda: None)
    monkeypatch.setattr(pytesseract, "image_to_string", fake_tesseract)
    frames = [Image.new("L", (40, 40), 255)] * 6
    document = parse_document(tiff_pages(frames), filename=None, limits=LIMITS)
    assert document.page_count == 6
    assert seen_environments == {"1"}
    assert peak == min(usable_cores(), 6)
    peak = 0
    one_at_a_time = parse_document(tiff_pages(frames), filename=None, limits=ParseLimits(ocr_workers=1))
    assert one_at_a_time.page_count == 6
    assert peak == 1

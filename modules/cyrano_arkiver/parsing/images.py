"""PNG, JPEG and TIFF (every frame of a multi-page TIFF is a page): Tesseract OCR."""

import io
import struct
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PIL import Image, ImageOps

from cyrano_arkiver.parsing.errors import CorruptDocument, ImageTooLarge
from cyrano_arkiver.parsing.limits import ParseLimits, check_image_pixels, check_page_count
from cyrano_arkiver.parsing.models import DocumentFormat, ExtractionMethod
from cyrano_arkiver.parsing.ocr import OcrJob, recognise

_PILLOW_FORMATS = {DocumentFormat.PNG: "PNG", DocumentFormat.JPEG: "JPEG", DocumentFormat.TIFF: "TIFF"}
# What Pillow raises for damaged or truncated image data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)
# A declared resolution outside this range is a placeholder (72 or 96 from cameras and editors); Tesseract
# then estimates the resolution from the text itself, which beats believing it.
_PLAUSIBLE_SCAN_DPI = range(100, 1201)


def parse_image(
    data: bytes,
    image_format: DocumentFormat,
    limits: ParseLimits,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[str], list[ExtractionMethod]]:
    with _bomb_guard(limits):
        try:
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[image_format]])
        except _DECODE_ERRORS as exc:
            raise CorruptDocument(f"the {image_format.value.upper()} image is damaged or truncated") from exc
    with image:
        frames: int = getattr(image, "n_frames", 1)
        check_page_count(frames, limits)
        texts = [""] * frames
        done = 0

        def on_page(index: int, text: str) -> None:
            nonlocal done
            texts[index] = text
            done += 1
            if progress is not None:
                progress(done, frames)

        recognise(_frames(image, frames, limits), limits=limits, on_page=on_page)
    return texts, [ExtractionMethod.IMAGE_OCR] * frames


def _frames(image: Image.Image, frames: int, limits: ParseLimits) -> Iterator[OcrJob]:
    for index in range(frames):
        page = index + 1 if frames > 1 else None
        with _bomb_guard(limits):
            try:
                image.seek(index)
                check_image_pixels(image.width, image.height, limits, page=page)
                frame = _grayscale(ImageOps.exif_transpose(image))
            except _DECODE_ERRORS as exc:
                where = f"page {page} of " if page else ""
                raise CorruptDocument(f"{where}the image is damaged or truncated") from exc
        yield OcrJob(index=index, image=frame, dpi=_declared_dpi(image))


def _grayscale(image: Image.Image) -> Image.Image:
    """The image as 8-bit gray (or 1-bit), what Tesseract reads fastest; transparency becomes white paper."""
    if image.mode in ("1", "L"):
        return image
    if image.mode.startswith("I"):  # 16/32-bit gray: scale to 8 bits rather than clip everything to white
        return image.convert("I").point(lambda value: value / 257).convert("L")
    if "A" in image.getbands() or "transparency" in image.info:
        paper = Image.new("RGBA", image.size, "white")
        return Image.alpha_composite(paper, image.convert("RGBA")).convert("L")
    return image.convert("L")


def _declared_dpi(image: Image.Image) -> int | None:
    try:
        value = round(float(image.info["dpi"][0]))  # TIFF gives rationals, PNG and JPEG floats
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, OverflowError):
        return None
    return value if value in _PLAUSIBLE_SCAN_DPI else None


@contextmanager
def _bomb_guard(limits: ParseLimits) -> Iterator[None]:
    """Pillow's own decompression-bomb check, as an error rather than a warning or an uncaught exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageTooLarge(
                f"the image is larger than Pillow's decompression-bomb limit ({Image.MAX_IMAGE_PIXELS:,} pixels);"
                f" Arkiver's own limit is {limits.max_image_pixels:,}. Scan at a lower resolution",
            ) from exc

"""The limits a document must stay within, and the checks that enforce them before any heavy work."""

import os
import zipfile
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from cyrano_arkiver.parsing.errors import (
    DocumentTooLarge,
    ImageTooLarge,
    PasswordProtected,
    SuspiciousArchive,
    TooManyPages,
)

MIB = 1024 * 1024
GIB = 1024 * MIB

# Office keeps embedded workbooks and OLE objects (themselves zips) here; they are never opened.
_EMBEDDINGS_FOLDER = "word/embeddings/"
_ARCHIVE_SUFFIXES = (".zip", ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".jar", ".gz", ".tgz", ".bz2", ".xz", ".7z")
# A small member may compress extremely well (an empty table style); only large ones are judged by ratio.
_RATIO_FLOOR_BYTES = MIB


class ParseLimits(BaseModel):
    """Bounds on what one document may cost; anything beyond them is refused, never truncated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_bytes: int = Field(default=50 * MIB, gt=0, description="Size of the document as given.")
    max_pages: int = Field(default=2000, gt=0)
    max_image_pixels: int = Field(
        default=89_478_485,  # Pillow's own MAX_IMAGE_PIXELS: about 256 MiB as 24-bit RGB
        gt=0,
        description="Per image or TIFF frame; PDF pages are rendered for OCR at no more than this either.",
    )
    max_zip_members: int = Field(default=10_000, gt=0)
    max_zip_uncompressed_bytes: int = Field(
        default=128 * MIB,  # lxml takes ~5x the XML's size; 13 MiB of document.xml is already ~4,000 pages
        gt=0,
    )
    max_zip_ratio: float = Field(
        default=250.0,  # boilerplate-heavy document.xml reaches ~100; deflate bombs sit near its ~1,000 ceiling
        gt=1,
        description="Uncompressed/compressed, per member over 1 MiB.",
    )
    max_pdf_memory_bytes: int = Field(
        default=GIB,
        ge=64 * MIB,
        description="Address space of the worker process that reads one PDF: what its streams may decompress to.",
    )
    max_pdf_seconds: float = Field(
        default=120.0, gt=0, description="Time pdfium may spend on one PDF (text layers and rendering; not OCR)."
    )
    max_attachments: int = Field(default=100, gt=0, description="Attachments of one e-mail, forwards' included.")
    ocr_workers: int | None = Field(
        default=None, gt=0, description="Pages OCR'd at once; default (and at most) the usable CPU cores."
    )
    ocr_page_timeout: float = Field(default=180.0, gt=0, description="Seconds Tesseract may spend on one page.")


def usable_cores() -> int:
    """The cores this process may run on (affinity-aware where the platform says)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_size(size: int, limits: ParseLimits) -> None:
    if size > limits.max_bytes:
        raise DocumentTooLarge(
            f"the document is {size / MIB:.1f} MiB; the limit is {limits.max_bytes / MIB:.1f} MiB",
            details={"bytes": size, "max_bytes": limits.max_bytes},
        )


def check_page_count(pages: int, limits: ParseLimits) -> None:
    if pages > limits.max_pages:
        raise TooManyPages(
            f"the document has {pages} pages; the limit is {limits.max_pages}. Split it into smaller documents",
            details={"pages": pages, "max_pages": limits.max_pages},
        )


def check_image_pixels(width: int, height: int, limits: ParseLimits, *, page: int | None = None) -> None:
    pixels = width * height
    if pixels > limits.max_image_pixels:
        where = f" (page {page})" if page is not None else ""
        raise ImageTooLarge(
            f"the image{where} is {width}x{height} = {pixels:,} pixels; the limit is {limits.max_image_pixels:,}."
            " Scan at a lower resolution (300 dpi is enough for OCR)",
            details={"width": width, "height": height, "max_image_pixels": limits.max_image_pixels},
        )


def check_zip_directory(members: Sequence[zipfile.ZipInfo], limits: ParseLimits) -> None:
    """Judge a DOCX by its zip directory before anything is decompressed.

    zipfile never inflates a member beyond the size its directory entry declares, so bounding the declared
    sizes bounds the memory parsing can take.
    """
    if len(members) > limits.max_zip_members:
        raise SuspiciousArchive(
            f"the DOCX holds {len(members)} files; a Word document has far fewer (limit {limits.max_zip_members})"
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_zip_uncompressed_bytes:
        raise SuspiciousArchive(
            f"the DOCX would unpack to {total / MIB:.0f} MiB; the limit is "
            f"{limits.max_zip_uncompressed_bytes / MIB:.0f} MiB",
            details={"uncompressed_bytes": total},
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise PasswordProtected("the DOCX is password-protected (its zip is encrypted); remove the password")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2 and LZMA inflate without a per-call output bound, and Word never writes them.
            raise SuspiciousArchive("the DOCX uses a compression method Word never writes")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR_BYTES and ratio > limits.max_zip_ratio:
            raise SuspiciousArchive(
                f"a file inside the DOCX expands {ratio:.0f} times; the limit is {limits.max_zip_ratio:.0f}"
                " (this is how zip bombs look)",
                details={"ratio": round(ratio)},
            )
        name = member.filename.lower()
        if name.endswith(_ARCHIVE_SUFFIXES) and not name.startswith(_EMBEDDINGS_FOLDER):
            raise SuspiciousArchive("the DOCX contains another archive outside word/embeddings/")

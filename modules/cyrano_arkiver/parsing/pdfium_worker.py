"""The process that opens PDFs: pdfium behind a pipe, so a hostile PDF can only exhaust a process of its own.

The server runs this file as `python -I pdfium_worker.py` (see `pdf_workers`) and sends it one document at
a time. It imports nothing of Cyrano, so it starts in about 50 ms, and it is started with an empty
environment, so it holds no key, connection or document but the one it reads. Before opening a document it
caps its own address space (RLIMIT_AS) at the document's memory budget: pdfium aborts when an allocation
fails, and the server answers too_large.

Frames, both ways: a 4-byte big-endian length, a JSON header, then the raw payloads the header announces.

    {"op": "open", "size": n, "memory": bytes, "seconds": s} + n bytes -> {"pages": count} | {"error": kind}
    {"op": "pages", "first": i, "count": n, "max_pixels": p}  -> {"texts": [n1, ...], "image": ...} + texts + pixels
    {"op": "close"}                                           -> {"closed": true}

"pages" reads pages from `first` on, up to `count` of them, and stops early after a page to OCR: the text of
each page read, and the last one rendered in 8-bit gray when it is a scan (or its text layer is noise), as
`image` {"width", "height", "stride", "dpi"} followed by stride * height bytes; otherwise `image` is null.
Several pages per request save a round trip per page. Errors are "password", "security", "damaged" (with
the 0-based "page" when a page is) and "memory".
"""

import itertools
import json
import math
import os
import re
import resource
import struct
import sys
from typing import Any, BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

LENGTH = struct.Struct(">I")
OCR_DPI = 300
POINTS_PER_INCH = 72
# Fewer letters and digits than this, on a page that has an image, means the page is a scan (a text layer
# holding only a page number or a Bates stamp does not count as one).
_MIN_READABLE_CHARS = 16
# What pdfium yields for glyphs it cannot map to Unicode (control and private-use characters, U+FFFD; U+0002
# is its hyphen mark): a text layer mostly made of them is noise.
_UNMAPPED = re.compile(r"[\x00\x01\x03-\x08\x0e-\x1f\ue000-\uf8ff\ufffd]")
_CONTROLS = re.compile(r"[\x00\x01\x03-\x08\x0b-\x1f]")
_VISIBLE = re.compile(r"\S")
_READABLE = re.compile(r"[^\W_]")  # letters and digits, any script


def main() -> None:
    # The protocol owns the original stdout; anything else that writes to fd 1 (pdfium, a crash report)
    # lands on stderr instead of corrupting a frame.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort on a hostile document dumps nothing
    requests = sys.stdin.buffer
    document: Any = None
    while True:
        request = _read_frame(requests)
        if request is None:  # the server closed the pipe (or exited): so do we
            return
        try:
            if request["op"] == "open":
                data = _read_exact(requests, request["size"])
                _cap(request["memory"], request["seconds"])
                document, reply = _open(data)
                _send(replies, reply)
            elif request["op"] == "pages":
                _send(replies, *_read_pages(document, request["first"], request["count"], request["max_pixels"]))
            else:
                if document is not None:
                    document.close()
                    document = None
                _send(replies, {"closed": True})
        except MemoryError:
            _send(replies, {"error": "memory"})
            return  # what was half-allocated is unknown: start afresh


def _read_frame(stream: BinaryIO) -> dict[str, Any] | None:
    prefix = stream.read(LENGTH.size)
    if len(prefix) < LENGTH.size:
        return None
    header: dict[str, Any] = json.loads(_read_exact(stream, LENGTH.unpack(prefix)[0]))
    return header


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise SystemExit(0)  # the server went away mid-frame
    return data


def _send(stream: BinaryIO, header: dict[str, Any], *payloads: bytes) -> None:
    encoded = json.dumps(header).encode()
    stream.write(LENGTH.pack(len(encoded)) + encoded)
    for payload in payloads:
        stream.write(payload)
    stream.flush()


def _cap(memory: int, seconds: float) -> None:
    """Cap the address space, and the CPU time from now on (soft limits: the next document has its own).

    The server enforces the time budget itself, by the clock; the CPU cap only ends a worker the server
    can no longer kill because it has died.
    """
    _lower(resource.RLIMIT_AS, memory)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _lower(resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime + seconds) + 1)


def _lower(kind: int, soft: int) -> None:
    _, hard = resource.getrlimit(kind)
    resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _open(data: bytes) -> tuple[Any, dict[str, Any]]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            return None, {"error": "password"}
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            return None, {"error": "security"}
        return None, {"error": "damaged"}
    return document, {"pages": len(document)}


def _read_pages(document: Any, first: int, count: int, max_pixels: int) -> tuple[Any, ...]:
    """The reply to "pages": its header, then each page's text, then the pixels of a page to OCR, if any."""
    texts: list[bytes] = []
    image: dict[str, int] | None = None
    pixels = b""
    for index in range(first, first + count):
        try:
            page = document[index]
            try:
                text, image, pixels = _page_content(page, max_pixels)
            finally:
                page.close()
        except pdfium.PdfiumError:
            return ({"error": "damaged", "page": index},)
        texts.append(text)
        if image is not None:
            break
    return {"texts": [len(each) for each in texts], "image": image}, *texts, pixels


def _page_content(page: Any, max_pixels: int) -> tuple[bytes, dict[str, int] | None, bytes]:
    """The page's text layer, and the page rendered for OCR when it is a scan (or its text layer is noise)."""
    textpage = page.get_textpage()
    try:
        raw: str = textpage.get_text_bounded()
    finally:
        textpage.close()
    cleaned = _clean(raw)
    scale = _render_scale(page, max_pixels) if _needs_ocr(raw, cleaned, page) else None
    if scale is None:
        return cleaned.encode(), None, b""
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False)
    try:
        image = {"width": bitmap.width, "height": bitmap.height, "stride": bitmap.stride}
        pixels = bytes(bitmap.buffer)
    finally:
        bitmap.close()
    return cleaned.encode(), {**image, "dpi": round(POINTS_PER_INCH * scale)}, pixels


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


def _render_scale(page: Any, max_pixels: int) -> float | None:
    """300 dpi, or less for a page so large it would exceed the pixel budget; None for a page of no size."""
    width, height = page.get_size()
    if width <= 0 or height <= 0:
        return None
    scale: float = OCR_DPI / POINTS_PER_INCH
    pixels = width * height * scale * scale
    if pixels > max_pixels:
        scale *= math.sqrt(max_pixels / pixels)
    return scale


if __name__ == "__main__":
    main()

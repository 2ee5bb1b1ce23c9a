"""PDFs are opened in worker processes, never in the server, each within a memory and a time budget.

A PDF is small on disk and can be huge in memory: a 100 KB file whose one compressed content stream (100 MB
of spaces) a page lists ten times took the server from 0.5 to 2.5 GB while holding the lock every other
PDF waited on. Now each document is opened in a process of its own (`pdfium_worker.py`) whose address space
is capped at `ParseLimits.max_pdf_memory_bytes` and whose pdfium time is capped at `max_pdf_seconds`, summed
over the document (OCR, which runs here, does not count). A worker that overruns either is killed and the
document refused as too_large; nothing of it reaches the server.

Workers are reused: one that finished a document cleanly goes back to a small warm pool, so a document
costs a process start only when more are parsed at once than the pool holds. At most `_BUSY` documents run
pdfium at the same moment (it is CPU-bound, and each may use its whole memory budget); one hostile document
holds one of those slots, for no longer than its time budget.
"""

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from cyrano_arkiver.parsing import pdfium_worker
from cyrano_arkiver.parsing.errors import CorruptDocument, DocumentTooLarge, PasswordProtected
from cyrano_arkiver.parsing.limits import MIB, ParseLimits, usable_cores

_WORKER = Path(pdfium_worker.__file__)
_KEEP_WARM = 2
_BUSY = threading.BoundedSemaphore(max(2, usable_cores()))
_MAX_HEADER = 64 * 1024
_CHUNK = 1 << 20
_CLOSE_SECONDS = 5.0
_PAGES_PER_REQUEST = 16
# How a worker dies when an allocation fails under its RLIMIT_AS (pdfium aborts; the kernel's OOM killer
# sends SIGKILL): the document needed more memory than it may have.
_OUT_OF_MEMORY = (-signal.SIGABRT, -signal.SIGKILL)


@dataclass(frozen=True, slots=True)
class PageContent:
    """One page as the worker read it: the text layer, and a rendering to OCR when the page is a scan."""

    text: str
    image: Image.Image | None
    dpi: int | None


class _Overrun(Exception):
    """The worker did not answer within the document's remaining time."""


class _Died(Exception):
    """The worker's pipe closed: it exited or was killed."""


class _Misbehaved(Exception):
    """The worker sent something this protocol never sends."""


class _Worker:
    """One worker process and the pipe to it; used by one thread at a time."""

    def __init__(self) -> None:
        # -I: no user site, no script folder on sys.path (it holds a `docx.py`). No environment: the server's
        # may hold keys, and a PDF that took over pdfium would find them there.
        self._process = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env={}
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests = self._process.stdin
        self._replies = self._process.stdout.fileno()
        self.in_flight = False  # a request was sent and its reply not fully read: the worker is not reusable

    def alive(self) -> bool:
        return self._process.poll() is None

    def request(self, header: dict[str, Any], payload: bytes, deadline: float) -> dict[str, Any]:
        """Send a request and read the reply's header (its payloads follow: `read_payload`)."""
        self.in_flight = True
        try:
            self._write(_frame(header))
            self._write(payload)
        except BrokenPipeError as exc:
            raise _Died from exc
        size = pdfium_worker.LENGTH.unpack(self.read_payload(pdfium_worker.LENGTH.size, deadline))[0]
        if size > _MAX_HEADER:
            raise _Misbehaved
        reply: dict[str, Any] = json.loads(self.read_payload(size, deadline))
        return reply

    def read_payload(self, size: int, deadline: float) -> bytes:
        received = bytearray()
        while len(received) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._replies], [], [], remaining)[0]:
                raise _Overrun
            chunk = os.read(self._replies, min(size - len(received), _CHUNK))
            if not chunk:
                raise _Died
            received += chunk
        return bytes(received)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[self._requests.write(view) or 0 :]

    def kill(self) -> int:
        """Kill the process (if it still runs) and reap it; its exit status, negative for a signal."""
        if self.alive():
            self._process.kill()
        return self.reap(None)

    def reap(self, timeout: float | None) -> int:
        """Wait for the process to exit (killing it after `timeout`); its exit status, negative for a signal."""
        self._requests.close()
        assert self._process.stdout is not None
        self._process.stdout.close()
        try:
            return self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return self.kill()

    def stop(self) -> None:
        """Let an idle worker exit on its own (end of its input)."""
        self.reap(_CLOSE_SECONDS)


class _Pool:
    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def checkout(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def checkin(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self._keep:
                self._idle.append(worker)
                return
        worker.stop()

    def stop(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


_POOL = _Pool(_KEEP_WARM)
atexit.register(_POOL.stop)


class OpenPdf:
    """A PDF open in a worker; every request is counted against the document's time and text budgets."""

    def __init__(self, worker: _Worker, limits: ParseLimits) -> None:
        self._worker = worker
        self._limits = limits
        self._seconds_left = limits.max_pdf_seconds
        self._text_left = limits.max_bytes  # a PDF yields no more text than a text document may hold
        self.page_count = 0

    def open(self, data: bytes) -> None:
        budgets = {"memory": self._limits.max_pdf_memory_bytes, "seconds": self._limits.max_pdf_seconds}
        reply = self._call({"op": "open", "size": len(data), **budgets}, data)
        error = reply.get("error")
        if error == "password":
            raise PasswordProtected(
                "the PDF is password-protected; remove the password (or print it to a new PDF) and send it again"
            )
        if error == "security":
            raise PasswordProtected("the PDF is encrypted with a scheme that cannot be opened")
        if error is not None:
            raise CorruptDocument("the PDF is damaged and cannot be opened")
        self.page_count = int(reply["pages"])

    def read_pages(self, first: int) -> list[PageContent]:
        """Pages from `first` on: several text pages per round trip, ending early at a page to OCR."""
        count = min(_PAGES_PER_REQUEST, self.page_count - first)
        reply = self._call({"op": "pages", "first": first, "count": count, "max_pixels": self._limits.max_image_pixels})
        if reply.get("error") is not None:
            page = int(reply["page"]) + 1
            raise CorruptDocument(f"page {page} of the PDF is damaged", details={"page": page})
        sizes = [int(size) for size in reply["texts"]]
        if not 0 < len(sizes) <= count:
            raise self._failure(_Misbehaved())
        if sum(sizes) > self._text_left:
            self._worker.kill()
            raise DocumentTooLarge(
                f"the PDF holds more than {self._limits.max_bytes / MIB:.1f} MiB of text, the limit for a document",
                details={"max_bytes": self._limits.max_bytes},
            )
        self._text_left -= sum(sizes)
        pages = [PageContent(text=self._payload(size).decode(), image=None, dpi=None) for size in sizes]
        layout = reply["image"]
        if layout is not None:
            pages[-1] = PageContent(text=pages[-1].text, image=self._image(layout), dpi=int(layout["dpi"]))
        self._worker.in_flight = False
        return pages

    def _image(self, layout: dict[str, Any]) -> Image.Image:
        width, height, stride = int(layout["width"]), int(layout["height"]), int(layout["stride"])
        # The worker renders within the pixel budget; rounding may add a row and a column.
        if width * height > self._limits.max_image_pixels * 1.01 or not width <= stride <= width + 3:
            raise self._failure(_Misbehaved())
        pixels = self._payload(stride * height)
        return Image.frombuffer("L", (width, height), pixels, "raw", "L", stride, 1)

    def finish(self) -> bool:
        """Close the document in the worker; False when the worker had to be killed instead."""
        worker = self._worker
        if not worker.in_flight and worker.alive():
            try:
                worker.request({"op": "close"}, b"", time.monotonic() + _CLOSE_SECONDS)
                worker.in_flight = False
                return True
            except (_Overrun, _Died, _Misbehaved):
                pass
        worker.kill()
        return False

    def _call(self, header: dict[str, Any], payload: bytes = b"") -> dict[str, Any]:
        """A request whose reply has no payload left unread unless the caller reads it (`_payload`)."""
        with _BUSY:  # waiting for a slot is not the document's own time
            started = time.monotonic()
            try:
                reply = self._worker.request(header, payload, started + self._seconds_left)
            except (_Overrun, _Died, _Misbehaved) as exc:
                raise self._failure(exc) from None
            finally:
                self._seconds_left -= time.monotonic() - started
        if reply.get("error") == "memory":  # Python ran out before pdfium did; the worker exits
            self._worker.reap(_CLOSE_SECONDS)
            raise self._out_of_memory()
        if "texts" not in reply:  # otherwise its payloads are still to be read
            self._worker.in_flight = False
        return reply

    def _payload(self, size: int) -> bytes:
        started = time.monotonic()
        try:
            return self._worker.read_payload(size, started + max(self._seconds_left, _CLOSE_SECONDS))
        except (_Overrun, _Died) as exc:
            raise self._failure(exc) from None
        finally:
            self._seconds_left -= time.monotonic() - started

    def _failure(self, exc: _Overrun | _Died | _Misbehaved) -> Exception:
        if isinstance(exc, _Overrun):
            self._worker.kill()
            return self._too_slow()
        if isinstance(exc, _Misbehaved):
            self._worker.kill()
            return CorruptDocument("the PDF reader failed on this PDF; it is damaged or malformed")
        status = self._worker.reap(_CLOSE_SECONDS)  # a worker whose pipe closed is exiting: its status says why
        if status in _OUT_OF_MEMORY:
            return self._out_of_memory()
        if status == -signal.SIGXCPU:
            return self._too_slow()
        if status < 0:  # pdfium crashed (a signal other than its abort on a failed allocation)
            return CorruptDocument("the PDF crashed the PDF reader; it is damaged or malformed")
        # Python itself failed (a bug, or pypdfium2 missing): not the document's fault.
        return RuntimeError(f"the PDF worker exited with status {status}; its traceback is in the server log")

    def _too_slow(self) -> DocumentTooLarge:
        seconds = self._limits.max_pdf_seconds
        return DocumentTooLarge(
            f"reading the PDF took longer than the {seconds:g} s a document may take (OCR not counted);"
            " it may be built to exhaust the server. If it is a real document, print it to a new PDF",
            details={"max_pdf_seconds": seconds},
        )

    def _out_of_memory(self) -> DocumentTooLarge:
        memory = self._limits.max_pdf_memory_bytes
        return DocumentTooLarge(
            f"reading the PDF needs more than the {memory / MIB:.0f} MiB of memory a document may use"
            " (content that decompresses to far more than the file holds is how PDF bombs look)."
            " If it is a real document, print it to a new PDF",
            details={"max_pdf_memory_bytes": memory},
        )


@contextmanager
def open_pdf(data: bytes, limits: ParseLimits) -> Iterator[OpenPdf]:
    """The PDF open in a worker; afterwards the worker goes back to the pool, or is killed if it misbehaved."""
    worker = _POOL.checkout()
    document = OpenPdf(worker, limits)
    try:
        document.open(data)
        yield document
    finally:
        if document.finish():
            _POOL.checkin(worker)


def _frame(header: dict[str, Any]) -> bytes:
    encoded = json.dumps(header).encode()
    return pdfium_worker.LENGTH.pack(len(encoded)) + encoded

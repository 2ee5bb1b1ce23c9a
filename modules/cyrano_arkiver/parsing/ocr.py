"""Tesseract OCR of page images, several pages at once but never more than the machine has cores.

Each Tesseract process runs single-threaded (OMP_THREAD_LIMIT=1): its OpenMP threads otherwise fight each
other and the other processes (3 pages took 153 s instead of 5 s). Parallelism comes from running one
process per core instead, capped across every document being parsed at the same time.
"""

import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import pytesseract
from PIL import Image

from cyrano_arkiver.parsing.errors import OcrFailed, OcrUnavailable
from cyrano_arkiver.parsing.limits import ParseLimits, usable_cores

# pytesseract starts Tesseract with os.environ and has no per-call environment; this is set once, on
# import, before any OCR thread exists, so it never races another thread's getenv.
os.environ["OMP_THREAD_LIMIT"] = "1"

LANGUAGE = "eng"
_INSTALL_HINT = "install the Debian package tesseract-ocr (apt-get install tesseract-ocr)"
_SLOTS = threading.BoundedSemaphore(usable_cores())


@dataclass(eq=False)
class OcrJob:
    """One page image to read; `index` is the page's 0-based position in the document."""

    index: int
    image: Image.Image  # mode "L" or "1"
    dpi: int | None  # None: unknown, Tesseract estimates it from the text


class _Availability:
    """Whether Tesseract and its English data are installed; a success is remembered, a failure re-checked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready = False

    def ensure(self) -> None:
        with self._lock:
            if self._ready:
                return
            try:
                pytesseract.get_tesseract_version()
                languages = pytesseract.get_languages(config="")
            except (pytesseract.TesseractNotFoundError, OSError) as exc:
                raise OcrUnavailable(
                    f"Tesseract OCR is not installed on the server, so scanned pages and images cannot be read;"
                    f" {_INSTALL_HINT}"
                ) from exc
            if LANGUAGE not in languages:
                raise OcrUnavailable(
                    "Tesseract has no English language data; install the Debian package tesseract-ocr-eng"
                )
            self._ready = True


tesseract = _Availability()


def recognise(jobs: Iterable[OcrJob], *, limits: ParseLimits, on_page: Callable[[int, str], None]) -> None:
    """OCR every job, calling `on_page(index, text)` in this thread as pages finish (not in page order).

    `jobs` is pulled lazily and no more than `workers` images are held at once, so rendering the next page
    overlaps OCR of the previous ones without the whole document's images piling up in memory.
    """
    cores = usable_cores()
    workers = min(limits.ocr_workers or cores, cores)
    executor: ThreadPoolExecutor | None = None
    pending: dict[Future[str], int] = {}

    def collect(block: bool) -> None:
        done, _ = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=pending.__getitem__):
            on_page(pending.pop(future), future.result())

    try:
        for job in jobs:
            if executor is None:
                tesseract.ensure()
                executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cyrano-ocr")
            if len(pending) >= workers:
                collect(block=True)
            pending[executor.submit(_read_page, job, limits.ocr_page_timeout)] = job.index
            collect(block=False)
        while pending:
            collect(block=True)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _read_page(job: OcrJob, timeout: float) -> str:
    page = job.index + 1
    with tempfile.TemporaryDirectory(prefix="cyrano-ocr-") as workdir:
        # Uncompressed PNM: PNG would spend ~0.1 s per page compressing what Tesseract decompresses again.
        path = os.path.join(workdir, "page.pnm")
        job.image.save(path, format="PPM")
        config = "-c page_separator=" if job.dpi is None else f"--dpi {job.dpi} -c page_separator="
        with _SLOTS:
            try:
                text: str = pytesseract.image_to_string(path, lang=LANGUAGE, config=config, timeout=timeout)
            except pytesseract.TesseractNotFoundError as exc:
                raise OcrUnavailable(f"Tesseract OCR is not installed on the server; {_INSTALL_HINT}") from exc
            except pytesseract.TesseractError as exc:
                raise OcrFailed(
                    f"Tesseract could not read page {page}", details={"page": page, "status": exc.status}
                ) from exc
            except RuntimeError as exc:  # pytesseract's timeout, after it has killed the process
                raise OcrFailed(
                    f"OCR of page {page} took longer than {timeout:.0f} s; the scan may be too dense or damaged",
                    details={"page": page},
                ) from exc
    return text.strip()

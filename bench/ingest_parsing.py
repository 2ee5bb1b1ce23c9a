"""Measure Arkiver's document parsing: text-layer speed, OCR speed with every core busy, and memory on long PDFs.

    python bench/ingest_parsing.py                 # everything (about two minutes on 2 cores)
    python bench/ingest_parsing.py --ocr-pages 4   # fewer scanned pages
    python bench/ingest_parsing.py --only ocr      # one section: text, ocr or memory

1. Text layer, on the CUAD development PDFs: pages per second of raw pypdfium2 (open, text of each page,
   close), of pypdf (`extract_text` per page) and of `parse_document` (detection, limits, cleaning, the scan
   check). Best of --rounds runs per file; the total is all pages over the sum of the best times.
2. OCR: real contract pages rasterised at 300 dpi (grayscale) become a scanned PDF with no text layer, which
   `parse_document` renders at 300 dpi again and OCRs with a pool as wide as the usable cores, then with one
   worker. Seconds per page = wall time / pages. Word recall compares the OCR words with the page's own text layer.
   Tesseract CPU per page and the load average are printed too: on a shared machine the wall time says as
   much about the neighbours as about the code.
3. Memory: a generated PDF of --rss-pages pages of contract text is parsed in a fresh process; peak RSS
   (VmHWM) is reported next to the RSS after imports, and the peak of the worker process that read the PDF.
"""

import argparse
import collections
import io
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytesseract
from PIL import Image
from shared_data import shared_data_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' sample builders, shared on purpose
from cyrano_arkiver.parsing import ExtractionMethod, ParseLimits, parse_document
from cyrano_arkiver.parsing.limits import usable_cores
from tests.modules.cyrano_arkiver.test_parsing_samples import scanned_pdf, text_pdf

DATA = shared_data_dir()  # $CYRANO_SHARED_DATA, else ../shared/data beside the repository
PDF_DIR = DATA / "cuad_dev_pdf"
OCR_DPI = 300
WORD = re.compile(r"[A-Za-z0-9]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=8)
    parser.add_argument("--rss-pages", type=int, default=520)
    parser.add_argument("--only", choices=["text", "ocr", "memory"])
    args = parser.parse_args()

    environment()
    pdfs = sorted(path for path in PDF_DIR.iterdir() if path.suffix.lower() == ".pdf")
    if args.only in (None, "text"):
        text_layer(pdfs, args.rounds)
    if args.only in (None, "ocr"):
        ocr(pdfs, args.ocr_pages)
    if args.only in (None, "memory"):
        memory(args.rss_pages)


def environment() -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    try:
        tesseract = str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError:
        tesseract = "not installed"
    print(f"CPU: {cpu}, {usable_cores()} usable cores; load average {os.getloadavg()[0]:.2f} at start")
    pdfium_build = pdfium.version.PDFIUM_INFO.build
    print(f"pypdfium2 {pdfium.version.PYPDFIUM_INFO} (pdfium {pdfium_build}), pypdf {pypdf.__version__}")
    print(f"Tesseract {tesseract}; Python {platform.python_version()}\n")


# --- 1. text layer ------------------------------------------------------------------------------------------
def pdfium_pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    texts = []
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        texts.append(textpage.get_text_bounded())
        textpage.close()
        page.close()
    document.close()
    return texts


def pypdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def parser_pages(data: bytes) -> list[str]:
    return parse_document(data, filename=None, limits=ParseLimits()).pages


def best_time(function: Callable[[bytes], list[str]], data: bytes, rounds: int) -> tuple[float, list[str]]:
    best = float("inf")
    pages: list[str] = []
    for _ in range(rounds):
        started = time.perf_counter()
        pages = function(data)
        best = min(best, time.perf_counter() - started)
    return best, pages


def text_layer(pdfs: list[Path], rounds: int) -> None:
    print(f"1. Text layer: pages/s on {len(pdfs)} CUAD PDFs (best of {rounds})")
    extractors = {"pypdfium2": pdfium_pages, "pypdf": pypdf_pages, "parse_document": parser_pages}
    for extractor in extractors.values():  # warm-up: imports, font caches
        extractor(pdfs[0].read_bytes())
    print(f"   {'file':<44} {'pages':>5} " + " ".join(f"{name:>15}" for name in extractors))
    totals: dict[str, float] = collections.defaultdict(float)
    chars: dict[str, int] = collections.defaultdict(int)
    pages_total = 0
    for path in pdfs:
        data = path.read_bytes()
        row = []
        pages = 0
        for name, extractor in extractors.items():
            seconds, texts = best_time(extractor, data, rounds)
            pages = len(texts)
            totals[name] += seconds
            chars[name] += sum(len(text) for text in texts)
            row.append(f"{pages / seconds:>15.0f}")
        pages_total += pages
        print(f"   {path.name[:44]:<44} {pages:>5} " + " ".join(row))
    print(f"   {'all':<44} {pages_total:>5} " + " ".join(f"{pages_total / totals[n]:>15.0f}" for n in extractors))
    print(f"   {'characters extracted':<50} " + " ".join(f"{chars[n]:>15,}" for n in extractors) + "\n")


# --- 2. OCR ---------------------------------------------------------------------------------------------------
def rasterised_pages(pdfs: list[Path], count: int) -> tuple[list[Image.Image], list[str]]:
    """Page 2 of each contract (a body page, not a cover), then page 3, ... at 300 dpi, with its text layer."""
    images: list[Image.Image] = []
    truths: list[str] = []
    page_index = 1
    while len(images) < count:
        for path in pdfs:
            document = pdfium.PdfDocument(path.read_bytes())
            if page_index < len(document) and len(images) < count:
                page = document[page_index]
                image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil().copy()
                textpage = page.get_textpage()
                truths.append(textpage.get_text_bounded())
                textpage.close()
                page.close()
                images.append(image.resize((2550, 3300)) if image.size != (2550, 3300) else image)
            document.close()
        page_index += 1
    return images, truths


def word_recall(recognised: str, truth: str) -> tuple[int, int]:
    expected = collections.Counter(word.lower() for word in WORD.findall(truth))
    found = collections.Counter(word.lower() for word in WORD.findall(recognised))
    return sum((expected & found).values()), sum(expected.values())


def ocr(pdfs: list[Path], count: int) -> None:
    print(f"2. OCR at {OCR_DPI} dpi: {count} real contract pages, rasterised, as a scanned PDF")
    images, truths = rasterised_pages(pdfs, count)
    scanned = scanned_pdf(images, size=(612.0, 792.0))
    del images
    words = sum(len(WORD.findall(truth)) for truth in truths) / len(truths)
    print(f"   {len(truths)} pages, {words:.0f} words per page on average, {len(scanned) / 1e6:.1f} MB")
    walls = {}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "scanned.pdf"
        path.write_bytes(scanned)
        for workers in sorted({usable_cores(), 1}, reverse=True):
            result = parse_in_child(path, workers)
            assert result["methods"] == [ExtractionMethod.OCR.value] * len(truths)
            hits, total = (sum(counts) for counts in zip(*map(word_recall, result["texts"], truths), strict=True))
            walls[workers] = result["seconds"]
            print(
                f"   {workers} worker{'s' if workers > 1 else ' '}: {result['seconds'] / len(truths):.2f} s per page"
                f" (wall {result['seconds']:.1f} s; Tesseract CPU {result['ocr_cpu'] / len(truths):.2f} s per page);"
                f" word recall {hits / total:.1%}; peak RSS {result['peak'] / 2**20:.0f} MiB;"
                f" load average after {os.getloadavg()[0]:.1f}"
            )
    if len(walls) > 1:
        print(f"   speed-up with {usable_cores()} workers: {walls[1] / walls[usable_cores()]:.2f}x")
    print()


# --- 3. memory -----------------------------------------------------------------------------------------------
# Run in a fresh interpreter so its peak RSS is its own. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
# execve, so a child would report the parent's peak.
CHILD = """
import json, re, resource, sys, time
import psutil
from pathlib import Path
from cyrano_arkiver.parsing import ParseLimits, parse_document

def high_water(pid="self"):
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1)) * 1024

def worker_peak():  # the processes that read PDFs (kept warm, so still there to ask)
    workers = [c.pid for c in psutil.Process().children() if "pdfium_worker.py" in " ".join(c.cmdline())]
    return max(map(high_water, workers), default=0)

data = Path(sys.argv[1]).read_bytes()
baseline = high_water()
started = time.perf_counter()
document = parse_document(data, filename=None, limits=ParseLimits(ocr_workers=int(sys.argv[2])))
seconds = time.perf_counter() - started
ocr = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "pages": document.page_count, "chars": document.char_count, "seconds": seconds, "baseline": baseline,
    "peak": high_water(), "worker_peak": worker_peak(), "ocr_cpu": ocr.ru_utime + ocr.ru_stime, "texts": document.pages,
    "methods": [method.value for method in document.page_methods],
}))
"""


def parse_in_child(path: Path, workers: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(workers)], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(output.stdout)
    return result


def contract_pages(count: int) -> list[str]:
    """`count` pages of real contract text (about 3,000 characters each) from the CUAD development set."""
    pages: list[str] = []
    with (DATA / "cuad_dev.jsonl").open() as lines:
        for record in map(json.loads, lines):
            text = re.sub(r"\s+", " ", record["text"])
            pages.extend(textwrap.wrap(text, 3000))
            if len(pages) >= count:
                return pages[:count]
    raise SystemExit(f"the CUAD set has fewer than {count} pages of text")


def memory(page_count: int) -> None:
    print(f"3. Memory: a generated {page_count}-page PDF of contract text, parsed in a fresh process")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "long.pdf"
        path.write_bytes(text_pdf(contract_pages(page_count)))
        size = path.stat().st_size
        result = parse_in_child(path, usable_cores())
    print(
        f"   {result['pages']} pages, {result['chars']:,} characters, {size / 1e6:.1f} MB file,"
        f" {result['seconds']:.2f} s ({result['pages'] / result['seconds']:.0f} pages/s)"
    )
    print(
        f"   RSS after imports {result['baseline'] / 2**20:.0f} MiB, peak RSS {result['peak'] / 2**20:.0f} MiB;"
        f" peak of the PDF worker process {result['worker_peak'] / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    main()

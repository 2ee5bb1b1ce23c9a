"""End-to-end ingest through the arkiver_ingest tool: parsing, extraction and storage, as a client sees it.

    python bench/ingest.py                      # all three sections (a few minutes on 2 cores)
    python bench/ingest.py --only text          # one section: text, ocr or memory

1. Text-layer PDFs (the CUAD development PDFs): pages per second of arkiver_ingest (an in-memory MCP session,
   `path` ingest into a fresh SQLite store: detection, text per page, rules extraction, one transaction with
   pages, insights and the FTS5 index) side by side with raw pypdfium2 text extraction of the same files, and
   the ratio. Best of --rounds; each round uses a new store so nothing is a duplicate.
2. OCR: real contract pages rasterised at 300 dpi into a scanned PDF, ingested end to end; seconds per page
   with every core busy (Tesseract runs one page per core).
3. Memory: a generated --rss-pages page PDF of contract text ingested end to end in a fresh process; peak RSS
   of the server process and of the worker process that read the PDF.
Targets on a 2-core machine: >= 150 pages/s for text PDFs, <= 1.5 s per OCR page, peak RSS < 400 MB.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from ingest_parsing import contract_pages, rasterised_pages  # noqa: E402
from shared_data import shared_data_dir  # noqa: E402

from tests.modules.cyrano_arkiver.test_parsing_samples import scanned_pdf, text_pdf  # noqa: E402

PDF_DIR = shared_data_dir() / "cuad_dev_pdf"  # $CYRANO_SHARED_DATA, else ../shared/data beside the repository

# Run inside a fresh interpreter: one ingest of argv[1] through an in-memory MCP session; prints JSON.
CHILD = """
import json, re, sys, tempfile, time
from pathlib import Path
import anyio, psutil
from mcp import Client
from cyrano_mcp.observability.logging import configure_logging
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings

configure_logging("WARNING", "json")

def high_water(pid="self"):
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1)) * 1024

def worker_peak():  # the processes that read PDFs (kept warm, so still there to ask)
    workers = [c.pid for c in psutil.Process().children() if "pdfium_worker.py" in " ".join(c.cmdline())]
    return max(map(high_water, workers), default=0)

async def main():
    path = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(data_dir=data_dir, allowed_roots=[str(path.parent)], log_level="WARNING",
                                 max_document_pages=5000)
        async with Client(build_runtime(settings).server) as client:
            baseline = high_water()
            started = time.perf_counter()
            result = await client.call_tool("arkiver_ingest", {"path": str(path)})
            seconds = time.perf_counter() - started
    assert not result.is_error, result.content
    document = result.structured_content["document"]
    print(json.dumps({"pages": document["page_count"], "method": document["method"], "seconds": seconds,
                      "baseline": baseline, "peak": high_water(), "worker_peak": worker_peak()}))

anyio.run(main)
"""


def ingest_in_child(path: Path) -> dict[str, Any]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def raw_pdfium_seconds(paths: list[Path]) -> tuple[int, float]:
    pages = 0
    started = time.perf_counter()
    for path in paths:
        document = pdfium.PdfDocument(path.read_bytes())
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return pages, time.perf_counter() - started


async def ingest_all(paths: list[Path]) -> tuple[int, float]:
    from mcp import Client

    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.settings import load_settings

    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(data_dir=data_dir, allowed_roots=[str(PDF_DIR)], log_level="WARNING")
        async with Client(build_runtime(settings).server) as client:
            await client.call_tool("arkiver_ingest", {"text": "warm-up: imports and caches", "filename": "w.txt"})
            pages = 0
            started = time.perf_counter()
            for path in paths:
                result = await client.call_tool("arkiver_ingest", {"path": str(path)})
                assert not result.is_error and result.structured_content, result.content
                pages += result.structured_content["document"]["page_count"]
            return pages, time.perf_counter() - started


def text_section(rounds: int) -> None:
    paths = sorted(path for path in PDF_DIR.iterdir() if path.suffix.lower() == ".pdf")
    raw_pages, raw = min((raw_pdfium_seconds(paths) for _ in range(rounds)), key=lambda r: r[1])
    pages, ingest = min((anyio.run(ingest_all, paths) for _ in range(rounds)), key=lambda r: r[1])
    assert pages == raw_pages
    print(f"1. Text-layer PDFs: {len(paths)} CUAD contracts, {pages} pages (best of {rounds})")
    print(f"   {'raw pypdfium2 text':<40} {raw_pages / raw:>8.0f} pages/s")
    print(f"   {'arkiver_ingest end to end':<40} {pages / ingest:>8.0f} pages/s   (target >= 150)")
    print(f"   {'ratio ingest / raw':<40} {raw / ingest:>8.2f}\n")


def ocr_section(count: int) -> None:
    paths = sorted(path for path in PDF_DIR.iterdir() if path.suffix.lower() == ".pdf")
    images, _ = rasterised_pages(paths, count)
    with tempfile.TemporaryDirectory() as directory:
        scanned = Path(directory) / "scanned.pdf"
        scanned.write_bytes(scanned_pdf(images, size=(612.0, 792.0)))
        result = ingest_in_child(scanned)
    assert result["method"] == "ocr", result
    print(f"2. OCR: {result['pages']} real contract pages rasterised at 300 dpi, ingested end to end")
    print(
        f"   {result['seconds'] / result['pages']:.2f} s per page with {os.cpu_count()} cores busy"
        f"   (target <= 1.5)   load average after {os.getloadavg()[0]:.1f}\n"
    )


def memory_section(page_count: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "long.pdf"
        path.write_bytes(text_pdf(contract_pages(page_count)))
        result = ingest_in_child(path)
    print(f"3. Memory: a generated {result['pages']}-page PDF ingested end to end in a fresh process")
    print(
        f"   {result['seconds']:.1f} s ({result['pages'] / result['seconds']:.0f} pages/s); RSS before the call "
        f"{result['baseline'] / 2**20:.0f} MiB, peak {result['peak'] / 2**20:.0f} MiB   (target < 400 MiB);"
        f" peak of the PDF worker process {result['worker_peak'] / 2**20:.0f} MiB\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=8)
    parser.add_argument("--rss-pages", type=int, default=520)
    parser.add_argument("--only", choices=["text", "ocr", "memory"])
    args = parser.parse_args()
    from cyrano_mcp.observability.logging import configure_logging

    configure_logging("WARNING", "json")
    print(
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    if args.only in (None, "text"):
        text_section(args.rounds)
    if args.only in (None, "ocr"):
        ocr_section(args.ocr_pages)
    if args.only in (None, "memory"):
        memory_section(args.rss_pages)


if __name__ == "__main__":
    main()

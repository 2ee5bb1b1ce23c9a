"""PDF decompression amplification: a 100 KB PDF whose one compressed content stream (100 MB of spaces) a
page lists ten times. Read in the server, it took 2 GB of memory and held the lock every other PDF waited on
for seconds per page; now it is read in a worker process with a memory and time budget and refused as
too_large, while other documents go on being ingested.

(Ten references from one page, not one from each of ten pages: pdfium frees a page's content before it loads
the next, so spreading the references over pages costs time but not memory.)
"""

import base64
import functools
import re
import signal
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from sqlalchemy import func
from sqlmodel import select

import cyrano_arkiver.document_writer
from cyrano_arkiver.models import Document
from cyrano_arkiver.parsing import CorruptDocument, DocumentError, DocumentTooLarge, ParseLimits, parse_document
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings
from tests.modules.cyrano_arkiver.test_parsing_pdf import pdf_workers
from tests.modules.cyrano_arkiver.test_parsing_samples import CONTRACT, text_pdf
from tests.utils.mcp import error, ok

pytestmark = pytest.mark.anyio

MIB = 1024 * 1024
HELVETICA = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def one_stream_pdf(content: bytes, *, references: int, resources: bytes = b"<< >>") -> bytes:
    """A one-page PDF, written byte by byte, whose page lists one Flate-compressed content stream many times."""
    stream = zlib.compress(content, 9)
    contents = b"[" + b" ".join([b"4 0 R"] * references) + b"]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %s >>" % (resources, contents),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    document = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(document)


@functools.cache
def pdf_bomb() -> bytes:
    return one_stream_pdf(b" " * 100_000_000, references=10)


def peak_rss_since_reset() -> Callable[[], int]:
    """Reset this process' peak RSS (VmHWM) and return a function that reads how far it grew since."""
    status = Path("/proc/self/status")

    def in_bytes(field: str) -> int:
        match = re.search(rf"{field}:\s+(\d+) kB", status.read_text())
        assert match is not None
        return int(match.group(1)) * 1024

    Path("/proc/self/clear_refs").write_text("5")  # 5: reset the peak to the current RSS
    baseline = in_bytes("VmRSS")
    return lambda: in_bytes("VmHWM") - baseline


async def test_a_pdf_bomb_is_refused_as_too_large_without_growing_the_server_or_stalling_other_ingests(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = pdf_bomb()
    assert len(bomb) < 200_000
    bomb_parsing = threading.Event()
    real_parse = cyrano_arkiver.document_writer.parse_document

    def parse_and_signal(data: bytes, **options: Any) -> Any:
        if data == bomb:
            bomb_parsing.set()
        return real_parse(data, **options)

    monkeypatch.setattr(cyrano_arkiver.document_writer, "parse_document", parse_and_signal)
    runtime = build_runtime(settings)
    finished: dict[str, float] = {}
    results: dict[str, Any] = {}
    async with runtime.running(), Client(runtime.server) as client:

        async def ingest(name: str, content: bytes) -> None:
            arguments = {"content_base64": base64.b64encode(content).decode(), "filename": f"{name}.pdf"}
            results[name] = await client.call_tool("arkiver_ingest", arguments)
            finished[name] = time.monotonic()

        growth = peak_rss_since_reset()
        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                group.start_soon(ingest, "bomb", bomb)
                await anyio.to_thread.run_sync(bomb_parsing.wait)
                started = time.monotonic()
                group.start_soon(ingest, "contract", text_pdf([CONTRACT]))
        peak_growth = growth()

        refused = error(results["bomb"], "too_large")
        assert "MiB of memory" in refused
        assert ok(results["contract"])["document"]["page_count"] == 1
        # The other ingest did not wait for the bomb: it was done while the bomb was still being read.
        assert finished["contract"] - started < 2.0
        assert finished["contract"] < finished["bomb"]
        assert peak_growth < 150 * MIB, f"the server grew by {peak_growth / MIB:.0f} MiB"
        async with runtime.database.session() as session:
            assert (await session.exec(select(func.count()).select_from(Document))).one() == 1


def test_a_pdf_that_takes_too_long_to_read_is_refused_as_too_large() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTooLarge, match="longer than the 0.2 s") as refused:
        parse_document(pdf_bomb(), filename=None, limits=ParseLimits(max_pdf_seconds=0.2))
    assert refused.value.code == "too_large"
    assert time.monotonic() - started < 2.0
    assert parse_document(text_pdf([CONTRACT]), filename=None, limits=ParseLimits()).pages == [CONTRACT]


def test_a_pdf_whose_text_expands_past_the_document_limit_is_refused() -> None:
    line = b"(" + b"word " * 200 + b") '\n"  # 300 lines of 0.5 pt type: 300 KB of text from a 2 KB file
    words = one_stream_pdf(
        b"BT /F1 0.5 Tf 0.6 TL 10 780 Td\n" + line * 300 + b"ET\n", references=1, resources=HELVETICA
    )
    assert len(words) < 10_000
    with pytest.raises(DocumentTooLarge, match="more than 0.1 MiB of text") as refused:
        parse_document(words, filename=None, limits=ParseLimits(max_bytes=100_000))
    assert refused.value.code == "too_large"
    assert len(parse_document(words, filename=None, limits=ParseLimits()).pages[0]) > 300_000


def test_a_pdf_that_crashes_the_reader_is_refused_as_damaged_and_the_next_one_is_read() -> None:
    refused: list[Exception] = []

    def parse_bomb() -> None:
        try:
            parse_document(pdf_bomb(), filename=None, limits=ParseLimits())
        except DocumentError as exc:
            refused.append(exc)

    reading = threading.Thread(target=parse_bomb)
    reading.start()
    # The worker decoding the bomb is the one whose memory climbs (idle workers stay near 25 MiB).
    deadline = time.monotonic() + 10
    busy = None
    while busy is None and time.monotonic() < deadline:
        busy = next((worker for worker in pdf_workers() if worker.memory_info().rss > 200 * MIB), None)
        time.sleep(0.01)
    assert busy is not None
    busy.send_signal(signal.SIGSEGV)  # what a pdfium bug on a malformed file looks like
    reading.join(timeout=10)
    assert len(refused) == 1 and isinstance(refused[0], CorruptDocument), refused
    assert "crashed the PDF reader" in str(refused[0])
    assert parse_document(text_pdf([CONTRACT]), filename=None, limits=ParseLimits()).pages == [CONTRACT]

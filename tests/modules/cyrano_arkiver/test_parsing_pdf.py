"""PDF: text layers, scanned pages through OCR, real contracts, and every way a PDF can be refused."""

import io
import json
import re
import threading

import psutil
import pypdf
import pytest

from cyrano_arkiver.parsing import (
    CorruptDocument,
    DocumentFormat,
    EmptyDocument,
    ExtractionMethod,
    ParseLimits,
    PasswordProtected,
    TooManyPages,
    parse_document,
)
from tests.conftest import shared_data
from tests.modules.cyrano_arkiver.test_parsing_samples import (
    CONTRACT,
    blank_pdf,
    pdf,
    require_tesseract,
    scan,
    scanned_pdf,
    text_pdf,
)

LIMITS = ParseLimits()


def parse(data: bytes, limits: ParseLimits = LIMITS) -> list[str]:
    return parse_document(data, filename=None, limits=limits).pages


def test_text_layer_pages_keep_their_numbers_and_text() -> None:
    pages = [CONTRACT, "Page two: the Supplier indemnifies the Customer.", "Page three: signatures."]
    calls: list[tuple[int, int]] = []
    document = parse_document(text_pdf(pages), filename="x.pdf", limits=LIMITS, progress=lambda *c: calls.append(c))
    assert document.format is DocumentFormat.PDF
    assert document.pages == pages
    assert document.page_methods == [ExtractionMethod.TEXT_LAYER] * 3
    assert document.method is ExtractionMethod.TEXT_LAYER
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert len(document.sha256) == 64


def test_hyphens_pdfium_joins_across_lines_stay_hyphens() -> None:
    assert parse(text_pdf(["Reimbursement of out-of-\npocket expenses."])) == [
        "Reimbursement of out-of-pocket expenses."
    ]


def test_blank_pages_keep_their_place() -> None:
    document = parse_document(text_pdf(["First", "", "Third page"]), filename=None, limits=LIMITS)
    assert document.pages == ["First", "", "Third page"]


def test_a_pdf_without_any_text_or_image_is_empty() -> None:
    with pytest.raises(EmptyDocument, match="no text"):
        parse(blank_pdf(2))


def test_password_protected_pdf_is_refused() -> None:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf([CONTRACT])))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(PasswordProtected, match="password-protected"):
        parse(buffer.getvalue())


def test_pdf_restricted_only_by_an_owner_password_opens() -> None:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf([CONTRACT])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert parse(buffer.getvalue()) == [CONTRACT]


def test_truncated_pdf_is_refused() -> None:
    data = text_pdf([CONTRACT] * 3)
    with pytest.raises(CorruptDocument, match="truncated"):
        parse(data[: len(data) * 2 // 3])


def test_garbage_behind_a_pdf_header_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="damaged"):
        parse(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nthis is not a pdf\n%%EOF\n")


def test_pdf_over_the_page_limit_is_refused_before_any_page_is_read() -> None:
    with pytest.raises(TooManyPages, match="3 pages; the limit is 2"):
        parse(text_pdf(["a", "b", "c"]), limits=ParseLimits(max_pages=2))


def test_pdfs_parse_correctly_in_parallel_threads() -> None:
    documents = {n: text_pdf([f"Document {n} page {p} of the agreement." for p in range(30)]) for n in range(4)}
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        results[n] = parse(documents[n])

    threads = [threading.Thread(target=work, args=(n,)) for n in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: [f"Document {n} page {p} of the agreement." for p in range(30)] for n in documents}


def pdf_workers() -> list[psutil.Process]:
    """This process' PDF worker processes."""
    return [child for child in psutil.Process().children() if "pdfium_worker.py" in " ".join(child.cmdline())]


def test_pdfs_read_one_after_another_reuse_a_warm_worker_process() -> None:
    parse(text_pdf(["warm-up"]))
    before = {worker.pid for worker in pdf_workers()}
    for number in range(5):
        assert parse(text_pdf([f"Document {number}"])) == [f"Document {number}"]
    assert {worker.pid for worker in pdf_workers()} == before and before


# --- scanned pages ------------------------------------------------------------------------------------------
def test_scanned_pages_are_ocrd() -> None:
    require_tesseract()
    pages = [scan("Governing Law: Delaware"), scan("Notices must be in writing")]
    document = parse_document(scanned_pdf(pages), filename=None, limits=LIMITS)
    assert document.pages == ["Governing Law: Delaware", "Notices must be in writing"]
    assert document.method is ExtractionMethod.OCR


def test_text_and_scanned_pages_mix() -> None:
    require_tesseract()
    image = scan("Signed by the Tenant")
    size = (288.0, 288.0 * image.height / image.width)
    document = parse_document(pdf([(None, "Typed first page"), (image, "")], size), filename=None, limits=LIMITS)
    assert document.pages == ["Typed first page", "Signed by the Tenant"]
    assert document.page_methods == [ExtractionMethod.TEXT_LAYER, ExtractionMethod.OCR]
    assert document.method is ExtractionMethod.MIXED


def test_a_scan_whose_text_layer_is_only_a_stamp_is_ocrd() -> None:
    require_tesseract()
    image = scan("Payment is due within thirty days")
    size = (288.0, 288.0 * image.height / image.width)
    document = parse_document(pdf([(image, "ACME-000123")], size), filename=None, limits=LIMITS)
    assert document.page_methods == [ExtractionMethod.OCR]
    assert "Payment is due within thirty days" in document.pages[0]


def test_a_blank_scan_is_empty() -> None:
    require_tesseract()
    with pytest.raises(EmptyDocument, match="not even by OCR"):
        parse(scanned_pdf([scan("")]))


def test_an_exception_from_progress_stops_the_parse() -> None:
    require_tesseract()

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        parse_document(
            scanned_pdf([scan("One"), scan("Two"), scan("Three")]), filename=None, limits=LIMITS, progress=cancel
        )


# --- real contracts -----------------------------------------------------------------------------------------
def _cuad(name: str) -> tuple[bytes, dict[str, object]]:
    pdfs = shared_data("cuad_dev_pdf")
    manifest = json.loads((pdfs / "manifest.json").read_text())
    with shared_data("cuad_dev.jsonl").open() as lines:
        record = next(r for r in map(json.loads, lines) if r["id"] == manifest[name])
    return (pdfs / name).read_bytes(), record


@pytest.mark.parametrize(
    "name",
    [
        "ADUROBIOTECH,INC_06_02_2020-EX-10.7-CONSULTING AGREEMENT.PDF",
        "NEXSTARFINANCEHOLDINGSINC_03_27_2002-EX-10.26-OUTSOURCING AGREEMENT.PDF",
    ],
)
def test_cuad_contracts_parse_page_by_page_with_the_annotated_clauses(name: str) -> None:
    data, record = _cuad(name)
    document = parse_document(data, filename=name, limits=LIMITS)
    assert document.page_count == len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert document.method is ExtractionMethod.TEXT_LAYER
    words = " ".join(" ".join(document.pages).split())
    gold = record["gold"]
    assert isinstance(gold, dict)
    spans = [span for span in gold["governing_law"]["spans"] if span]
    assert spans
    for span in spans:  # the annotators' quote, modulo line breaks
        assert re.sub(r"\s+", " ", span).strip() in words

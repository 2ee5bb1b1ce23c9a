"""Format detection from content, and the text-like formats: plain text, Markdown, HTML and DOCX."""

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from cyrano_arkiver.pages import paginate_text
from cyrano_arkiver.parsing import (
    CorruptDocument,
    DocumentFormat,
    DocumentTooLarge,
    EmptyDocument,
    ExtractionMethod,
    ParseLimits,
    PasswordProtected,
    SuspiciousArchive,
    TooManyPages,
    UnsupportedFormat,
    detect_format,
    looks_like_document,
    parse_document,
)
from tests.modules.cyrano_arkiver.test_parsing_samples import image_bytes, scan, text_pdf, word_document

LIMITS = ParseLimits()
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def parse(data: bytes, filename: str | None = None, limits: ParseLimits = LIMITS) -> list[str]:
    return parse_document(data, filename=filename, limits=limits).pages


# --- detection ----------------------------------------------------------------------------------------------
def test_binary_formats_are_recognised_by_content_whatever_the_name() -> None:
    image = scan("x", width=60, font_px=20)
    assert detect_format(text_pdf(["hello"]), "notes.txt") is DocumentFormat.PDF
    assert detect_format(word_document("hello"), "scan.pdf") is DocumentFormat.DOCX
    assert detect_format(image_bytes(image, "PNG"), "a.docx") is DocumentFormat.PNG
    assert detect_format(image_bytes(image, "JPEG"), None) is DocumentFormat.JPEG
    assert detect_format(image_bytes(image, "TIFF"), None) is DocumentFormat.TIFF
    assert detect_format(b"junk before the header %PDF-1.4 ...", None) is DocumentFormat.PDF
    assert detect_format(b"plain words", "contract.pdf") is DocumentFormat.TEXT


MARKDOWN = b"# Lease\n\nThe **Tenant** pays rent monthly.\n\n- first\n- second\n\nSee [the schedule](schedule.md).\n"
AMBIGUOUS = b"Memo\n\nThe tenant pays rent monthly.\n"


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (MARKDOWN, None, DocumentFormat.MARKDOWN),
        (MARKDOWN, "lease.txt", DocumentFormat.TEXT),  # the name breaks the tie
        (AMBIGUOUS, None, DocumentFormat.TEXT),
        (AMBIGUOUS, "memo.md", DocumentFormat.MARKDOWN),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", None, DocumentFormat.HTML),
        (b"<!-- saved --> <html lang=en><p>x</p></html>", "page.txt", DocumentFormat.HTML),  # unmistakable
        (b"<p>Order</p>", "order.html", DocumentFormat.HTML),
        (b"<p>Order</p>", None, DocumentFormat.TEXT),  # one tag is not a web page
        (b"<div><p>Order</p><p>of the court</p></div>", None, DocumentFormat.HTML),
        (b"Use the <b> tag sparingly.", "style.md", DocumentFormat.MARKDOWN),
    ],
)
def test_text_markdown_and_html_are_told_apart(data: bytes, filename: str | None, expected: DocumentFormat) -> None:
    assert detect_format(data, filename) is expected


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "legacy Microsoft Office"),
        (b"{\\rtf1\\ansi Hello}", "RTF"),
        (b"GIF89a" + bytes(64), "GIF"),
        (b"\x7fELF\x02\x01\x01" + bytes(200), "binary data"),
        (bytes(range(256)) * 8, "binary data"),
        (b"\x1f\x8b\x08\x00" + bytes(32), "gzip"),
    ],
)
def test_unknown_and_unsupported_binaries_are_refused(data: bytes, says: str) -> None:
    with pytest.raises(UnsupportedFormat, match=says):
        detect_format(data, "contract.pdf")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_zip_packages_other_than_word_documents_are_refused_by_name() -> None:
    workbook = (
        b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b"</Types>"
    )
    with pytest.raises(UnsupportedFormat, match="Excel workbook"):
        detect_format(_zip({"[Content_Types].xml": workbook}))
    with pytest.raises(UnsupportedFormat, match="OpenDocument"):
        detect_format(_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}))
    with pytest.raises(UnsupportedFormat, match="ZIP archive"):
        detect_format(_zip({"contract.pdf": b"%PDF-1.4"}))


def test_a_truncated_docx_is_corrupt() -> None:
    data = word_document("The parties agree.")
    with pytest.raises(CorruptDocument, match="damaged or truncated"):
        parse(data[: len(data) // 2])


def test_empty_input_is_an_empty_document() -> None:
    with pytest.raises(EmptyDocument):
        detect_format(b"")


# --- plain text and encodings -------------------------------------------------------------------------------
TEXT = "Café “quoted” — § 12\r\nSecond line\r\n"


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("utf-16"),  # with its byte-order mark
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252"],
)
def test_text_is_decoded_in_every_common_encoding_with_lf_line_ends(encoded: bytes) -> None:
    document = parse_document(encoded, filename="note.txt", limits=LIMITS)
    assert document.format is DocumentFormat.TEXT
    assert document.pages == ["Café “quoted” — § 12\nSecond line\n"]
    assert document.method is ExtractionMethod.TEXT


def test_long_text_is_paginated_exactly_and_reports_progress() -> None:
    text = "\n\n".join(f"Clause {n}. " + "The supplier shall deliver the goods on time. " * 8 for n in range(200))
    calls: list[tuple[int, int]] = []
    document = parse_document(text.encode(), filename=None, limits=LIMITS, progress=lambda *c: calls.append(c))
    assert document.pages == paginate_text(text)
    assert "".join(document.pages) == text
    assert document.page_count > 10
    assert document.char_count == len(text)
    assert calls == [(n, document.page_count) for n in range(1, document.page_count + 1)]


def test_form_feeds_in_text_are_page_breaks() -> None:
    assert parse(b"page one\fpage two") == ["page one\f", "page two"]


def test_markdown_is_kept_as_written() -> None:
    document = parse_document(MARKDOWN, filename=None, limits=LIMITS)
    assert document.format is DocumentFormat.MARKDOWN
    assert document.pages == [MARKDOWN.decode()]


def test_whitespace_only_text_is_empty() -> None:
    with pytest.raises(EmptyDocument):
        parse(b" \r\n\t\r\n ")


def test_text_over_the_page_limit_is_refused() -> None:
    text = "\n\n".join("A paragraph of the agreement. " * 20 for _ in range(100))
    with pytest.raises(TooManyPages, match="limit is 3") as refused:
        parse(text.encode(), limits=ParseLimits(max_pages=3))
    assert refused.value.code == "too_large"  # a client can tell "too big for this server" from "wrong"


def test_documents_over_the_size_limit_are_refused_before_anything_else() -> None:
    with pytest.raises(DocumentTooLarge, match="limit"):
        parse(b"%PDF-1.7 not even a real pdf" * 100, limits=ParseLimits(max_bytes=1000))


# --- HTML ---------------------------------------------------------------------------------------------------
def test_html_becomes_readable_text() -> None:
    html = (
        b"<!DOCTYPE html><html><head><title>Smith v. Jones</title><style>p { color: red }</style>"
        b"<script>document.write('<p>not text</p>')</script></head><body>"
        b"<h1>Opinion</h1><p>The   court\n held that&nbsp;&sect;&nbsp;1983 applies &amp; damages are due.</p>"
        b"<div>Line one<br>Line two</div><table><tr><th>Party</th><th>Role</th></tr>"
        b"<tr><td>Smith</td><td>Plaintiff</td></tr></table><ul><li>first</li><li>second</li></ul>"
        b"<pre>  keep   this\n  spacing</pre><noscript>enable scripts</noscript></body></html>"
    )
    document = parse_document(html, filename=None, limits=LIMITS)
    assert document.format is DocumentFormat.HTML
    assert document.method is ExtractionMethod.HTML
    assert document.pages == [
        "Smith v. Jones\n\nOpinion\n\nThe court held that § 1983 applies & damages are due.\n\n"
        "Line one\nLine two\n\nParty\tRole\nSmith\tPlaintiff\n\nfirst\nsecond\n\n  keep   this\n  spacing"
    ]


def test_html_honours_its_declared_charset_and_falls_back_when_it_lies() -> None:
    declared = '<html><head><meta charset="windows-1252"></head><body><p>Café “quoted”</p></body></html>'
    assert parse(declared.encode("cp1252")) == ["Café “quoted”"]
    lying = '<html><head><meta charset="utf-8"></head><body><p>Café</p></body></html>'
    assert parse(lying.encode("cp1252")) == ["Café"]


def test_html_with_nothing_but_script_is_empty() -> None:
    with pytest.raises(EmptyDocument):
        parse(b"<html><head><script>var a = 1;</script></head><body> </body></html>")


# --- DOCX ---------------------------------------------------------------------------------------------------
def test_docx_page_break_starts_a_new_page() -> None:
    data = word_document("COVER PAGE", "Master Services Agreement", "1. Definitions apply.", page_break_after=2)
    document = parse_document(data, filename=None, limits=LIMITS)
    assert document.format is DocumentFormat.DOCX
    assert document.method is ExtractionMethod.DOCX
    assert document.pages == ["COVER PAGE\n\nMaster Services Agreement\f", "1. Definitions apply."]


def _docx_with_body_xml(*fragments: str) -> bytes:
    document = docx.Document()
    body = document.element.body
    for fragment in fragments:
        body.insert(len(body) - 1, parse_xml(fragment.replace("<w:p>", f"<w:p {W_NS}>", 1)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_section_breaks_split_pages_unless_continuous() -> None:
    data = _docx_with_body_xml(
        "<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>Section one ends</w:t></w:r></w:p>",
        '<w:p><w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr><w:r><w:t>Same page</w:t></w:r></w:p>',
        "<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Schedule 1</w:t></w:r></w:p>",
    )
    assert parse(data) == ["Section one ends\f", "Same page\f", "Schedule 1"]


def test_docx_reads_tables_tabs_breaks_and_only_the_accepted_side_of_tracked_changes() -> None:
    data = _docx_with_body_xml(
        '<w:p><w:r><w:t xml:space="preserve">Rent is </w:t></w:r>'
        '<w:del w:id="1" w:author="A"><w:r><w:delText>$900</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A"><w:r><w:t>$1,000</w:t></w:r></w:ins>'
        "<w:r><w:tab/><w:t>monthly</w:t><w:br/><w:t>in advance</w:t></w:r></w:p>",
        f"<w:tbl {W_NS}><w:tr><w:tc><w:p><w:r><w:t>Landlord</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Acme</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>Tenant</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Widget</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    )
    assert parse(data) == ["Rent is $1,000\tmonthly\nin advance\n\nLandlord\tAcme\nTenant\tWidget"]


def test_long_docx_sections_are_paginated_and_join_back_exactly() -> None:
    paragraphs = [f"Clause {n}." + " The supplier shall deliver the goods on time." * 6 for n in range(120)]
    document = parse_document(word_document(*paragraphs, page_break_after=1), filename=None, limits=LIMITS)
    assert document.pages[0] == paragraphs[0] + "\f"
    assert document.page_count > 5
    assert "".join(document.pages) == paragraphs[0] + "\f" + "\n\n".join(paragraphs[1:])


def test_docx_without_text_is_empty() -> None:
    with pytest.raises(EmptyDocument):
        parse(word_document())


# --- DOCX zip-bomb guard --------------------------------------------------------------------------------------
def _docx_plus(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO(word_document("A small real document."))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _mark_encrypted(data: bytes, name: str) -> bytes:
    """Set the "encrypted" flag of `name` in the central directory, as a password-protected zip has it."""
    patched = bytearray(data)
    header = data.rindex(name.encode()) - 46  # the central directory entry is the name's last occurrence
    assert patched[header : header + 4] == b"PK\x01\x02"
    patched[header + 8] |= 0x1
    return bytes(patched)


def test_docx_zip_bomb_is_refused_from_its_directory() -> None:
    bomb = _docx_plus({"word/media/image9.png": bytes(8 * 1024 * 1024)})  # 8 MiB of zeros: ~8 KiB packed
    with pytest.raises(SuspiciousArchive, match="expands .* times") as refused:
        parse(bomb)
    assert refused.value.code == "too_large"


def test_a_long_repetitive_but_real_docx_is_not_mistaken_for_a_bomb() -> None:
    boilerplate = "The supplier shall deliver the goods on time and in full. " * 12
    clauses = [f'<w:p><w:r><w:t xml:space="preserve">Clause {n}. {boilerplate}</w:t></w:r></w:p>' for n in range(3000)]
    data = _docx_with_body_xml(*clauses)
    member = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    assert member.file_size / member.compress_size > 100  # what a 100:1 limit would have refused
    assert parse_document(data, filename=None, limits=LIMITS).page_count > 500


def test_docx_that_would_unpack_past_the_budget_is_refused() -> None:
    with pytest.raises(SuspiciousArchive, match="unpack to"):
        parse(word_document("Fine on its own."), limits=ParseLimits(max_zip_uncompressed_bytes=10_000))


def test_docx_with_too_many_members_is_refused() -> None:
    members = {f"word/extra/item{n}.xml": b"<a/>" for n in range(30)}
    with pytest.raises(SuspiciousArchive, match="holds"):
        parse(_docx_plus(members), limits=ParseLimits(max_zip_members=25))


def test_docx_with_a_nested_archive_is_refused_unless_it_is_an_embedded_workbook() -> None:
    with pytest.raises(SuspiciousArchive, match="another archive"):
        parse(_docx_plus({"word/media/inner.zip": _zip({"a.txt": b"a"})}))
    embedded = _docx_plus({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": _zip({"a.xml": b"<a/>"})})
    assert parse(embedded) == ["A small real document."]


def test_docx_with_an_encrypted_member_is_password_protected() -> None:
    with pytest.raises(PasswordProtected):
        parse(_mark_encrypted(_docx_plus({"word/secret.xml": b"<a/>"}), "word/secret.xml"))


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("Lease.PDF", True),
        ("engagement letter.docx", True),
        ("scan.tiff", True),
        ("notes.md", True),
        ("page.htm", True),
        ("memo.txt", True),
        ("manifest.json", False),
        ("Thumbs.db", False),
        ("desktop.ini", False),
        (".DS_Store", False),
        ("~$gagement letter.docx", False),
        ("old.doc", False),
        ("README", False),
        ("archive.zip", False),
    ],
)
def test_a_batch_takes_files_by_a_documents_name(name: str, document: bool) -> None:
    assert looks_like_document(name) is document

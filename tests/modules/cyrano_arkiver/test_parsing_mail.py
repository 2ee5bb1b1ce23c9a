"""E-mail (.eml): telling a message from a text, its headers and body, forwards, attachments, and refusals."""

import contextlib
import random
from datetime import UTC, datetime

import pytest

from cyrano_arkiver.parsing import (
    CorruptDocument,
    DocumentError,
    DocumentFormat,
    ExtractionMethod,
    ParsedDocument,
    ParseLimits,
    TooManyAttachments,
    UnsupportedFormat,
    detect_format,
    looks_like_document,
    parse_document,
)
from tests.modules.cyrano_arkiver import mail_samples as samples
from tests.modules.cyrano_arkiver.test_parsing_samples import text_pdf

LIMITS = ParseLimits()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def parse(data: bytes, filename: str | None = None, limits: ParseLimits = LIMITS) -> ParsedDocument:
    return parse_document(data, filename=filename, limits=limits)


# --- detection ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (samples.PLAIN, None, DocumentFormat.EML),
        (samples.PLAIN, "report.eml", DocumentFormat.EML),
        (samples.PLAIN, "upload.bin", DocumentFormat.EML),
        (b"From dana@example Tue Apr 14 09:30:00 2026\n" + samples.PLAIN, None, DocumentFormat.EML),  # mbox line
        (samples.NO_DATE, "note.eml", DocumentFormat.EML),  # the name settles a message with few headers
        (samples.NO_DATE, None, DocumentFormat.TEXT),  # without it, no header only mail software writes
        (samples.MEMO, None, DocumentFormat.TEXT),  # a typed memo's To/From/Date/Re is not an e-mail
        (samples.CONTRACT, None, DocumentFormat.TEXT),
        (samples.PLAIN, "report.txt", DocumentFormat.TEXT),  # a message saved as text is a text
    ],
)
def test_an_email_is_told_from_a_text_by_its_headers_and_name(
    data: bytes, filename: str | None, expected: DocumentFormat
) -> None:
    assert detect_format(data, filename) is expected


def test_eml_files_are_picked_from_folders() -> None:
    assert looks_like_document("Re lease.eml") and not looks_like_document("Re lease.msg")


@pytest.mark.parametrize("data", [b"just some words, no headers\n", b"\n\nFrom: x\n", b"%%garbage%%\x01 bytes"])
def test_an_eml_without_message_headers_is_refused(data: bytes) -> None:
    with pytest.raises((CorruptDocument, UnsupportedFormat)):
        parse(data, "broken.eml")


def test_outlook_msg_is_refused_with_the_way_out() -> None:
    for data, name in ((OLE, "Re lease.msg"), (OLE + "__substg1.0_0037001F".encode("utf-16-le"), None)):
        with pytest.raises(UnsupportedFormat, match=r"Outlook \.msg is not supported yet: save the message as \.eml"):
            detect_format(data, name)
    with pytest.raises(UnsupportedFormat, match="legacy Microsoft Office"):
        detect_format(OLE, "old.doc")


# --- reading ------------------------------------------------------------------------------------------------
def test_a_plain_message_is_its_header_block_then_its_body() -> None:
    parsed = parse(samples.PLAIN)
    assert parsed.format is DocumentFormat.EML and parsed.method is ExtractionMethod.EML
    text = "".join(parsed.pages)
    assert text.startswith(
        "From: Dana Whitfield <dana@harbor-analytics.example>\n"
        "To: Leo Marsh <leo@piernine.example>\n"
        "Cc: records@piernine.example\n"
        "Date: Tue, 14 Apr 2026 09:30:00 -0400 (2026-04-14T13:30:00Z)\n"
        "Subject: Occupancy report for March\n\n"
        "Leo,\n\nThe March occupancy report is ready."
    )
    assert parsed.mail is not None and parsed.mail.attachments == []
    headers = parsed.mail.headers
    assert headers.sent_at == datetime(2026, 4, 14, 13, 30, tzinfo=UTC)
    assert headers.message_id == "<report-0414@harbor-analytics.example>" and headers.in_reply_to == ""
    assert headers.cc == ["records@piernine.example"] and headers.bcc == []


def test_a_reply_names_the_message_it_answers() -> None:
    headers = parse(samples.REPLY).mail.headers  # type: ignore[union-attr]
    assert headers.in_reply_to == headers.references[0] == "<report-0414@harbor-analytics.example>"
    assert headers.sent_at == datetime(2026, 4, 15, 6, 5, tzinfo=UTC)


def test_the_plain_body_is_preferred_and_an_html_one_becomes_text() -> None:
    alternative = "".join(parse(samples.ALTERNATIVE).pages)
    assert "rent is due on the first business day." in alternative and "HTML body" not in alternative
    html = "".join(parse(samples.HTML_ONLY).pages)
    assert "The hearing is set for June 2, 2026.\n\nBring the lease." in html
    assert "<" not in html.split("\n\n", 1)[1] and "color" not in html


def test_encoded_words_and_a_latin1_body_are_decoded() -> None:
    parsed = parse(samples.ENCODED)
    headers = parsed.mail.headers  # type: ignore[union-attr]
    assert headers.sender == ["Zoë Müller <zoe@mueller.example>"]
    assert headers.to == ["François René <francois@rene.example>"]
    assert headers.subject == "Räumungsklage — Frist"
    text = "".join(parsed.pages)
    assert "Subject: Räumungsklage — Frist" in text
    assert "die Frist für die Räumung endet am 30. April 2026. Grüße" in text


def test_a_message_without_a_date_has_no_sent_time() -> None:
    parsed = parse(samples.NO_DATE, "note.eml")
    assert parsed.mail is not None and parsed.mail.headers.sent_at is None
    assert "Date: (none)\n" in parsed.pages[0]


def test_attachments_come_back_unread_and_a_forward_is_read_into_the_text() -> None:
    pdf = text_pdf(["Lease of the warehouse at Pier Nine."])
    inner = samples.with_attachments("Here is the lease.", [(pdf, "application", "pdf", "lease.pdf")])
    parsed = parse(samples.forwarding(inner, "See below; please review."))
    assert parsed.mail is not None
    text = "".join(parsed.pages)
    note, forwarded = text.split("---------- Forwarded message ----------\n")
    assert "Subject: Fwd: Documents for the lease" in note and "please review" in note
    assert forwarded.startswith("From: Dana Whitfield") and "Here is the lease." in forwarded
    [attachment] = parsed.mail.attachments
    assert (attachment.filename, attachment.content_type, attachment.data) == ("lease.pdf", "application/pdf", pdf)


def test_a_truncated_message_is_refused() -> None:
    with pytest.raises(CorruptDocument, match="truncated or its MIME structure is broken"):
        parse(samples.TRUNCATED_MULTIPART)
    whole = samples.with_attachments("x", [(text_pdf(["a"]), "application", "pdf", "a.pdf")])
    with pytest.raises(CorruptDocument):
        parse(whole[: len(whole) - 300], "cut.eml")  # the base64 of the PDF breaks off


def test_more_attachments_than_the_limit_are_refused() -> None:
    files = [(f"note {n}".encode(), "text", "plain", f"n{n}.txt") for n in range(3)]
    with pytest.raises(TooManyAttachments, match="3 attachments; the limit is 2"):
        parse(samples.with_attachments("three", files), limits=ParseLimits(max_attachments=2))


@pytest.mark.parametrize(
    ("written", "sent_at"),
    [
        ("Tue, 31 Feb 2026 10:00:00 +0000", None),  # no such day: the message stays, undated
        ("yesterday", None),
        ("14 Apr 2026 09:30:00", datetime(2026, 4, 14, 9, 30, tzinfo=UTC)),  # no zone given: taken as UTC
        ("Tue, 14 Apr 2026 23:30:00 -0800", datetime(2026, 4, 15, 7, 30, tzinfo=UTC)),
    ],
)
def test_a_date_is_kept_as_written_and_read_in_utc_when_it_can_be(written: str, sent_at: datetime | None) -> None:
    parsed = parse(samples.PLAIN.replace(b"Tue, 14 Apr 2026 09:30:00 -0400", written.encode()))
    assert parsed.mail is not None and parsed.mail.headers.sent_at == sent_at
    assert parsed.mail.headers.date_written == written and f"Date: {written}" in parsed.pages[0]


def test_damaged_messages_fail_as_documents_never_as_crashes() -> None:
    """Bytes changed, cut or inserted at random in real-looking messages: a typed refusal or a reading."""
    seeds = [samples.PLAIN, samples.ENCODED, samples.ALTERNATIVE, samples.forwarding(samples.REPLY, "fwd")]
    noise = [b"=?utf-8?q?", b"?=", b"=?x?b?@@?=", b'"', b"<", b"(", b"\\", b"--", b":", b"\n", b"\xe9"]
    rng = random.Random(17)
    for _ in range(1500):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            if rng.random() < 0.5:
                del data[at : at + rng.randint(1, 20)]
            else:
                data[at:at] = rng.choice(noise)
        with contextlib.suppress(DocumentError):
            parse(bytes(data), "damaged.eml")

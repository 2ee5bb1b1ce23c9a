"""E-mails through MCP sessions on both stores: a message and its attachments as documents, their links, the
metadata arkiver_messages gives a timeline, dedup, the typed refusals, and nothing stored when one fails."""

import base64
import functools
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client
from sqlmodel import select

from cyrano_arkiver.document_writer import DocumentWriter
from cyrano_arkiver.message_models import DocumentLink, DocumentMessage
from cyrano_arkiver.models import Document, DocumentPage, Insight
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from tests.modules.cyrano_arkiver import mail_samples as samples
from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT, arkiver_settings
from tests.modules.cyrano_arkiver.test_arkiver_tools import counts as count_rows
from tests.modules.cyrano_arkiver.test_parsing_samples import text_pdf, word_document
from tests.utils.mcp import error, ok

pytestmark = pytest.mark.anyio

LEASE = "LEASE. This Lease is governed by the laws of the State of Oregon. Rent is $4,000.00 per month."
SCHEDULE = "Schedule A. The warehouse at 9 Pier Road, Portland, with its loading dock."
DOCX = "vnd.openxmlformats-officedocument.wordprocessingml.document"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"


MAIL_TABLES = (Document, DocumentPage, Insight, DocumentMessage, DocumentLink)


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        yield runtime


async def counts(runtime: Runtime) -> tuple[int, ...]:
    return await count_rows(runtime, MAIL_TABLES)


def upload(data: bytes, filename: str, matter_id: str | None = None) -> dict[str, Any]:
    arguments: dict[str, Any] = {"content_base64": base64.b64encode(data).decode(), "filename": filename}
    if matter_id is not None:
        arguments["matter_id"] = matter_id
    return arguments


async def new_matter(client: Client) -> str:
    created = {"client_name": "Pier Nine", "title": "Warehouse lease", "practice_area": "real estate"}
    return str(ok(await client.call_tool("matters_create", created))["id"])


@functools.cache
def lease_pdf() -> bytes:
    return text_pdf([LEASE, SCHEDULE])


@functools.cache  # built once: MIME boundaries and a DOCX's timestamps differ each time
def lease_message() -> bytes:
    return samples.with_attachments(
        "Leo, the lease and the side letter are attached, with our logo.",
        [
            (lease_pdf(), "application", "pdf", "lease.pdf"),
            (word_document("SIDE LETTER", "The Tenant may park two vehicles."), "application", DOCX, "side.docx"),
            (GIF, "image", "gif", "logo.gif"),
        ],
    )


async def test_a_message_is_a_document_with_its_header_block_and_sealed_metadata(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        result = ok(await client.call_tool("arkiver_ingest", upload(samples.PLAIN, "report.eml", matter)))
        document = result["document"]
        assert document["format"] == "eml" and document["method"] == "eml" and document["filename"] == "report.eml"
        assert result["skipped_attachments"] is None and document["attachments"] is None
        assert result["insight_counts"]["amounts"] == 1  # the message's own text is read like any document's

        read = ok(await client.call_tool("arkiver_read_document", {"document_id": document["id"]}))
        assert read["pages"][0]["text"].startswith(
            "From: Dana Whitfield <dana@harbor-analytics.example>\nTo: Leo Marsh <leo@piernine.example>\n"
            "Cc: records@piernine.example\nDate: Tue, 14 Apr 2026 09:30:00 -0400 (2026-04-14T13:30:00Z)\n"
            "Subject: Occupancy report for March\n\nLeo,"
        )
        [message] = ok(await client.call_tool("arkiver_messages", {"matter_id": matter}))["items"]
        assert message["document_id"] == document["id"] and message["sent_at"].startswith("2026-04-14T13:30:00")
        assert message["sender"] == ["Dana Whitfield <dana@harbor-analytics.example>"]
        assert (message["to"], message["cc"]) == (["Leo Marsh <leo@piernine.example>"], ["records@piernine.example"])
        assert message["subject"] == "Occupancy report for March"
        assert message["message_id"] == "<report-0414@harbor-analytics.example>"
        assert message["attachments"] == [] and message["skipped"] == []
    async with runtime.database.session() as session:
        [envelope] = (await session.exec(select(DocumentMessage.envelope))).all()
    assert envelope.startswith("cy1$documents$") and "Whitfield" not in envelope and "Occupancy" not in envelope


async def test_attachments_are_documents_of_their_own_linked_to_their_message(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        result = ok(await client.call_tool("arkiver_ingest", upload(lease_message(), "lease mail.eml", matter)))
        message_id = result["document"]["id"]
        [skipped] = result["skipped_attachments"]
        assert (skipped["filename"], skipped["content_type"], skipped["size_bytes"]) == (
            "logo.gif",
            "image/gif",
            len(GIF),
        )
        assert "GIF image" in skipped["reason"]

        attachment_ids = result["document"]["attachments"]
        assert len(attachment_ids) == 2
        listed = ok(await client.call_tool("arkiver_list_documents", {"matter_id": matter}))
        by_id = {item["id"]: item for item in listed["items"]}
        assert listed["total"] == 3 and set(by_id) == {message_id, *attachment_ids}
        pdf, side = (by_id[attachment_id] for attachment_id in attachment_ids)
        assert (pdf["filename"], pdf["format"], pdf["page_count"]) == ("lease.pdf", "pdf", 2)
        assert (side["filename"], side["format"]) == ("side.docx", "docx")
        assert pdf["attached_to"] == side["attached_to"] == [message_id] and pdf["attachments"] is None
        assert by_id[message_id]["attachments"] == attachment_ids

        insights = ok(await client.call_tool("arkiver_insights", {"document_id": pdf["id"]}))["key_terms"]
        assert insights["governing_law"]["jurisdiction"] == "Oregon"
        assert (
            ok(await client.call_tool("arkiver_search", {"query": "park two vehicles"}))["hits"][0]["document_id"]
            == side["id"]
        )
        [message] = ok(await client.call_tool("arkiver_messages", {"matter_id": matter}))["items"]
        assert message["attachments"] == [
            {"document_id": pdf["id"], "filename": "lease.pdf"},
            {"document_id": side["id"], "filename": "side.docx"},
        ]
        assert message["skipped"] == [skipped]

        before = await counts(runtime)
        assert (before[:2], before[3:]) == ((3, 4), (1, 2))  # pages: the message 1, the PDF 2, the DOCX 1
        again = ok(await client.call_tool("arkiver_ingest", upload(lease_message(), "again.eml", matter)))
        assert again["duplicate"] is True and again["document"]["id"] == message_id
        assert again["document"]["attachments"] == attachment_ids
        assert await counts(runtime) == before

        # The same lease attached to another message is linked, not stored twice.
        forward = samples.with_attachments(
            "The lease again.", [(lease_pdf(), "application", "pdf", "copy.pdf")], subject="Lease"
        )
        other = ok(await client.call_tool("arkiver_ingest", upload(forward, "copy.eml", matter)))["document"]
        assert other["attachments"] == [pdf["id"]]
        pdf_now = ok(await client.call_tool("arkiver_read_document", {"document_id": pdf["id"]}))["document"]
        assert pdf_now["attached_to"] == [message_id, other["id"]]
        assert (await counts(runtime))[0] == 4


async def test_forwards_encoded_headers_and_html_bodies_read_as_written(runtime: Runtime) -> None:
    inner = samples.with_attachments(
        "Here is the side letter.", [(word_document("Parking."), "application", DOCX, "s.docx")]
    )
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        forward = ok(
            await client.call_tool("arkiver_ingest", upload(samples.forwarding(inner, "FYI"), "f.eml", matter))
        )
        text = ok(await client.call_tool("arkiver_read_document", {"document_id": forward["document"]["id"]}))
        body = text["pages"][0]["text"]
        assert "FYI" in body and "---------- Forwarded message ----------\nFrom: Dana Whitfield" in body
        assert "Here is the side letter." in body and len(forward["document"]["attachments"]) == 1
        encoded = ok(await client.call_tool("arkiver_ingest", upload(samples.ENCODED, "räumung.eml", matter)))
        html = ok(await client.call_tool("arkiver_ingest", upload(samples.HTML_ONLY, "notice.eml", matter)))
        messages = {
            item["document_id"]: item
            for item in ok(await client.call_tool("arkiver_messages", {"matter_id": matter}))["items"]
        }
        assert messages[encoded["document"]["id"]]["subject"] == "Räumungsklage — Frist"
        assert messages[encoded["document"]["id"]]["sender"] == ["Zoë Müller <zoe@mueller.example>"]
        hits = ok(await client.call_tool("arkiver_search", {"query": "Räumung", "matter_id": matter}))["hits"]
        assert [hit["document_id"] for hit in hits] == [encoded["document"]["id"]]
        hearing = ok(await client.call_tool("arkiver_read_document", {"document_id": html["document"]["id"]}))
        assert "The hearing is set for June 2, 2026." in hearing["pages"][0]["text"]


async def test_messages_come_oldest_first_within_a_period_a_page_at_a_time(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        ids = {}
        for name, data in (
            ("undated.eml", samples.NO_DATE),
            ("notice.eml", samples.HTML_ONLY),
            ("reply.eml", samples.REPLY),
            ("report.eml", samples.PLAIN),
        ):
            ids[name] = ok(await client.call_tool("arkiver_ingest", upload(data, name, matter)))["document"]["id"]
        ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "matter_id": matter}))  # not a message
        everything = ok(await client.call_tool("arkiver_messages", {"matter_id": matter}))
        order = [item["document_id"] for item in everything["items"]]
        assert order == [ids["report.eml"], ids["reply.eml"], ids["notice.eml"], ids["undated.eml"]]
        report, reply = everything["items"][:2]
        assert reply["in_reply_to"] == report["message_id"] and everything["items"][3]["sent_at"] is None

        april = {"matter_id": matter, "since": "2026-04-15", "until": "2026-04-30"}
        assert [item["document_id"] for item in ok(await client.call_tool("arkiver_messages", april))["items"]] == [
            ids["reply.eml"]
        ]
        first = ok(await client.call_tool("arkiver_messages", {"matter_id": matter, "limit": 3}))
        rest = ok(
            await client.call_tool(
                "arkiver_messages", {"matter_id": matter, "limit": 3, "cursor": first["next_cursor"]}
            )
        )
        assert [item["document_id"] for item in first["items"] + rest["items"]] == order and rest["next_cursor"] is None
        moved = {**april, "limit": 3, "cursor": first["next_cursor"]}
        error(await client.call_tool("arkiver_messages", moved), "invalid_input")
        backwards = {"matter_id": matter, "since": "2026-05-01", "until": "2026-04-01"}
        error(await client.call_tool("arkiver_messages", backwards), "invalid_input")
        unknown = {"matter_id": "00000000-0000-4000-8000-000000000000"}
        error(await client.call_tool("arkiver_messages", unknown), "not_found")


@pytest.mark.parametrize(
    ("data", "filename", "code", "message"),
    [
        (samples.TRUNCATED_MULTIPART, "cut.eml", "invalid_input", "truncated or its MIME structure is broken"),
        (b"no headers at all, only words\n", "empty.eml", "invalid_input", "does not start with message headers"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Re lease.msg", "invalid_input", "save the message as .eml"),
    ],
)
async def test_a_broken_email_is_refused_and_stores_nothing(
    runtime: Runtime, data: bytes, filename: str, code: str, message: str
) -> None:
    async with Client(runtime.server) as client:
        assert message in error(await client.call_tool("arkiver_ingest", upload(data, filename)), code)
    assert await counts(runtime) == (0, 0, 0, 0, 0)


async def test_too_many_attachments_are_refused(settings: Settings) -> None:
    runtime = build_runtime(arkiver_settings(settings, max_message_attachments=2))
    async with runtime.running(), Client(runtime.server) as client:
        refused = error(await client.call_tool("arkiver_ingest", upload(lease_message(), "lease.eml")), "too_large")
        assert "3 attachments; the limit is 2 (CYRANO_MAX_MESSAGE_ATTACHMENTS)" in refused
        assert await counts(runtime) == (0, 0, 0, 0, 0)


async def test_a_failure_while_storing_an_attachment_leaves_nothing_of_the_message(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DocumentWriter.store
    stored: list[str] = []

    async def failing_on_the_second(self: DocumentWriter, session: Any, prepared: Any) -> None:
        stored.append(prepared.document.id)
        if len(stored) == 2:
            raise RuntimeError("disk full")
        await store(self, session, prepared)

    monkeypatch.setattr(DocumentWriter, "store", failing_on_the_second)
    async with Client(runtime.server) as client:
        assert (await client.call_tool("arkiver_ingest", upload(lease_message(), "lease.eml"))).is_error
    assert len(stored) == 2 and await counts(runtime) == (0, 0, 0, 0, 0)


async def test_a_closed_matter_refuses_the_message_and_its_attachments(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        ok(await client.call_tool("matters_close", {"matter_id": matter}))
        error(await client.call_tool("arkiver_ingest", upload(lease_message(), "lease.eml", matter)), "conflict")
    assert (await counts(runtime))[0] == 0


async def test_deleting_a_message_keeps_its_attachments(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        result = ok(await client.call_tool("arkiver_ingest", upload(lease_message(), "lease.eml")))
        ok(await client.call_tool("arkiver_delete", {"document_id": result["document"]["id"]}))
        for attachment_id in result["document"]["attachments"]:
            kept = ok(await client.call_tool("arkiver_read_document", {"document_id": attachment_id}))["document"]
            assert kept["attached_to"] is None
    assert (await counts(runtime))[0] == 2 and (await counts(runtime))[3:] == (0, 0)

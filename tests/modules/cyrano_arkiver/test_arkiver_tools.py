"""Arkiver's tools through MCP client sessions: ingest, insights, search, read, delete, on both stores."""

import base64
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from sqlalchemy import func, text
from sqlmodel import SQLModel, select

from cyrano_arkiver.models import Document, DocumentPage, Insight
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

DATA = Path(__file__).resolve().parents[2] / "data"
CONTRACT = """CONSULTING AGREEMENT

This Consulting Agreement (the "Agreement") is made and entered into as of May 8, 2014 (the "Effective Date"),
by and between Harbor Analytics LLC, a Delaware limited liability company ("Consultant"), and Pier Nine
Properties, Inc., a California corporation (the "Company").

1. Services. Consultant shall deliver the monthly occupancy report to the Company within ten (10) days after
the end of each calendar month.

2. Fees. The Company shall pay Consultant a fee of $12,500.00 per month for the Services.

3. Term. This Agreement shall commence on the Effective Date and continue for a period of two (2) years.

4. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the State
of California, without regard to its conflict of laws principles.
"""


def arkiver_settings(base: Settings, **extra: Any) -> Settings:
    values = {**base.model_dump(), **extra}
    return load_settings(**values)


@pytest.fixture
async def runtime(any_store_settings: Settings, tmp_path: Path) -> AsyncIterator[Runtime]:
    (tmp_path / "inbox").mkdir()
    runtime = build_runtime(arkiver_settings(any_store_settings, allowed_roots=[tmp_path / "inbox"]))
    async with runtime.running():
        yield runtime


async def counts(
    runtime: Runtime, tables: tuple[type[SQLModel], ...] = (Document, DocumentPage, Insight)
) -> tuple[int, ...]:
    """How many rows each table holds (by default: documents, pages, insights)."""
    async with runtime.database.session() as session:
        return tuple([(await session.exec(select(func.count()).select_from(table))).one() for table in tables])


@pytest.mark.parametrize("mode", MODES)
async def test_ingest_text_then_read_its_insights_with_exact_provenance(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        result = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "filename": "consulting.txt"}))
        document = result["document"]
        assert result["duplicate"] is False
        assert document["format"] == "text" and document["page_count"] == 1
        assert document["char_count"] == len(CONTRACT) and document["insights_method"] == "rules"
        assert result["insight_counts"]["parties"] >= 2 and result["insight_counts"]["governing_law"] == 1

        insights = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))
        assert insights["method"] == "rules" and insights["next_cursor"] is None and insights["more"] is None
        key, lists = insights["key_terms"], insights["lists"]
        assert key["governing_law"]["jurisdiction"] == "California"
        assert {p["name"] for p in key["parties"]} >= {"Harbor Analytics LLC", "Pier Nine Properties, Inc."}
        assert any(d["date"] == "2014-05-08" and d["kind"] in ("agreement", "effective") for d in key["dates"])
        assert any(a["currency"] == "USD" and float(a["value"]) == 12500 for a in lists["amounts"])
        assert insights["counts"]["obligations"] == len(lists["obligations"]) > 0

        pages = ok(await client.call_tool("arkiver_read_document", {"document_id": document["id"]}))["pages"]
        page_text = {page["page"]: page["text"] for page in pages}
        items = [*key["parties"], *key["dates"], key["governing_law"], *lists["amounts"], *lists["obligations"]]
        spans = [item["provenance"] for item in items]
        for span in spans:  # a quote is the page's own words; one left out stands inside another quote
            if span["quote"] is not None:
                assert page_text[span["page"]][span["start"] : span["end"]] == span["quote"]
            else:
                assert any(
                    other["quote"]
                    and other["page"] == span["page"]
                    and other["start"] <= span["start"]
                    and span["end"] <= other["end"]
                    for other in spans
                )

        only_law = ok(
            await client.call_tool("arkiver_insights", {"document_id": document["id"], "kinds": ["governing_law"]})
        )
        assert only_law["key_terms"]["parties"] == [] and only_law["key_terms"]["governing_law"] is not None
        assert only_law["lists"]["obligations"] == [] and only_law["obligors"] is None


async def test_a_pdf_is_ingested_page_by_page_with_progress(runtime: Runtime) -> None:
    progress: list[tuple[float, float | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total))

    data = base64.b64encode((DATA / "strategic_alliance.pdf").read_bytes()).decode()
    async with Client(runtime.server) as client:
        result = ok(
            await client.call_tool(
                "arkiver_ingest", {"content_base64": data, "filename": "alliance.pdf"}, progress_callback=on_progress
            )
        )
        document = result["document"]
        assert document["format"] == "pdf" and document["page_count"] == 19 and document["method"] == "text-layer"
        assert progress[-1] == (19.0, 19.0) and len(progress) == 19
        insights = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))["key_terms"]
        assert insights["governing_law"]["jurisdiction"] == "California"
        assert any(d["date"] == "2010-03-18" for d in insights["dates"])


async def test_the_same_content_in_the_same_matter_is_stored_once(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = ok(
            await client.call_tool(
                "matters_create", {"client_name": "Harbor", "title": "Consulting", "practice_area": "commercial"}
            )
        )
        first = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "matter_id": matter["id"]}))
        again = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "matter_id": matter["id"]}))
        assert again["duplicate"] is True and again["document"]["id"] == first["document"]["id"]
        assert again["insight_counts"] == first["insight_counts"]
        elsewhere = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT}))
        assert elsewhere["duplicate"] is False and elsewhere["document"]["id"] != first["document"]["id"]
        listed = ok(await client.call_tool("arkiver_list_documents", {"matter_id": matter["id"]}))
        assert listed["total"] == 1 and listed["items"][0]["id"] == first["document"]["id"]
    assert (await counts(runtime))[0] == 2


async def test_the_document_list_comes_ten_at_a_time_with_the_next_offset(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        for number in range(12):
            ok(await client.call_tool("arkiver_ingest", {"text": f"File note {number}.", "filename": f"n{number}.txt"}))
        first = ok(await client.call_tool("arkiver_list_documents", {}))
        assert (len(first["items"]), first["total"], first["next_offset"]) == (10, 12, 10)
        rest = ok(await client.call_tool("arkiver_list_documents", {"offset": first["next_offset"]}))
        assert (len(rest["items"]), rest["next_offset"]) == (2, None)
        names = {item["filename"] for item in first["items"] + rest["items"]}
        assert names == {f"n{number}.txt" for number in range(12)}


async def test_search_ranks_pages_and_respects_the_matter(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = ok(
            await client.call_tool(
                "matters_create", {"client_name": "Harbor", "title": "Consulting", "practice_area": "commercial"}
            )
        )
        ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "matter_id": matter["id"]}))
        lease = "A lease of the warehouse at Pier Nine, governed by Oregon law. Rent is due monthly."
        lease_id = ok(await client.call_tool("arkiver_ingest", {"text": lease, "filename": "lease.txt"}))["document"][
            "id"
        ]

        hits = ok(await client.call_tool("arkiver_search", {"query": "occupancy report"}))["hits"]
        assert len(hits) == 1 and hits[0]["page"] == 1 and "«occupancy»" in hits[0]["snippet"]
        assert len(ok(await client.call_tool("arkiver_search", {"query": "Pier Nine"}))["hits"]) == 2
        in_matter = ok(await client.call_tool("arkiver_search", {"query": "Pier Nine", "matter_id": matter["id"]}))
        assert [hit["matter_id"] for hit in in_matter["hits"]] == [matter["id"]]
        in_lease = ok(await client.call_tool("arkiver_search", {"query": "Pier Nine", "document_id": lease_id}))
        assert [hit["document_id"] for hit in in_lease["hits"]] == [lease_id]
        assert "«Pier» «Nine»" in in_lease["hits"][0]["snippet"]
        elsewhere = {"query": "occupancy", "document_id": lease_id}
        assert ok(await client.call_tool("arkiver_search", elsewhere))["hits"] == []
        assert ok(await client.call_tool("arkiver_search", {"query": '"monthly occupancy"'}))["hits"]
        assert ok(await client.call_tool("arkiver_search", {"query": '"occupancy monthly"'}))["hits"] == []
        assert ok(await client.call_tool("arkiver_search", {"query": "paying"}))["hits"]  # stemmed: pay ~ paying
        for hostile in ("NEAR(a b) OR text:*", 'x" OR "y', "^*:()-"):
            result = await client.call_tool("arkiver_search", {"query": hostile})  # user text is never FTS syntax
            assert not result.is_error or "invalid_input" in str(result.content)
        error(await client.call_tool("arkiver_search", {"query": "---"}), "invalid_input")


async def test_delete_removes_pages_insights_and_index_entries(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT}))["document"]
        deleted = ok(await client.call_tool("arkiver_delete", {"document_id": document["id"]}))
        assert deleted["deleted_pages"] == 1 and deleted["deleted_insights"] > 0
        assert await counts(runtime) == (0, 0, 0)
        assert ok(await client.call_tool("arkiver_search", {"query": "occupancy"}))["hits"] == []
        error(await client.call_tool("arkiver_insights", {"document_id": document["id"]}), "not_found")
        error(await client.call_tool("arkiver_delete", {"document_id": document["id"]}), "not_found")
        again = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT}))  # re-ingest after delete works
        hits = ok(await client.call_tool("arkiver_search", {"query": "occupancy"}))["hits"]
        assert [hit["document_id"] for hit in hits] == [again["document"]["id"]]


async def test_the_document_is_a_resource(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT}))["document"]
        contents = (await client.read_resource(f"cyrano://documents/{document['id']}")).contents[0]
        assert "occupancy report" in contents.text  # type: ignore[union-attr]
        with pytest.raises(MCPError, match="not_found"):
            await client.read_resource("cyrano://documents/00000000-0000-4000-8000-000000000000")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "give exactly one of path, text or content_base64"),
        ({"text": "a", "path": "/etc/passwd"}, "give exactly one"),
        ({"content_base64": "aGVsbG8="}, "filename is required with content_base64"),
        ({"content_base64": "not base64!", "filename": "x.pdf"}, "not valid base64"),
        ({"text": "x", "filename": "../evil.txt"}, "filename: String should match pattern"),
        ({"content_base64": base64.b64encode(b"%PDF-1.7\n garbage").decode(), "filename": "x.pdf"}, ""),
        ({"content_base64": base64.b64encode(bytes(range(256)) * 8).decode(), "filename": "x.bin"}, ""),
        ({"text": "   \n\n  "}, ""),
    ],
)
async def test_bad_input_is_refused_and_stores_nothing(
    runtime: Runtime, arguments: dict[str, Any], message: str
) -> None:
    async with Client(runtime.server) as client:
        refused = error(await client.call_tool("arkiver_ingest", arguments), "invalid_input")
        assert message in refused
    assert await counts(runtime) == (0, 0, 0)


async def test_paths_must_stay_under_the_allowed_roots(runtime: Runtime, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "contract.txt").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the root", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", inbox / "link.txt")
    async with Client(runtime.server) as client:
        result = ok(await client.call_tool("arkiver_ingest", {"path": str(inbox / "contract.txt")}))
        assert result["document"]["filename"] == "contract.txt"
        for escape, code in (
            (str(inbox / ".." / "secret.txt"), "invalid_input"),
            (str(inbox / "link.txt"), "permission_denied"),
            (str(tmp_path / "secret.txt"), "permission_denied"),
            ("/dev/zero", "permission_denied"),
            (str(inbox / "missing.txt"), "not_found"),
            (str(inbox), "invalid_input"),
        ):
            error(await client.call_tool("arkiver_ingest", {"path": escape}), code)
    assert (await counts(runtime))[0] == 1


async def test_matters_must_exist_and_be_open(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = ok(await client.call_tool("matters_create", {"client_name": "C", "title": "T", "practice_area": "p"}))
        ok(await client.call_tool("matters_close", {"matter_id": matter["id"]}))
        error(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "matter_id": matter["id"]}), "conflict")
        unknown = {"text": CONTRACT, "matter_id": "00000000-0000-4000-8000-000000000000"}
        error(await client.call_tool("arkiver_ingest", unknown), "not_found")
    assert await counts(runtime) == (0, 0, 0)


async def test_the_size_limit_is_enforced_before_parsing(settings: Settings) -> None:
    runtime = build_runtime(arkiver_settings(settings, max_document_bytes=2_000))
    async with Client(runtime.server) as client:
        message = error(await client.call_tool("arkiver_ingest", {"text": "word " * 1000}), "too_large")
        assert "larger than the limit" in message


async def test_the_sqlite_index_holds_no_copy_of_the_text(settings: Settings) -> None:
    runtime = build_runtime(arkiver_settings(settings))
    async with Client(runtime.server) as client:
        ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT}))
        async with runtime.database.session() as session:
            names = [
                row[0]
                for row in await session.exec(
                    text("SELECT name FROM sqlite_master WHERE name LIKE 'document_pages_fts%'")
                )
            ]
        assert "document_pages_fts" in names and "document_pages_fts_content" not in names


async def test_page_text_and_quotes_are_sealed_at_rest(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT}))["document"]
        async with runtime.database.session() as session:
            pages = (await session.exec(select(DocumentPage.text))).all()
            quotes = (await session.exec(select(Insight.quote, Insight.data))).all()
        assert pages and all(text.startswith("cy1$documents$") and "occupancy" not in text for text in pages)
        assert quotes and all(q.startswith("cy1$") and d.startswith("cy1$") and "Harbor" not in q for q, d in quotes)
        # A sealed page copied onto another page's row no longer opens: the tool fails cleanly, nothing leaks.
        second = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT + "\fPage two.", "filename": "b"}))
        async with runtime.database.transaction() as session:
            one = (await session.exec(select(DocumentPage).where(DocumentPage.document_id == document["id"]))).one()
            other = (
                await session.exec(select(DocumentPage).where(DocumentPage.document_id == second["document"]["id"]))
            ).first()
            assert other is not None
            other.text = one.text
            session.add(other)
        refused = error(
            await client.call_tool("arkiver_read_document", {"document_id": second["document"]["id"]}), "data_integrity"
        )
        assert "fails its integrity check" in refused

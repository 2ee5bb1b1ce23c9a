"""arkiver_clauses through MCP client sessions: one contract, a scanned one, a matter's grid, filters and errors."""

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client
from sqlalchemy import delete
from sqlmodel import col, select

from cyrano_arkiver.clause_answers import passage_quote
from cyrano_arkiver.clauses import CATEGORIES, MODEL_VERSION
from cyrano_arkiver.extraction.models import Provenance
from cyrano_arkiver.models import Document, Insight
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from tests.modules.cyrano_arkiver.test_arkiver_tools import DATA, arkiver_settings
from tests.modules.cyrano_arkiver.test_parsing_samples import page_scan, require_tesseract, scanned_pdf
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

ALL_KEYS = [category.key for category in CATEGORIES]
SUPPLY = """SUPPLY AGREEMENT

This Supply Agreement (the "Agreement") is entered into as of March 3, 2021 (the "Effective Date") by and between
Northwind Components Inc., a Delaware corporation ("Supplier"), and Lakeside Robotics LLC, an Ohio limited
liability company ("Customer").

1. Term. This Agreement begins on the Effective Date and continues for three (3) years. It renews automatically
for successive one (1) year terms unless either party gives notice of non-renewal at least ninety (90) days
before the end of the then-current term.

2. Assignment. Neither party may assign or transfer this Agreement or any of its rights hereunder without the
prior written consent of the other party, which consent shall not be unreasonably withheld.

3. Change of Control. Customer may terminate this Agreement upon written notice if Supplier undergoes a change of
control, including a merger or the sale of all or substantially all of its assets.

4. Non-Competition. During the term and for a period of two (2) years thereafter, Supplier shall not manufacture
or sell competing actuators to any customer in North America.

5. Limitation of Liability. In no event shall either party's aggregate liability under this Agreement exceed
$500,000. Neither party shall be liable for any indirect, incidental or consequential damages.

6. Audit. Customer may, upon thirty (30) days' notice, audit Supplier's books and records relating to the
products once per calendar year.

7. Insurance. Supplier shall maintain commercial general liability insurance with limits of not less than
$2,000,000 per occurrence.

8. Governing Law. This Agreement is governed by the laws of the State of New York.
"""
# A contract with none of the supply agreement's controls on assignment, change of control or competition.
LEASE = """EQUIPMENT LEASE

This Equipment Lease is made as of June 1, 2022 between Harbor Leasing Corp. ("Lessor") and Pier Nine
Properties, Inc. ("Lessee").

1. Rent. Lessee shall pay Lessor rent of $4,000 per month, due on the first day of each month.

2. Maintenance. Lessee shall keep the equipment in good repair at its own cost.

3. Governing Law. This Lease is governed by the laws of the State of California.
"""
NOTE = "Lunch on Thursday went well. We talked about the weather, the harbour and the new bakery on Main Street."


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(arkiver_settings(any_store_settings))
    async with runtime.running():
        yield runtime


def present(review: dict[str, Any], row: int = 0) -> dict[str, dict[str, Any]]:
    return {item["category"]: item for item in review["documents"][row]["present"]}


async def page_texts(client: Client, document_id: str) -> dict[int, str]:
    texts: dict[int, str] = {}
    first: int | None = 1
    while first is not None:
        read = ok(await client.call_tool("arkiver_read_document", {"document_id": document_id, "first_page": first}))
        texts.update((page["page"], page["text"]) for page in read["pages"])
        first = read["next_page"]
    return texts


@pytest.mark.parametrize("mode", MODES)
async def test_one_contract_present_with_values_and_exact_quotes_and_absent(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        ingested = ok(await client.call_tool("arkiver_ingest", {"text": SUPPLY, "filename": "supply.txt"}))
        document_id = ingested["document"]["id"]
        review = ok(await client.call_tool("arkiver_clauses", {"document_id": document_id}))
        texts = await page_texts(client, document_id)

    assert review["scope"] == "document" and review["model_version"] == MODEL_VERSION
    assert review["columns"] is None and review["documents_total"] == 1 and review["next_cursor"] is None
    row = review["documents"][0]
    found = present(review)
    assert ingested["insight_counts"]["clauses"] == len(found) == review["summary"]["present"]
    assert sorted(row["absent"] + list(found)) == sorted(ALL_KEYS)
    assert {"anti_assignment", "change_of_control", "cap_on_liability", "audit_rights", "insurance"} <= set(found)
    assert {"source_code_escrow", "joint_ip_ownership", "liquidated_damages"} <= set(row["absent"])

    assignment = found["anti_assignment"]
    assert assignment["value"]["kind"] == "consent" and assignment["value"]["consent_required"] is True
    assert "unreasonably withheld" in assignment["value"]["text"]
    assert assignment["method"] == "classifier" and 0 < assignment["score"] <= 1
    assert float(found["cap_on_liability"]["value"]["amount"]) == 500_000
    assert found["cap_on_liability"]["value"]["currency"] == "USD"
    assert found["governing_law"]["value"] == {"kind": "text", "text": "New York", "mention": None}
    assert found["effective_date"]["value"]["date"] == "2021-03-03"
    assert found["notice_period_to_terminate_renewal"]["value"]["duration"] == {"years": 0, "months": 0, "days": 90}
    for item in found.values():  # every quote is the page's own words at its offsets
        passage = item["passage"]
        assert item["pages"][0] == passage["page"]
        assert texts[passage["page"]][passage["start"] : passage["end"]] == passage["quote"]
    assert "prior written consent" in assignment["passage"]["quote"]


async def test_a_document_without_clauses_has_every_category_absent(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document_id = ok(await client.call_tool("arkiver_ingest", {"text": NOTE}))["document"]["id"]
        review = ok(await client.call_tool("arkiver_clauses", {"document_id": document_id}))
    assert review["documents"][0]["present"] == [] and review["documents"][0]["absent"] == ALL_KEYS
    assert review["summary"] == {"present": 0, "absent": 41}


async def test_a_scanned_contract_is_reviewed_from_its_ocr_text(runtime: Runtime) -> None:
    require_tesseract()
    clauses = (
        "2. Assignment. Neither party may assign this Agreement without the prior written consent of the other "
        "party.\n\n8. Governing Law. This Agreement is governed by the laws of the State of New York."
    )
    data = base64.b64encode(scanned_pdf([page_scan(clauses)], size=(612.0, 792.0))).decode()
    async with Client(runtime.server) as client:
        ingested = ok(await client.call_tool("arkiver_ingest", {"content_base64": data, "filename": "scan.pdf"}))
        assert ingested["document"]["method"] == "ocr"
        document_id = ingested["document"]["id"]
        review = ok(await client.call_tool("arkiver_clauses", {"document_id": document_id}))
        texts = await page_texts(client, document_id)
    found = present(review)
    assert found["anti_assignment"]["value"]["consent_required"] is True
    assert found["governing_law"]["value"]["text"] == "New York"
    passage = found["anti_assignment"]["passage"]
    assert passage["page"] == 1 and texts[1][passage["start"] : passage["end"]] == passage["quote"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_matters_grid_counts_every_document_and_pages_by_cursor(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        matter = ok(
            await client.call_tool(
                "matters_create", {"client_name": "Lakeside", "title": "Supplier review", "practice_area": "commercial"}
            )
        )["id"]
        ids = {}
        for name, text in (("supply", SUPPLY), ("lease", LEASE), ("supply-2", SUPPLY.replace("Ohio", "Texas"))):
            ingested = await client.call_tool("arkiver_ingest", {"text": text, "filename": name, "matter_id": matter})
            ids[name] = ok(ingested)["document"]["id"]
        asked = ["change_of_control", "anti_assignment"]
        grid = ok(await client.call_tool("arkiver_clauses", {"matter_id": matter, "categories": asked}))
        everything = ok(await client.call_tool("arkiver_clauses", {"matter_id": matter}))
        first = ok(await client.call_tool("arkiver_clauses", {"matter_id": matter, "categories": asked, "limit": 1}))
        cursor = first["next_cursor"]
        second = ok(
            await client.call_tool(
                "arkiver_clauses", {"matter_id": matter, "categories": asked, "limit": 1, "cursor": cursor}
            )
        )
        refused = await client.call_tool("arkiver_clauses", {"matter_id": matter, "limit": 1, "cursor": cursor})

    assert grid["scope"] == "matter" and grid["columns"] == ["change_of_control", "anti_assignment"]
    assert grid["documents_total"] == 3 and grid["next_cursor"] is None
    assert grid["summary"] == {"change_of_control": 2, "anti_assignment": 2}
    rows = {row["filename"]: row for row in grid["documents"]}
    assert [row["filename"] for row in grid["documents"]] == ["supply-2", "lease", "supply"]  # newest first
    assert rows["lease"]["present"] == [] and rows["lease"]["absent"] is None
    for name in ("supply", "supply-2"):
        cells = {item["category"]: item for item in rows[name]["present"]}
        assert set(cells) == set(asked)
        assert cells["anti_assignment"]["passage"]["quote"].startswith("Neither party may assign")
    # All 41 columns: presence and pages only, unless quotes are asked for.
    assert everything["columns"] is None and list(everything["summary"]) != ALL_KEYS  # most found first
    assert sorted(everything["summary"]) == sorted(ALL_KEYS)
    assert all(item["passage"] is None and item["pages"] for row in everything["documents"] for item in row["present"])
    assert everything["summary"]["governing_law"] == 3 and everything["summary"]["source_code_escrow"] == 0
    assert len(first["documents"]) == 1 and "documents 1-1 of 3" in first["more"]
    assert second["documents"][0]["document_id"] == ids["lease"] and second["next_cursor"] is not None
    assert "other arguments" in error(refused, "invalid_input")


async def test_documents_are_listed_by_the_clauses_they_have_or_lack(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        supply = ok(await client.call_tool("arkiver_ingest", {"text": SUPPLY}))["document"]["id"]
        lease = ok(await client.call_tool("arkiver_ingest", {"text": LEASE}))["document"]["id"]
        having = ok(await client.call_tool("arkiver_list_documents", {"has_clauses": ["change_of_control"]}))
        lacking = ok(await client.call_tool("arkiver_list_documents", {"lacks_clauses": ["Change Of Control"]}))
        both = ok(
            await client.call_tool(
                "arkiver_list_documents", {"has_clauses": ["governing_law"], "lacks_clauses": ["anti_assignment"]}
            )
        )
        wrong = await client.call_tool("arkiver_list_documents", {"has_clauses": ["golden_parachute"]})
    assert [item["id"] for item in having["items"]] == [supply]
    assert [item["id"] for item in lacking["items"]] == [lease]
    assert [item["id"] for item in both["items"]] == [lease]
    assert "unknown clause category 'golden_parachute'" in error(wrong, "invalid_input")


async def test_a_document_stored_before_clause_detection_is_judged_when_first_reviewed(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document_id = ok(await client.call_tool("arkiver_ingest", {"text": SUPPLY}))["document"]["id"]
        before = ok(await client.call_tool("arkiver_clauses", {"document_id": document_id}))
        async with runtime.database.transaction() as session:  # as a store of the release before looks
            await session.exec(delete(Insight).where(col(Insight.kind) == "clauses"))
            stored = (await session.exec(select(Document).where(Document.id == document_id))).one()
            stored.clauses_version = None
            session.add(stored)
        unjudged = ok(await client.call_tool("arkiver_list_documents", {"lacks_clauses": ["anti_assignment"]}))
        after = ok(await client.call_tool("arkiver_clauses", {"document_id": document_id}))
        listed = ok(await client.call_tool("arkiver_list_documents", {"has_clauses": ["anti_assignment"]}))
    assert unjudged["items"] == []  # not judged yet: neither having nor lacking
    assert after == before
    assert [item["id"] for item in listed["items"]] == [document_id]
    async with runtime.database.session() as session:
        version = (await session.exec(select(Document.clauses_version).where(Document.id == document_id))).one()
    assert version == MODEL_VERSION


async def test_a_long_review_pages_its_present_categories_without_repeating_any(runtime: Runtime) -> None:
    data = base64.b64encode((DATA / "strategic_alliance.pdf").read_bytes()).decode()
    async with Client(runtime.server) as client:
        ingested = ok(await client.call_tool("arkiver_ingest", {"content_base64": data, "filename": "alliance.pdf"}))
        arguments: dict[str, Any] = {"document_id": ingested["document"]["id"]}
        pages = [ok(await client.call_tool("arkiver_clauses", arguments))]
        while pages[-1]["next_cursor"]:
            arguments["cursor"] = pages[-1]["next_cursor"]
            pages.append(ok(await client.call_tool("arkiver_clauses", arguments)))
        texts = await page_texts(client, ingested["document"]["id"])
    assert len(pages) >= 2
    seen = [item["category"] for page in pages for item in page["documents"][0]["present"]]
    assert len(seen) == len(set(seen)) == pages[0]["summary"]["present"] >= 10
    assert pages[0]["documents"][0]["absent"] is not None and pages[-1]["documents"][0]["absent"] is None
    for page in pages:
        assert len(page["documents"][0]["present"]) >= 1 and len(json.dumps(page, separators=(",", ":"))) <= 8_000
        assert (page["next_cursor"] is None) == (page["more"] is None)
        for item in page["documents"][0]["present"]:
            passage = item["passage"]
            assert texts[passage["page"]][passage["start"] : passage["end"]] == passage["quote"]
            if passage["passage_end"] is not None:  # cut short, at a word, inside the passage
                assert len(passage["quote"]) <= 500 and passage["end"] < passage["passage_end"]


def test_a_long_passage_is_quoted_up_to_a_word_and_says_where_it_ends() -> None:
    sentence = "The Licensee shall indemnify " + "and hold harmless the Licensor " * 30 + "from every claim."
    passage = Provenance(page=2, start=100, end=100 + len(sentence), quote=sentence)
    quoted = passage_quote(passage)
    assert sentence.startswith(quoted.quote) and len(quoted.quote) <= 500 and not quoted.quote.endswith(" ")
    assert sentence[len(quoted.quote)] == " " and quoted.end == 100 + len(quoted.quote)
    assert quoted.passage_end == passage.end
    short = Provenance(page=1, start=0, end=9, quote="Whatever.")
    assert passage_quote(short).passage_end is None and passage_quote(short).quote == "Whatever."


async def test_bad_requests_get_typed_errors(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document_id = ok(await client.call_tool("arkiver_ingest", {"text": SUPPLY}))["document"]["id"]
        neither = await client.call_tool("arkiver_clauses", {})
        unknown = await client.call_tool("arkiver_clauses", {"document_id": document_id, "categories": ["nda"]})
        missing = await client.call_tool("arkiver_clauses", {"document_id": "6f1c2b7e-4c3d-4b5a-9e8f-0a1b2c3d4e5f"})
        no_matter = await client.call_tool("arkiver_clauses", {"matter_id": "6f1c2b7e-4c3d-4b5a-9e8f-0a1b2c3d4e5f"})
        forged = await client.call_tool("arkiver_clauses", {"document_id": document_id, "cursor": "bm90IGEgY3Vyc29y"})
    assert "give either document_id or matter_id" in error(neither, "invalid_input")
    assert "unknown clause category 'nda'" in error(unknown, "invalid_input")
    error(missing, "not_found")
    error(no_matter, "not_found")
    assert "not a cursor this server issued" in error(forged, "invalid_input")


async def test_the_review_prompt_starts_from_the_grid(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document_id = ok(await client.call_tool("arkiver_ingest", {"text": SUPPLY}))["document"]["id"]
        prompt = await client.get_prompt("review_clauses", {"document_id": document_id})
    task, grid = (message.content.text for message in prompt.messages)  # type: ignore[union-attr]
    assert "clause by clause" in task and "arkiver_clauses" in task
    assert '"anti_assignment"' in grid and "prior written consent" in grid

"""A scripted stdio session against the installed `cyrano-mcp serve`: ingest a PDF, read its insights, search it."""

import shutil
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio

PDF = Path(__file__).resolve().parents[2] / "data" / "strategic_alliance.pdf"
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")


@pytest.mark.parametrize("mode", MODES)
async def test_ingest_a_pdf_then_read_its_insights_and_search_it_over_stdio(tmp_path: Path, mode: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(PDF, inbox / "alliance.pdf")
    env = {
        "CYRANO_DATA_DIR": str(tmp_path / "data"),
        "CYRANO_ALLOWED_ROOTS": str(inbox),
        "CYRANO_ARGON2_MEMORY_KIB": "19456",
    }
    params = StdioServerParameters(command=CYRANO, args=["serve"], env=env)
    async with Client(params, mode=mode, read_timeout_seconds=60) as client:
        matter = ok(
            await client.call_tool(
                "matters_create",
                {"client_name": "Aura Systems", "title": "Zanotti alliance", "practice_area": "commercial"},
            )
        )
        ingested = ok(
            await client.call_tool("arkiver_ingest", {"path": str(inbox / "alliance.pdf"), "matter_id": matter["id"]})
        )
        document = ingested["document"]
        assert (document["format"], document["page_count"], document["method"]) == ("pdf", 19, "text-layer")
        insights = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))["key_terms"]
        assert insights["governing_law"]["jurisdiction"] == "California"
        names = " ".join(party["name"].upper() for party in insights["parties"])
        assert "AURA" in names and "ZANOTTI" in names
        hits = ok(
            await client.call_tool("arkiver_search", {"query": "transport refrigeration", "matter_id": matter["id"]})
        )
        assert hits["hits"] and hits["hits"][0]["document_id"] == document["id"]
        assert "«" in hits["hits"][0]["snippet"]

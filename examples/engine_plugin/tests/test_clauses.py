"""cyrano-clauses, tested the way an engine author tests: a real runtime with the engine in it, a scripted client."""

from pathlib import Path

import pytest
from cyrano_clauses.engine import ENGINE
from mcp import Client

from cyrano_mcp.settings import load_settings
from cyrano_mcp.testing import runtime_with

pytestmark = pytest.mark.anyio

LEASE = (
    "LEASE AGREEMENT\n\nThis Lease is governed by the laws of the State of New York.\n\n"
    "Either party may terminate this Agreement on sixty days' written notice.\f"
    "The Tenant shall keep confidential all Confidential Information of the Landlord.\n\n"
    "Upon termination the Tenant shall return the keys."
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_finds_each_page_that_deals_with_a_clause_once_best_first(tmp_path: Path) -> None:
    runtime = runtime_with([ENGINE], load_settings(data_dir=tmp_path / "data"))
    async with Client(runtime.server) as client:
        await client.call_tool("arkiver_ingest", {"text": LEASE, "filename": "lease.txt"})
        found = (await client.call_tool("clauses_find", {"topic": "termination"})).structured_content
    assert found is not None
    assert [(place["page"], place["phrase"]) for place in found["places"]] == [
        (1, "terminate this agreement"),
        (2, "upon termination"),
    ]
    assert "«terminate»" in found["places"][0]["snippet"]


async def test_a_kind_it_does_not_know_is_a_clear_error(tmp_path: Path) -> None:
    runtime = runtime_with([ENGINE], load_settings(data_dir=tmp_path / "data"))
    async with Client(runtime.server) as client:
        result = await client.call_tool("clauses_find", {"topic": "force majeure"})
    assert result.is_error
    assert result.content[0].text.startswith("invalid_input: topic: Input should be 'termination'")  # type: ignore[union-attr]


async def test_its_own_setting_limits_the_places(tmp_path: Path) -> None:
    runtime = runtime_with([ENGINE], load_settings(data_dir=tmp_path / "data", clauses_max_places=1))
    async with Client(runtime.server) as client:
        await client.call_tool("arkiver_ingest", {"text": LEASE, "filename": "lease.txt"})
        found = (await client.call_tool("clauses_find", {"topic": "termination"})).structured_content
    assert found is not None and len(found["places"]) == 1

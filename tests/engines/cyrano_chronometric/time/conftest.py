"""Sessions on a full runtime (every toolset on) over SQLite and PostgreSQL, and a matter to record time on."""

from collections.abc import AsyncIterator

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.mcp import ok


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    settings = load_settings(**{**any_store_settings.model_dump(), "toolsets": ["all"]})
    runtime = build_runtime(settings)
    async with runtime.running():
        yield runtime


async def new_matter(client: Client, title: str = "Lease dispute", reference: str | None = None) -> str:
    arguments = {"client_name": "Marlow & Finch", "title": title, "practice_area": "litigation"}
    if reference is not None:
        arguments["reference"] = reference
    return str(ok(await client.call_tool("matters_create", arguments))["id"])

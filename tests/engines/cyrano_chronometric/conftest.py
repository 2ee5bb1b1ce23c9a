"""A server with every toolset on (Chronometric's docket, rules and chronology are off over stdio by default)."""

from collections.abc import AsyncIterator

import pytest

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    settings = load_settings(**{**any_store_settings.model_dump(), "toolsets": ["all"]})
    runtime = build_runtime(settings)
    async with runtime.running():
        yield runtime

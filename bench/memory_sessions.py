"""An in-memory MCP session on a throw-away embedded store, for benches that call tools as a client does."""

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp import Client

from cyrano_mcp.observability.logging import configure_logging
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings


@asynccontextmanager
async def bench_client() -> AsyncIterator[Client]:
    """Every toolset on, offline, warnings only, and no per-user quota in the way of thousands of calls."""
    configure_logging("WARNING", "json")
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(
            data_dir=data_dir, log_level="WARNING", llm_provider="offline", toolsets=["all"],
            rate_limit_user="1000000/minute",
        )  # fmt: skip
        async with Client(build_runtime(settings).server) as client:
            yield client


def ok(result: Any) -> dict[str, Any]:
    """A tool's structured answer; a tool error ends the bench with its message."""
    if result.is_error:
        raise SystemExit(f"tool error: {result.content[0].text}")
    return dict(result.structured_content)

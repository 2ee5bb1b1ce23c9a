"""Issue 12, finding 5: `initialize` and `tools/list` were never charged, one account could open sessions
without end (3,000 initializes in 6.5 s grew the server by 109 MB), and idle sessions lived 30 minutes. Now
every JSON-RPC request is charged to the caller, one user may hold `CYRANO_HTTP_SESSIONS_PER_USER` sessions
(a further initialize gets 429 until one ends or expires), and `CYRANO_HTTP_SESSION_IDLE_SECONDS` ends idle ones."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest

from cyrano_mcp.principal import Role
from cyrano_mcp.settings import load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.security.conftest import HttpServer, start_http
from tests.core.security.test_http_hardening import assert_hardened

pytestmark = pytest.mark.anyio

LEGACY = "2025-11-25"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}
TOOLS_LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}


async def stateful_server(data_dir: Path, **overrides: Any) -> AsyncIterator[HttpServer]:
    settings = load_settings(data_dir=data_dir, json_response=True, **{**TEST_SETTINGS, **overrides})
    async for server in start_http(settings, users={"alice": Role.VIEWER, "bob": Role.VIEWER}):
        yield server


async def initialize(http: httpx2.AsyncClient) -> httpx2.Response:
    return await http.post("/mcp", json=INITIALIZE)


def in_session(session: str) -> dict[str, str]:
    return {"mcp-session-id": session, "mcp-protocol-version": LEGACY}


async def test_initialize_and_tools_list_are_charged_to_the_user(data_dir: Path) -> None:
    async for server in stateful_server(data_dir, rate_limit_user="4/minute"):
        async with server.client("alice") as http:
            opened = await initialize(http)
            session = in_session(opened.headers["mcp-session-id"])
            listings = [await http.post("/mcp", json=TOOLS_LIST, headers=session) for _ in range(4)]
            another = await initialize(http)
    assert opened.status_code == 200 and opened.headers["ratelimit"].startswith('"user";r=3;')
    assert [listing.status_code for listing in listings] == [200, 200, 200, 429]
    assert another.status_code == 429 and another.json()["error"] == "rate_limited"


async def test_one_user_may_hold_only_so_many_sessions(data_dir: Path) -> None:
    async for server in stateful_server(data_dir, http_sessions_per_user=3):
        async with server.client("alice") as alice, server.client("bob") as bob:
            sessions = [(await initialize(alice)).headers["mcp-session-id"] for _ in range(3)]
            refused = await initialize(alice)
            others = await initialize(bob)  # the cap is per user
            ended = await alice.delete("/mcp", headers=in_session(sessions[0]))
            after_one_ended = await initialize(alice)
            still_served = await alice.post("/mcp", json=TOOLS_LIST, headers=in_session(sessions[1]))
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_sessions" and "DELETE" in refused.json()["error_description"]
    assert int(refused.headers["retry-after"]) > 0
    assert_hardened(refused)
    assert others.status_code == 200 and ended.status_code == 200
    assert after_one_ended.status_code == 200 and still_served.status_code == 200


async def test_idle_sessions_end_after_the_configured_time_and_free_their_place(data_dir: Path) -> None:
    async for server in stateful_server(data_dir, http_session_idle_seconds=1, http_sessions_per_user=1):
        async with server.client("alice") as http:
            session = (await initialize(http)).headers["mcp-session-id"]
            refused = await initialize(http)
            await anyio.sleep(1.5)
            expired = await http.post("/mcp", json=TOOLS_LIST, headers=in_session(session))
            reopened = await initialize(http)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) <= 1
    assert expired.status_code == 404
    assert reopened.status_code == 200


async def test_legacy_sse_streams_count_as_sessions(data_dir: Path) -> None:
    async for server in stateful_server(data_dir, http_sessions_per_user=1):
        async with server.client("alice") as http, http.stream("GET", "/sse") as first:
            assert first.status_code == 200
            second = await http.get("/sse")
        assert second.status_code == 429 and second.json()["error"] == "too_many_sessions"
        # The first stream's place is free once the server has seen its client go.
        async with server.client("alice") as http:
            with anyio.fail_after(3):
                while True:
                    async with http.stream("GET", "/sse") as again:
                        if again.status_code == 200:
                            break
                    await anyio.sleep(0.05)

"""Sessions through real MCP clients: the local user in memory (both protocol modes), bearer tokens over
stateful streamable HTTP and SSE, a token refreshed mid-session, logout, and a hijacked session id."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from cyrano_mcp.principal import Role
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.security.conftest import HttpServer, start_http
from tests.utils.auth import TESTER, bearer
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio


@pytest.fixture
async def stateful(data_dir: Path) -> AsyncIterator[HttpServer]:
    settings = load_settings(data_dir=data_dir, rate_limit_login="100/minute", **TEST_SETTINGS)
    async for server in start_http(settings, users={"alice": Role.PARALEGAL, "bob": Role.VIEWER}):
        yield server


@pytest.mark.parametrize("mode", MODES)
async def test_in_memory_sessions_act_as_the_local_attorney(settings: Settings, mode: str) -> None:
    async with Client(build_runtime(settings).server, mode=mode) as client:
        me = ok(await client.call_tool("auth_whoami", {}))
    assert (me["username"], me["role"], me["authenticated_by"]) == ("local", "attorney", "local")
    assert me["token_expires_at"] is None and "matters_create" in me["tools"] and "audit_query" not in me["tools"]


@pytest.mark.parametrize("mode", MODES)
async def test_an_unknown_or_disabled_local_user_can_do_nothing(settings: Settings, mode: str) -> None:
    stranger = build_runtime(settings.model_copy(update={"local_user": "nobody-here"}))
    async with Client(stranger.server, mode=mode) as client:
        assert (await client.list_tools()).tools == []
        assert "cyrano-mcp users add nobody-here" in error(await client.call_tool("system_info", {}), "unauthenticated")
    runtime = build_runtime(settings)
    async with runtime.running():
        await runtime.security.accounts.add("clerk", Role.VIEWER, None, by=TESTER)
        await runtime.security.accounts.set_disabled("clerk", True, by=TESTER)
    async with Client(build_runtime(settings.model_copy(update={"local_user": "clerk"})).server, mode=mode) as client:
        error(await client.call_tool("system_info", {}), "unauthenticated")


def test_the_local_account_cannot_log_in_with_a_password() -> None:
    from cyrano_mcp.security.accounts import DEFAULT_LOCAL_USER

    assert DEFAULT_LOCAL_USER == "local"  # made with no password hash: login always fails (see test_passwords)


@pytest.mark.parametrize("mode", MODES)
async def test_a_stateful_http_session_survives_a_token_refresh_and_dies_at_logout(
    stateful: HttpServer, mode: str
) -> None:
    tokens = stateful.tokens["alice"]
    async with (
        bearer(tokens["access_token"]) as http,
        Client(streamable_http_client(f"{stateful.url}/mcp", http_client=http), mode=mode) as client,
    ):
        me = ok(await client.call_tool("auth_whoami", {}))
        assert (me["username"], me["role"], me["authenticated_by"]) == ("alice", "paralegal", "token")
        error(await client.call_tool("auth_users_list", {}), "permission_denied")

        fresh = ok(await client.call_tool("auth_refresh", {"refresh_token": tokens["refresh_token"]}))
        http.headers["Authorization"] = f"Bearer {fresh['access_token']}"
        assert ok(await client.call_tool("auth_whoami", {}))["username"] == "alice"

        assert ok(await client.call_tool("auth_logout", {})) == {"revoked": True}
        with pytest.raises(MCPError):  # the transport got a 401
            await client.call_tool("auth_whoami", {})


@pytest.mark.parametrize("mode", MODES)
async def test_sse_sessions_carry_the_bearer_token(stateful: HttpServer, mode: str) -> None:
    headers = {"Authorization": f"Bearer {stateful.token('bob')}"}
    async with Client(sse_client(f"{stateful.url}/sse", headers=headers), mode=mode) as client:
        assert ok(await client.call_tool("auth_whoami", {}))["username"] == "bob"
        assert "matters_create" not in {tool.name for tool in (await client.list_tools()).tools}
        error(
            await client.call_tool("matters_create", {"client_name": "A", "title": "B", "practice_area": "tax"}),
            "permission_denied",
        )


async def test_another_users_token_cannot_ride_an_existing_session(stateful: HttpServer) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    accept = {"Accept": "application/json, text/event-stream"}
    async with stateful.client("alice") as http:
        opened = await http.post("/mcp", json=initialize, headers=accept)
        session = opened.headers["mcp-session-id"]
    hijack = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "auth_whoami", "arguments": {}}}
    async with stateful.client("bob") as http:
        answer = await http.post(
            "/mcp", json=hijack, headers={**accept, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
        )
    assert answer.status_code == 404 and "alice" not in answer.text

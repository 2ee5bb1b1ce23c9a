"""The HTTP app: MCP over streamable HTTP and SSE next to /healthz and /readyz, with Host checks."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from cyrano_mcp.http import build_http_app
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import TEST_SETTINGS
from tests.utils.auth import add_user, bearer, login
from tests.utils.http import serve_app
from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Served:
    url: str
    token: str  # an admin's access token


@asynccontextmanager
async def served(runtime: Runtime) -> AsyncIterator[Served]:
    async with runtime.running():
        await add_user(runtime, "admin")
        async with serve_app(build_http_app(runtime)) as url:
            yield Served(url, (await login(url, "admin"))["access_token"])


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[Served]:
    async with served(build_runtime(settings)) as running:
        yield running


@pytest.mark.parametrize("mode", MODES)
async def test_streamable_http_serves_tools(server: Served, mode: str) -> None:
    async with (
        bearer(server.token) as http,
        Client(streamable_http_client(f"{server.url}/mcp", http_client=http), mode=mode) as client,
    ):
        created = ok(
            await client.call_tool(
                "matters_create", {"client_name": "Ng", "title": "Visa petition", "practice_area": "immigration"}
            )
        )
        assert ok(await client.call_tool("matters_get", {"matter_id": created["id"]}))["title"] == "Visa petition"


@pytest.mark.parametrize("mode", MODES)
async def test_sse_serves_tools(server: Served, mode: str) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    async with Client(sse_client(f"{server.url}/sse", headers=headers), mode=mode) as client:
        assert ok(await client.call_tool("system_health", {}))["status"] == "ok"


@pytest.mark.parametrize(("stateless", "json_response"), [(True, False), (True, True), (False, True)])
async def test_stateless_and_json_modes(data_dir: object, stateless: bool, json_response: bool) -> None:
    settings = load_settings(data_dir=data_dir, stateless_http=stateless, json_response=json_response, **TEST_SETTINGS)
    async with served(build_runtime(settings)) as running:
        for mode in MODES:
            async with (
                bearer(running.token) as http,
                Client(streamable_http_client(f"{running.url}/mcp", http_client=http), mode=mode) as client,
            ):
                assert ok(await client.call_tool("system_info", {}))["name"] == "cyrano"


async def test_an_x_request_id_becomes_the_correlation_id(server: Served) -> None:
    async with (
        bearer(server.token, **{"X-Request-ID": "req-42.abc"}) as http,
        Client(streamable_http_client(f"{server.url}/mcp", http_client=http), mode="legacy") as client,
    ):
        result = await client.call_tool("system_info", {})
    assert result.meta and result.meta["cyrano/correlation_id"] == "req-42.abc"


async def test_liveness_and_readiness(server: Served) -> None:
    async with httpx2.AsyncClient() as http:
        live = await http.get(f"{server.url}/healthz")
        ready = await http.get(f"{server.url}/readyz")
    assert live.status_code == 200 and live.json()["status"] == "ok"
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok" and {c["name"] for c in body["checks"]} == {"database", "schema", "disk"}


async def test_readiness_fails_when_the_database_is_unreachable(data_dir: object) -> None:
    settings = load_settings(
        data_dir=data_dir,
        database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
        db_timeout_seconds=1,
        auto_migrate=False,
    )
    runtime = build_runtime(settings)
    app = build_http_app(runtime)
    await runtime.database.open()  # without the lifespan: start-up itself would refuse an unreachable store
    try:
        from httpx2 import ASGITransport

        async with httpx2.AsyncClient(transport=ASGITransport(app=app), base_url="http://127.0.0.1") as http:
            ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"][0] == {
            "name": "database",
            "status": "failed",
            "latency_ms": None,
            "detail": "the database is unavailable (ConnectionRefusedError); try again shortly",
        }
    finally:
        await runtime.database.close()


async def test_an_unexpected_host_header_is_refused(server: Served) -> None:
    async with bearer(server.token) as http:
        response = await http.post(f"{server.url}/mcp", headers={"Host": "evil.example.net"}, json={})
    assert response.status_code == 421

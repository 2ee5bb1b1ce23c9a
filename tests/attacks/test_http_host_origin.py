"""Issue 12, finding 6: the Host and Origin checks (DNS-rebinding protection) covered only the MCP routes, so
`POST /auth/login` with `Host: evil.example` handed out tokens: a rebinding page could drive logins or lock
accounts. Now the request gate checks every route; only /healthz and /readyz answer a loopback peer whatever
its Host (local probes such as `curl localhost:8765/healthz` behind a proxy that rewrites nothing)."""

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest

from cyrano_mcp.http import build_http_app
from cyrano_mcp.principal import Role
from cyrano_mcp.server import build_runtime
from tests.core.security.conftest import HttpServer, http_settings, start_http, tool_call
from tests.core.security.test_http_hardening import assert_hardened
from tests.utils.auth import PASSWORD, add_user

pytestmark = pytest.mark.anyio

EVIL_HOST = {"Host": "evil.example"}
EVIL_ORIGIN = {"Origin": "https://evil.example"}
LOGIN = {"username": "admin", "password": PASSWORD}
EVERY_ROUTE = [
    ("POST", "/auth/login"),
    ("POST", "/auth/refresh"),
    ("GET", "/metrics"),
    ("GET", "/readyz"),
    ("GET", "/healthz"),
    ("GET", "/.well-known/oauth-protected-resource/mcp"),
    ("GET", "/sse"),
    ("POST", "/messages/"),
    ("POST", "/mcp"),
    ("GET", "/no/such/page"),
]


@pytest.fixture
async def served(data_dir: Path) -> AsyncIterator[HttpServer]:
    async for server in start_http(http_settings(data_dir, rate_limit_login="100/minute"), users={"admin": Role.ADMIN}):
        yield server


async def test_a_login_for_a_foreign_host_or_origin_gets_no_tokens(served: HttpServer) -> None:
    async with httpx2.AsyncClient(base_url=served.url) as http:
        host = await http.post("/auth/login", json=LOGIN, headers=EVIL_HOST)
        origin = await http.post("/auth/login", json=LOGIN, headers=EVIL_ORIGIN)
        refresh = await http.post("/auth/refresh", json={"refresh_token": "x" * 32}, headers=EVIL_HOST)
        fine = await http.post("/auth/login", json=LOGIN, headers={"Origin": "http://127.0.0.1:9"})
    assert (host.status_code, origin.status_code, refresh.status_code) == (421, 403, 421)
    assert "access_token" not in host.text + origin.text
    assert host.json()["error"] == "invalid_host" and origin.json()["error"] == "invalid_origin"
    assert_hardened(host)
    assert fine.status_code == 200


async def test_every_route_checks_host_and_origin_for_a_remote_peer(data_dir: Path) -> None:
    runtime = build_runtime(http_settings(data_dir))
    app = build_http_app(runtime)
    remote = httpx2.ASGITransport(app=app, client=("203.0.113.7", 40000))  # a peer on another machine
    async with app.router.lifespan_context(app):
        await add_user(runtime, "admin")
        async with httpx2.AsyncClient(transport=remote, base_url="http://127.0.0.1:8765") as http:
            for method, path in EVERY_ROUTE:
                host = await http.request(method, path, headers=EVIL_HOST)
                origin = await http.request(method, path, headers=EVIL_ORIGIN)
                assert (host.status_code, origin.status_code) == (421, 403), path
                assert_hardened(host)
            assert (await http.get("/healthz")).status_code == 200


async def test_health_probes_from_this_machine_pass_whatever_their_host(served: HttpServer) -> None:
    async with httpx2.AsyncClient(base_url=served.url, headers=EVIL_HOST) as http:
        answers = [await http.get("/healthz"), await http.get("/readyz"), await http.get("/metrics")]
    assert [answer.status_code for answer in answers] == [200, 200, 421]


async def test_an_sse_stream_for_a_foreign_host_is_refused_without_a_traceback(
    served: HttpServer, caplog: pytest.LogCaptureFixture
) -> None:
    async with served.client("admin") as http:
        sse = await http.get("/sse", headers=EVIL_HOST)
        mcp = await http.post("/mcp", json=tool_call("system_info"), headers=EVIL_HOST)
    assert (sse.status_code, mcp.status_code) == (421, 421)
    assert [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []

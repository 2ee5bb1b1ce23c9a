"""Fixtures for the attack tests: a started runtime, an HTTP server with accounts of every role, Redis."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest

from cyrano_mcp.http import build_http_app
from cyrano_mcp.principal import Role
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import REDIS_URL, TEST_SETTINGS, service_unavailable
from tests.utils.auth import add_user, login
from tests.utils.http import serve_app

CALL_HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25"}


def tool_call(name: str, arguments: dict[str, Any] | None = None, request_id: int = 1) -> dict[str, Any]:
    """A JSON-RPC tools/call message, for raw HTTP requests against a stateless JSON-response server."""
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments or {}},
    }


def http_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Stateless, JSON-response HTTP: one request, one answer, so tests can read status codes directly."""
    return load_settings(data_dir=data_dir, stateless_http=True, json_response=True, **{**TEST_SETTINGS, **overrides})


@dataclass
class HttpServer:
    url: str
    runtime: Runtime
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)  # username -> /auth/login answer

    def token(self, username: str = "admin") -> str:
        return str(self.tokens[username]["access_token"])

    def client(self, username: str | None = "admin", **headers: str) -> httpx2.AsyncClient:
        auth = {} if username is None else {"Authorization": f"Bearer {self.token(username)}"}
        return httpx2.AsyncClient(base_url=self.url, headers={**CALL_HEADERS, **auth, **headers})


async def start_http(settings: Settings, *, users: dict[str, Role] | None = None) -> AsyncIterator[HttpServer]:
    runtime = build_runtime(settings)
    accounts = users if users is not None else {role.value: role for role in Role}
    async with runtime.running():
        for username, role in accounts.items():
            await add_user(runtime, username, role)
        async with serve_app(build_http_app(runtime)) as url:
            server = HttpServer(url=url, runtime=runtime)
            for username in accounts:
                server.tokens[username] = await login(url, username)
            yield server


@pytest.fixture
async def http_server(data_dir: Path) -> AsyncIterator[HttpServer]:
    """Stateless JSON HTTP with one account per role, named after the role, each logged in once."""
    async for server in start_http(http_settings(data_dir, rate_limit_login="100/minute")):
        yield server


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(settings)
    async with runtime.running():
        yield runtime


@pytest.fixture
async def redis_url() -> str:
    """Redis database 15, emptied: tests that share counters across processes start from zero."""
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        await client.flushdb()
    except (OSError, redis.RedisError) as exc:
        service_unavailable("Redis at 127.0.0.1:6379", type(exc).__name__)
    finally:
        await client.aclose()
    return REDIS_URL

"""Issue 14, rate limits a model can act on, with real clients.

Over HTTP on 127.0.0.1 the SDK's own client, in both protocol generations, calls past its quota and gets
tool results with `isError` and the wait, not an exception ("Server returned an error response" was all a
model learnt from a 429); the HTTP answers carrying them are 200s with the RateLimit fields and Retry-After.
Floods without a token and of logins still get 429. Over stdio, a lawyer's scripted batch of 130 ingests is
not stalled, unless `CYRANO_RATE_LIMIT_LOCAL_USER` asks for the limit.
"""

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from cyrano_mcp.principal import Role
from cyrano_mcp.settings import load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.security.conftest import CALL_HEADERS, HttpServer, http_settings, start_http, tool_call
from tests.interop._servers import cyrano_executable, stdio_settings
from tests.utils.mcp import MODES, error

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[3]


@asynccontextmanager
async def sdk_client(
    server: HttpServer, username: str, mode: str, on_answer: Callable[[httpx2.Response], Awaitable[None]]
) -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {server.token(username)}"}
    async with (
        httpx2.AsyncClient(headers=headers, event_hooks={"response": [on_answer]}) as http,
        Client(streamable_http_client(f"{server.url}/mcp", http_client=http), mode=mode, read_timeout_seconds=15) as c,
    ):
        yield c


def split(results: list[CallToolResult]) -> tuple[int, list[CallToolResult]]:
    """How many calls went through, and the refusals after them (every call after the first refusal)."""
    served = next((number for number, result in enumerate(results) if result.is_error), len(results))
    return served, results[served:]


@pytest.mark.parametrize("stateless", [False, True], ids=["stateful", "stateless"])
@pytest.mark.parametrize("mode", MODES)
async def test_the_sdk_client_past_its_quota_gets_tool_errors_with_the_wait(
    data_dir: Path, mode: str, stateless: bool
) -> None:
    settings = load_settings(data_dir=data_dir, rate_limit_user="5/minute", stateless_http=stateless, **TEST_SETTINGS)
    answers: list[httpx2.Response] = []

    async def keep(response: httpx2.Response) -> None:
        answers.append(response)

    async for server in start_http(settings, users={"alice": Role.VIEWER}):
        async with sdk_client(server, "alice", mode, keep) as client:
            results = [await client.call_tool("system_info", {}) for _ in range(6)]  # no exception
    served, refused = split(results)
    assert served >= 1 and refused, [result.is_error for result in results]
    for result in refused:
        message = error(result, "rate_limited")
        assert result.meta is not None
        retry_after = result.meta["cyrano/details"]["retry_after"]
        assert 1 <= retry_after <= 60 and message.endswith(f"retry after {retry_after} s")
    # Each refusal came in an HTTP 200 with the quota's fields, Retry-After among them.
    carrying = [answer for answer in answers if "retry-after" in answer.headers]
    assert len(carrying) == len(refused)
    for answer in carrying:
        assert answer.status_code == 200
        assert answer.headers["ratelimit-policy"] == '"user";q=5;w=60'
        assert answer.headers["ratelimit"].startswith('"user";r=0;t=')
    assert refused[0].meta is not None
    assert carrying[0].headers["retry-after"] == str(refused[0].meta["cyrano/details"]["retry_after"])


async def test_floods_without_a_token_and_of_logins_still_get_429(data_dir: Path) -> None:
    settings = http_settings(data_dir, rate_limit_anonymous="3/minute", rate_limit_login="3/minute")
    async for server in start_http(settings, users={"alice": Role.VIEWER}):
        async with httpx2.AsyncClient(base_url=server.url, headers=CALL_HEADERS) as http:
            calls = [await http.post("/mcp", json=tool_call("system_info")) for _ in range(5)]
            logins = [await http.post("/auth/login", json={"username": "alice", "password": "wrong"}) for _ in range(5)]
    assert [answer.status_code for answer in calls] == [401] * 3 + [429] * 2
    assert [answer.status_code for answer in logins] == [401] * 2 + [429] * 3  # the harness's login was the first
    for answer, policy in ((calls[-1], "anonymous"), (logins[-1], "login")):
        assert answer.json()["error"] == "rate_limited" and int(answer.headers["retry-after"]) >= 1
        assert answer.headers["ratelimit-policy"] == f'"{policy}";q=3;w=60'


@pytest.mark.slow
@pytest.mark.parametrize("limited", [False, True], ids=["default", "CYRANO_RATE_LIMIT_LOCAL_USER"])
async def test_a_scripted_stdio_batch_of_130_ingests(data_dir: Path, limited: bool) -> None:
    env = {
        **stdio_settings(data_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "modules")]),  # this checkout's engines too
        **({"CYRANO_RATE_LIMIT_LOCAL_USER": "true"} if limited else {}),
    }
    params = StdioServerParameters(command=cyrano_executable(), args=["serve"], env=env, cwd=data_dir.parent)
    async with Client(params, read_timeout_seconds=30) as client:
        results = [
            await client.call_tool(
                "arkiver_ingest", {"text": f"Engagement letter number {number}.", "filename": f"letter-{number}.txt"}
            )
            for number in range(130)
        ]
    served, refused = split(results)
    if not limited:
        assert served == 130
        return
    assert served == 100 and len(refused) == 30
    for result in refused:
        assert "retry after" in error(result, "rate_limited")

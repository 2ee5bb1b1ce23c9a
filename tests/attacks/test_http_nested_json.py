"""Issue 12, finding 3: 200 KB of `[[[...]]]` posted to /mcp answered 500 (no security headers, a traceback in
the log each time), before authentication and before any rate limit. Now: without a token the body is not
even read (401, charged to the address, 429 once its quota is spent); with one it is a 400 charged to the user."""

import logging
from pathlib import Path

import pytest

from cyrano_mcp.principal import Role
from tests.core.security.conftest import http_settings, start_http
from tests.core.security.test_http_hardening import assert_hardened

pytestmark = pytest.mark.anyio

NESTED = b"[" * 100_000 + b"]" * 100_000  # 200 KB, as in the report
JSON = {"Content-Type": "application/json"}


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]


async def test_nested_json_without_a_token_is_refused_and_charged_to_the_address(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = http_settings(data_dir, rate_limit_anonymous="20/minute")
    async for server in start_http(settings, users={"admin": Role.ADMIN}):
        async with server.client(None) as anonymous:
            answers = [await anonymous.post("/mcp", content=NESTED, headers=JSON) for _ in range(30)]
    assert [answer.status_code for answer in answers] == [401] * 20 + [429] * 10
    for answer in answers:
        assert_hardened(answer)
    assert tracebacks(caplog) == []


async def test_nested_json_with_a_token_is_a_clear_400_charged_to_the_user(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = http_settings(data_dir, rate_limit_user="3/minute")
    async for server in start_http(settings, users={"admin": Role.ADMIN}):
        async with server.client("admin") as http:
            answers = [await http.post("/mcp", content=NESTED, headers=JSON) for _ in range(4)]
    first = answers[0]
    assert first.status_code == 400
    assert first.json()["error"] == "invalid_request" and "nested" in first.json()["error_description"]
    assert first.headers["ratelimit"].startswith('"user";r=2;')
    assert_hardened(first)
    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]
    assert tracebacks(caplog) == []

"""Log lines as an operator reads them: one correlation id per tool call or HTTP request, the tool, the
user, the duration; the levels; console or JSON; and never a byte on stdout."""

import io
import logging
import re
from dataclasses import dataclass

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from cyrano_mcp.calls import CallContext, bind_call, unbind_call
from cyrano_mcp.http import build_http_app
from cyrano_mcp.observability.logging import configure_logging, get_logger, user_of
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings
from tests.core.observability.conftest import LogLines
from tests.utils.http import no_auth, serve_app
from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", MODES)
async def test_every_line_of_a_multi_step_call_shares_its_correlation_id(
    mode: str, data_dir: object, log_lines: LogLines
) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:chatty", local_user_role="admin")
    async with Client(build_runtime(settings).server, mode=mode) as client:
        first = await client.call_tool("chatty_steps", {"text": "one two"})
        second = await client.call_tool("chatty_steps", {"text": "three four"})
    ok(first), ok(second)
    ids = [result.meta["cyrano/correlation_id"] for result in (first, second) if result.meta]
    assert len(set(ids)) == 2
    for correlation_id in ids:
        lines = [line for line in log_lines() if line.get("correlation_id") == correlation_id]
        # step one (structlog), step two (stdlib), step three (debug), and the call's own line
        assert [line["event"] for line in lines][:1] == ["step_one"] and len(lines) == 4
        assert {line["tool"] for line in lines} == {"chatty_steps"}
        assert all("elapsed_ms" in line for line in lines[:-1])
        assert lines[-1]["event"] == "tool_call" and lines[-1]["outcome"] == "ok" and lines[-1]["duration_ms"] >= 0


async def test_the_user_of_a_call_is_logged_when_the_call_has_a_principal(log_lines: LogLines) -> None:
    @dataclass
    class Principal:
        subject: str
        token: str

    @dataclass(slots=True)
    class SecuredCall(CallContext):
        principal: Principal | None = None

    token = bind_call(SecuredCall(tool="matters_get", correlation_id="c-9", principal=Principal("alice", "secret")))
    try:
        get_logger("tests").info("inside")
    finally:
        unbind_call(token)
    (line,) = [line for line in log_lines() if line["logger"] == "tests"]
    assert line["user"] == "alice" and line["correlation_id"] == "c-9" and "secret" not in str(line)
    assert user_of("bob") == "bob" and user_of(None) is None and user_of(object()) is None


@pytest.mark.parametrize("mode", MODES)
async def test_http_echoes_the_x_request_id_and_uses_it_for_the_call(
    data_dir: object, mode: str, log_lines: LogLines
) -> None:
    seen: list[httpx2.Response] = []

    async def keep(response: httpx2.Response) -> None:
        seen.append(response)

    settings = load_settings(data_dir=data_dir, transport="http")
    async with serve_app(build_http_app(build_runtime(no_auth(settings)))) as url:
        async with (
            httpx2.AsyncClient(headers={"X-Request-ID": "case-2026-0042"}, event_hooks={"response": [keep]}) as http,
            Client(streamable_http_client(f"{url}/mcp", http_client=http), mode=mode) as client,
        ):
            given = await client.call_tool("system_info", {})
        async with (
            httpx2.AsyncClient(event_hooks={"response": [keep]}) as http,
            Client(streamable_http_client(f"{url}/mcp", http_client=http), mode=mode) as client,
        ):
            made = await client.call_tool("system_info", {})
    assert given.meta and given.meta["cyrano/correlation_id"] == "case-2026-0042"
    assert all(response.headers["x-request-id"] for response in seen)
    generated = made.meta["cyrano/correlation_id"] if made.meta else None
    # The request that carried the call answered with the id the call logged under.
    assert generated in {response.headers["x-request-id"] for response in seen}
    lines = log_lines()
    call_line = next(line for line in lines if line["event"] == "tool_call" and line["correlation_id"] == generated)
    request_line = next(
        line for line in lines if line["event"] == "http_request" and line["correlation_id"] == generated
    )
    assert call_line["transport"] == "http" and request_line["path"] == "/mcp" and request_line["status"] == 200


async def test_an_unusable_x_request_id_is_replaced(data_dir: object) -> None:
    settings = load_settings(data_dir=data_dir, transport="http")
    async with serve_app(build_http_app(build_runtime(settings))) as url, httpx2.AsyncClient() as http:
        response = await http.get(f"{url}/healthz", headers={"X-Request-ID": "x" * 100})
    assert re.fullmatch(r"[0-9a-f]{24}", response.headers["x-request-id"])


async def test_levels_mean_what_the_operator_must_do(data_dir: object, log_lines: LogLines) -> None:
    settings = load_settings(
        data_dir=data_dir, plugins="tests.fixtures.engines:faulty", local_user_role="admin", toolsets="all"
    )
    async with Client(build_runtime(settings).server) as client:
        for tool in ("faulty_missing", "faulty_down", "faulty_crash", "system_info"):
            await client.call_tool(tool, {})
        await client.call_tool("matters_create", {"client_name": "C", "title": "T", "practice_area": "p"})
    levels = {line["tool"]: line["level"] for line in log_lines() if line["event"] == "tool_call"}
    assert levels == {
        "faulty_missing": "info",
        "faulty_down": "warning",
        "faulty_crash": "error",
        "matters_create": "info",  # a change is a business event
        "system_info": "debug",  # a successful read is detail (the audit log has every call)
    }


def test_levels_follow_the_setting(log_stream: io.StringIO) -> None:
    configure_logging("WARNING", "json", stream=log_stream)
    get_logger("tests").info("quiet")
    logging.getLogger("tests").warning("loud")
    assert "quiet" not in log_stream.getvalue() and "loud" in log_stream.getvalue()


def test_console_format_is_readable_and_redacted(log_stream: io.StringIO) -> None:
    configure_logging("INFO", "console", stream=log_stream)
    get_logger("tests").info("login", user="alice", password="hunter2")
    output = log_stream.getvalue()
    assert "login" in output and "user=alice" in output and "hunter2" not in output and not output.startswith("{")


def test_uvicorn_colour_codes_stay_out_of_json(log_lines: LogLines) -> None:
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42, extra={"color_message": "\x1b[36m%d"})
    (line,) = [line for line in log_lines() if line["logger"] == "uvicorn.error"]
    assert line["event"] == "Started server process [42]" and "color_message" not in line

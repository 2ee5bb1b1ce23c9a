"""Issue 14: a user's tool call past the quota over HTTP is now a `rate_limited` tool error (HTTP 200) that a
model can wait on, instead of a 429 its client only reports as "Server returned an error response". That
answer must not reopen what issue 12 closed: a token holder flooding calls reaches no engine and writes
nothing but the audit record of each refusal; at most one quota's worth of refusals per window are answered
as tool errors, then the gate answers 429 again (recorded once). Only a session the gate knows as the caller's
gets a tool error: a made-up or someone else's `Mcp-Session-Id` gets the 429."""

from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client

from cyrano_mcp.principal import Role
from cyrano_mcp.settings import load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.security.conftest import http_settings, start_http, tool_call
from tests.core.security.test_http_hardening import assert_hardened
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

DRAFT = {"client_name": "Flood Ltd", "title": "Flood v. Gate", "practice_area": "litigation"}
LEGACY = "2025-11-25"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}


def outcome(response: httpx2.Response) -> Any:
    """What one answer was: ok, refused (a rate_limited tool error), or the HTTP status of anything else."""
    if response.status_code != 200:
        return response.status_code
    result = response.json()["result"]
    if not result.get("isError"):
        return "ok"
    assert result["_meta"]["cyrano/error_code"] == "rate_limited", result
    return "refused"


async def test_a_flood_past_the_quota_reaches_no_engine_and_turns_to_429_past_the_ceiling(data_dir: Path) -> None:
    settings = http_settings(data_dir, rate_limit_user="3/minute")
    async for server in start_http(settings, users={"alice": Role.ATTORNEY}):
        async with server.client("alice") as http:
            answers = [
                await http.post("/mcp", json=tool_call("matters_create", DRAFT, request_id=number))
                for number in range(20)
            ]
        async with Client(server.runtime.server) as local:  # the local user, to see what the store holds
            stored = ok(await local.call_tool("matters_list", {}))
        audit = server.runtime.security.audit
        refusals = [r for r in await audit.query(action="tool_call", limit=100) if r.outcome == "rate_limited"]
        ceiling_crossed = await audit.query(action="rate_limited")
    assert [outcome(answer) for answer in answers] == ["ok"] * 3 + ["refused"] * 3 + [429] * 14
    assert stored["total"] == 3  # the refused calls never reached the matters engine
    assert len(refusals) == 3 and {r.actor for r in refusals} == {"alice"}
    assert [r.actor for r in ceiling_crossed] == ["alice"]  # once, not once per 429
    for answer in answers[3:]:  # every refusal carries the fields, tool error or 429
        assert answer.headers["ratelimit-policy"] == '"user";q=3;w=60'
        assert answer.headers["ratelimit"].startswith('"user";r=0;') and int(answer.headers["retry-after"]) >= 1
        assert_hardened(answer)


async def test_only_a_session_the_gate_knows_as_the_callers_gets_a_tool_error(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir, json_response=True, rate_limit_user="3/minute", **TEST_SETTINGS)
    async for server in start_http(settings, users={"alice": Role.VIEWER, "bob": Role.VIEWER}):
        async with server.client("alice") as alice, server.client("bob") as bob:
            alices = (await alice.post("/mcp", json=INITIALIZE)).headers["mcp-session-id"]
            bobs = (await bob.post("/mcp", json=INITIALIZE)).headers["mcp-session-id"]
            in_alices = {"mcp-session-id": alices, "mcp-protocol-version": LEGACY}
            spent = [await alice.post("/mcp", json=tool_call("system_info"), headers=in_alices) for _ in range(3)]
            refused = await alice.post("/mcp", json=tool_call("system_info"), headers=in_alices)
            made_up = await alice.post(
                "/mcp", json=tool_call("system_info"), headers={**in_alices, "mcp-session-id": "f" * 32}
            )
            someone_elses = await alice.post(
                "/mcp", json=tool_call("system_info"), headers={**in_alices, "mcp-session-id": bobs}
            )
    assert [outcome(answer) for answer in spent] == ["ok", "ok", "refused"]  # initialize was charged too
    assert outcome(refused) == "refused"
    assert outcome(made_up) == 429 and outcome(someone_elses) == 429

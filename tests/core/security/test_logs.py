"""Canaries: passwords, tokens, keys and client text planted through every door never reach the logs.

Servers run at DEBUG (the most talkative level) as subprocesses, and everything they write to stderr is
searched afterwards.
"""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from tests.interop._servers import TEST_PASSWORD, cyrano_executable, cyrano_http_server, server_env
from tests.utils.mcp import error, ok

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

CANARY_PASSWORD = "canary-PASSWORD-5f3a9c"
CANARY_WRONG = "canary-WRONG-77e1d0"
CANARY_NOTE = "canary-NOTE privileged settlement figure 8812734"


def assert_clean(log: str, secrets: list[str], data_dir: Path) -> None:
    keys = [(data_dir / "keys" / name).read_text().strip() for name in ("master.key", "jwt.key")]
    assert "DEBUG" in log.upper() or '"level": "debug"' in log  # the server really was talkative
    for secret in [*secrets, *keys, CANARY_PASSWORD, CANARY_WRONG, TEST_PASSWORD, CANARY_NOTE, "8812734"]:
        assert secret not in log, f"a secret reached the log: {secret[:12]}..."
    assert "eyJ" not in log  # no JWT in any form


async def test_http_and_sse_logs_hold_no_secrets_or_client_text(tmp_path: Path) -> None:
    secrets: list[str] = []
    async with cyrano_http_server(tmp_path, extra_settings={"log_level": "DEBUG"}) as server:
        secrets.append(server.access_token)
        async with (
            httpx2.AsyncClient(headers=server.auth_headers) as http,
            Client(streamable_http_client(server.mcp_url, http_client=http), mode="legacy") as client,
        ):
            ok(
                await client.call_tool(
                    "auth_users_add", {"username": "canary", "role": "attorney", "password": CANARY_PASSWORD}
                )
            )
            tokens = ok(await client.call_tool("auth_login", {"username": "canary", "password": CANARY_PASSWORD}))
            error(
                await client.call_tool("auth_login", {"username": "canary", "password": CANARY_WRONG}),
                "invalid_credentials",
            )
            secrets += [tokens["access_token"], tokens["refresh_token"]]
        async with httpx2.AsyncClient(base_url=server.base_url) as http:
            login = (await http.post("/auth/login", json={"username": "canary", "password": CANARY_PASSWORD})).json()
            refreshed = (await http.post("/auth/refresh", json={"refresh_token": login["refresh_token"]})).json()
            await http.post("/auth/login", json={"username": CANARY_WRONG, "password": CANARY_WRONG})
            await http.post(f"/mcp?access_token={login['access_token']}", json={})
            secrets += [
                login["access_token"],
                login["refresh_token"],
                refreshed["access_token"],
                refreshed["refresh_token"],
            ]
        headers = {"Authorization": f"Bearer {refreshed['access_token']}"}
        async with Client(sse_client(server.sse_url, headers=headers), mode="auto") as client:
            matter = ok(
                await client.call_tool(
                    "matters_create",
                    {"client_name": "Canary Co", "title": "Canary", "practice_area": "tax", "notes": CANARY_NOTE},
                )
            )
            assert ok(await client.call_tool("matters_get", {"matter_id": matter["id"]}))["notes"] == CANARY_NOTE
            await client.read_resource(f"cyrano://matters/{matter['id']}")
        log = server.log_path.read_text(encoding="utf-8")
    assert_clean(log, secrets, tmp_path / "data")


def _frame(message: dict[str, Any]) -> bytes:
    return (json.dumps(message) + "\n").encode()


def _call(number: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": {"name": name, "arguments": arguments}}


def test_stdio_logs_hold_no_secrets_or_client_text(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        _call(2, "auth_users_add", {"username": "canary", "role": "viewer", "password": CANARY_PASSWORD}),
        _call(3, "auth_login", {"username": "canary", "password": CANARY_PASSWORD}),
        _call(4, "auth_login", {"username": "canary", "password": CANARY_WRONG}),
        _call(5, "matters_create", {"client_name": "C", "title": "T", "practice_area": "tax", "notes": CANARY_NOTE}),
    ]
    env = {**os.environ, **server_env(data_dir, log_level="DEBUG", local_user_role="admin", toolsets="all")}
    answers: dict[int, dict[str, Any]] = {}
    with (tmp_path / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen(
            [cyrano_executable(), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            for message in messages:  # one at a time: each call's answer before the next call
                process.stdin.write(_frame(message))
                process.stdin.flush()
                while "id" in message and message["id"] not in answers:
                    answer = json.loads(process.stdout.readline())
                    answers[answer.get("id", 0)] = answer
            process.stdin.close()
            process.wait(timeout=30)
        finally:
            process.kill()
            process.stdout.close()
    assert set(answers) >= {1, 2, 3, 4, 5}
    tokens = answers[3]["result"]["structuredContent"]
    assert answers[5]["result"]["structuredContent"]["notes"] == CANARY_NOTE
    assert_clean((tmp_path / "stderr.log").read_text(), [tokens["access_token"], tokens["refresh_token"]], data_dir)

"""stdio: a session with the installed `cyrano-mcp serve`, and nothing but JSON-RPC on its stdout."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {"CYRANO_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), **extra}


@pytest.mark.parametrize("mode", MODES)
async def test_a_stdio_session_with_the_installed_command(data_dir: Path, mode: str) -> None:
    params = StdioServerParameters(command=CYRANO, args=["serve"], env=server_env(data_dir))
    async with Client(params, mode=mode, read_timeout_seconds=30) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        assert {"matters_create", "matters_list", "arkiver_ingest", "jobs_status"} <= names
        assert not {name for name in names if name.startswith(("system_", "auth_", "audit_"))}  # the lawyer's set
        created = ok(
            await client.call_tool(
                "matters_create", {"client_name": "Okafor", "title": "Will and codicil", "practice_area": "estates"}
            )
        )
        assert ok(await client.call_tool("matters_get", {"matter_id": created["id"]}))["title"] == "Will and codicil"
    assert (data_dir / "cyrano.db").is_file()


def _frame(message: dict[str, object]) -> bytes:
    return (json.dumps(message) + "\n").encode()


def test_stdout_carries_only_json_rpc_even_when_a_tool_prints(data_dir: Path, tmp_path: Path) -> None:
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "raw", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "noisy_shout", "arguments": {"text": "hello"}},
        },
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "noisy_shout", "arguments": {"text": "again"}},
        },
    ]
    env = {
        **os.environ,
        **server_env(data_dir, CYRANO_PLUGINS="tests.fixtures.engines:noisy", CYRANO_LOCAL_USER_ROLE="admin"),
    }
    stderr_file = (tmp_path / "stderr.log").open("wb")
    process = subprocess.Popen(
        [CYRANO, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr_file, env=env
    )
    assert process.stdin is not None and process.stdout is not None
    answers: dict[int, dict[str, object]] = {}
    lines: list[bytes] = []
    try:
        process.stdin.write(_frame(messages[0]))
        process.stdin.flush()
        lines.append(process.stdout.readline())
        for message in messages[1:]:
            process.stdin.write(_frame(message))
        process.stdin.flush()
        while len(lines) < 3:
            lines.append(process.stdout.readline())
        process.stdin.close()  # end of session: the server exits and flushes whatever it still holds
        stdout_rest = process.stdout.read()
        process.wait(timeout=30)
    finally:
        process.kill()
        process.stdout.close()
        stderr_file.close()
    stderr = (tmp_path / "stderr.log").read_bytes()
    lines.extend(line for line in stdout_rest.splitlines(keepends=True) if line)
    for line in lines:
        parsed = json.loads(line)  # every line on stdout is a JSON-RPC message
        assert parsed["jsonrpc"] == "2.0", line
        if "id" in parsed:
            answers[parsed["id"]] = parsed
    assert set(answers) == {1, 2, 3}
    assert answers[2]["result"]["structuredContent"] == {"text": "hello"}  # type: ignore[index]
    for stray in (b"print() without flush", b"print() with flush", b"sys.stdout.write", b"os.write to fd 1"):
        assert stray in stderr, stray  # what the tool printed went to stderr instead
    assert process.returncode == 0


def test_a_bad_setting_stops_serve_with_one_clear_line(data_dir: Path) -> None:
    env = {**os.environ, **server_env(data_dir, CYRANO_DB_POOL_MAX="0")}
    done = subprocess.run(
        [CYRANO, "serve"], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().startswith("cyrano-mcp: invalid settings: CYRANO_DB_POOL_MAX")
    assert "Traceback" not in done.stderr

"""The official TypeScript SDK client (`@modelcontextprotocol/sdk` 1.x) against the installed `cyrano-mcp serve`.

`ts/client.mjs` does the talking and prints one JSON summary line; these tests start the server (or let
the script spawn it, for stdio), run the script, and check the summary. The TypeScript client speaks the
2025-11-25 handshake, so this is the legacy protocol path as third-party hosts use it.

Needs `node` (>= 20) and `npm install` in tests/interop/ts (`make test` does it). Without them the tests
skip, unless CYRANO_REQUIRE_SERVICES=1 makes that a failure.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp_types.version import SUPPORTED_PROTOCOL_VERSIONS

from tests.interop._servers import (
    cyrano_executable,
    cyrano_http_server,
    log_tail,
    stdio_settings,
    unavailable,
)

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

TS_DIR = Path(__file__).parent / "ts"
CLIENT_SCRIPT = TS_DIR / "client.mjs"
SDK_PACKAGE = TS_DIR / "node_modules" / "@modelcontextprotocol" / "sdk" / "package.json"
SCRIPT_DEADLINE_MS = 60_000  # the script stops itself after this
RUN_TIMEOUT = 90.0  # and is killed after this


@pytest.fixture
def node() -> str:
    executable = shutil.which("node")
    if executable is None:
        unavailable("TypeScript SDK interop", "`node` is not on PATH (install Node.js 20 or later)")
    if not SDK_PACKAGE.is_file():
        unavailable("TypeScript SDK interop", f"the npm packages are not installed (run `npm install` in {TS_DIR})")
    return str(executable)


async def run_client(node: str, args: list[str], cwd: Path, log: Path | None = None) -> dict[str, Any]:
    """Run client.mjs and return its summary; fails the test with everything it printed otherwise."""
    command = [node, str(CLIENT_SCRIPT), "--deadline-ms", str(SCRIPT_DEADLINE_MS), *args]
    with anyio.fail_after(RUN_TIMEOUT):
        # On timeout, anyio kills the script; a stdio server it spawned then sees its stdin close and exits.
        result = await anyio.run_process(command, cwd=cwd, check=False, stdin=subprocess.DEVNULL)
    stdout = result.stdout.decode("utf-8", errors="replace")
    stderr = result.stderr.decode("utf-8", errors="replace")
    lines = stdout.strip().splitlines()
    details = f"exit status {result.returncode}\n--- stdout ---\n{stdout}\n--- stderr (tail) ---\n{stderr[-4000:]}"
    if log is not None:
        details += f"\n--- server log (tail) ---\n{log_tail(log)}"
    assert lines, f"client.mjs printed no summary\n{details}"
    summary: dict[str, Any] = json.loads(lines[-1])
    assert result.returncode == 0 and summary["ok"], f"client.mjs failures: {summary['failures']}\n{details}"
    return summary


def check_summary(summary: dict[str, Any], transport: str, record_property: Any) -> None:
    record_property("negotiated_protocol_version", summary["protocolVersion"])
    assert summary["transport"] == transport
    # The TypeScript client asks for its latest version (2025-11-25 in SDK 1.2x/1.3x); Cyrano must accept it.
    assert summary["protocolVersion"] == summary["clientProtocolVersion"]
    assert summary["protocolVersion"] in SUPPORTED_PROTOCOL_VERSIONS
    assert summary["protocolVersion"] in summary["serverProtocolVersions"]
    assert summary["server"]["name"] == "cyrano"
    assert summary["resourceRead"] is True
    assert summary["promptsListed"] >= 2
    assert summary["clauseGrid"] == ["anti_assignment", "governing_law"]
    assert summary["deadlines"] == "non_renewal_notice:2014-12-18,expiry:2015-03-18"
    assert summary["badArgumentsMessage"].startswith("invalid_input: ")


async def test_typescript_client_over_stdio(node: str, tmp_path: Path, record_property: Any) -> None:
    # The lawyer's default toolsets plus `system`, whose system_info the script reads the protocol versions from.
    environment = {**stdio_settings(tmp_path / "data"), "CYRANO_TOOLSETS": "default,system"}
    env_args = [arg for key, value in environment.items() for arg in ("--env", f"{key}={value}")]
    args = ["stdio", *env_args, "--", cyrano_executable(), "serve"]
    check_summary(await run_client(node, args, cwd=tmp_path), "stdio", record_property)


@pytest.mark.parametrize(
    ("stateless", "json_response"),
    [(False, False), (True, False), (True, True)],
    ids=["stateful", "stateless", "stateless-json"],
)
async def test_typescript_client_over_streamable_http(
    node: str, tmp_path: Path, record_property: Any, stateless: bool, json_response: bool
) -> None:
    async with cyrano_http_server(tmp_path, stateless=stateless, json_response=json_response) as server:
        args = ["--header", f"Authorization: Bearer {server.access_token}", "http", server.mcp_url]
        summary = await run_client(node, args, cwd=tmp_path, log=server.log_path)
    check_summary(summary, "http", record_property)


async def test_typescript_client_over_sse(node: str, tmp_path: Path, record_property: Any) -> None:
    async with cyrano_http_server(tmp_path) as server:
        args = ["--header", f"Authorization: Bearer {server.access_token}", "sse", server.sse_url]
        summary = await run_client(node, args, cwd=tmp_path, log=server.log_path)
    check_summary(summary, "sse", record_property)


async def test_typescript_client_past_its_quota_gets_tool_errors_with_the_wait(node: str, tmp_path: Path) -> None:
    """Issue 14: over HTTP a call past the quota is a `rate_limited` tool result, which the TypeScript client
    returns like any other (a 429 would have been thrown as a transport error)."""
    quota = {"rate_limit_user": "20/minute"}  # the checks take 16 or 17 requests of it
    async with cyrano_http_server(tmp_path, extra_settings=quota) as server:
        args = ["--calls-past-quota", "8", "--header", f"Authorization: Bearer {server.access_token}"]
        summary = await run_client(node, [*args, "http", server.mcp_url], cwd=tmp_path, log=server.log_path)
    refusals = summary["rateLimitedMessages"]
    assert 1 <= len(refusals) <= 8 and all(
        text.startswith("rate_limited: too many calls (20 per 60 s)") for text in refusals
    )

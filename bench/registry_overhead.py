"""How much of a bare MCP server's throughput does Cyrano's registry call path keep?

Runs two servers as subprocesses on 127.0.0.1, served the same way (uvicorn with the configuration
`cyrano-mcp serve` uses, h11 and asyncio as installed, streamable HTTP at /mcp, the same HTTP mode):

* **cyrano**: Cyrano's HTTP app built as `cyrano-mcp serve --transport http` builds it (settings from
  CYRANO_* variables, `configure_logging`, `build_runtime`, `build_http_app`), with its normal INFO
  logging on stderr redirected to a file (not disabled: a log line per call is part of the cost). The
  tool is `system_info`, which touches no database. `--cyrano-via cli` runs the installed
  `cyrano-mcp serve` itself instead; see `_serve_app` for why that is not the default.
* **bare**: `MCPServer("bare")` from this file (`--serve-bare`) with one async tool, also named
  `system_info`, that builds and returns a pydantic model of the same shape and size as Cyrano's
  `SystemInfo` (the SDK version read once, as Cyrano does); stdlib logging at INFO to a file.

A load generator in this process drives N concurrent clients (one keep-alive HTTP/1.1 connection
each). A client sends what `mcp.Client` 2.3 sends in the chosen protocol mode, byte for byte in body
and MCP headers: `auto` (2026-07-28: `server/discover`, then `tools/call` with `_meta`, no session)
or `legacy` (2025-11-25: `initialize`, `notifications/initialized`, a session id when stateful, a
DELETE at the end); each client also lists tools once, as the SDK client does before its first
validated call. It speaks raw HTTP rather than running `mcp.Client` so that, on a small machine, the
servers and not the client library are the bottleneck (see the gen CPU column).

Each round opens a fleet of clients per server, warms both up, then measures them in alternating
slices (A B B A A B ...) so that both see the same background load; within a slice, completed calls,
their latencies and the server process's CPU time are recorded. The table gives per server the
median throughput of the rounds, p50/p95 latency over all rounds and CPU time per call. The ratio is
computed per round (cyrano / bare, same round) and its median is checked against the target. The
CPU-per-call ratio (bare / cyrano) is what the throughput ratio converges to when both servers are
CPU-bound; on a shared machine it is the steadier of the two.

    python bench/registry_overhead.py                       # auto and legacy, 10 and 100 clients
    python bench/registry_overhead.py --mode legacy --http stateless --duration 5 --rounds 2
    python bench/registry_overhead.py --clients 10 --json bench/results/run.json --check
"""

import argparse
import importlib.metadata
import json
import logging
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import anyio
import psutil
from anyio.abc import SocketStream
from anyio.streams.buffered import BufferedByteReceiveStream
from mcp_types.version import LATEST_HANDSHAKE_VERSION, LATEST_MODERN_VERSION, SUPPORTED_PROTOCOL_VERSIONS
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from starlette.applications import Starlette

Mode = Literal["auto", "legacy"]
ServerName = Literal["cyrano", "bare"]
TARGET_RATIO = 0.90
SATURATED_PCT = 80.0  # below this server CPU share, the server was not the bottleneck
TOOL = "system_info"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 4 * 1024 * 1024


# --------------------------------------------------------------------------------------------------
# The bare server (runs in its own process: `registry_overhead.py --serve-bare --port N`)
# --------------------------------------------------------------------------------------------------
class BareEngine(BaseModel):
    name: str
    version: str
    description: str
    tools: list[str]
    origin: str = Field(description="The entry point or plugin it was loaded from.")


class BareInfo(BaseModel):
    """Same fields, types and roughly the same sizes as Cyrano's `SystemInfo`."""

    name: str
    version: str
    python_version: str
    mcp_sdk_version: str
    protocol_versions: list[str] = Field(description="MCP protocol versions this server speaks.")
    store: Literal["sqlite", "postgresql"]
    data_dir: str | None  # None unless the caller may see paths (system:admin), as in Cyrano
    engines: list[BareEngine]
    tool_count: int
    started_at: datetime
    uptime_seconds: float


_BARE_STARTED = datetime.now(UTC)
_BARE_SDK_VERSION = importlib.metadata.version("mcp")
# What the tool reports about "its" engines. The benchmark replaces it with what Cyrano's own system_info
# returned (`--profile`), so that both servers build and serialize the same amount of data per call.
_BARE_PROFILE: dict[str, Any] = {
    "data_dir": str(Path(tempfile.gettempdir()) / "bare-data"),
    "tool_count": 2,
    "engines": [
        {
            "name": "system",
            "version": "0.1.0",
            "description": "The server itself.",
            "tools": ["system_info", "system_health"],
            "origin": "code",
        }
    ],
}


async def bare_system_info() -> BareInfo:
    """Version, protocol versions, store kind, and the engines and tools this server has loaded."""
    # Per call, the same work as Cyrano's SystemService.info(): engine summaries built afresh, protocol
    # versions sorted, uptime computed; the SDK version is read once at start, as Cyrano does.
    engines = [
        BareEngine(
            name=engine["name"],
            version=engine["version"],
            description=engine["description"],
            tools=list(engine["tools"]),
            origin=engine["origin"],
        )
        for engine in _BARE_PROFILE["engines"]
    ]
    now = datetime.now(UTC)
    return BareInfo(
        name="bare",
        version="0.1.0",
        python_version=platform.python_version(),
        mcp_sdk_version=_BARE_SDK_VERSION,
        protocol_versions=sorted(SUPPORTED_PROTOCOL_VERSIONS, reverse=True),
        store="sqlite",
        data_dir=_BARE_PROFILE["data_dir"],
        engines=engines,
        tool_count=_BARE_PROFILE["tool_count"],
        started_at=_BARE_STARTED,
        uptime_seconds=round((now - _BARE_STARTED).total_seconds(), 3),
    )


def _serve_app(app: "Starlette", port: int) -> None:
    """uvicorn on 127.0.0.1:`port`, configured and given its socket as `cyrano-mcp serve --transport http` does.

    The socket says IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted connections only then. Without it,
    Nagle's algorithm holds each response body until the client's delayed ACK (~40 ms) for the headers.
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])


def serve_bare(port: int, *, stateless: bool, json_response: bool, profile: Path | None) -> None:
    """A bare `MCPServer` with one tool, served like Cyrano (see `_serve_app`)."""
    from mcp.server.mcpserver import MCPServer

    if profile is not None:
        _BARE_PROFILE.update(json.loads(profile.read_text(encoding="utf-8")))
    from mcp.server.transport_security import TransportSecuritySettings

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    server: MCPServer[None] = MCPServer("bare", version="0.1.0")
    server.add_tool(bare_system_info, name=TOOL, title="Server information")
    app = server.streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=stateless,
        json_response=json_response,
        transport_security=TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
            allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
        ),
    )
    _serve_app(app, port)


def serve_core(port: int, *, stateless: bool, json_response: bool) -> None:
    """Cyrano's registry call path alone (`--layers core`): the `system` engine's tools built by the registry,
    every call through `CallPath` (correlation id, validation, error mapping, one INFO log line, the metrics
    interceptor) and the request-id middleware, with logging configured as `cyrano-mcp serve` does it — but
    none of the security layers (bearer tokens, RBAC, rate limits, audit), which `--layers full` adds."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.tools import Tool
    from mcp.server.transport_security import TransportSecuritySettings

    from cyrano_mcp import system
    from cyrano_mcp.callpath import CallPath
    from cyrano_mcp.callpath.observing import ToolCallMetrics
    from cyrano_mcp.kit import EngineContext
    from cyrano_mcp.observability.logging import configure_logging
    from cyrano_mcp.observability.requests import RequestContextMiddleware
    from cyrano_mcp.registry import EngineSource, Registry
    from cyrano_mcp.server import settle_heap
    from cyrano_mcp.settings import load_settings
    from cyrano_mcp.store.database import Database

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    registry = Registry(CallPath())
    context = EngineContext(settings=settings, database=Database(settings), registry=registry)
    registry.load([EngineSource("bench", system.create_engine)], context)
    registry.call_path.add_interceptor(ToolCallMetrics(registry.tool_names))
    server: MCPServer[None] = MCPServer("cyrano", version="0.1.0", tools=list[Tool](registry.build_tools()))
    app = server.streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=stateless,
        json_response=json_response,
        transport_security=TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=settings.allowed_hosts,
            allowed_origins=settings.allowed_origins,
        ),
    )
    settle_heap()  # as `cyrano-mcp serve` does once it has started
    _serve_app(RequestContextMiddleware(app), port)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# The load generator: a minimal HTTP/1.1 client speaking what mcp.Client 2.3 speaks
# --------------------------------------------------------------------------------------------------
class WireError(Exception):
    """The server answered something other than a successful result."""


@dataclass(slots=True)
class Response:
    status: int
    headers: dict[bytes, bytes]
    body: bytes


MODERN_VERSION, HANDSHAKE_VERSION = LATEST_MODERN_VERSION, LATEST_HANDSHAKE_VERSION
CLIENT_INFO = {"name": "mcp", "version": "0.1.0"}
MODERN_META = json.dumps(
    {
        "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
        "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
        "io.modelcontextprotocol/clientCapabilities": {},
    },
    separators=(",", ":"),
)


def _json_rpc_payload(body: bytes) -> dict[str, object]:
    """The JSON-RPC message in a plain JSON body or in the `data:` lines of an SSE body."""
    text = body.decode("utf-8")
    if text.lstrip().startswith("{"):
        message = json.loads(text)
    else:
        data = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
        if not data:
            raise WireError(f"no JSON-RPC message in the response: {text[:200]!r}")
        message = json.loads(data[-1])
    if not isinstance(message, dict):
        raise WireError(f"not a JSON-RPC message: {text[:200]!r}")
    return message


_CLOSED_BY_PEER = (anyio.EndOfStream, anyio.IncompleteRead, anyio.BrokenResourceError, ConnectionResetError)
_IDLE_RETRY_AFTER = 1.0  # seconds


class WireClient:
    """One MCP client on one keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int, mode: Mode, bearer: str | None = None) -> None:
        self.port = port
        self.mode = mode
        self._authorization = [f"Authorization: Bearer {bearer}".encode()] if bearer else []
        self.session_id: str | None = None
        self.response_bytes = 0
        self.tool_calls = 0  # every successful tools/call, warm-up and set-up included
        self.reconnects = 0  # idle keep-alive connections the server had closed
        self.first_result: dict[str, Any] = {}  # structured content of the checked call in open_session
        self._last_used = time.monotonic()
        self._next_id = 0
        self._stream: SocketStream | None = None
        self._reader: BufferedByteReceiveStream | None = None
        self._host = f"127.0.0.1:{port}".encode()

    async def connect(self) -> None:
        self._stream = await anyio.connect_tcp("127.0.0.1", self.port)
        self._reader = BufferedByteReceiveStream(self._stream)

    async def aclose(self) -> None:
        if self._stream is not None:
            await self._stream.aclose()
        self._stream = None
        self._reader = None

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _headers(self, method: str | None, name: str | None = None, *, after_handshake: bool = True) -> list[bytes]:
        headers = [b"Accept: application/json, text/event-stream", b"Content-Type: application/json"]
        headers += self._authorization
        if self.mode == "auto":
            headers.append(f"MCP-Protocol-Version: {MODERN_VERSION}".encode())
            if method is not None:
                headers.append(f"Mcp-Method: {method}".encode())
            if name is not None:
                headers.append(f"Mcp-Name: {name}".encode())
        elif after_handshake:
            if self.session_id is not None:
                headers.append(f"Mcp-Session-Id: {self.session_id}".encode())
            headers.append(f"MCP-Protocol-Version: {HANDSHAKE_VERSION}".encode())
        return headers

    async def request(self, verb: bytes, body: bytes, headers: Sequence[bytes]) -> Response:
        assert self._stream is not None and self._reader is not None, "connect() first"
        head = b"\r\n".join(
            [
                verb + b" /mcp HTTP/1.1",
                b"Host: " + self._host,
                b"User-Agent: cyrano-bench",
                *headers,
                b"Content-Length: " + str(len(body)).encode(),
                b"",
                b"",
            ]
        )
        idle = time.monotonic() - self._last_used
        try:
            await self._stream.send(head + body)
            response = await self._read_response()
        except _CLOSED_BY_PEER:
            # uvicorn closes keep-alive connections idle for 5 s; like any HTTP client, open a new one and
            # resend once (the MCP session, if any, lives on in the server).
            if idle < _IDLE_RETRY_AFTER:
                raise
            self.reconnects += 1
            await self.aclose()
            await self.connect()
            assert self._stream is not None
            await self._stream.send(head + body)
            response = await self._read_response()
        self._last_used = time.monotonic()
        return response

    async def _read_response(self) -> Response:
        assert self._reader is not None
        head = await self._reader.receive_until(b"\r\n\r\n", MAX_HEADER_BYTES)
        status_line, *lines = head.split(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        headers: dict[bytes, bytes] = {}
        for line in lines:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if b"content-length" in headers:
            length = int(headers[b"content-length"])
            body = await self._reader.receive_exactly(length) if length else b""
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = await self._read_chunked()
        else:
            raise WireError(f"HTTP {status} without a length: the load generator cannot frame it")
        self.response_bytes += len(body)
        return Response(status, headers, body)

    async def _read_chunked(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        total = 0
        while True:
            size = int((await self._reader.receive_until(b"\r\n", 1024)).split(b";", 1)[0], 16)
            if size == 0:
                while await self._reader.receive_until(b"\r\n", MAX_HEADER_BYTES):
                    pass  # trailer fields, up to the empty line
                return b"".join(parts)
            total += size
            if total > MAX_BODY_BYTES:
                raise WireError("response body too large")
            parts.append(await self._reader.receive_exactly(size))
            await self._reader.receive_exactly(2)

    async def _call(self, method: str, params: str | None, name: str | None = None) -> dict[str, object]:
        if self.mode == "auto":
            params = (params[:-1] + "," if params else "{") + f'"_meta":{MODERN_META}}}'
        body = f'{{"jsonrpc":"2.0","id":{self._id()},"method":"{method}"'
        body += f',"params":{params}}}' if params else "}"
        response = await self.request(b"POST", body.encode(), self._headers(method, name))
        if response.status != 200:
            raise WireError(f"{method}: HTTP {response.status}: {response.body[:200]!r}")
        message = _json_rpc_payload(response.body)
        if "result" not in message:
            raise WireError(f"{method}: {message.get('error')}")
        result = message["result"]
        assert isinstance(result, dict)
        return result

    async def open_session(self) -> None:
        """What `async with mcp.Client(url, mode=...)` does, then the one tools/list the SDK client does."""
        await self.connect()
        if self.mode == "auto":
            await self._call("server/discover", None)
        else:
            params = {"protocolVersion": HANDSHAKE_VERSION, "capabilities": {}, "clientInfo": CLIENT_INFO}
            body = json.dumps({"jsonrpc": "2.0", "id": self._id(), "method": "initialize", "params": params})
            response = await self.request(b"POST", body.encode(), self._headers(None, after_handshake=False))
            if response.status != 200 or "result" not in _json_rpc_payload(response.body):
                raise WireError(f"initialize: HTTP {response.status}: {response.body[:200]!r}")
            session = response.headers.get(b"mcp-session-id")
            self.session_id = session.decode() if session else None
            note = b'{"jsonrpc":"2.0","method":"notifications/initialized"}'
            response = await self.request(b"POST", note, self._headers(None))
            if response.status != 202:
                raise WireError(f"notifications/initialized: HTTP {response.status}")
        tools = await self._call("tools/list", None)
        listed = tools.get("tools")
        assert isinstance(listed, list)
        if not any(isinstance(tool, dict) and tool.get("name") == TOOL and tool.get("outputSchema") for tool in listed):
            raise WireError(f"the server has no {TOOL} tool with an output schema")
        result = await self._call("tools/call", f'{{"name":"{TOOL}","arguments":{{}}}}', TOOL)
        structured = result.get("structuredContent")
        if result.get("isError") or not isinstance(structured, dict):
            raise WireError(f"{TOOL} did not return structured content: {str(result)[:300]}")
        self.first_result = structured
        self.tool_calls += 1

    async def call_tool(self) -> None:
        """One `tools/call` of the tool, checked cheaply (the first call in open_session was checked fully)."""
        body = f'{{"jsonrpc":"2.0","id":{self._id()},"method":"tools/call","params":{{"name":"{TOOL}","arguments":{{}}'
        body += f',"_meta":{MODERN_META}}}}}' if self.mode == "auto" else "}}"
        response = await self.request(b"POST", body.encode(), self._headers("tools/call", TOOL))
        if response.status != 200 or b'"result":' not in response.body or b'"isError":true' in response.body:
            raise WireError(f"tools/call: HTTP {response.status}: {response.body[:300]!r}")
        self.tool_calls += 1

    async def close_session(self) -> None:
        try:
            if self.mode == "legacy" and self.session_id is not None and self._stream is not None:
                await self.request(b"DELETE", b"", self._headers(None))
        finally:
            await self.aclose()


# --------------------------------------------------------------------------------------------------
# Servers as subprocesses
# --------------------------------------------------------------------------------------------------
@dataclass
class ServerProcess:
    name: ServerName
    port: int
    popen: subprocess.Popen[bytes]
    log_path: Path
    ps: psutil.Process = field(init=False)
    bearer: str | None = None  # Cyrano's HTTP transport needs an access token; the bare server none

    def __post_init__(self) -> None:
        self.ps = psutil.Process(self.popen.pid)

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def log_lines(self) -> int:
        with self.log_path.open("rb") as handle:
            return sum(1 for _ in handle)


def _describe_checkout() -> str:
    """The commit being measured, and whether the server's code differs from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "cyrano_mcp", "modules", "engines"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "at an unknown commit"
    return f"at {commit or 'an unknown commit'}{' with local changes' if dirty else ''}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _cyrano_command() -> list[str]:
    beside = Path(sys.executable).with_name("cyrano-mcp")
    found = str(beside) if beside.is_file() else shutil.which("cyrano-mcp")
    if found is None:
        raise SystemExit("cyrano-mcp is not installed in this environment (pip install -e .)")
    return [found, "serve", "--transport", "http", "--host", "127.0.0.1"]


def _stop(popen: subprocess.Popen[bytes]) -> None:
    if popen.poll() is None:
        popen.terminate()
        try:
            popen.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(timeout=STOP_TIMEOUT)


@contextmanager
def start_server(
    name: ServerName,
    workdir: Path,
    *,
    stateless: bool,
    json_response: bool,
    profile: Path | None = None,
    layers: str = "full",
) -> Iterator[ServerProcess]:
    """One server subprocess, its stdout and stderr going to `<workdir>/<name>.log`; stopped on exit.

    cyrano is the installed `cyrano-mcp serve --transport http`; bare is this file with `--serve-bare`.
    """
    port = _free_port()
    log_path = workdir / f"{name}.log"
    if name == "cyrano" and layers == "core":
        command = [sys.executable, str(Path(__file__).resolve()), "--serve-core", "--port", str(port)]
        command += ["--stateless"] if stateless else []
        command += ["--json-response"] if json_response else []
        env = {key: value for key, value in os.environ.items() if not key.startswith("CYRANO_")}
        env.update(CYRANO_DATA_DIR=str(workdir / "cyrano-data"), CYRANO_LOG_LEVEL="INFO")
    elif name == "cyrano":
        command = [*_cyrano_command(), "--port", str(port)]
        env = {key: value for key, value in os.environ.items() if not key.startswith("CYRANO_")}
        env.update(
            CYRANO_DATA_DIR=str(workdir / "cyrano-data"),
            CYRANO_LOG_LEVEL="INFO",
            CYRANO_STATELESS_HTTP="1" if stateless else "0",
            CYRANO_JSON_RESPONSE="1" if json_response else "0",
            # Every security layer runs (bearer token, RBAC, audit, rate limit); only the quota is out of reach.
            CYRANO_RATE_LIMIT_USER="100000000/minute",
            CYRANO_HTTP_SESSIONS_PER_USER="10000",  # every client is the one bench account
            CYRANO_ARGON2_MEMORY_KIB="19456",
        )
        subprocess.run(
            [*_cyrano_command()[:1], "users", "add", BENCH_USER, "--role", "viewer"],
            input=f"{BENCH_PASSWORD}\n".encode(),
            env=env,
            cwd=workdir,
            check=True,
            capture_output=True,
        )
    else:
        command = [sys.executable, str(Path(__file__).resolve()), "--serve-bare", "--port", str(port)]
        command += ["--stateless"] if stateless else []
        command += ["--json-response"] if json_response else []
        command += ["--profile", str(profile)] if profile is not None else []
        env = dict(os.environ)
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd=workdir, start_new_session=True
        )
    try:
        yield ServerProcess(name=name, port=port, popen=popen, log_path=log_path)
    finally:
        _stop(popen)


async def mirror_profile(server: ServerProcess) -> dict[str, Any]:
    """The parts of Cyrano's own system_info answer the bare tool should return too (`--profile`)."""
    client = WireClient(server.port, "auto", server.bearer)
    try:
        with anyio.fail_after(STARTUP_TIMEOUT):
            await client.open_session()
    finally:
        await client.close_session()
    info = client.first_result
    return {key: info[key] for key in ("data_dir", "tool_count", "engines")}


BENCH_USER, BENCH_PASSWORD = "bench", "bench-password-not-secret-1"


async def log_in(server: ServerProcess) -> None:
    """Cyrano's HTTP transport needs an access token: get one for the bench account (lives 15 minutes)."""
    import httpx2

    async with httpx2.AsyncClient() as http:
        response = await http.post(
            f"http://127.0.0.1:{server.port}/auth/login", json={"username": BENCH_USER, "password": BENCH_PASSWORD}
        )
    response.raise_for_status()
    server.bearer = response.json()["access_token"]


async def wait_ready(server: ServerProcess, timeout: float = STARTUP_TIMEOUT) -> None:
    """Ready when a TCP connect succeeds: uvicorn listens only after the app's lifespan has started."""
    with anyio.fail_after(timeout):
        while True:
            if server.popen.poll() is not None:
                tail = server.log_path.read_text(errors="replace")[-3000:]
                raise SystemExit(f"{server.name} server exited with {server.popen.returncode}:\n{tail}")
            try:
                stream = await anyio.connect_tcp("127.0.0.1", server.port)
            except OSError:
                await anyio.sleep(0.05)  # poll interval of the readiness probe
            else:
                await stream.aclose()
                return


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------
@dataclass
class Measurement:
    """One server's numbers in one round (the sum of its slices)."""

    server: ServerName
    mode: Mode
    clients: int
    round: int
    calls: int = 0
    seconds: float = 0.0
    errors: int = 0
    server_cpu_seconds: float = 0.0
    loadgen_cpu_seconds: float = 0.0
    response_bytes: int = 0  # over the measured slices
    sliced_tool_calls: int = 0  # every call made in the measured slices, in the window or not
    log_lines: int = 0
    all_tool_calls: int = 0  # set-up and warm-up included
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def throughput(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_us_per_call(self) -> float:
        return self.server_cpu_seconds / max(self.calls, 1) * 1e6


class Fleet:
    """N concurrent clients of one server, each on its own connection (and session, in legacy stateful mode)."""

    def __init__(self, server: ServerProcess, mode: Mode, clients: int) -> None:
        self.server = server
        self.clients = [WireClient(server.port, mode, server.bearer) for _ in range(clients)]

    async def open(self) -> None:
        with anyio.fail_after(STARTUP_TIMEOUT):
            async with anyio.create_task_group() as group:
                for client in self.clients:
                    group.start_soon(client.open_session)

    async def close(self) -> None:
        with anyio.move_on_after(STOP_TIMEOUT, shield=True):
            async with anyio.create_task_group() as group:
                for client in self.clients:
                    group.start_soon(client.close_session)

    async def run_for(self, seconds: float, tally: Measurement | None) -> None:
        """Every client calls the tool back to back for `seconds`; calls completed in the window go to `tally`.

        Afterwards the calls still in flight are allowed to finish (not counted), so that this server is
        idle again before the next slice measures the other one.
        """
        window_start = time.perf_counter()
        window_end = window_start + seconds
        cpu_start, own_start = self.server.cpu_seconds(), time.process_time()
        bytes_start = sum(client.response_bytes for client in self.clients)
        calls_start = sum(client.tool_calls for client in self.clients)
        marks: dict[str, float] = {}
        latencies: list[float] = []
        errors = 0

        async def drive(client: WireClient) -> None:
            nonlocal errors
            while (started := time.perf_counter()) < window_end:
                try:
                    await client.call_tool()
                except (WireError, OSError, anyio.EndOfStream, anyio.IncompleteRead, anyio.BrokenResourceError) as exc:
                    errors += 1
                    if errors <= 3:
                        print(f"    ! {self.server.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    await client.aclose()
                    await client.open_session()
                    continue
                done = time.perf_counter()
                if done <= window_end:
                    latencies.append((done - started) * 1000)

        async def close_window() -> None:
            await anyio.sleep(max(0.0, window_end - time.perf_counter()))  # the window's length, not a sync point
            marks["cpu"], marks["own"], marks["end"] = (
                self.server.cpu_seconds(),
                time.process_time(),
                time.perf_counter(),
            )

        with anyio.fail_after(seconds + 60):
            async with anyio.create_task_group() as group:
                group.start_soon(close_window)
                for client in self.clients:
                    group.start_soon(drive, client)
        if tally is None:
            return
        tally.calls += len(latencies)
        tally.latencies_ms.extend(latencies)
        tally.seconds += marks["end"] - window_start
        tally.errors += errors
        tally.server_cpu_seconds += marks["cpu"] - cpu_start
        tally.loadgen_cpu_seconds += marks["own"] - own_start
        tally.response_bytes += sum(client.response_bytes for client in self.clients) - bytes_start
        tally.sliced_tool_calls += sum(client.tool_calls for client in self.clients) - calls_start


async def measure_round(
    servers: dict[ServerName, ServerProcess],
    mode: Mode,
    clients: int,
    *,
    warmup: float,
    duration: float,
    slice_seconds: float,
    round_index: int,
) -> dict[ServerName, Measurement]:
    """Both servers, measured in alternating slices (A B B A A B ...) so that they share the machine's mood."""
    first: ServerName = "cyrano" if round_index % 2 == 0 else "bare"
    second: ServerName = "bare" if first == "cyrano" else "cyrano"
    tallies = {name: Measurement(server=name, mode=mode, clients=clients, round=round_index) for name in servers}
    slices = max(1, round(duration / slice_seconds))
    fleets = {name: Fleet(servers[name], mode, clients) for name in (first, second)}
    lines_before = {name: server.log_lines() for name, server in servers.items()}
    try:
        for name in (first, second):
            await fleets[name].open()
            await fleets[name].run_for(warmup, None)
        for index in range(slices):
            for name in (first, second) if index % 2 == 0 else (second, first):
                await fleets[name].run_for(duration / slices, tallies[name])
    finally:
        for fleet in fleets.values():
            await fleet.close()
    for name, server in servers.items():
        tallies[name].log_lines = server.log_lines() - lines_before[name]
        # set-up calls and warm-up calls were logged too: count them for the lines-per-call figure
        tallies[name].all_tool_calls = sum(client.tool_calls for client in fleets[name].clients)
    return tallies


# --------------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------------
def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Summary:
    mode: Mode
    clients: int
    rows: dict[ServerName, dict[str, float]]
    ratios: list[float]
    cpu_ratios: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def summarise(mode: Mode, clients: int, results: Sequence[Measurement]) -> Summary:
    rows: dict[ServerName, dict[str, float]] = {}
    for name in ("cyrano", "bare"):
        mine = [m for m in results if m.server == name]
        latencies = [value for m in mine for value in m.latencies_ms]
        seconds = sum(m.seconds for m in mine)
        rows[name] = {
            "calls_per_s": statistics.median(m.throughput for m in mine),
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
            "server_cpu_us_per_call": statistics.median(m.server_cpu_us_per_call for m in mine),
            "server_cpu_pct": sum(m.server_cpu_seconds for m in mine) / seconds * 100,
            "loadgen_cpu_pct": sum(m.loadgen_cpu_seconds for m in mine) / seconds * 100,
            "bytes_per_call": sum(m.response_bytes for m in mine) / max(1, sum(m.sliced_tool_calls for m in mine)),
            "log_lines_per_call": sum(m.log_lines for m in mine) / max(1, sum(m.all_tool_calls for m in mine)),
            "errors": sum(m.errors for m in mine),
            "calls": sum(m.calls for m in mine),
        }
    rounds = sorted({m.round for m in results})
    by_key = {(m.server, m.round): m for m in results}
    ratios = [by_key["cyrano", r].throughput / by_key["bare", r].throughput for r in rounds]
    cpu_ratios = [by_key["bare", r].server_cpu_us_per_call / by_key["cyrano", r].server_cpu_us_per_call for r in rounds]
    return Summary(mode=mode, clients=clients, rows=rows, ratios=ratios, cpu_ratios=cpu_ratios)


def print_table(summaries: Sequence[Summary], http: str, target: float) -> None:
    header = (
        f"{'mode':<7} {'http':<10} {'clients':>7} {'server':<7} {'calls/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'srv CPU us/call':>15} {'srv CPU':>8} {'gen CPU':>8} {'resp B':>7} {'log/call':>8} {'errors':>6}"
    )
    print()
    print(header)
    print("-" * len(header))
    for summary in summaries:
        for name in ("cyrano", "bare"):
            row = summary.rows[name]
            print(
                f"{summary.mode:<7} {http:<10} {summary.clients:>7} {name:<7} {row['calls_per_s']:>9.1f} "
                f"{row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['server_cpu_us_per_call']:>15.0f} "
                f"{row['server_cpu_pct']:>7.0f}% {row['loadgen_cpu_pct']:>7.0f}% {row['bytes_per_call']:>7.0f} "
                f"{row['log_lines_per_call']:>8.2f} {row['errors']:>6.0f}"
            )
        verdict = "OK" if summary.ratio >= target else "BELOW TARGET"
        print(
            f"{'':<27}ratio cyrano/bare throughput {summary.ratio:.3f} "
            f"(rounds {', '.join(f'{r:.3f}' for r in summary.ratios)}; target >= {target:.2f}: {verdict}); "
            f"CPU-per-call ratio bare/cyrano {statistics.median(summary.cpu_ratios):.3f}"
        )
        busiest = max(row["server_cpu_pct"] for row in summary.rows.values())
        if busiest < SATURATED_PCT:
            print(
                f"{'':<27}note: neither server used more than {busiest:.0f}% of a CPU, so other load on the machine "
                "limited both; the CPU-per-call ratio is the steadier estimate of the saturated throughput ratio"
            )
        print("-" * len(header))
    print(
        "srv CPU: server process CPU time / measured time; gen CPU: this load generator's; resp B: response bytes "
        "per call; log/call: server log lines per tool call (set-up and warm-up calls included)"
    )


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------
async def run_benchmark(args: argparse.Namespace) -> int:
    modes: list[Mode] = ["auto", "legacy"] if args.mode == "both" else [args.mode]
    http_modes: list[bool] = {"stateful": [False], "stateless": [True], "both": [False, True]}[args.http]
    clients: list[int] = args.clients
    load = os.getloadavg()
    print(
        f"registry_overhead: {platform.python_version()} on {os.cpu_count()} CPUs, load average "
        f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}; tool {TOOL}; {args.rounds} rounds x "
        f"({args.warmup:g} s warm-up + {args.duration:g} s in {args.slice:g} s slices) per server; "
        f"json_response={args.json_response}; cyrano {_describe_checkout()}, layers: {args.layers}",
        flush=True,
    )
    if load[0] > (os.cpu_count() or 1):
        print("  note: the machine is already busy; absolute numbers will be noisy, ratios less so", flush=True)
    all_results: list[Measurement] = []
    failed = False
    with ExitStack() as stack:
        workdir = Path(args.log_dir) if args.log_dir else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        workdir.mkdir(parents=True, exist_ok=True)
        for stateless in http_modes:
            http = "stateless" if stateless else "stateful"
            subdir = workdir / http
            subdir.mkdir(exist_ok=True)
            cyrano = stack.enter_context(
                start_server(
                    "cyrano", subdir, stateless=stateless, json_response=args.json_response, layers=args.layers
                )
            )
            await wait_ready(cyrano)
            if args.layers == "full":
                await log_in(cyrano)
            profile = subdir / "bare-profile.json"
            profile.write_text(json.dumps(await mirror_profile(cyrano)), encoding="utf-8")
            bare = stack.enter_context(
                start_server("bare", subdir, stateless=stateless, json_response=args.json_response, profile=profile)
            )
            await wait_ready(bare)
            servers: dict[ServerName, ServerProcess] = {"cyrano": cyrano, "bare": bare}
            summaries: list[Summary] = []
            for mode in modes:
                for count in clients:
                    results: list[Measurement] = []
                    for round_index in range(args.rounds):
                        tallies = await measure_round(
                            servers,
                            mode,
                            count,
                            warmup=args.warmup,
                            duration=args.duration,
                            slice_seconds=args.slice,
                            round_index=round_index,
                        )
                        results.extend(tallies.values())
                        print(
                            f"  {http:<9} {mode:<6} clients={count:<4} round {round_index + 1}/{args.rounds}: "
                            + "; ".join(
                                f"{name} {m.throughput:7.1f} calls/s, p50 {percentile(m.latencies_ms, 0.5):6.2f} ms, "
                                f"{m.server_cpu_us_per_call:5.0f} us CPU/call, {m.errors} errors"
                                for name, m in tallies.items()
                            ),
                            flush=True,
                        )
                    all_results.extend(results)
                    summary = summarise(mode, count, results)
                    summaries.append(summary)
                    failed = failed or summary.ratio < args.target
            print_table(summaries, http, args.target)
            for server in servers.values():
                _stop(server.popen)
        if args.log_dir:
            print(f"server logs kept in {workdir}")
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = [{**asdict(m), "latencies_ms": None} for m in all_results]
        path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        print(f"raw measurements written to {path}")
    return 1 if failed and args.check else 0


def _clients(value: str) -> list[int]:
    counts = [int(part) for part in value.split(",") if part.strip()]
    if not counts or any(count < 1 for count in counts):
        raise argparse.ArgumentTypeError("give positive integers, comma-separated")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["auto", "legacy", "both"], default="both", help="client protocol mode")
    parser.add_argument("--http", choices=["stateful", "stateless", "both"], default="stateful", help="HTTP mode")
    parser.add_argument("--json-response", action="store_true", help="serve plain JSON instead of SSE responses")
    parser.add_argument("--clients", type=_clients, default=[10, 100], help="concurrent clients (default 10,100)")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per server per round")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per server per round")
    parser.add_argument(
        "--slice", type=float, default=2.0, help="the measured seconds are taken in slices of this length, alternating"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the server that goes first alternates")
    parser.add_argument("--target", type=float, default=TARGET_RATIO, help="minimum cyrano/bare throughput ratio")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is below the target")
    parser.add_argument("--log-dir", help="keep the servers' logs here (default: a temporary directory)")
    parser.add_argument("--json", help="also write the raw measurements to this file")
    parser.add_argument(
        "--layers",
        choices=["full", "core"],
        default="full",
        help="full: `cyrano-mcp serve` with every layer (bearer token, RBAC, rate limit, audit); core: the registry "
        "call path alone (correlation id, validation, errors, log line, metrics), as issue 2 defines it",
    )
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-core", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--stateless", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare(args.port, stateless=args.stateless, json_response=args.json_response, profile=args.profile)
        return 0
    if args.serve_core:
        serve_core(args.port, stateless=args.stateless, json_response=args.json_response)
        return 0
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.slice <= 0:
        parser.error("--rounds must be >= 1, --duration and --slice > 0, --warmup >= 0")
    return anyio.run(run_benchmark, args)


if __name__ == "__main__":
    sys.exit(main())

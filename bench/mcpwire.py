"""A minimal MCP load client: one keep-alive HTTP/1.1 connection speaking what `mcp.Client` 2.3 sends.

`WireClient` sends, byte for byte in body and MCP headers, what the SDK client sends in either protocol
mode: `auto` (2026-07-28: `server/discover`, then `tools/call` with `_meta`, no session) or `legacy`
(2025-11-25: `initialize`, `notifications/initialized`, a session id when stateful, a DELETE at the end);
it also lists tools once, as the SDK client does before its first validated call. It speaks raw HTTP
rather than running `mcp.Client` so that, on a small machine, the servers and not the client library are
the bottleneck. The benches drive fleets of these against Cyrano and against the bare server.
"""

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import anyio
from anyio.abc import SocketStream
from anyio.streams.buffered import BufferedByteReceiveStream
from mcp_types.version import LATEST_HANDSHAKE_VERSION, LATEST_MODERN_VERSION

Mode = Literal["auto", "legacy"]
TOOL = "system_info"  # the trivial tool both servers have; `open_session` checks it fully
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
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 4 * 1024 * 1024
CLOSED_BY_PEER = (anyio.EndOfStream, anyio.IncompleteRead, anyio.BrokenResourceError, ConnectionResetError)
IDLE_RETRY_AFTER = 1.0  # seconds idle after which a connection the server closed is reopened and the request resent


class WireError(Exception):
    """The server answered something other than a successful result."""


# What a call can fail with: a wrong answer, or the connection gone. A load loop counts it and reconnects.
CALL_ERRORS = (WireError, OSError, anyio.EndOfStream, anyio.IncompleteRead, anyio.BrokenResourceError)


@dataclass(slots=True)
class Response:
    status: int
    headers: dict[bytes, bytes]
    body: bytes


def json_rpc_payload(body: bytes) -> dict[str, object]:
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


class WireClient:
    """One MCP client on one keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int, mode: Mode, bearer: str | None = None) -> None:
        self.port = port
        self.mode = mode
        self._authorization: list[bytes] = []
        self.set_bearer(bearer)
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

    def set_bearer(self, bearer: str | None) -> None:
        """Send `Authorization: Bearer <bearer>` from the next request on (None: no Authorization header)."""
        self._authorization = [f"Authorization: Bearer {bearer}".encode()] if bearer else []

    async def connect(self) -> None:
        self._stream = await anyio.connect_tcp("127.0.0.1", self.port)
        self._reader = BufferedByteReceiveStream(self._stream)

    async def aclose(self) -> None:
        if self._stream is not None:
            await self._stream.aclose()
        self._stream = None
        self._reader = None

    def next_id(self) -> int:
        """The next JSON-RPC request id."""
        self._next_id += 1
        return self._next_id

    def mcp_headers(self, method: str | None, name: str | None = None, *, after_handshake: bool = True) -> list[bytes]:
        """The headers the SDK client sends with a request of `method` (and tool `name`) in this mode."""
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
        except CLOSED_BY_PEER:
            # uvicorn closes keep-alive connections idle for 5 s; like any HTTP client, open a new one and
            # resend once (the MCP session, if any, lives on in the server).
            if idle < IDLE_RETRY_AFTER:
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
        body = f'{{"jsonrpc":"2.0","id":{self.next_id()},"method":"{method}"'
        body += f',"params":{params}}}' if params else "}"
        response = await self.request(b"POST", body.encode(), self.mcp_headers(method, name))
        if response.status != 200:
            raise WireError(f"{method}: HTTP {response.status}: {response.body[:200]!r}")
        message = json_rpc_payload(response.body)
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
            body = json.dumps({"jsonrpc": "2.0", "id": self.next_id(), "method": "initialize", "params": params})
            response = await self.request(b"POST", body.encode(), self.mcp_headers(None, after_handshake=False))
            if response.status != 200 or "result" not in json_rpc_payload(response.body):
                raise WireError(f"initialize: HTTP {response.status}: {response.body[:200]!r}")
            session = response.headers.get(b"mcp-session-id")
            self.session_id = session.decode() if session else None
            note = b'{"jsonrpc":"2.0","method":"notifications/initialized"}'
            response = await self.request(b"POST", note, self.mcp_headers(None))
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
        body = f'{{"jsonrpc":"2.0","id":{self.next_id()},"method":"tools/call"'
        body += f',"params":{{"name":"{TOOL}","arguments":{{}}'
        body += f',"_meta":{MODERN_META}}}}}' if self.mode == "auto" else "}}"
        response = await self.request(b"POST", body.encode(), self.mcp_headers("tools/call", TOOL))
        if response.status != 200 or b'"result":' not in response.body or b'"isError":true' in response.body:
            raise WireError(f"tools/call: HTTP {response.status}: {response.body[:300]!r}")
        self.tool_calls += 1

    async def close_session(self) -> None:
        try:
            if self.mode == "legacy" and self.session_id is not None and self._stream is not None:
                await self.request(b"DELETE", b"", self.mcp_headers(None))
        finally:
            await self.aclose()

"""The context of the tool call being served, reachable from services without importing `mcp`.

The registry's call path sets it; a service that reports progress or needs the correlation id calls
`current_call()`. Outside a tool call (unit tests, CLI) there is none and progress reports are dropped.
A service that reads files by path asks `client_roots()` for the folders the local client declared.
"""

import itertools
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cyrano_mcp.principal import Principal

ProgressSink = Callable[[float, float | None, str | None], Awaitable[None]]
LogSink = Callable[[str, Any], Awaitable[None]]
RootsLookup = Callable[[], Awaitable[Sequence[Path]]]


async def _discard_progress(*_: object) -> None:
    """Progress outside a tool call, or to a client that did not ask for it, goes nowhere."""


async def _discard_log(*_: object) -> None:
    """A log notification outside a tool call has no client to go to."""


@dataclass(slots=True)
class CallContext:
    """One tool call: who asked for what, under which correlation id."""

    tool: str
    correlation_id: str
    transport: str = "memory"
    protocol_version: str | None = None
    started: float = field(default_factory=time.perf_counter)
    progress_sink: ProgressSink = _discard_progress
    log_sink: LogSink = _discard_log
    source: str | None = None  # the client address over HTTP, else the transport's name
    principal: "Principal | None" = None  # set by the call path's authentication step
    # The SDK's request context, opaque here so services stay free of `mcp`; only adapters that must
    # talk MCP back to the client (the sampling provider) look inside.
    mcp_context: object | None = None
    # The raw arguments: client material. Only the log redaction reads them, to cut them out of log lines.
    arguments: Mapping[str, Any] = field(default_factory=dict)
    # For a tool an engine called on a caller's behalf: the tool that called it, and how deep the nesting is.
    caller: str | None = None
    depth: int = 0
    # The folders the client declared as its MCP roots; set only for the local user's stdio client, whose
    # roots name folders of this machine that this user may read anyway (never over HTTP: docs/security.md).
    client_roots: RootsLookup | None = None

    def nested(self, tool: str) -> "CallContext":
        """The context of `tool`, run from inside this call: same caller, same correlation id, one level deeper."""
        return CallContext(
            tool=tool,
            correlation_id=self.correlation_id,
            transport=self.transport,
            protocol_version=self.protocol_version,
            source=self.source,
            principal=self.principal,
            mcp_context=self.mcp_context,
            arguments=self.arguments,  # the client's own, still to be kept out of log lines
            caller=self.tool,
            depth=self.depth + 1,
            client_roots=self.client_roots,
            log_sink=self.log_sink,
        )

    async def report_progress(self, progress: float, total: float | None = None, message: str | None = None) -> None:
        """Send an MCP progress notification if the client asked for them."""
        await self.progress_sink(progress, total, message)

    async def notify_client(self, level: str, data: Any) -> None:
        """Send an MCP log notification (`notifications/message`) to this call's client, where the transport
        carries one (not with JSON-only HTTP responses); a client that cannot take it loses nothing else."""
        try:
            await self.log_sink(level, data)
        except Exception:  # the call's own answer matters more than a notification about it
            _log.debug("client_notification_failed", exc_info=True)

    @property
    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000


_log = logging.getLogger(__name__)
_current: ContextVar[CallContext | None] = ContextVar("cyrano_current_call", default=None)


def current_call() -> CallContext | None:
    return _current.get()


async def client_roots() -> list[Path]:
    """The folders the current call's client declared as its roots, as absolute paths of this machine.

    Empty outside a tool call, over HTTP, and for clients that declare no roots. Under MCP 2026-07-28 the first
    ask ends the call with a request for the roots (`ClientInputRequired`) and the client calls again with them,
    so ask before doing any work that should not run twice.
    """
    call = current_call()
    if call is None or call.client_roots is None:
        return []
    return list(await call.client_roots())


def bind_call(call: CallContext) -> Token[CallContext | None]:
    """Make `call` current; returns the token `unbind_call` needs."""
    return _current.set(call)


def unbind_call(token: Token[CallContext | None]) -> None:
    _current.reset(token)


# What a client-supplied request id (X-Request-ID) may look like to be used as the correlation id.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

# Correlation ids must be unique, not secret: a per-process random prefix and a counter cost far less than uuid4.
_ID_PREFIX = secrets.token_hex(6)
_id_sequence = itertools.count(1)


def new_correlation_id() -> str:
    return f"{_ID_PREFIX}{next(_id_sequence):012x}"

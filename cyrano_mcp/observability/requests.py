"""Correlation ids for HTTP requests: taken from `X-Request-ID` or made up, echoed back, logged.

A pure ASGI middleware (not Starlette's `BaseHTTPMiddleware`, which buffers streams and loses context
variables): SSE and streamable HTTP responses pass through untouched. When the client sent no usable
id, the middleware puts the one it made into the request's headers, so the tool calls the request
carries log and answer under the same id as the request line.
"""

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cyrano_mcp.calls import (
    REQUEST_ID,  # the same rule the call path applies
    new_correlation_id,
)
from cyrano_mcp.observability.logging import get_logger, request_correlation_id

log = get_logger("cyrano.http")
_enabled_for = logging.getLogger("cyrano.http").isEnabledFor

HEADER = b"x-request-id"
# Probes and scrapes arrive every few seconds; their lines are detail, not business events.
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def _level(path: str, status: int) -> int:
    """A served request is detail (its tool calls log their own INFO line, and an access line per request
    would double the logging cost of a call); a refused one is an event; a failed one is degraded service."""
    if path in _QUIET_PATHS or status < 400:
        return logging.DEBUG
    return logging.INFO if status < 500 else logging.WARNING


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        given = next((value for name, value in headers if name == HEADER), None)
        correlation_id = given.decode("latin-1") if given is not None else ""
        if not REQUEST_ID.match(correlation_id):
            correlation_id = new_correlation_id()
            scope = {**scope, "headers": [*(h for h in headers if h[0] != HEADER), (HEADER, correlation_id.encode())]}
        echoed = (HEADER, correlation_id.encode())
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), echoed]}
            await send(message)

        token = request_correlation_id.set(correlation_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path: str = scope["path"]
            level = _level(path, status)
            if _enabled_for(level):
                # The path only: query strings can carry session ids and tokens.
                log.log(
                    level,
                    "http_request",
                    method=scope["method"],
                    path=path,
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )
            request_correlation_id.reset(token)

"""How the HTTP app answers: the security headers on every answer, and the shape of the gate's refusals.

Refusals are JSON `{"error": code, "error_description": text}` (the OAuth error shape of the SDK's 401s);
a 429 carries Retry-After and the RateLimit fields of the quota that refused.
"""

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cyrano_mcp.security.ratelimit import Decision

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
]
_SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
_SECURITY_HEADERS_NO_STORE = [*SECURITY_HEADERS, (b"cache-control", b"no-store")]  # unless the app set its own


def json_error(status: int, error: str, description: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


def rate_limited(decision: Decision, description: str | None = None) -> JSONResponse:
    """A 429 with Retry-After and the RateLimit fields of the quota that refused."""
    return JSONResponse(
        {
            "error": "rate_limited",
            "error_description": description or f"too many requests; retry after {decision.retry_after} s",
            "retry_after": decision.retry_after,
        },
        status_code=429,
        headers=dict(decision.headers()),
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                cached = False
                for name, value in message.get("headers", ()):
                    lowered = name.lower()  # ASGI asks apps for lowercase names; not every app obliges
                    if lowered not in _SECURITY_HEADER_NAMES:
                        headers.append((name, value))
                        cached = cached or lowered == b"cache-control"
                headers += SECURITY_HEADERS if cached else _SECURITY_HEADERS_NO_STORE
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def closing(send: Send) -> Send:
    """A `send` whose answer closes the connection (uvicorn does so once the response is complete)."""

    async def send_and_close(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), (b"connection", b"close")]}
        await send(message)

    return send_and_close


def with_rate_limit_headers(send: Send, decision: Decision) -> Send:
    extra = [(name.lower().encode(), value.encode()) for name, value in decision.headers()]

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers

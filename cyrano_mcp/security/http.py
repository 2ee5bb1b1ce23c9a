"""The HTTP app's guards and the `/auth/*` endpoints (pure ASGI, so streamed SSE responses pass untouched).

Order, outermost first:

    SecurityHeaders   nosniff, DENY framing, HSTS, CSP default-src 'none', no-referrer, no-store; on every answer
    CORSMiddleware    only when `CYRANO_CORS_ORIGINS` names origins
    RequestGate       client address; refuses tokens in the URL; request body size limit; verifies the bearer
                      token, if any (for the SDK's `RequireAuthMiddleware` on the MCP routes); per-user /
                      per-address quotas, 429 with Retry-After and RateLimit fields

Tool calls are charged here (so a refusal can be a real 429) and marked as charged, so the call path does
not charge them again. Requests without a valid token are charged per address whatever they ask for.
There is no cookie or browser login: bearer tokens travel only in the Authorization header, which
browsers never attach on their own, so there is nothing for a cross-site request to ride on.
"""

import json
import time
from urllib.parse import parse_qsl

from mcp.server.auth.middleware.auth_context import auth_context_var
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import TokenVerifier
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.authentication import AuthCredentials, UnauthenticatedUser
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cyrano_mcp.errors import DomainError, RateLimitedError, UnavailableError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.security.audit import Actor
from cyrano_mcp.security.authentication import InvalidCredentialsError, InvalidGrantError
from cyrano_mcp.security.principals import client_address
from cyrano_mcp.security.ratelimit import Decision, charged_upstream
from cyrano_mcp.security.services import Security
from cyrano_mcp.security.tokens import TokenPair
from cyrano_mcp.settings import Settings

log = get_logger("cyrano.http")

MCP_PATHS = ("/mcp", "/sse", "/messages")
UNMETERED_PATHS = ("/healthz", "/readyz", "/auth/")  # probes, and the auth endpoints' own login limit
CHARGED_METHODS = frozenset({"tools/call", "resources/read"})
URL_TOKEN_PARAMETERS = frozenset({"access_token", "refresh_token", "token", "id_token"})
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
]
_SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
_SECURITY_HEADERS_NO_STORE = [*SECURITY_HEADERS, (b"cache-control", b"no-store")]  # unless the app set its own


def _json_error(status: int, error: str, description: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


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


class RequestGate:
    """Every per-request check before the MCP app, in one ASGI layer (a layer per check cost more than the checks).

    1. the client address; tokens in the URL are refused; the body is read up to the size limit, and the
       JSON-RPC methods it carries are noted;
    2. the bearer token, when HTTP auth is on: verified by the token verifier and put where the SDK looks for
       it (`scope["user"]`, `scope["auth"]` and its auth context variable), as its authentication middleware
       would; the SDK's `RequireAuthMiddleware` on the MCP routes then refuses requests without one;
    3. the quota: per user with a token, per address without; 429 with Retry-After when refused.
    """

    def __init__(self, app: ASGIApp, security: Security, verifier: TokenVerifier | None, max_bytes: int) -> None:
        self.app = app
        self.security = security
        self.verifier = verifier
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Straight from the ASGI scope: Request objects and their header and query views cost more than the checks.
        client = scope.get("client")
        client_address.set(client[0] if client else None)
        query: bytes = scope.get("query_string", b"")
        if query and URL_TOKEN_PARAMETERS & {name for name, _ in parse_qsl(query.decode("latin-1"), True)}:
            await _json_error(
                400,
                "invalid_request",
                "tokens in the URL are refused (they end up in logs and histories); send an Authorization header",
                {"WWW-Authenticate": 'Bearer error="invalid_request"'},
            )(scope, receive, send)
            return
        authorization: bytes | None = None
        declared: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"authorization" and authorization is None:  # the first, as Starlette's Headers.get
                authorization = value
            elif name == b"content-length":
                declared = value
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(scope, receive, send)
            return
        methods: frozenset[str] = frozenset()
        if scope["method"] in ("POST", "PUT", "PATCH"):
            body = await self._read_body(receive)
            if body is None:
                return  # the client went away
            if len(body) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            methods = _rpc_methods(body)
            receive = _replay(body, receive)
        user = await self._authenticate(authorization)
        scope["user"], scope["auth"] = (user, AuthCredentials(user.scopes)) if user else (_ANONYMOUS, AuthCredentials())
        answer = await self._charge(scope, user, methods, receive, send)
        if answer is None:
            return
        if user is None:
            await self.app(scope, receive, answer)
            return
        token = auth_context_var.set(user)
        try:
            await self.app(scope, receive, answer)
        finally:
            auth_context_var.reset(token)

    async def _read_body(self, receive: Receive) -> bytes | None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body.extend(message.get("body", b""))
            if len(body) > self.max_bytes or not message.get("more_body", False):
                return bytes(body)

    async def _authenticate(self, authorization: bytes | None) -> AuthenticatedUser | None:
        """What the SDK's BearerAuthBackend decides, without building a Request to find the header."""
        if self.verifier is None or authorization is None or authorization[:7].lower() != b"bearer ":
            return None
        access = await self.verifier.verify_token(authorization[7:].decode("latin-1"))
        if access is None or (access.expires_at is not None and access.expires_at < int(time.time())):
            return None
        return AuthenticatedUser(access)

    async def _charge(
        self,
        scope: Scope,
        user: AuthenticatedUser | None,
        methods: frozenset[str],
        receive: Receive,
        send: Send,
    ) -> Send | None:
        """Charge the request to its quota; the `send` to answer with, or None when it was refused (and answered)."""
        path: str = scope.get("path", "")
        if path.startswith(UNMETERED_PATHS):
            return send
        is_call = path.startswith(MCP_PATHS) and bool(methods & CHARGED_METHODS)
        if user is not None:
            policy, identity, charge = "user", str(user.access_token.subject), is_call
        else:
            # Without a token, every request counts (they are refused anyway), except calls in no-auth mode.
            charge = is_call or (self.security.http_auth or not path.startswith(MCP_PATHS))
            policy, identity = "anonymous", client_address.get() or "unknown"
        if not charge:
            return send
        decision = await self.security.limiter.hit(policy, identity)  # type: ignore[arg-type]
        if not decision.allowed:
            if decision.new_violation:
                await self.security.audit.append(
                    "rate_limited", actor=_actor(user), outcome="refused", target=path, source=client_address.get()
                )
            await _refusal(decision)(scope, receive, send)
            return None
        if is_call:
            charged_upstream.set(True)
        return _with_headers(send, decision)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _json_error(413, "request_too_large", f"request bodies are limited to {self.max_bytes} bytes")(
            scope, receive, send
        )


_ANONYMOUS = UnauthenticatedUser()


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the body read already to the app first, then passes through (disconnects)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _actor(user: AuthenticatedUser | None) -> Actor:
    if user is None:
        return Actor(name="anonymous")
    claims = user.access_token.claims or {}
    return Actor(name=claims.get("cyrano_username", "?"), user_id=user.access_token.subject)


def _rpc_methods(body: bytes) -> frozenset[str]:
    """The JSON-RPC methods a request body carries (a single message or a batch); empty if it is not JSON-RPC."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return frozenset()
    messages = parsed if isinstance(parsed, list) else [parsed]
    return frozenset(m["method"] for m in messages if isinstance(m, dict) and isinstance(m.get("method"), str))


def _refusal(decision: Decision) -> Response:
    return JSONResponse(
        {
            "error": "rate_limited",
            "error_description": f"too many requests; retry after {decision.retry_after} s",
            "retry_after": decision.retry_after,
        },
        status_code=429,
        headers=dict(decision.headers()),
    )


def _with_headers(send: Send, decision: Decision) -> Send:
    extra = [(name.lower().encode(), value.encode()) for name, value in decision.headers()]

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers


# --- /auth/login and /auth/refresh ---------------------------------------------------------------------
class _LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=256)
    password: str = Field(min_length=1, max_length=1024)


class _RefreshBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=16, max_length=4096)


def _tokens(pair: TokenPair) -> JSONResponse:
    body = {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "bearer",
        "expires_in": pair.expires_in,
        "refresh_expires_in": pair.refresh_expires_in,
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _failure(exc: DomainError) -> JSONResponse:
    if isinstance(exc, RateLimitedError):
        retry = str(int(exc.retry_after))
        return _json_error(429, "rate_limited", exc.message, {"Retry-After": retry})
    if isinstance(exc, InvalidCredentialsError | InvalidGrantError):
        return _json_error(401, exc.code, exc.message)
    if isinstance(exc, UnavailableError):
        return _json_error(503, exc.code, exc.message)
    return _json_error(400, "invalid_request", exc.message)


async def _body(request: Request, model: type[BaseModel]) -> BaseModel | JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _json_error(415, "invalid_request", "send a JSON body (Content-Type: application/json)")
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "body" for e in exc.errors()})
        return _json_error(400, "invalid_request", f"expected a JSON object; check: {', '.join(fields)}")


def auth_routes(security: Security) -> list[BaseRoute]:
    async def login(request: Request) -> Response:
        body = await _body(request, _LoginBody)
        if isinstance(body, JSONResponse):
            return body
        assert isinstance(body, _LoginBody)
        try:
            pair = await security.auth.login(body.username, body.password, source=client_address.get() or "unknown")
        except DomainError as exc:
            return _failure(exc)
        return _tokens(pair)

    async def refresh(request: Request) -> Response:
        body = await _body(request, _RefreshBody)
        if isinstance(body, JSONResponse):
            return body
        assert isinstance(body, _RefreshBody)
        try:
            pair = await security.auth.refresh(body.refresh_token, source=client_address.get() or "unknown")
        except DomainError as exc:
            return _failure(exc)
        return _tokens(pair)

    return [Route("/auth/login", login, methods=["POST"]), Route("/auth/refresh", refresh, methods=["POST"])]


def security_middleware(settings: Settings, security: Security) -> list[Middleware]:
    """The app's middleware stack, outermost first (it takes the place of the SDK's token middleware)."""
    stack = [Middleware(SecurityHeaders)]
    if settings.cors_origins:
        stack.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                allow_headers=[
                    "authorization",
                    "content-type",
                    "mcp-session-id",
                    "mcp-protocol-version",
                    "last-event-id",
                ],
                expose_headers=["mcp-session-id", "www-authenticate", "retry-after", "ratelimit", "ratelimit-policy"],
                allow_credentials=False,
                max_age=600,
            )
        )
    verifier = security.verifier if security.http_auth else None
    stack.append(Middleware(RequestGate, security=security, verifier=verifier, max_bytes=settings.max_request_bytes))
    return stack

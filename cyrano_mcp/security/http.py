"""The HTTP app's guards (pure ASGI, so streamed SSE responses pass untouched).

Order, outermost first:

    SecurityHeaders   nosniff, DENY framing, HSTS, CSP default-src 'none', no-referrer, no-store; on every answer
    CORSMiddleware    only when `CYRANO_CORS_ORIGINS` names origins
    RequestGate       decides on the headers first: Host and Origin (every route), tokens in the URL, the declared
                      size, the bearer token; then reads the body within its size limit and deadline; charges the
                      request to its quota (429 with Retry-After and RateLimit fields); caps sessions per user

Requests with a JSON-RPC message (initialize, listings, calls) are charged per user; requests without a valid
token are charged per address whatever they ask for. Tool calls charged here carry the gate's decision on, so
the call path does not charge them again. A tool call of an authenticated session over its quota is not a 429:
it goes on, with the refusal, to be answered by the call path as a `rate_limited` tool error (HTTP 200, the
RateLimit fields and Retry-After still set), since a model reads tool errors and never sees HTTP statuses. Up
to a ceiling (`RateLimiter.over_limit_call`): past it, 429 again, so a flood stays cheap.

There is no cookie or browser login: bearer tokens travel only in the Authorization header, which browsers
never attach on their own, so there is nothing for a cross-site request to ride on.
"""

import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from mcp.server.auth.middleware.auth_context import auth_context_var
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import TokenVerifier
from starlette.authentication import AuthCredentials, UnauthenticatedUser
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.security.audit import Actor
from cyrano_mcp.security.http_answers import SecurityHeaders, closing, json_error, rate_limited, with_rate_limit_headers
from cyrano_mcp.security.http_body import AddressSlots, BodyReader, BodyRefused, NestedTooDeeply, replay, rpc_methods
from cyrano_mcp.security.http_origin import OriginCheck
from cyrano_mcp.security.http_sessions import SessionLedger, SessionUse
from cyrano_mcp.security.principals import client_address
from cyrano_mcp.security.ratelimit import charged_upstream
from cyrano_mcp.security.services import Security
from cyrano_mcp.settings import Settings

log = get_logger("cyrano.http")

MCP_PATHS = ("/mcp", "/sse", "/messages")
UNMETERED_PATHS = ("/healthz", "/readyz", "/auth/")  # probes, and the auth endpoints' own login limit
CALL_METHODS = frozenset({"tools/call", "resources/read"})  # what the call path would charge if the gate did not
TOOL_CALL = frozenset({"tools/call"})
URL_TOKEN_PARAMETERS = frozenset({"access_token", "refresh_token", "token", "id_token"})
_HEADER_REFUSALS = {
    "invalid_host": "this server does not answer for that Host header (CYRANO_ALLOWED_HOSTS)",
    "invalid_origin": "requests from that Origin are refused (CYRANO_ALLOWED_ORIGINS)",
}


@dataclass(slots=True)
class _Head:
    """What the gate decides on, from one pass over the request's headers (the first of each, as Starlette's)."""

    host: str | None = None
    origin: str | None = None
    authorization: bytes | None = None
    declared: bytes | None = None  # Content-Length
    chunked: bool = False
    session_id: str | None = None

    @classmethod
    def of(cls, headers: list[tuple[bytes, bytes]]) -> "_Head":
        head = cls()
        for name, value in headers:
            if name == b"host" and head.host is None:
                head.host = value.decode("latin-1")
            elif name == b"authorization" and head.authorization is None:
                head.authorization = value
            elif name == b"content-length":
                head.declared = value
            elif name == b"origin" and head.origin is None:
                head.origin = value.decode("latin-1")
            elif name == b"mcp-session-id" and head.session_id is None:
                head.session_id = value.decode("latin-1")
            elif name == b"transfer-encoding":
                head.chunked = True
        return head

    @property
    def has_body(self) -> bool:
        return self.chunked or (self.declared is not None and self.declared != b"0")


class RequestGate:
    """Every per-request check before the app, in one ASGI layer (a layer per check cost more than the checks).

    1. on the headers alone: Host and Origin; tokens in the URL; the declared body size; the bearer token, when
       HTTP auth is on, verified and put where the SDK looks for it (`scope["user"]`, `scope["auth"]` and its
       auth context variable), as its authentication middleware would. A request to an MCP route without a
       valid token is refused by the SDK's `RequireAuthMiddleware`; its body is never parsed, only drained;
    2. the body, within the size limit and `CYRANO_HTTP_BODY_TIMEOUT_SECONDS` (408), and for a caller without a
       valid token within `CYRANO_HTTP_UNAUTHENTICATED_PER_ADDRESS` bodies in flight per address (429);
       JSON nested too deeply to parse is a 400;
    3. the quota: per user with a token, per address without; 429 with Retry-After when refused, except for
       a tool call of an authenticated session, which goes on to be refused as a tool error (up to a ceiling);
    4. sessions: at most `CYRANO_HTTP_SESSIONS_PER_USER` open per user (see `http_sessions`).

    An answer given before the whole body has arrived closes the connection (`Connection: close`): otherwise
    the rest of the body, however slowly it came, would keep it open (uvicorn's keep-alive timer stops at each
    byte received).
    """

    def __init__(self, app: ASGIApp, security: Security, verifier: TokenVerifier | None, settings: Settings) -> None:
        self.app = app
        self.security = security
        self.verifier = verifier
        self.max_bytes = settings.max_request_bytes
        self.bodies = BodyReader(max_bytes=settings.max_request_bytes, timeout=settings.http_body_timeout_seconds)
        self.origins = OriginCheck(settings.allowed_hosts, settings.allowed_origins)
        self.unauthenticated = AddressSlots(settings.http_unauthenticated_per_address)
        self.sessions = SessionLedger(settings.http_sessions_per_user, settings.http_session_idle_seconds)
        self.stateful = not settings.stateless_http

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Straight from the ASGI scope: Request objects and their header and query views cost more than the checks.
        client = scope.get("client")
        address: str = client[0] if client else "unknown"
        client_address.set(address if client else None)
        head = _Head.of(scope["headers"])
        refusal = self._refusal_on_headers(scope, head, address)
        if refusal is not None:
            await refusal(scope, receive, closing(send) if head.has_body else send)
            return
        user = await self._authenticate(head.authorization)
        scope["user"], scope["auth"] = (user, AuthCredentials(user.scopes)) if user else (_ANONYMOUS, AuthCredentials())
        methods: frozenset[str] = frozenset()
        nested = False
        if head.has_body:
            mcp = scope["path"].startswith(MCP_PATHS)
            # Without a valid token an MCP request is refused (401): its body is read only to be dropped.
            unread = mcp and user is None and self.security.http_auth
            body = await self._take_body(scope, receive, send, None if user else address, keep=not unread)
            if body is None:
                return  # answered, or the client went away
            if mcp and not unread:
                try:
                    methods = rpc_methods(body)
                except NestedTooDeeply:
                    nested = True
            receive = replay(body, receive)
        answer = await self._charge(scope, user, head, methods, nested, receive, send)
        if answer is None:
            return
        if nested:
            await json_error(400, "invalid_request", "the JSON body is nested too deeply")(scope, receive, answer)
            return
        await self._serve(scope, receive, answer, user, head, methods)

    def _refusal_on_headers(self, scope: Scope, head: _Head, address: str) -> Response | None:
        refused = self.origins.refusal(scope["path"], address, head.host, head.origin)
        if refused is not None:
            status, error = refused
            return json_error(status, error, _HEADER_REFUSALS[error])
        query: bytes = scope.get("query_string", b"")
        if query and URL_TOKEN_PARAMETERS & {name.lower() for name, _ in parse_qsl(query.decode("latin-1"), True)}:
            return json_error(
                400,
                "invalid_request",
                "tokens in the URL are refused (they end up in logs and histories); send an Authorization header",
                {"WWW-Authenticate": 'Bearer error="invalid_request"'},
            )
        if head.declared is not None and (not head.declared.isdigit() or int(head.declared) > self.max_bytes):
            return json_error(413, "request_too_large", f"request bodies are limited to {self.max_bytes} bytes")
        return None

    async def _authenticate(self, authorization: bytes | None) -> AuthenticatedUser | None:
        """What the SDK's BearerAuthBackend decides, without building a Request to find the header."""
        if self.verifier is None or authorization is None or authorization[:7].lower() != b"bearer ":
            return None
        access = await self.verifier.verify_token(authorization[7:].decode("latin-1"))
        if access is None or (access.expires_at is not None and access.expires_at < int(time.time())):
            return None
        return AuthenticatedUser(access)

    async def _take_body(
        self, scope: Scope, receive: Receive, send: Send, anonymous: str | None, *, keep: bool
    ) -> bytes | None:
        """The body (empty unless `keep`), or None once the request has been answered or its client has gone.

        `anonymous` is the caller's address when it has no valid token: its bodies in flight are counted.
        """
        if anonymous is not None and not self.unauthenticated.take(anonymous):
            refusal = json_error(
                429,
                "rate_limited",
                "too many unfinished requests without a token from this address; retry after 1 s",
                {"Retry-After": "1"},
            )
            await refusal(scope, receive, closing(send))
            return None
        try:
            return await self.bodies.read(receive, keep=keep)
        except BodyRefused as refused:
            description = (
                f"request bodies are limited to {self.max_bytes} bytes"
                if refused.status == 413
                else f"the request body did not arrive within {self.bodies.timeout:g} s"
            )
            answer = json_error(refused.status, refused.error, description)
            await answer(scope, receive, send if refused.complete else closing(send))
            return None
        finally:
            if anonymous is not None:
                self.unauthenticated.give_back(anonymous)

    async def _charge(
        self,
        scope: Scope,
        user: AuthenticatedUser | None,
        head: _Head,
        methods: frozenset[str],
        nested: bool,
        receive: Receive,
        send: Send,
    ) -> Send | None:
        """Charge the request to its quota; the `send` to answer with, or None when it was refused (and answered)."""
        path: str = scope["path"]
        if path.startswith(UNMETERED_PATHS):
            return send
        mcp = path.startswith(MCP_PATHS)
        # What costs the server: a JSON-RPC message to serve (or to refuse), or a legacy SSE stream opened.
        serves = bool(methods) or nested or (path == "/sse" and scope["method"] == "GET")
        if user is not None:
            if not (mcp and serves):
                return send
            policy, identity = "user", str(user.access_token.subject)
        else:
            # Without a token every request counts (with HTTP auth on they are refused anyway).
            if mcp and not serves and not self.security.http_auth:
                return send
            policy, identity = "anonymous", client_address.get() or "unknown"
        limiter = self.security.limiter
        decision = await limiter.hit(policy, identity)  # type: ignore[arg-type]
        if not decision.allowed:
            if user is not None and self._in_session_tool_call(identity, head, methods):
                beyond = await limiter.over_limit_call(identity)
                if beyond == 0:
                    # The call path refuses it (and audits it) as a tool error; the engine never sees it.
                    charged_upstream.set(decision)
                    return with_rate_limit_headers(send, decision)
                audit = beyond == 1  # the ceiling is crossed: recorded once, then plain 429s
            else:
                audit = decision.new_violation
            if audit:
                await self.security.audit.append(
                    "rate_limited", actor=_actor(user), outcome="refused", target=path, source=client_address.get()
                )
            await rate_limited(decision)(scope, receive, send)
            return None
        if methods & CALL_METHODS:
            charged_upstream.set(decision)
        return with_rate_limit_headers(send, decision)

    def _in_session_tool_call(self, owner: str, head: _Head, methods: frozenset[str]) -> bool:
        """Whether the request is a tool call in an established session of `owner`: one it opened here (stateful
        streamable HTTP), or none needed (a stateless server, the 2026-07-28 protocol, a legacy SSE stream's
        messages, which the SDK checks against its streams)."""
        if methods != TOOL_CALL:
            return False
        return head.session_id is None or not self.stateful or self.sessions.knows(owner, head.session_id)

    async def _serve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        user: AuthenticatedUser | None,
        head: _Head,
        methods: frozenset[str],
    ) -> None:
        """Pass the request on, keeping the ledger of its caller's sessions when it opens or uses one."""
        owner = str(user.access_token.subject) if user else None if self.security.http_auth else client_address.get()
        path, method = scope["path"], scope["method"]
        use: SessionUse | None = None
        if owner is not None and self._opens_session(path, method, head, methods):
            use = self.sessions.open(owner)
            if use is None:
                await self._too_many_sessions(owner)(scope, receive, send)
                return
        elif owner is not None and head.session_id is not None and path == "/mcp" and self.stateful:
            use = self.sessions.enter(owner, head.session_id)
        if use is None:
            await self._forward(scope, receive, send, user)
            return
        session = use
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if session.session_id is None and status < 400 and path == "/mcp":
                    session.session_id = _header(message, b"mcp-session-id")
            await send(message)

        try:
            await self._forward(scope, receive, watch, user)
        finally:
            assert owner is not None
            # 404: the SDK no longer knows the session (expired, ended, or it never was this caller's).
            self.sessions.leave(owner, session, ended=status == 404 or (method == "DELETE" and status < 400))

    def _opens_session(self, path: str, method: str, head: _Head, methods: frozenset[str]) -> bool:
        if path == "/sse":
            return method == "GET"
        return path == "/mcp" and self.stateful and head.session_id is None and "initialize" in methods

    def _too_many_sessions(self, owner: str) -> Response:
        retry_after = self.sessions.retry_after(owner)
        return json_error(
            429,
            "too_many_sessions",
            "this account has as many open sessions as allowed (CYRANO_HTTP_SESSIONS_PER_USER); end one "
            f"(DELETE /mcp with its Mcp-Session-Id, or close an SSE stream) or retry after {retry_after} s, "
            "when an idle one expires",
            {"Retry-After": str(retry_after)},
        )

    async def _forward(self, scope: Scope, receive: Receive, send: Send, user: AuthenticatedUser | None) -> None:
        if user is None:
            await self.app(scope, receive, send)
            return
        token = auth_context_var.set(user)
        try:
            await self.app(scope, receive, send)
        finally:
            auth_context_var.reset(token)


_ANONYMOUS = UnauthenticatedUser()


def _header(message: Message, name: bytes) -> str | None:
    return next((value.decode("latin-1") for key, value in message.get("headers", ()) if key.lower() == name), None)


def _actor(user: AuthenticatedUser | None) -> Actor:
    if user is None:
        return Actor(name="anonymous")
    claims = user.access_token.claims or {}
    return Actor(name=claims.get("cyrano_username", "?"), user_id=user.access_token.subject)


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
    stack.append(Middleware(RequestGate, security=security, verifier=verifier, settings=settings))
    return stack

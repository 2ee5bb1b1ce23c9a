"""`POST /auth/login` and `POST /auth/refresh`: JSON in, a token pair out (see `authentication.AuthService`).

The request gate has checked Host and Origin and read the body (within its size limit and deadline) before
these run; the attempts are limited per address by `CYRANO_RATE_LIMIT_LOGIN` inside the service, and a
refusal carries the same RateLimit fields as the gate's own 429s.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from cyrano_mcp.errors import DomainError, RateLimitedError, UnavailableError
from cyrano_mcp.security.authentication import InvalidCredentialsError, InvalidGrantError
from cyrano_mcp.security.http_answers import json_error, rate_limited
from cyrano_mcp.security.principals import client_address
from cyrano_mcp.security.services import Security
from cyrano_mcp.security.tokens import TokenPair

Body = TypeVar("Body", bound=BaseModel)


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


def _failure(exc: DomainError, security: Security) -> JSONResponse:
    if isinstance(exc, RateLimitedError):
        return rate_limited(security.limiter.refusal("login", int(exc.retry_after)), exc.message)
    if isinstance(exc, InvalidCredentialsError | InvalidGrantError):
        return json_error(401, exc.code, exc.message)
    if isinstance(exc, UnavailableError):
        return json_error(503, exc.code, exc.message)
    return json_error(400, "invalid_request", exc.message)


async def _body(request: Request, model: type[Body]) -> Body | JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return json_error(415, "invalid_request", "send a JSON body (Content-Type: application/json)")
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "body" for e in exc.errors()})
        return json_error(400, "invalid_request", f"expected a JSON object; check: {', '.join(fields)}")


def _endpoint(
    model: type[Body], exchange: Callable[[Body, str], Awaitable[TokenPair]], security: Security
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that validates its JSON body as `model` and answers with the token pair `exchange` gives."""

    async def endpoint(request: Request) -> Response:
        body = await _body(request, model)
        if isinstance(body, JSONResponse):
            return body
        try:
            pair = await exchange(body, client_address.get() or "unknown")
        except DomainError as exc:
            return _failure(exc, security)
        return _tokens(pair)

    return endpoint


def auth_routes(security: Security) -> list[BaseRoute]:
    async def login(body: _LoginBody, source: str) -> TokenPair:
        return await security.auth.login(body.username, body.password, source=source)

    async def refresh(body: _RefreshBody, source: str) -> TokenPair:
        return await security.auth.refresh(body.refresh_token, source=source)

    return [
        Route("/auth/login", _endpoint(_LoginBody, login, security), methods=["POST"]),
        Route("/auth/refresh", _endpoint(_RefreshBody, refresh, security), methods=["POST"]),
    ]

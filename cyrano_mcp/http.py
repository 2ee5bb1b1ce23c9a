"""The HTTP app: streamable HTTP at /mcp, legacy SSE at /sse (+ /messages/), /auth/*, /healthz, /readyz, /metrics.

Every MCP route needs a bearer token (the SDK's TokenVerifier/AuthSettings; see `security/`); the
security middleware (headers, limits, body size) wraps the whole app, inside the request-id middleware.
/healthz, /readyz and /metrics need no token: keep /metrics on a network only the scraper reaches.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from cyrano_mcp import __version__
from cyrano_mcp.observability import metrics
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.observability.requests import RequestContextMiddleware
from cyrano_mcp.security.auth_routes import auth_routes
from cyrano_mcp.security.http import security_middleware
from cyrano_mcp.server import Runtime, settle_heap
from cyrano_mcp.system.service import SystemService

log = get_logger(__name__)

SETTLE_AFTER_SECONDS = 1.0


def build_http_app(runtime: Runtime) -> Starlette:
    settings = runtime.settings
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=settings.allowed_hosts,
        allowed_origins=settings.allowed_origins,
    )
    mcp_app = runtime.server.streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=settings.stateless_http,
        json_response=settings.json_response,
        transport_security=security,
        max_request_body_size=settings.max_request_bytes,
        session_idle_timeout=settings.http_session_idle_seconds,
    )
    sse_app = runtime.server.sse_app(
        sse_path="/sse",
        message_path="/messages/",
        transport_security=security,
        max_request_body_size=settings.max_request_bytes,
    )
    if not runtime.security.http_auth:
        log.warning(
            "http_auth_disabled",
            advice="CYRANO_INSECURE_HTTP_NO_AUTH is on: every HTTP caller acts as the local user "
            f"{settings.local_user!r}. For local development only.",
        )
    system = SystemService(
        settings=settings, database=runtime.database, registry=runtime.registry, started_at=runtime.started_at
    )

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    async def readyz(_: Request) -> JSONResponse:
        health = await system.health()
        # Degraded (low disk) still serves; failed takes this process out of the load balancer.
        return JSONResponse(health.model_dump(mode="json"), status_code=503 if health.status == "failed" else 200)

    async def metrics_endpoint(_: Request) -> Response:
        return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with runtime.running(), runtime.server.session_manager.run():
            # Once serving, not during start-up: the collection blocks for ~0.1 s, and until start-up is over
            # the process does not accept connections (a client connecting right then would be refused).
            asyncio.get_running_loop().call_later(SETTLE_AFTER_SECONDS, settle_heap)
            yield

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        *auth_routes(runtime.security),
        *mcp_app.routes,
    ]
    if settings.workers == 1:
        # Several workers share this port: a scrape would see one at random, and an SSE session lives in one
        # process. So each worker serves its metrics on a port of its own, and SSE is not served.
        routes += [Route("/metrics", metrics_endpoint, methods=["GET"]), *sse_app.routes]
    middleware = [
        Middleware(RequestContextMiddleware),
        *security_middleware(settings, runtime.security),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)

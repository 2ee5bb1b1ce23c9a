"""`serve --transport http --workers N`: N processes behind one listening socket.

The parent validates the settings, builds the runtime once to check the engines, migrates the store
once (so N workers starting together find nothing to migrate), binds the socket, and hands it to
uvicorn's process supervisor, which restarts a worker that dies. Each worker builds its own runtime
from the environment (`create_worker_app`), so CLI overrides travel as `CYRANO_*` variables.

Every worker answers any request: streamable HTTP is stateless, and the legacy SSE transport (whose
sessions live in one process) is not served. Shared state lives in the store (PostgreSQL for real
scale; SQLite works too, its writers queue on its write lock). Metrics stay one registry per process:
each worker serves its own on `CYRANO_METRICS_PORT + i`, and the shared port has no /metrics.
"""

import os
import socket
import sys
from typing import Any

import anyio
import click
from starlette.applications import Starlette

from cyrano_mcp.observability.logging import configure_logging, get_logger
from cyrano_mcp.settings import Settings, load_settings

log = get_logger(__name__)


def export_settings(settings: Settings, **overrides: object) -> None:
    """Put command-line overrides where worker processes read their settings: the environment."""
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"CYRANO_{name.upper()}"] = str(value)
    os.environ["CYRANO_WORKERS"] = str(settings.workers)
    os.environ["CYRANO_STATELESS_HTTP"] = "true"


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves Cyrano, in one process or several."""
    return {
        "log_config": None,
        "access_log": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": 5,
        "ssl_certfile": settings.tls_certfile,
        "ssl_keyfile": settings.tls_keyfile,
        # X-Forwarded-For is believed only from configured proxies (uvicorn would trust 127.0.0.1 by default).
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": settings.trusted_proxies or [],
    }


def serve_workers(settings: Settings, sock: socket.socket) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.store.migrate import upgrade

    runtime = build_runtime(settings)  # engines and plugins load here, once, with a clear error if broken
    if settings.auto_migrate:

        async def migrate() -> None:
            await runtime.database.open()
            try:
                await upgrade(runtime.database, runtime.registry.components())
            finally:
                await runtime.database.close()

        anyio.run(migrate)
    config = uvicorn.Config(
        "cyrano_mcp.workers:create_worker_app", factory=True, workers=settings.workers, **uvicorn_options(settings)
    )
    Multiprocess(config, sockets=[sock]).run()


def create_worker_app() -> Starlette:
    """What each worker process serves: the HTTP app of a runtime built from the environment."""
    from cyrano_mcp.http import build_http_app
    from cyrano_mcp.server import build_runtime

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    if settings.metrics_port is not None:
        _serve_own_metrics(settings)
    return build_http_app(build_runtime(settings))


def _serve_own_metrics(settings: Settings) -> None:
    """Take the first free port of CYRANO_METRICS_PORT .. + N-1 (0: any free port) for this worker."""
    from cyrano_mcp.observability.metrics import serve_metrics

    assert settings.metrics_port is not None
    candidates = [0] if settings.metrics_port == 0 else range(settings.metrics_port, settings.metrics_port + 64)
    for port in candidates:
        try:
            host, bound = serve_metrics(settings.metrics_host, port)
        except OSError:
            continue
        log.info("metrics_listening", url=f"http://{host}:{bound}/metrics", pid=os.getpid())
        return
    click.echo(f"cyrano-mcp: no free metrics port from {settings.metrics_port} on", err=True)
    sys.exit(2)

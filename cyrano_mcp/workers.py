"""`serve --transport http --workers N`: N processes behind one listening socket.

The parent validates the settings, builds the runtime once to check the engines, migrates the store
once (so N workers starting together find nothing to migrate), binds the socket, and hands it to
uvicorn's process supervisor, which restarts a worker that dies. Each worker builds its own runtime
from the environment (`create_worker_app`), so CLI overrides travel as `CYRANO_*` variables.

Each worker listens on a socket of its own, bound to the same address with SO_REUSEPORT, so the kernel
spreads new connections across the workers. On one shared socket, whichever worker woke first accepted a
whole burst of connections (asyncio accepts up to the backlog per wake-up): clients that keep their
connections alive, as proxies and the benchmarks do, then all landed on one worker, and two workers served
no more than one. Where SO_REUSEPORT is missing, the workers share the parent's socket.

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


class WorkerListener(socket.socket):
    """The parent's socket for `--workers N`: it holds the address (a bound SO_REUSEPORT socket that never
    listens); each worker process it is handed to gets a fresh socket bound to the same address instead.

    uvicorn hands its sockets to worker processes by pickling them (the spawn start method), so the swap
    happens there: the pickled form of this socket is "bind a new one to my address".
    """

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        return (bind_reuseport, (self.family, self.getsockname()))


def tcp_socket(
    family: socket.AddressFamily, address: Any, *, reuse_port: bool = False, kind: type[socket.socket] = socket.socket
) -> socket.socket:
    """A bound TCP socket. IPPROTO_TCP explicitly: asyncio turns Nagle off only for sockets that say they are
    TCP, and with Nagle on every response on a kept-alive connection waits ~40 ms for the client's delayed ACK."""
    sock = kind(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def bind_reuseport(family: socket.AddressFamily, address: Any) -> socket.socket:
    return tcp_socket(family, address, reuse_port=True)


def worker_listener(family: socket.AddressFamily, address: tuple[str, int]) -> socket.socket:
    """The socket `serve --workers N` binds in the parent: a `WorkerListener` where the system has SO_REUSEPORT."""
    if not hasattr(socket, "SO_REUSEPORT"):
        return tcp_socket(family, address)
    return tcp_socket(family, address, reuse_port=True, kind=WorkerListener)


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

"""`cyrano-mcp serve`: stdio, streamable HTTP (one process or several workers) or SSE."""

import io
import socket
import sys
from pathlib import Path
from typing import Any

import click

from cyrano_mcp import __version__
from cyrano_mcp.cli.common import fail_cleanly, log, run_async, settings_from
from cyrano_mcp.observability.logging import configure_logging
from cyrano_mcp.settings import Settings, is_loopback


@click.command()
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http", "sse"]),
    default=None,
    help="stdio (default; for Claude Desktop), http (streamable HTTP at /mcp, plus SSE) or sse.",
)
@click.option("--host", default=None, help="HTTP bind address (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="HTTP port (default 8765; 0 picks a free one).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Overrides CYRANO_DATA_DIR.")
@click.option(
    "--metrics-port",
    type=int,
    default=None,
    help="Also serve Prometheus metrics on this port (for stdio deployments; 0 picks a free one).",
)
@click.option("--certfile", type=click.Path(path_type=Path), default=None, help="PEM certificate: serve HTTPS.")
@click.option("--keyfile", type=click.Path(path_type=Path), default=None, help="PEM private key for --certfile.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="HTTP worker processes behind the one port (default 1); more than 1 serves stateless streamable HTTP.",
)
@click.option(
    "--toolsets",
    default=None,
    help="Comma-separated toolsets to offer, `all` or `default` (overrides CYRANO_TOOLSETS; "
    "`cyrano-mcp tools --budget` lists them).",
)
def serve(
    transport: str | None,
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    metrics_port: int | None,
    certfile: Path | None,
    keyfile: Path | None,
    workers: int | None,
    toolsets: str | None,
) -> None:
    """Serve Cyrano's tools over stdio, streamable HTTP or SSE."""
    overrides: dict[str, Any] = {
        "transport": transport,
        "host": host,
        "port": port,
        "data_dir": data_dir,
        "metrics_port": metrics_port,
        "tls_certfile": certfile,
        "tls_keyfile": keyfile,
        "workers": workers,
        "toolsets": toolsets,
    }
    settings = fail_cleanly(lambda: settings_from(**overrides))
    configure_logging(settings.log_level, settings.log_format)
    if settings.workers > 1:
        if settings.transport != "http":
            click.echo("cyrano-mcp: --workers needs --transport http (stdio and SSE serve one process)", err=True)
            sys.exit(2)
        from cyrano_mcp.workers import export_settings

        export_settings(settings, **overrides)
        settings = fail_cleanly(settings_from)  # as the workers will read them
    elif settings.metrics_port is not None:
        _serve_metrics(settings)
    from cyrano_mcp.store.files import prepare_sqlite_store

    # Here, not first in the server's start-up: there an HTTP server would report it as a traceback.
    fail_cleanly(lambda: prepare_sqlite_store(settings))
    if settings.transport == "stdio":
        run_async(lambda: _serve_stdio(settings))
    else:
        _serve_http(settings)


def _serve_metrics(settings: Settings) -> None:
    from cyrano_mcp.observability.metrics import serve_metrics

    assert settings.metrics_port is not None
    try:
        host, port = serve_metrics(settings.metrics_host, settings.metrics_port)
    except OSError as exc:
        where = f"{settings.metrics_host}:{settings.metrics_port}"
        click.echo(f"cyrano-mcp: cannot serve metrics on {where}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    log.info("metrics_listening", url=f"http://{host}:{port}/metrics")


async def _serve_stdio(settings: Settings) -> None:
    from cyrano_mcp.server import build_runtime, settle_heap

    runtime = build_runtime(settings)
    runtime.registry.call_path.headerless_transport = "stdio"
    async with runtime.running():
        settle_heap()
        _unbuffer_stdout()
        await runtime.server.run_stdio_async()


def _unbuffer_stdout() -> None:
    """Make Python-level writes to stdout go straight to fd 1.

    While serving, the SDK points fd 1 at stderr and writes JSON-RPC on a private duplicate, so a stray
    `print` lands on stderr. But text left in sys.stdout's buffer would be flushed at exit, after fd 1 is
    the wire again, and corrupt it. Without a buffer there is nothing left to flush.
    """
    sys.stdout.flush()
    sys.stdout = io.TextIOWrapper(
        io.FileIO(sys.stdout.fileno(), "wb", closefd=False),
        encoding="utf-8",
        write_through=True,
    )


def _serve_http(settings: Settings) -> None:
    from cyrano_mcp.workers import tcp_socket, worker_listener

    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    address = (settings.host, settings.port)
    sock = worker_listener(family, address) if settings.workers > 1 else tcp_socket(family, address)
    bound_port = sock.getsockname()[1]
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    scheme = "https" if settings.tls_certfile else "http"
    if settings.workers > 1:
        from cyrano_mcp.workers import serve_workers

        click.echo(
            f"Cyrano {__version__} serving on {scheme}://{host}:{bound_port}/mcp with {settings.workers} worker "
            "processes (stateless streamable HTTP; health: /healthz)",
            err=True,
        )
        fail_cleanly(lambda: serve_workers(settings, sock))
        return
    import uvicorn

    from cyrano_mcp.http import build_http_app
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.workers import uvicorn_options

    app = build_http_app(fail_cleanly(lambda: build_runtime(settings)))
    click.echo(
        f"Cyrano {__version__} serving on {scheme}://{host}:{bound_port}/mcp (SSE: /sse, health: /healthz)", err=True
    )
    if scheme == "http" and not is_loopback(settings.host):
        log.warning(
            "plaintext_http",
            advice="bearer tokens and client data cross the network unencrypted: use --certfile/--keyfile "
            "or a TLS-terminating proxy (see docs/security.md)",
        )
    config = uvicorn.Config(app, **uvicorn_options(settings))
    server = uvicorn.Server(config)
    fail_cleanly(lambda: server.run(sockets=[sock]))
    if not server.started:
        sys.exit(2)

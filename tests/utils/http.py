"""Serve an ASGI app with uvicorn on 127.0.0.1 and a free port, inside the test's event loop."""

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import uvicorn
from starlette.types import ASGIApp

from cyrano_mcp.settings import Settings


def no_auth(settings: Settings) -> Settings:
    """For HTTP tests of something other than security: callers act as the local user (loopback only)."""
    return settings.model_copy(update={"insecure_http_no_auth": True})


@asynccontextmanager
async def serve_app(app: ASGIApp) -> AsyncIterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY needs the proto
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on"))
    with sock:  # closed even when the app fails to start
        async with anyio.create_task_group() as group:
            group.start_soon(server.serve, [sock])
            with anyio.fail_after(10):
                while not server.started:
                    if server.should_exit:
                        raise RuntimeError("the app failed to start; see its log above")
                    await anyio.sleep(0.01)
            try:
                yield f"http://127.0.0.1:{port}"
            finally:
                server.should_exit = True

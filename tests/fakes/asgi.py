"""Serve an ASGI app on 127.0.0.1 with a free port for the length of a block."""

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import uvicorn


@asynccontextmanager
async def serve(app: Any, *, lifespan: bool = False) -> AsyncIterator[str]:
    """Yields the base URL (`http://127.0.0.1:<port>`); the server stops when the block ends.

    Without a lifespan the server is simply cancelled, which skips uvicorn's graceful shutdown and its
    fixed 0.2 s of polling; an app with a lifespan gets the graceful stop, so its shutdown code runs.
    """
    # proto=IPPROTO_TCP matters: asyncio turns Nagle off only on sockets that say they are TCP, and with it
    # on, every answer on a reused connection waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    # Listening before uvicorn starts lets clients connect at once: the kernel queues them until it accepts.
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_config=None, access_log=False, lifespan="on" if lifespan else "off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(server.serve, [sock])
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            if lifespan:
                server.should_exit = True
            else:
                tasks.cancel_scope.cancel()
    # A cancelled uvicorn leaves its listener registered with the event loop; unregister it before the
    # socket's descriptor can be reused.
    for listener in getattr(server, "servers", []):
        listener.close()
    sock.close()


async def request_body(receive: Any) -> bytes:
    """The whole body of the request an ASGI app is answering, however many messages it came in."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body

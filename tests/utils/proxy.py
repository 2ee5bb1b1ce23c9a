"""A TCP proxy on 127.0.0.1 that a test can stop and start again: a database "going away" and coming back
without touching the real server."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from anyio.abc import SocketAttribute, SocketStream, TaskGroup


class TCPProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self._scope: anyio.CancelScope | None = None

    async def start(self, group: TaskGroup) -> None:
        listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=self.port)
        self.port = listener.extra(SocketAttribute.local_port)
        scope = self._scope = anyio.CancelScope()

        async def serve() -> None:
            with scope:
                async with listener, anyio.create_task_group() as connections:
                    await listener.serve(self._relay, task_group=connections)

        group.start_soon(serve)

    def stop(self) -> None:
        """Close the listening socket and every open connection: clients see the database vanish."""
        if self._scope is not None:
            self._scope.cancel()
            self._scope = None

    async def _relay(self, client: SocketStream) -> None:
        try:
            upstream = await anyio.connect_tcp(*self.upstream)
        except OSError:
            await client.aclose()
            return

        async def pump(source: SocketStream, sink: SocketStream) -> None:
            try:
                async for chunk in source:
                    await sink.send(chunk)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
                pass
            finally:
                await sink.aclose()

        async with client, upstream, anyio.create_task_group() as group:
            group.start_soon(pump, client, upstream)
            group.start_soon(pump, upstream, client)


@asynccontextmanager
async def tcp_proxy(upstream_port: int) -> AsyncIterator[tuple[TCPProxy, TaskGroup]]:
    proxy = TCPProxy(upstream_port)
    async with anyio.create_task_group() as group:
        await proxy.start(group)
        try:
            yield proxy, group
        finally:
            proxy.stop()

"""`serve --workers N`: each worker process gets a socket of its own on the same address (SO_REUSEPORT), so the
kernel spreads new connections across the workers instead of one worker accepting a whole burst."""

import io
import select
import socket
from multiprocessing.reduction import ForkingPickler

import pytest

from cyrano_mcp.workers import WorkerListener, worker_listener

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="the system has no SO_REUSEPORT")


def handed_to_a_worker(sock: socket.socket) -> socket.socket:
    """What a worker process receives: uvicorn pickles its sockets with multiprocessing's pickler (spawn)."""
    buffer = io.BytesIO()
    ForkingPickler(buffer).dump(sock)
    received: socket.socket = ForkingPickler.loads(buffer.getvalue())
    return received


def test_each_worker_binds_a_fresh_socket_to_the_parents_address() -> None:
    parent = worker_listener(socket.AF_INET, ("127.0.0.1", 0))
    try:
        assert isinstance(parent, WorkerListener)
        first, second = handed_to_a_worker(parent), handed_to_a_worker(parent)
        try:
            assert first.fileno() != parent.fileno() and second.fileno() != first.fileno()
            assert first.getsockname() == second.getsockname() == parent.getsockname()
            assert first.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
        finally:
            first.close()
            second.close()
    finally:
        parent.close()


def test_connections_are_spread_across_the_workers_sockets() -> None:
    parent = worker_listener(socket.AF_INET, ("127.0.0.1", 0))
    workers = [handed_to_a_worker(parent) for _ in range(2)]
    clients: list[socket.socket] = []
    accepted = [0, 0]
    try:
        for sock in workers:
            sock.listen(64)
            sock.setblocking(False)
        # A burst, as a proxy or a load generator opens its keep-alive connections.
        clients.extend(socket.create_connection(parent.getsockname()[:2]) for _ in range(32))
        remaining = len(clients)
        while remaining:
            ready, _, _ = select.select(workers, [], [], 5)
            assert ready, "a connection was never accepted"
            for sock in ready:
                connection, _ = sock.accept()
                connection.close()
                accepted[workers.index(sock)] += 1
                remaining -= 1
        # Spread by the kernel (a hash of each connection): all 32 on one socket has odds of 1 in 2**31.
        assert all(count > 0 for count in accepted), accepted
    finally:
        for sock in [*clients, *workers, parent]:
            sock.close()

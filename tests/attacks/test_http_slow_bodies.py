"""Issue 12, finding 4: the request gate read whole bodies before authenticating and nothing timed the read out,
so about 1,000 held-open partial bodies used up the server's file descriptors and /healthz and /auth/login
stopped answering. Now the token is checked on the headers, a body has `CYRANO_HTTP_BODY_TIMEOUT_SECONDS` to
arrive (408 and the connection closed), and one address may have only `CYRANO_HTTP_UNAUTHENTICATED_PER_ADDRESS`
bodies without a valid token in flight (429 and closed beyond that)."""

import resource
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import httpx2
import pytest
from anyio.abc import SocketStream

from cyrano_mcp.principal import Role
from tests.core.security.conftest import http_settings, start_http
from tests.interop._servers import TEST_PASSWORD, TEST_USER, cyrano_http_server

pytestmark = [pytest.mark.anyio, pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.2 and prlimit: Linux")]

ATTACKER = "127.0.0.2"  # loopback too, but another client address than the tests' own 127.0.0.1


def partial_request(port: int, path: str, token: str | None = None) -> bytes:
    """Headers announcing a 1000-byte JSON body, and its first byte only."""
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Type: application/json\r\n"
        "Accept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{"
    ).encode()


@asynccontextmanager
async def partial_bodies(
    base_url: str, count: int, path: str = "/auth/login", token: str | None = None
) -> AsyncIterator[list[SocketStream]]:
    port = int(base_url.rsplit(":", 1)[1])
    streams: list[SocketStream] = []
    try:
        for _ in range(count):
            stream = await anyio.connect_tcp("127.0.0.1", port, local_host=ATTACKER)
            streams.append(stream)
            await stream.send(partial_request(port, path, token))
        yield streams
    finally:
        for stream in streams:
            await stream.aclose()


async def answer_and_close(stream: SocketStream) -> str:
    """The status code the server answered on `stream`, once it has closed the connection."""
    received = b""
    try:
        while True:
            received += await stream.receive()
    except (anyio.EndOfStream, anyio.BrokenResourceError):
        pass
    return received[9:12].decode()


async def answers(streams: Sequence[SocketStream], within: float) -> list[str]:
    statuses: list[str] = [""] * len(streams)

    async def collect(index: int) -> None:
        statuses[index] = await answer_and_close(streams[index])

    with anyio.fail_after(within):
        async with anyio.create_task_group() as tasks:
            for index in range(len(streams)):
                tasks.start_soon(collect, index)
    return statuses


@pytest.mark.slow
async def test_held_open_partial_bodies_do_not_starve_health_checks_or_logins(tmp_path: Path) -> None:
    settings = {"http_body_timeout_seconds": "1", "rate_limit_login": "100/minute"}
    async with cyrano_http_server(tmp_path, stateless=True, json_response=True, extra_settings=settings) as server:
        # A server that can hold 128 files: 1,000 connections against the common limit of 1,024, scaled down.
        resource.prlimit(server.pid, resource.RLIMIT_NOFILE, (128, 128))
        async with partial_bodies(server.base_url, 200) as attack, httpx2.AsyncClient(timeout=3) as http:
            with anyio.fail_after(3):
                health = await http.get(f"{server.base_url}/healthz")
            with anyio.fail_after(3):
                login = await http.post(
                    f"{server.base_url}/auth/login", json={"username": TEST_USER, "password": TEST_PASSWORD}
                )
            assert (health.status_code, login.status_code) == (200, 200)
            # Every held body was answered and its connection closed: 429 past the per-address cap, 408 after 1 s.
            statuses = await answers(attack, within=5)
    assert set(statuses) == {"408", "429"}, statuses


async def test_a_body_slower_than_the_deadline_gets_408_and_the_connection_is_closed(data_dir: Path) -> None:
    settings = http_settings(data_dir, http_body_timeout_seconds=0.5)
    async for server in start_http(settings, users={"admin": Role.ADMIN}):
        async with partial_bodies(server.url, 1, "/mcp", token=server.token("admin")) as (slow,):
            assert await answers([slow], within=3) == ["408"]


async def test_one_address_may_hold_only_a_few_unauthenticated_bodies_at_once(data_dir: Path) -> None:
    settings = http_settings(data_dir, http_body_timeout_seconds=3, http_unauthenticated_per_address=4)
    async for server in start_http(settings, users={"admin": Role.ADMIN}):
        async with partial_bodies(server.url, 6) as streams:
            refused_at_once = await answers(streams[4:], within=1.5)
            timed_out = await answers(streams[:4], within=5)
            async with httpx2.AsyncClient() as http:  # another address is not affected
                fine = await http.post(f"{server.url}/auth/login", json={"username": "admin", "password": "x"})
    assert refused_at_once == ["429", "429"]
    assert timed_out == ["408"] * 4
    assert fine.status_code == 401

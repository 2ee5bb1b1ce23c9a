"""Readiness: /readyz and the system_health tool report the same bounded checks; a database that goes
away fails readiness and coming back restores it."""

import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from anyio.abc import SocketStream
from mcp import Client

from cyrano_mcp.http import build_http_app
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from cyrano_mcp.system import health
from tests.conftest import REDIS_URL, service_unavailable, shared_store_keys
from tests.utils.http import no_auth, serve_app
from tests.utils.mcp import MODES, ok
from tests.utils.proxy import tcp_proxy

pytestmark = pytest.mark.anyio


async def readyz(url: str) -> tuple[int, dict[str, Any]]:
    async with httpx2.AsyncClient(timeout=10) as http:
        response = await http.get(f"{url}/readyz")
    return response.status_code, response.json()


def by_name(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["name"]: check for check in body["checks"]}


@pytest.mark.parametrize("mode", MODES)
async def test_readyz_and_system_health_report_the_same_checks(settings: Settings, mode: str) -> None:
    async with serve_app(build_http_app(build_runtime(no_auth(settings)))) as url:
        status, body = await readyz(url)
        async with Client(f"{url}/mcp", mode=mode) as client:
            tool = ok(await client.call_tool("system_health", {}))
    assert status == 200 and body["status"] == tool["status"] == "ok"
    assert [c["name"] for c in body["checks"]] == [c["name"] for c in tool["checks"]] == ["database", "schema", "disk"]
    for check in body["checks"]:
        assert check["status"] == "ok" and check["latency_ms"] is not None and check["latency_ms"] >= 0


@pytest.mark.postgres
async def test_readiness_fails_while_postgresql_is_unreachable_and_recovers(postgres_url: str, data_dir: Path) -> None:
    host_part, database = postgres_url.rsplit("/", 1)
    async with tcp_proxy(5432) as (proxy, group):
        settings = load_settings(
            data_dir=data_dir,
            database_url=f"{host_part.rsplit(':', 1)[0]}:{proxy.port}/{database}",
            db_timeout_seconds=1,
            **shared_store_keys(),
        )
        async with serve_app(build_http_app(build_runtime(no_auth(settings)))) as url:
            assert (await readyz(url))[0] == 200
            proxy.stop()
            started = time.perf_counter()
            status, body = await readyz(url)
            assert status == 503 and by_name(body)["database"]["status"] == "failed"
            assert "schema" not in by_name(body)  # nothing to ask a database that does not answer
            assert time.perf_counter() - started < health.CHECK_TIMEOUT_SECONDS + 1
            await proxy.start(group)
            status, body = await readyz(url)
            assert status == 200, body
            assert by_name(body)["database"]["status"] == by_name(body)["schema"]["status"] == "ok"


async def _require_redis() -> None:
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await client.ping()
    except (OSError, redis.RedisError) as exc:
        service_unavailable("Redis at 127.0.0.1:6379", type(exc).__name__)
    finally:
        await client.aclose()


@pytest.mark.redis
async def test_redis_is_checked_when_configured(data_dir: Path) -> None:
    await _require_redis()
    runtime = build_runtime(load_settings(data_dir=data_dir, redis_url=REDIS_URL))
    async with serve_app(build_http_app(runtime)) as url:
        status, body = await readyz(url)
    assert status == 200 and by_name(body)["redis"]["status"] == "ok"


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """Accepts connections and never answers: a hung dependency."""

    async def hold(stream: SocketStream) -> None:
        async with stream:
            await anyio.sleep(30)

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with listener, anyio.create_task_group() as group:
        group.start_soon(listener.serve, hold)
        yield port
        group.cancel_scope.cancel()


async def test_an_unreachable_or_hung_redis_degrades_readiness_within_the_bound(
    data_dir: Path, silent_server: int
) -> None:
    for port in (1, silent_server):
        runtime = build_runtime(load_settings(data_dir=data_dir, redis_url=f"redis://127.0.0.1:{port}/0"))
        async with serve_app(build_http_app(runtime)) as url:
            started = time.perf_counter()
            status, body = await readyz(url)
        redis_check = by_name(body)["redis"]
        # Still in rotation: the process serves on, counting quotas itself.
        assert status == 200 and body["status"] == "degraded" and redis_check["status"] == "degraded"
        assert "per process" in redis_check["detail"]
        assert by_name(body)["database"]["status"] == "ok"
        assert time.perf_counter() - started < health.CHECK_TIMEOUT_SECONDS + 1


@pytest.mark.parametrize(
    ("free_fraction", "minimum_mb", "expected", "http_status"),
    [(0.5, 1024, "ok", 200), (0.1, 1024, "degraded", 200), (0.5, 10**9, "failed", 503)],
)
async def test_the_data_dir_disk(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    free_fraction: float,
    minimum_mb: int,
    expected: str,
    http_status: int,
) -> None:
    total = 100 * 2**30
    usage = shutil._ntuple_diskusage(total, int(total * (1 - free_fraction)), int(total * free_fraction))  # type: ignore[attr-defined]
    monkeypatch.setattr(health.shutil, "disk_usage", lambda _: usage)
    runtime = build_runtime(load_settings(data_dir=data_dir, min_free_disk_mb=minimum_mb))
    async with serve_app(build_http_app(runtime)) as url:
        status, body = await readyz(url)
    assert status == http_status and body["status"] == by_name(body)["disk"]["status"] == expected

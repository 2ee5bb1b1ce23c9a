"""Readiness checks: the database answers, its schema is current, Redis answers (when configured), and
the data dir's disk has room. They run concurrently, each bounded in time, and each reports its status,
how long it took, and a detail that names no secret (driver messages can hold connection strings).

`/readyz` and the `system_health` tool both report `run_checks`; there is no second implementation.
"""

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass

import anyio

from cyrano_mcp.errors import CyranoError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.observability.metrics import existing_parent
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import Component, SchemaStatus, schema_status
from cyrano_mcp.system.models import CheckStatus, HealthCheck

log = get_logger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0
# Below this share of free space the disk check is "degraded" (the alert rule uses the same line).
LOW_DISK_FRACTION = 0.20


@dataclass(slots=True)
class Readiness:
    checks: list[HealthCheck]
    schema: SchemaStatus | None

    @property
    def status(self) -> CheckStatus:
        statuses = {check.status for check in self.checks}
        return "failed" if "failed" in statuses else "degraded" if "degraded" in statuses else "ok"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def _store_checks(
    database: Database, components: Sequence[Component]
) -> tuple[list[HealthCheck], SchemaStatus | None]:
    try:
        latency = await database.ping(timeout=CHECK_TIMEOUT_SECONDS)
    except CyranoError as exc:
        return [HealthCheck(name="database", status="failed", detail=str(exc))], None
    checks = [HealthCheck(name="database", status="ok", latency_ms=round(latency, 2), detail=database.kind)]
    started = time.perf_counter()
    try:
        with anyio.fail_after(CHECK_TIMEOUT_SECONDS):
            status = await schema_status(database, components)
    except Exception as exc:  # a broken schema table must not break the health report
        checks.append(HealthCheck(name="schema", status="failed", latency_ms=_ms(started), detail=type(exc).__name__))
        return checks, None
    pending = ", ".join(f"{n} {a}->{b}" for n, (a, b) in {**status.pending, **status.ahead}.items())
    checks.append(
        HealthCheck(
            name="schema",
            status="ok" if status.current else "failed",
            latency_ms=_ms(started),
            detail="current" if status.current else f"not current: {pending}",
        )
    )
    return checks, status


# Degraded, not failed: without Redis each process keeps serving with its own rate-limit counters, so taking
# every process out of the load balancer because Redis is away would turn a weaker quota into an outage.
_WITHOUT_REDIS = "rate limits are counted per process until it answers"


async def _redis_check(url: str) -> HealthCheck:
    import redis.asyncio as redis

    started = time.perf_counter()
    client = redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS)
    try:
        with anyio.fail_after(CHECK_TIMEOUT_SECONDS):
            await client.ping()
    except TimeoutError:
        detail = f"no answer within {CHECK_TIMEOUT_SECONDS:g} s; {_WITHOUT_REDIS}"
        return HealthCheck(name="redis", status="degraded", latency_ms=_ms(started), detail=detail)
    except (OSError, redis.RedisError) as exc:
        detail = f"{type(exc).__name__}; {_WITHOUT_REDIS}"
        return HealthCheck(name="redis", status="degraded", latency_ms=_ms(started), detail=detail)
    finally:
        await client.aclose()
    return HealthCheck(name="redis", status="ok", latency_ms=_ms(started))


def disk_check(settings: Settings) -> HealthCheck:
    started = time.perf_counter()
    try:
        usage = shutil.disk_usage(existing_parent(settings.data_dir))
    except OSError as exc:
        return HealthCheck(name="disk", status="failed", detail=f"cannot read the data dir's disk ({exc.strerror})")
    free_mib = usage.free / 2**20
    # No path: /readyz answers anyone, and system_health every role (system_info shows it to admins).
    detail = f"{free_mib / 1024:.1f} GiB free ({usage.free / usage.total:.0%}) on the data dir's disk"
    status: CheckStatus
    if free_mib < settings.min_free_disk_mb:
        status = "failed"
        detail += f"; below CYRANO_MIN_FREE_DISK_MB={settings.min_free_disk_mb}"
    elif usage.free < usage.total * LOW_DISK_FRACTION:
        status = "degraded"
        detail += f"; below {LOW_DISK_FRACTION:.0%}"
    else:
        status = "ok"
    return HealthCheck(name="disk", status=status, latency_ms=_ms(started), detail=detail)


async def run_checks(settings: Settings, database: Database, components: Sequence[Component]) -> Readiness:
    """Every readiness check, concurrently; failed and degraded ones are also logged as warnings."""
    store: list[HealthCheck] = []
    redis: list[HealthCheck] = []
    schema: SchemaStatus | None = None

    async def check_store() -> None:
        nonlocal schema
        checks, schema = await _store_checks(database, components)
        store.extend(checks)

    async def check_redis(url: str) -> None:
        redis.append(await _redis_check(url))

    async with anyio.create_task_group() as group:
        group.start_soon(check_store)
        if settings.redis_url is not None:
            group.start_soon(check_redis, settings.redis_url.get_secret_value())
    checks = [*store, *redis, disk_check(settings)]
    for check in checks:
        if check.status != "ok":
            log.warning(f"health_check_{check.status}", check=check.name, detail=check.detail)
    return Readiness(checks=checks, schema=schema)

"""Reports on Cyrano itself: what is loaded, and whether the store answers."""

import platform
import time
from datetime import UTC, datetime
from importlib.metadata import version

from mcp_types.version import SUPPORTED_PROTOCOL_VERSIONS

from cyrano_mcp import __version__
from cyrano_mcp.engine import RegistryView
from cyrano_mcp.errors import CyranoError
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import Component, schema_status
from cyrano_mcp.system.models import EngineSummary, HealthCheck, SystemHealth, SystemInfo


class SystemService:
    def __init__(
        self,
        *,
        settings: Settings,
        database: Database,
        registry: RegistryView,
        started_at: datetime,
    ) -> None:
        self._settings = settings
        self._database = database
        self._registry = registry
        self._started_at = started_at
        self._sdk_version = version("mcp")

    def _components(self) -> list[Component]:
        return [Component(e.name, e.migrations) for e in self._registry.engines if e.migrations]

    async def info(self) -> SystemInfo:
        engines = [
            EngineSummary(
                name=engine.name,
                version=engine.version,
                description=engine.description,
                tools=[f"{engine.name}_{op.name}" for op in engine.operations],
                origin=self._registry.origin(engine.name),
            )
            for engine in self._registry.engines
        ]
        now = datetime.now(UTC)
        return SystemInfo(
            name="cyrano",
            version=__version__,
            python_version=platform.python_version(),
            mcp_sdk_version=self._sdk_version,
            protocol_versions=sorted(SUPPORTED_PROTOCOL_VERSIONS, reverse=True),
            store=self._database.kind,
            data_dir=str(self._settings.data_dir),
            engines=engines,
            tool_count=len(self._registry.tool_names),
            started_at=self._started_at,
            uptime_seconds=round((now - self._started_at).total_seconds(), 3),
        )

    async def health(self) -> SystemHealth:
        checks: list[HealthCheck] = []
        schema_versions: dict[str, int] = {}
        schema_current = False
        try:
            latency = await self._database.ping()
            checks.append(
                HealthCheck(name="database", status="ok", latency_ms=round(latency, 2), detail=self._database.kind)
            )
        except CyranoError as exc:
            checks.append(HealthCheck(name="database", status="failed", detail=str(exc)))
        else:
            started = time.perf_counter()
            try:
                status = await schema_status(self._database, self._components())
            except Exception as exc:  # a broken schema table must not break the health report
                checks.append(HealthCheck(name="schema", status="failed", detail=type(exc).__name__))
            else:
                schema_versions = status.stored
                schema_current = status.current
                pending = ", ".join(f"{n} {a}->{b}" for n, (a, b) in {**status.pending, **status.ahead}.items())
                checks.append(
                    HealthCheck(
                        name="schema",
                        status="ok" if status.current else "failed",
                        latency_ms=round((time.perf_counter() - started) * 1000, 2),
                        detail="current" if status.current else f"not current: {pending}",
                    )
                )
        overall = "ok" if all(c.status == "ok" for c in checks) else "failed"
        return SystemHealth(
            status=overall,
            version=__version__,
            checks=checks,
            schema_versions=schema_versions,
            schema_current=schema_current,
            engine_count=len(self._registry.engines),
            tool_count=len(self._registry.tool_names),
        )

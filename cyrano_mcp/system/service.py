"""Reports on Cyrano itself: what is loaded, and whether it is ready to serve (`/readyz` reports the same)."""

import platform
from datetime import UTC, datetime
from importlib.metadata import version
from typing import TYPE_CHECKING

from mcp_types.version import SUPPORTED_PROTOCOL_VERSIONS

from cyrano_mcp import __version__
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import Component
from cyrano_mcp.system.health import run_checks
from cyrano_mcp.system.models import EngineSummary, SystemHealth, SystemInfo

if TYPE_CHECKING:
    from cyrano_mcp.registry import Registry


class SystemService:
    def __init__(
        self,
        *,
        settings: Settings,
        database: Database,
        registry: "Registry",
        started_at: datetime,
    ) -> None:
        self._settings = settings
        self._database = database
        self._registry = registry
        self._started_at = started_at
        self._sdk_version = version("mcp")

    def _components(self) -> list[Component]:
        return self._registry.components()

    async def info(self, *, reveal_paths: bool) -> SystemInfo:
        engines = [
            EngineSummary(
                name=engine.name,
                version=engine.version,
                description=engine.description,
                tools=list(self._registry.tools_of(engine.name)),
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
            data_dir=str(self._settings.data_dir) if reveal_paths else None,
            engines=engines,
            tool_count=len(self._registry.tool_names),
            started_at=self._started_at,
            uptime_seconds=round((now - self._started_at).total_seconds(), 3),
        )

    async def health(self) -> SystemHealth:
        readiness = await run_checks(self._settings, self._database, self._components())
        schema = readiness.schema
        return SystemHealth(
            status=readiness.status,
            version=__version__,
            checks=readiness.checks,
            schema_versions=schema.stored if schema is not None else {},
            schema_current=schema is not None and schema.current,
            engine_count=len(self._registry.engines),
            tool_count=len(self._registry.tool_names),
        )

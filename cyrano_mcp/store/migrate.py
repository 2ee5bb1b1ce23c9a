"""Ordered schema migrations, one sequence per component (core and each engine).

Each component records the last version it applied in `cyrano_schema`. `upgrade` applies what is
pending in one transaction (on PostgreSQL under an advisory lock, so several processes starting at
once do not race); a component whose stored version is newer than the code knows is refused.
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection, text

from cyrano_mcp.errors import SchemaError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.store.database import Database

log = get_logger(__name__)
# Alembic narrates every migration context at INFO ("Context impl SQLiteImpl."); our own log line says what moved.
logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)

SCHEMA_TABLE = "cyrano_schema"
# Arbitrary but fixed: the key of the PostgreSQL advisory lock that serialises migrations.
_ADVISORY_LOCK_KEY = 0x63797261


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step of a component. Versions start at 1 and increase by one; a released step never changes.

    `upgrade` receives Alembic's `Operations` bound to the open connection, so the same step runs on
    SQLite and PostgreSQL (`op.get_bind().dialect.name` tells them apart where they must differ).
    """

    version: int
    name: str
    upgrade: Callable[[Operations], None]


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    migrations: Sequence[Migration]

    @property
    def latest(self) -> int:
        return len(self.migrations)


@dataclass(slots=True)
class SchemaStatus:
    stored: dict[str, int]
    known: dict[str, int]
    pending: dict[str, tuple[int, int]] = field(default_factory=dict)
    ahead: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        return not self.pending and not self.ahead


def _ensure_schema_table(conn: Connection) -> None:
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} ("
            "component VARCHAR(64) PRIMARY KEY, version INTEGER NOT NULL, applied_at VARCHAR(40) NOT NULL)"
        )
    )


def _stored_versions(conn: Connection) -> dict[str, int]:
    rows = conn.execute(text(f"SELECT component, version FROM {SCHEMA_TABLE}"))
    return {str(name): int(version) for name, version in rows}


def _status(stored: Mapping[str, int], components: Sequence[Component]) -> SchemaStatus:
    status = SchemaStatus(stored=dict(stored), known={c.name: c.latest for c in components})
    for component in components:
        have = stored.get(component.name, 0)
        if have > component.latest:
            status.ahead[component.name] = (have, component.latest)
        elif have < component.latest:
            status.pending[component.name] = (have, component.latest)
    return status


def _refuse_newer(status: SchemaStatus) -> None:
    if status.ahead:
        detail = ", ".join(
            f"{name} is at version {have}, this code knows {known}" for name, (have, known) in status.ahead.items()
        )
        raise SchemaError(
            f"the store's schema is newer than this version of Cyrano ({detail}); "
            "upgrade cyrano-mcp or restore a backup taken with this version"
        )


async def schema_status(database: Database, components: Sequence[Component]) -> SchemaStatus:
    def run(conn: Connection) -> SchemaStatus:
        exists = conn.dialect.has_table(conn, SCHEMA_TABLE)
        return _status(_stored_versions(conn) if exists else {}, components)

    async with database.engine.connect() as conn:
        return await conn.run_sync(run)


async def upgrade(database: Database, components: Sequence[Component]) -> dict[str, tuple[int, int]]:
    """Apply every pending migration; returns {component: (from, to)} for those that moved."""

    def run(conn: Connection) -> dict[str, tuple[int, int]]:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        _ensure_schema_table(conn)
        status = _status(_stored_versions(conn), components)
        _refuse_newer(status)
        operations = Operations(MigrationContext.configure(connection=conn))
        applied: dict[str, tuple[int, int]] = {}
        for component in components:
            have = status.stored.get(component.name, 0)
            for migration in component.migrations[have:]:
                try:
                    migration.upgrade(operations)
                except Exception as exc:
                    raise SchemaError(
                        f"migration {component.name} {migration.version} ({migration.name}) failed: {exc}"
                    ) from exc
            if have < component.latest:
                conn.execute(text(f"DELETE FROM {SCHEMA_TABLE} WHERE component = :c"), {"c": component.name})
                conn.execute(
                    text(f"INSERT INTO {SCHEMA_TABLE} (component, version, applied_at) VALUES (:c, :v, :t)"),
                    {"c": component.name, "v": component.latest, "t": datetime.now(UTC).isoformat()},
                )
                applied[component.name] = (have, component.latest)
        return applied

    async with database.write_engine.begin() as conn:
        applied = await conn.run_sync(run)
    for name, (before, after) in applied.items():
        log.info("schema_migrated", component=name, from_version=before, to_version=after)
    return applied


async def ensure_current(database: Database, components: Sequence[Component], *, auto_migrate: bool) -> SchemaStatus:
    """At start-up: migrate if allowed, and refuse a schema this code cannot use."""
    if auto_migrate:
        await upgrade(database, components)
    status = await schema_status(database, components)
    _refuse_newer(status)
    if status.pending:
        detail = ", ".join(f"{name} {have}->{known}" for name, (have, known) in status.pending.items())
        raise SchemaError(f"the store needs migrations ({detail}); run `cyrano-mcp db upgrade`")
    return status

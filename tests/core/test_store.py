"""The store: migrations per component, refusal of newer schemas, SQLite tuning, both databases."""

import warnings

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlmodel import SQLModel

from cyrano_arkiver.search import INDEX_TABLE_PREFIXES
from cyrano_mcp.errors import SchemaError
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import SCHEMA_TABLE, Component, Migration, ensure_current, schema_status, upgrade

pytestmark = pytest.mark.anyio


def _table(name: str) -> Migration:
    def create(op: Operations) -> None:
        op.create_table(name, sa.Column("id", sa.Integer, primary_key=True))

    return Migration(1, f"create {name}", create)


async def test_upgrade_applies_each_component_once(any_store_settings: Settings) -> None:
    database = Database(any_store_settings)
    await database.open()
    try:
        components = [Component("one", [_table("t_one")]), Component("two", [_table("t_two")])]
        assert await upgrade(database, components) == {"one": (0, 1), "two": (0, 1)}
        assert await upgrade(database, components) == {}
        status = await schema_status(database, components)
        assert status.current and status.stored == {"one": 1, "two": 1}
    finally:
        await database.close()


async def test_a_newer_schema_is_refused_with_a_clear_message(any_store_settings: Settings) -> None:
    database = Database(any_store_settings)
    await database.open()
    try:
        await upgrade(database, [Component("one", [_table("t_one"), Migration(2, "noop", lambda op: None)])])
        with pytest.raises(
            SchemaError, match="newer than this version of Cyrano .*one is at version 2, this code knows 1"
        ):
            await ensure_current(database, [Component("one", [_table("t_one")])], auto_migrate=True)
    finally:
        await database.close()


async def test_pending_migrations_without_auto_migrate_stop_start_up(any_store_settings: Settings) -> None:
    database = Database(any_store_settings)
    await database.open()
    try:
        with pytest.raises(SchemaError, match="cyrano-mcp db upgrade"):
            await ensure_current(database, [Component("one", [_table("t_one")])], auto_migrate=False)
    finally:
        await database.close()


async def test_a_failed_migration_changes_nothing(any_store_settings: Settings) -> None:
    def broken(op: Operations) -> None:
        op.create_table("t_half", sa.Column("id", sa.Integer, primary_key=True))
        raise RuntimeError("step two went wrong")

    database = Database(any_store_settings)
    await database.open()
    try:
        with pytest.raises(SchemaError, match="migration one 1 .* failed: step two went wrong"):
            await upgrade(database, [Component("one", [Migration(1, "half", broken)])])
        async with database.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
        assert "t_half" not in tables
        assert (await schema_status(database, [Component("one", [])])).stored.get("one") is None
    finally:
        await database.close()


async def test_the_migrations_build_exactly_the_declared_tables(any_store_settings: Settings) -> None:
    runtime = build_runtime(any_store_settings)
    await runtime.start()
    try:
        async with runtime.database.engine.connect() as conn:

            def diff(sync_conn: sa.Connection) -> list[object]:
                context = MigrationContext.configure(
                    sync_conn, opts={"compare_type": True, "include_name": _managed_by_sqlmodel}
                )
                with warnings.catch_warnings():
                    # Neither SQLAlchemy (on SQLite) nor Alembic compares expression indexes such as
                    # lower(practice_area); test_indexes.py checks that the queries use them.
                    warnings.filterwarnings("ignore", r".*expression-based index", category=Warning)
                    return list(compare_metadata(context, SQLModel.metadata))

            assert await conn.run_sync(diff) == []
    finally:
        await runtime.stop()


def _managed_by_sqlmodel(name: str | None, kind: str, _: object) -> bool:
    # The schema table and the full-text indexes are created by hand-written SQL, not from SQLModel tables.
    return name is None or not (name == SCHEMA_TABLE or name.startswith(INDEX_TABLE_PREFIXES))


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(settings: Settings) -> None:
    database = Database(settings)
    await database.open()
    try:
        async with database.session() as session:
            pragma = {
                name: (await session.exec(sa.text(f"PRAGMA {name}"))).one()[0]  # type: ignore[call-overload]
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "secure_delete")
            }
        assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000, "secure_delete": 1}
        assert settings.sqlite_path.exists()
    finally:
        await database.close()


async def test_the_data_dir_is_created_on_first_start(settings: Settings) -> None:
    assert not settings.data_dir.exists()
    runtime = build_runtime(settings)
    await runtime.start()
    await runtime.stop()
    assert (settings.data_dir / "cyrano.db").is_file()


async def test_ping_reports_an_unreachable_postgres_as_unavailable(data_dir: object) -> None:
    from cyrano_mcp.errors import UnavailableError
    from cyrano_mcp.settings import load_settings

    settings = load_settings(
        data_dir=data_dir, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none", db_timeout_seconds=1
    )
    database = Database(settings)
    await database.open()
    try:
        with pytest.raises(UnavailableError, match="unavailable"):
            await database.ping()
    finally:
        await database.close()

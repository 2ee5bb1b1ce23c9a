"""Inline reads and writes: small hot statements on a SQLite file run without the driver's thread, and wait the
usual way (off the event loop) when another writer holds the lock."""

import contextlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from sqlalchemy import Connection, create_engine, text

from cyrano_mcp.errors import ConflictError, UnavailableError
from cyrano_mcp.settings import load_settings
from cyrano_mcp.store.database import Database

pytestmark = pytest.mark.anyio


async def open_store(data_dir: Path) -> Database:
    database = Database(load_settings(data_dir=data_dir))
    await database.open()
    async with database.transaction() as session:
        conn = await session.connection()
        await conn.execute(text("CREATE TABLE IF NOT EXISTS probe (n INTEGER UNIQUE)"))
        await conn.execute(text("INSERT INTO probe VALUES (7)"))
    return database


async def test_an_inline_read_sees_committed_rows(data_dir: Path) -> None:
    database = await open_store(data_dir)
    try:
        rows = await database.read_inline(text("SELECT n FROM probe"))
        assert [row.n for row in rows] == [7]
    finally:
        await database.close()


async def test_when_the_inline_connection_fails_the_read_goes_the_usual_way(data_dir: Path, tmp_path: Path) -> None:
    """SQLite refusing the inline connection (locked beyond its short timeout, or anything else) is not an error."""
    database = await open_store(data_dir)
    try:
        assert database._inline_reader is not None
        database._inline_reader.dispose()
        database._inline_reader = create_engine(f"sqlite:///{tmp_path}")  # a directory: SQLite cannot open it
        rows = await database.read_inline(text("SELECT n FROM probe"))
        assert [row.n for row in rows] == [7]
    finally:
        await database.close()


def insert(*numbers: int) -> Callable[[Connection], int]:
    def work(conn: Connection) -> int:
        conn.exec_driver_sql("INSERT INTO probe VALUES (?)", [(n,) for n in numbers])
        return len(numbers)

    return work


def probe_file_rows(data_dir: Path) -> list[int]:
    """The rows in the database file itself, ignoring the WAL: what a checkpoint has copied there."""
    (path,) = data_dir.glob("*.db")
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT n FROM probe ORDER BY n")]


async def test_an_inline_write_commits_and_is_checkpointed_off_the_event_loop(data_dir: Path) -> None:
    database = await open_store(data_dir)
    try:
        assert await database.write(insert(8, 9)) == 2
        assert [row.n for row in await database.read_inline(text("SELECT n FROM probe ORDER BY n"))] == [7, 8, 9]
        assert database._checkpoint is not None  # the first inline commit starts one, in a worker thread
        await database._checkpoint
        assert probe_file_rows(data_dir) == [7, 8, 9]
    finally:
        await database.close()


async def test_a_write_waits_for_another_writer_without_blocking_the_event_loop(data_dir: Path) -> None:
    database = await open_store(data_dir)
    (path,) = data_dir.glob("*.db")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's long write
        other.execute("INSERT INTO probe VALUES (1)")
        ticks = 0
        finished_at = 0.0

        async def write_then_note() -> None:
            nonlocal finished_at
            assert await database.write(insert(10)) == 1
            finished_at = time.monotonic()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(write_then_note)
            for _ in range(20):  # the loop keeps running while the write waits
                await anyio.sleep(0.01)
                ticks += 1
            assert finished_at == 0.0
            released_at = time.monotonic()
            other.execute("COMMIT")
        assert ticks == 20
        assert finished_at >= released_at
        rows = await database.read_inline(text("SELECT n FROM probe ORDER BY n"))
        assert [row.n for row in rows] == [1, 7, 10]
    finally:
        other.close()
        await database.close()


async def test_a_clashing_write_is_a_conflict_and_stores_nothing(data_dir: Path) -> None:
    database = await open_store(data_dir)
    try:
        with pytest.raises(ConflictError):
            await database.write(insert(11, 7))  # 7 is taken
        assert [row.n for row in await database.read_inline(text("SELECT n FROM probe"))] == [7]
    finally:
        await database.close()


async def test_no_free_connection_within_the_timeout_is_a_clear_unavailable_error(data_dir: Path) -> None:
    """Every pooled connection busy (a burst of slow requests): the caller hears "busy", not a pool traceback."""
    database = Database(load_settings(data_dir=data_dir, db_timeout_seconds=0.2))
    await database.open()
    try:
        async with contextlib.AsyncExitStack() as held:
            for _ in range(10):  # the read pool: 5 plus 5 overflow
                await held.enter_async_context(database.engine.connect())
            with pytest.raises(UnavailableError, match="busy"):
                async with database.session() as session:
                    await session.exec(text("SELECT 1"))
            with pytest.raises(UnavailableError, match="busy"):
                await database.ping()
        async with database.session() as session:  # and it serves again once connections come back
            assert (await session.exec(text("SELECT 1"))).scalar() == 1
    finally:
        await database.close()

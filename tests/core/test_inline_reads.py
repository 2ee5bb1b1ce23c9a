"""Inline reads: small hot reads on SQLite run without the driver's thread, and wait the usual way when locked."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cyrano_mcp.settings import load_settings
from cyrano_mcp.store.database import Database

pytestmark = pytest.mark.anyio


async def open_store(data_dir: Path) -> Database:
    database = Database(load_settings(data_dir=data_dir))
    await database.open()
    async with database.transaction() as session:
        conn = await session.connection()
        await conn.execute(text("CREATE TABLE IF NOT EXISTS probe (n INTEGER)"))
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

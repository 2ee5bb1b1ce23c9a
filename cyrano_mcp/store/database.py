"""The store: one async SQLAlchemy engine per role, SQLite by default, PostgreSQL when scaled out.

SQLite has one writer at a time. Rather than let concurrent writers collide (and fail with
"database is locked" the moment a read transaction tries to upgrade), writes go through a separate
engine whose pool holds a single connection and whose transactions start with `BEGIN IMMEDIATE`:
in-process writers queue on the pool, other processes wait on SQLite's busy timeout.
On PostgreSQL both roles share one pooled engine.

On a SQLite file, small hot reads and writes can also run inline on plain sqlite3 connections (`read_inline`,
`write`): aiosqlite's thread hops cost more CPU than such a statement itself.
"""

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
from sqlalchemy import Connection, Engine, Executable, Row, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import Pool
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_mcp.errors import ConflictError, UnavailableError
from cyrano_mcp.observability import tracing
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.files import prepare_sqlite_store, sqlite_file

log = get_logger(__name__)
T = TypeVar("T")
# What "the store cannot serve this now" looks like: the driver's errors, a refused connection (OSError, before
# any driver error), and no pooled connection free within the timeout.
STORE_UNAVAILABLE = (OperationalError, DBAPIError, OSError, PoolTimeoutError)

INLINE_READ_TIMEOUT_SECONDS = 0.1  # how long `read_inline` may block the event loop waiting on a lock
# How often the WAL is checkpointed, in a worker thread, while `write` commits inline (the inline connection never
# checkpoints itself: a checkpoint copies pages and syncs the file, which must not block the event loop).
CHECKPOINT_INTERVAL_SECONDS = 1.0


class Database:
    """Opens, hands out sessions for, and closes the store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = settings.resolved_database_url
        self.kind = settings.database_kind
        self._reader: AsyncEngine | None = None
        self._writer: AsyncEngine | None = None
        self._inline_reader: Engine | None = None  # SQLite files only: see `read_inline`
        self._inline_writer: Engine | None = None  # SQLite files only: see `write`
        self._checkpointed_at = 0.0
        self._checkpoint: asyncio.Future[None] | None = None

    @property
    def is_open(self) -> bool:
        return self._reader is not None

    @property
    def engine(self) -> AsyncEngine:
        if self._reader is None:
            raise UnavailableError("the store is not open")
        return self._reader

    @property
    def write_engine(self) -> AsyncEngine:
        if self._writer is None:
            raise UnavailableError("the store is not open")
        return self._writer

    async def open(self) -> None:
        if self.is_open:
            return
        timeout = self.settings.db_timeout_seconds
        if self.kind == "sqlite":
            path = sqlite_file(self.settings)
            tightened = prepare_sqlite_store(self.settings)
            if tightened:
                log.warning(
                    "store_files_tightened",
                    paths=[str(found) for found in tightened],
                    advice="other local accounts could read them; now only this account can",
                )
            self._reader = create_async_engine(self.url, pool_size=5, max_overflow=5, pool_timeout=timeout)
            self._writer = create_async_engine(self.url, pool_size=1, max_overflow=0, pool_timeout=timeout * 12)
            _configure_sqlite(self._reader.sync_engine, busy_timeout_ms=int(timeout * 1000), immediate=False)
            _configure_sqlite(self._writer.sync_engine, busy_timeout_ms=int(timeout * 1000), immediate=True)
            if path is not None:
                plain_url = make_url(self.url).set(drivername="sqlite")
                self._inline_reader = create_engine(
                    plain_url, pool_size=1, max_overflow=0, connect_args={"timeout": INLINE_READ_TIMEOUT_SECONDS}
                )
                # No waiting at all: if another writer holds the lock, `write` goes the usual way at once.
                self._inline_writer = create_engine(plain_url, pool_size=1, max_overflow=0, connect_args={"timeout": 0})
                _configure_sqlite(self._inline_writer, busy_timeout_ms=0, immediate=True, inline_writer=True)
        else:
            self._reader = create_async_engine(
                self.url,
                pool_size=self.settings.db_pool_min,
                max_overflow=max(0, self.settings.db_pool_max - self.settings.db_pool_min),
                pool_timeout=timeout,
                pool_pre_ping=True,
                connect_args={"timeout": timeout},
            )
            self._writer = self._reader
        log.info("store_opened", kind=self.kind)

    async def close(self) -> None:
        writer, reader = self._writer, self._reader
        inline_engines = (self._inline_reader, self._inline_writer)
        self._reader = self._writer = self._inline_reader = self._inline_writer = None
        if self._checkpoint is not None:
            with anyio.CancelScope(shield=True):
                await asyncio.wait({self._checkpoint})  # its failure is logged, not raised (see `_checkpoint_done`)
        for inline in inline_engines:
            if inline is not None:
                inline.dispose()
        if writer is not None and writer is not reader:
            await writer.dispose()
        if reader is not None:
            await reader.dispose()

    def pools(self) -> dict[str, Pool]:
        """The open connection pools by role, for metrics: reader and writer on SQLite, one on PostgreSQL."""
        if self._reader is None or self._writer is None:
            return {}
        if self._writer is self._reader:
            return {"shared": self._reader.pool}
        return {"reader": self._reader.pool, "writer": self._writer.pool}

    def engine_url_database(self) -> str | None:
        return make_url(self.url).database

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A read session (no commit)."""
        with tracing.span("db.session", {"db.system": self.kind}) as current:
            async with AsyncSession(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                except STORE_UNAVAILABLE as exc:
                    tracing.mark_failed(current, exc)
                    raise _unavailable(exc) from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits when the block ends, rolls everything back if it raises."""
        with tracing.span("db.transaction", {"db.system": self.kind}) as current:
            async with AsyncSession(self.write_engine, expire_on_commit=False) as session:
                try:
                    async with session.begin():
                        yield session
                except IntegrityError as exc:
                    # A uniqueness or reference check that the service's own checks could not see coming
                    # (another writer got there first).
                    tracing.mark_failed(current, exc)
                    raise _conflict() from exc
                except STORE_UNAVAILABLE as exc:  # after IntegrityError, a DBAPIError too
                    tracing.mark_failed(current, exc)
                    raise _unavailable(exc) from exc

    async def read_inline(self, statement: Executable, parameters: dict[str, Any] | None = None) -> list[Row[Any]]:
        """Run a small, hot, indexed read without waiting on the event loop; returns its rows.

        Through aiosqlite each step of a query (check-out, execute, fetch, release) hops to its thread and back,
        and every hop back queues behind all the tasks ready on the loop: with 100 busy clients a one-row read
        took 1-2 s (a worker thread of our own fared little better, waiting on the GIL). On a SQLite file the
        read runs right here on a plain sqlite3 connection: a millisecond or two of blocking, bounded by a short
        busy timeout (WAL readers do not wait for writers anyway). PostgreSQL's driver has no thread hops;
        there the pooled engine is used.
        """
        inline = self._inline_reader
        if inline is not None:
            try:
                with inline.connect() as conn:
                    return list(conn.execute(statement, parameters).all())
            except OperationalError:
                pass  # locked for longer than we block the loop (rare with WAL): wait the usual way below
        try:
            async with self.engine.connect() as conn:
                return list((await conn.execute(statement, parameters)).all())
        except STORE_UNAVAILABLE as exc:
            raise _unavailable(exc) from exc

    async def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction and return what it returns; it commits unless `work` raises.

        For small, frequent writes (the audit log's batches). On a SQLite file `work` runs right here, on a plain
        sqlite3 connection, if the write lock is free at that moment: a fraction of a millisecond, against several
        thread hops through aiosqlite that cost more CPU than the write. If another writer holds the lock, it runs
        on the writer engine, waiting there as every write does; so `work` must be safe to start again (nothing
        but the connection may carry its effects). PostgreSQL always takes the engine.
        """
        try:
            inline = self._inline_writer
            if inline is not None:
                try:
                    with inline.begin() as conn:
                        result = work(conn)
                except OperationalError:
                    pass  # locked by another writer (or the inline connection failed): the usual way below
                else:
                    self._checkpoint_soon()
                    return result
            async with self.write_engine.begin() as async_conn:
                return await async_conn.run_sync(work)
        except IntegrityError as exc:
            raise _conflict() from exc
        except STORE_UNAVAILABLE as exc:
            raise _unavailable(exc) from exc

    def _checkpoint_soon(self) -> None:
        now = time.monotonic()
        if now - self._checkpointed_at < CHECKPOINT_INTERVAL_SECONDS or self._checkpoint is not None:
            return
        self._checkpointed_at = now
        path = self.engine_url_database()
        assert path is not None
        self._checkpoint = asyncio.get_running_loop().run_in_executor(None, _checkpoint_wal, path)
        self._checkpoint.add_done_callback(self._checkpoint_done)

    def _checkpoint_done(self, done: "asyncio.Future[None]") -> None:
        self._checkpoint = None
        if not done.cancelled() and done.exception() is not None:
            # Not fatal: the other connections still checkpoint when the WAL grows past SQLite's threshold.
            log.warning("wal_checkpoint_failed", error=type(done.exception()).__name__)

    async def ping(self, timeout: float = 2.0) -> float:
        """Run a trivial query; returns its latency in ms or raises `UnavailableError`."""
        started = time.perf_counter()
        try:
            with anyio.fail_after(timeout):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except TimeoutError as exc:
            raise UnavailableError(f"the database did not answer within {timeout:g} s") from exc
        except STORE_UNAVAILABLE as exc:
            raise _unavailable(exc) from exc
        return (time.perf_counter() - started) * 1000


def _conflict() -> ConflictError:
    return ConflictError("the change clashes with data stored at the same moment; try again")


def _unavailable(exc: Exception) -> UnavailableError:
    if isinstance(exc, PoolTimeoutError):
        return UnavailableError("the database is busy (every connection is in use); try again shortly")
    # The driver's message can hold connection details; keep only its class for the client.
    reason = type(getattr(exc, "orig", None) or exc).__name__
    return UnavailableError(f"the database is unavailable ({reason}); try again shortly")


def _checkpoint_wal(path: str) -> None:
    """Copy the WAL's committed pages into the database without waiting for readers or blocking writers."""
    with contextlib.closing(sqlite3.connect(path, timeout=INLINE_READ_TIMEOUT_SECONDS)) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _configure_sqlite(engine: Engine, *, busy_timeout_ms: int, immediate: bool, inline_writer: bool = False) -> None:
    begin_statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    pragmas = [f"PRAGMA busy_timeout={busy_timeout_ms}"]
    # The inline writer leaves checkpoints to a worker thread (see `Database.write`), and the journal mode, a
    # property of the file, to the engines that open it first: setting it may wait on a lock, which it must not.
    pragmas += ["PRAGMA wal_autocheckpoint=0"] if inline_writer else ["PRAGMA journal_mode=WAL"]
    pragmas += ["PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"]
    # Deleted or overwritten content is zeroed rather than left in free pages, where a copy of the file would
    # still show it (the plaintext a sealing migration replaced, a deleted document). Debian's SQLite does this
    # by default; other builds do not.
    pragmas += ["PRAGMA secure_delete=ON"]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see the "begin" hook).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin_statement)

"""The audit log: append-only records chained by HMAC, so an edited, deleted or reordered record shows.

Each record's `mac` is HMAC-SHA256, under the keyring's `audit` key, of its own fields plus the previous
record's `mac`. Someone who can write to the database but lacks the master key cannot forge a chain.

Appends are serialised by locking the single `security_audit_head` row (`SELECT ... FOR UPDATE` on
PostgreSQL; on SQLite every write transaction already holds the database's one write lock): two appenders
can never both chain onto the same record, and `seq` is a primary key besides. Within a process, records
are group-committed: those that arrive during a write are chained and written together by the next one.

Records hold who, what, when, from where and the outcome; never tool arguments, passwords or tokens.
A tail cut off together with a rewritten head row is only detected against a recorded checkpoint
(`cyrano-mcp audit verify --anchor SEQ:MAC`).
"""

import asyncio
import functools
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import anyio
import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler

from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.security.crypto.keyring import Keyring
from cyrano_mcp.security.migrations import GENESIS_MAC
from cyrano_mcp.security.principals import Principal
from cyrano_mcp.security.tables import AuditEntry, AuditHead
from cyrano_mcp.store.database import Database

log = get_logger(__name__)

KEY_TYPE = "audit"
_LOG = AuditEntry.__table__  # type: ignore[attr-defined]
_HEAD = AuditHead.__table__  # type: ignore[attr-defined]
_CHAINED = (
    "seq",
    "at",
    "actor_id",
    "actor",
    "role",
    "action",
    "target",
    "outcome",
    "source",
    "correlation_id",
    "detail",
    "key_version",
    "prev_mac",
)
Detail = Mapping[str, str | int | float | bool | None]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it: a principal, the operator at the CLI, or an unauthenticated caller."""

    name: str
    user_id: str | None = None
    role: str | None = None

    @classmethod
    def of(cls, principal: Principal | None, *, fallback: str = "anonymous") -> "Actor":
        if principal is None:
            return cls(name=fallback)
        return cls(name=principal.username, user_id=principal.user_id, role=principal.role.value)


_CHAINED_SORTED = tuple(sorted(_CHAINED))
_NO_DETAIL = "{}"
_CANONICAL_JSON = json.JSONEncoder(separators=(",", ":"))  # one encoder: `json.dumps` builds one per call


def _mac(key: bytes, record: Mapping[str, object]) -> str:
    # Keys inserted in sorted order: the same bytes `json.dumps(..., sort_keys=True)` gives, without the sort.
    canonical = _CANONICAL_JSON.encode({name: record[name] for name in _CHAINED_SORTED})
    return hmac.digest(key, canonical.encode(), "sha256").hex()  # one-shot: no HMAC object per record


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement compiled once per dialect and handed straight to the driver: building and caching a SQLAlchemy
    statement on every write cost several times what the driver then spends on it. `order` is the order of the
    parameters for positional paramstyles, None for named ones."""

    sql: str
    order: tuple[str, ...] | None

    @classmethod
    def of(cls, statement: sa.ClauseElement, dialect: sa.Dialect) -> "_Compiled":
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        return cls(str(compiled), order)

    def parameters(self, values: Mapping[str, object]) -> tuple[object, ...] | Mapping[str, object]:
        return tuple(values[name] for name in self.order) if self.order is not None else values


@dataclass(frozen=True, slots=True)
class _Statements:
    read_head: _Compiled
    insert: _Compiled
    move_head: _Compiled


@functools.cache
def _statements(dialect: sa.Dialect) -> _Statements:
    the_head = _HEAD.c.id == sa.literal_column("1")
    return _Statements(
        read_head=_Compiled.of(sa.select(_HEAD.c.seq, _HEAD.c.mac).where(the_head).with_for_update(), dialect),
        insert=_Compiled.of(_LOG.insert(), dialect),
        move_head=_Compiled.of(
            sa.update(_HEAD).where(the_head).values(seq=sa.bindparam("new_seq"), mac=sa.bindparam("new_mac")), dialect
        ),
    )


def _append_chain(fields: list[dict[str, object]], version: int, key: bytes, conn: sa.Connection) -> int:
    """Chain the records onto the head and insert them; returns the first one's sequence number. Runs inside the
    caller's transaction, which holds the head row (SQLite: the write lock; PostgreSQL: `FOR UPDATE`)."""
    statements = _statements(conn.dialect)
    head = conn.exec_driver_sql(statements.read_head.sql).one()
    seq, mac = int(head.seq), str(head.mac)
    first_seq = seq + 1
    records = []
    for record_fields in fields:
        seq += 1
        record = {**record_fields, "seq": seq, "key_version": version, "prev_mac": mac}
        record["mac"] = mac = _mac(key, record)
        records.append(record)
    conn.exec_driver_sql(statements.insert.sql, [statements.insert.parameters(record) for record in records])
    conn.exec_driver_sql(statements.move_head.sql, statements.move_head.parameters({"new_seq": seq, "new_mac": mac}))
    return first_seq


_second = (0, "")  # the last whole second formatted: strftime per record cost more than the rest of `record`


def _now() -> str:
    """UTC, ISO 8601 to the microsecond, as `datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")` gives it."""
    global _second
    now = time.time()
    whole = int(now)
    if whole != _second[0]:
        _second = (whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)))
    return f"{_second[1]}.{int((now - whole) * 1_000_000):06d}Z"


@dataclass(slots=True)
class VerifyReport:
    records: int = 0
    head_seq: int = 0
    head_mac: str = GENESIS_MAC
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _fields(
    action: str,
    actor: Actor,
    outcome: str,
    target: str | None,
    source: str | None,
    correlation_id: str | None,
    detail: Detail | None,
) -> dict[str, object]:
    return {
        "at": _now(),
        "actor_id": actor.user_id,
        "actor": actor.name[:64],
        "role": actor.role,
        "action": action,
        "target": None if target is None else target[:200],
        "outcome": outcome[:40],
        "source": None if source is None else source[:80],
        "correlation_id": correlation_id,
        "detail": json.dumps(dict(detail), sort_keys=True, separators=(",", ":")) if detail else _NO_DETAIL,
    }


@dataclass(slots=True)
class _Pending:
    """A record waiting for the next group commit, and what became of it."""

    record: dict[str, object]
    seq: int | None = None
    error: BaseException | None = None


# How long a successful tool call's record may wait to be written together with others. One transaction costs
# about as much CPU as a whole tool call, so writing one per call would halve the server's throughput.
BACKGROUND_FLUSH_SECONDS = 0.05
_MAX_QUEUED = 100_000
# Records per transaction: a backlog (after the store was away) is written in bounded steps, each of which may
# run inline on the event loop (see `Database.write`).
_CHUNK = 500


class AuditLog:
    def __init__(self, database: Database, keyring: Keyring) -> None:
        self._database = database
        self._keyring = keyring
        self._queue: list[_Pending] = []
        self._writer = anyio.Lock()
        self._flush_scheduled: asyncio.TimerHandle | None = None
        self._background: set[asyncio.Task[None]] = set()

    def record(
        self,
        action: str,
        *,
        actor: Actor,
        outcome: str,
        target: str | None = None,
        source: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        """Queue a routine record (a successful tool call) for the next background write, within 50 ms.

        Durability: a process killed before that write loses the queued records (the chain itself stays
        whole: they never entered it). Security events — logins, refusals, account and key changes — use
        `append`, which returns only once the record is committed.
        """
        if len(self._queue) >= _MAX_QUEUED:
            log.error("audit_queue_full", dropped=1)
            return
        self._queue.append(_Pending(_fields(action, actor, outcome, target, source, correlation_id, None)))
        if self._flush_scheduled is None:
            loop = asyncio.get_running_loop()
            self._flush_scheduled = loop.call_later(BACKGROUND_FLUSH_SECONDS, self._start_background_flush, loop)

    def _start_background_flush(self, loop: asyncio.AbstractEventLoop) -> None:
        self._flush_scheduled = None
        task = loop.create_task(self.flush(), name="cyrano-audit-flush")
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def flush(self) -> None:
        """Write whatever is queued (before a query, at shutdown, and in the background)."""
        async with self._writer:
            batch, self._queue = self._queue, []
            if not batch:
                return
            try:
                await self._write(batch)
            except Exception:
                # The unwritten back to the front of the queue, for the next write; the log says records wait.
                self._queue[:0] = [entry for entry in batch if entry.seq is None]
                log.exception("audit_write_failed", waiting=len(self._queue))

    async def close(self) -> None:
        if self._flush_scheduled is not None:
            self._flush_scheduled.cancel()
            self._flush_scheduled = None
        with anyio.CancelScope(shield=True):
            await self.flush()

    async def append(
        self,
        action: str,
        *,
        actor: Actor,
        outcome: str,
        target: str | None = None,
        source: str | None = None,
        correlation_id: str | None = None,
        detail: Detail | None = None,
    ) -> int:
        """Append one record, durably, and return its sequence number.

        Group commit: records that arrive while a write is under way go into the next write together, so N
        concurrent calls cost one transaction rather than N, and each caller still returns only once its own
        record is committed.
        """
        pending = _Pending(_fields(action, actor, outcome, target, source, correlation_id, detail))
        self._queue.append(pending)
        async with self._writer:
            if pending.seq is None and pending.error is None:  # no earlier write took it along
                batch, self._queue = self._queue, []
                try:
                    await self._write(batch)
                except BaseException as exc:
                    for entry in batch:
                        if entry.seq is None:
                            entry.error = exc
        if pending.error is not None:
            raise pending.error
        assert pending.seq is not None
        return pending.seq

    async def _write(self, batch: list[_Pending]) -> None:
        """Chain and commit the batch, in transactions of at most `_CHUNK` records; each written entry gets its
        `seq`. If one fails, the entries before it stay written and the exception propagates."""
        version, key = await self._keyring.current(KEY_TYPE)
        for start in range(0, len(batch), _CHUNK):
            chunk = batch[start : start + _CHUNK]
            fields = [entry.record for entry in chunk]
            first_seq = await self._database.write(functools.partial(_append_chain, fields, version, key))
            for offset, entry in enumerate(chunk):
                entry.seq = first_seq + offset

    async def query(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        outcome: str | None = None,
        target: str | None = None,
        since: str | None = None,
        until: str | None = None,
        before_seq: int | None = None,
        limit: int = 50,
    ) -> list[AuditEntry]:
        """Newest first. `since`/`until` compare against the ISO timestamps (UTC)."""
        await self.flush()
        query = sa.select(_LOG)
        for column, value in (("actor", actor), ("action", action), ("outcome", outcome), ("target", target)):
            if value is not None:
                query = query.where(_LOG.c[column] == value)
        if since is not None:
            query = query.where(_LOG.c.at >= since)
        if until is not None:
            query = query.where(_LOG.c.at < until)
        if before_seq is not None:
            query = query.where(_LOG.c.seq < before_seq)
        async with self._database.engine.connect() as conn:
            rows = (await conn.execute(query.order_by(_LOG.c.seq.desc()).limit(limit))).mappings().all()
        return [AuditEntry(**row) for row in rows]

    async def verify(self, *, anchor: tuple[int, str] | None = None, page: int = 1000) -> VerifyReport:
        """Walk the whole chain; every problem found is reported, with the sequence number where it is."""
        await self.flush()
        report = VerifyReport()
        previous_mac = GENESIS_MAC
        expected_seq = 1
        keys: dict[int, bytes | None] = {}
        anchored = anchor is None
        async with self._database.engine.connect() as conn:
            last = 0
            while True:
                rows = (
                    (await conn.execute(sa.select(_LOG).where(_LOG.c.seq > last).order_by(_LOG.c.seq).limit(page)))
                    .mappings()
                    .all()
                )
                if not rows:
                    break
                for row in rows:
                    report.records += 1
                    seq = row["seq"]
                    if seq != expected_seq:
                        report.problems.append(f"records {expected_seq}..{seq - 1} are missing (deleted or renumbered)")
                    if row["prev_mac"] != previous_mac:
                        report.problems.append(
                            f"record {seq} does not follow the record before it (removed or reordered)"
                        )
                    version = row["key_version"]
                    if version not in keys:
                        keys[version] = await self._keyring.key(KEY_TYPE, version)
                    key = keys[version]
                    if key is None:
                        report.problems.append(f"record {seq}: audit key v{version} is gone, cannot check it")
                    elif not hmac.compare_digest(_mac(key, dict(row)), row["mac"]):
                        report.problems.append(f"record {seq} was altered (its MAC does not match its contents)")
                    if anchor is not None and seq == anchor[0]:
                        anchored = hmac.compare_digest(row["mac"], anchor[1])
                    previous_mac, expected_seq, last = row["mac"], seq + 1, seq
            head = (await conn.execute(sa.select(_HEAD.c.seq, _HEAD.c.mac).where(_HEAD.c.id == 1))).one()
        report.head_seq, report.head_mac = head.seq, head.mac
        if head.seq != expected_seq - 1 or head.mac != previous_mac:
            report.problems.append(
                f"the head says record {head.seq} is last, the chain ends at {expected_seq - 1} "
                "(records appended or removed behind the log's back)"
            )
        if anchor is not None and not anchored:
            report.problems.append(
                f"the anchor {anchor[0]}:{anchor[1][:12]}... is not in the chain (history rewritten)"
            )
        return report

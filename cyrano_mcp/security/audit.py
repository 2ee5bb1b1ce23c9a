"""The audit log: append-only records chained by HMAC, so an edited, deleted or reordered record shows.

The chain's rules (each record's MAC, the sealed head, the records about a tampered head) are in `audit_chain`;
the anchor file that catches a wiped log or a cut-off tail in `audit_anchor`; `audit verify` in `audit_verify`.
Someone who can write to the database but lacks the master key cannot forge a chain.

Appends are serialised by locking the single `security_audit_head` row (`SELECT ... FOR UPDATE` on
PostgreSQL; on SQLite every write transaction already holds the database's one write lock): two appenders
can never both chain onto the same record, and `seq` is a primary key besides. Within a process, records
are group-committed: those that arrive during a write are chained and written together by the next one.

Records hold who, what, when, from where and the outcome; never tool arguments, passwords or tokens.
"""

import asyncio
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import anyio
import sqlalchemy as sa

from cyrano_mcp.crypto.keyring import Keyring
from cyrano_mcp.errors import ConflictError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.principal import Principal
from cyrano_mcp.security.audit_anchor import AnchorKeeper
from cyrano_mcp.security.audit_chain import KEY_TYPE, ChainKeys, UnknownSealKey, append_chain, now
from cyrano_mcp.security.audit_verify import VerifyReport, verify_chain
from cyrano_mcp.security.tables import AuditEntry, AuditHead
from cyrano_mcp.store.database import Database

__all__ = ["KEY_TYPE", "Actor", "AuditLog", "VerifyReport"]

log = get_logger(__name__)

_LOG = AuditEntry.__table__  # type: ignore[attr-defined]
_HEAD = AuditHead.__table__  # type: ignore[attr-defined]
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


_NO_DETAIL = "{}"


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
        "at": now(),
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
    def __init__(self, database: Database, keyring: Keyring, *, anchor_file: Path) -> None:
        self._database = database
        self._keyring = keyring
        self._anchor_file = anchor_file
        self._anchor = AnchorKeeper(
            anchor_file, key_of=functools.partial(keyring.key, KEY_TYPE), recorded_mac=self._recorded_mac
        )
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
        detail: Detail | None = None,
    ) -> None:
        """Queue a routine record (a successful tool call) for the next background write, within 50 ms.

        Durability: a process killed before that write loses the queued records (the chain itself stays
        whole: they never entered it). Security events — logins, refusals, account and key changes — use
        `append`, which returns only once the record is committed.
        """
        if len(self._queue) >= _MAX_QUEUED:
            log.error("audit_queue_full", dropped=1)
            return
        self._queue.append(_Pending(_fields(action, actor, outcome, target, source, correlation_id, detail)))
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

    async def start(self) -> None:
        """After the keyring is loaded: start the chain (or note what happened to its head) and check the anchor
        against the chain's end, or write the first anchor."""
        async with self._writer:
            await self._write([])
        async with self._database.engine.connect() as conn:
            columns = (_HEAD.c.seq, _HEAD.c.mac, _HEAD.c.seal_version)
            head = (await conn.execute(sa.select(*columns).where(_HEAD.c.id == 1))).first()
        if head is not None and head.seal_version is not None:
            await self._anchor.start(head.seq, head.mac, head.seal_version)

    async def close(self) -> None:
        if self._flush_scheduled is not None:
            self._flush_scheduled.cancel()
            self._flush_scheduled = None
        with anyio.CancelScope(shield=True):
            await self.flush()
            await self._anchor.close()

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
        keys = await self._chain_keys()
        for start in range(0, max(len(batch), 1), _CHUNK):  # an empty batch still starts the chain if need be
            chunk = batch[start : start + _CHUNK]
            fields = [entry.record for entry in chunk]
            try:
                appended = await self._database.write(functools.partial(append_chain, fields, keys))
            except UnknownSealKey:  # the head is sealed with a key rotated in by another process: read it, retry
                await self._keyring.load()
                keys = await self._chain_keys()
                appended = await self._database.write(functools.partial(append_chain, fields, keys))
            except ConflictError:  # a sealed head copied back over newer records: chain onto the real end
                check = functools.partial(append_chain, fields, keys, check_end=True)
                appended = await self._database.write(check)
            if appended is None:
                continue
            for offset, entry in enumerate(chunk):
                entry.seq = appended.first_seq + offset
            self._anchor.committed(appended.last_seq, appended.last_mac, keys.version)

    async def _chain_keys(self) -> ChainKeys:
        version, key = await self._keyring.current(KEY_TYPE)
        versions = (await self._keyring.keyset()).keys.get(KEY_TYPE, {})
        return ChainKeys(version=version, key=key, versions=versions)

    async def _recorded_mac(self, seq: int) -> str | None:
        """The MAC of record `seq` as the store holds it now (None: no such record)."""
        rows = await self._database.read_inline(sa.select(_LOG.c.mac).where(_LOG.c.seq == seq))
        return str(rows[0].mac) if rows else None

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
        """Walk the whole chain; every problem found is reported, with the sequence number where it is.
        `anchor` is a (seq, mac) checkpoint the operator kept from an earlier verify."""
        await self.flush()
        await self._anchor.write_pending()  # what this process committed, anchored before the anchor is checked
        return await verify_chain(
            self._database, self._keyring, anchor_file=self._anchor_file, checkpoint=anchor, page=page
        )

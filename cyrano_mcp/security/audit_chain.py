"""The audit chain's own rules: each record's MAC, the sealed head, and appending a batch inside a transaction.

A record's `mac` is HMAC-SHA256, under the keyring's `audit` key, of its own fields plus the previous record's
`mac`. The head row (`security_audit_head`) holds the last record's (seq, mac) and a `seal`: an HMAC of both
under the audit key, so moving the head back over a cut-off tail, or resetting it, takes the key.

The chain starts with an `audit_chain_started` record, written by the first append onto an unsealed head (a new
store, or one from before heads were sealed: its `records_before` then counts the older records). Whoever appends
and finds the head missing, or not matching its seal or the chain's last record, first appends a record saying
so, chained onto the real last record: what someone did to the head behind the log's back stays on the record.
"""

import functools
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler

from cyrano_mcp.security.migrations import GENESIS_MAC
from cyrano_mcp.security.tables import AuditEntry, AuditHead

KEY_TYPE = "audit"
CHAIN_STARTED = "audit_chain_started"
HEAD_MISSING = "audit_head_missing"
HEAD_ALTERED = "audit_head_altered"
SYSTEM = "system"

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
_CHAINED_SORTED = tuple(sorted(_CHAINED))
_CANONICAL_JSON = json.JSONEncoder(separators=(",", ":"))  # one encoder: `json.dumps` builds one per call


def record_mac(key: bytes, record: Mapping[str, object]) -> str:
    # Keys inserted in sorted order: the same bytes `json.dumps(..., sort_keys=True)` gives, without the sort.
    canonical = _CANONICAL_JSON.encode({name: record[name] for name in _CHAINED_SORTED})
    return hmac.digest(key, canonical.encode(), "sha256").hex()  # one-shot: no HMAC object per record


def head_seal(key: bytes, seq: int, mac: str) -> str:
    return hmac.digest(key, f"cyrano/audit-head/v1|{seq}|{mac}".encode(), "sha256").hex()


_second = (0, "")  # the last whole second formatted: strftime per record cost more than the rest of `record`


def now() -> str:
    """UTC, ISO 8601 to the microsecond, as `datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")` gives it."""
    global _second
    moment = time.time()
    whole = int(moment)
    if whole != _second[0]:
        _second = (whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)))
    return f"{_second[1]}.{int((moment - whole) * 1_000_000):06d}Z"


def _system_record(action: str, detail: Mapping[str, int]) -> dict[str, object]:
    return {
        "at": now(),
        "actor_id": None,
        "actor": SYSTEM,
        "role": None,
        "action": action,
        "target": None,
        "outcome": "ok" if action == CHAIN_STARTED else "tampering",
        "source": None,
        "correlation_id": None,
        "detail": json.dumps(dict(detail), sort_keys=True, separators=(",", ":")),
    }


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement compiled once per dialect and handed straight to the driver: building and caching a SQLAlchemy
    statement on every write cost several times what the driver then spends on it. `order` is the order of the
    parameters for positional paramstyles, None for named ones."""

    sql: str
    order: tuple[str, ...] | None

    @classmethod
    def of(cls, statement: sa.ClauseElement, dialect: sa.Dialect, *, literal: bool = False) -> "_Compiled":
        compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": literal})
        assert isinstance(compiled, SQLCompiler)
        order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        return cls(str(compiled), order)

    def parameters(self, values: Mapping[str, object]) -> tuple[object, ...] | Mapping[str, object]:
        return tuple(values[name] for name in self.order) if self.order is not None else values


@dataclass(frozen=True, slots=True)
class _Statements:
    read_head: _Compiled
    last_record: _Compiled
    insert: _Compiled
    move_head: _Compiled
    insert_head: _Compiled


_HEAD_VALUES: dict[str, sa.BindParameter[Any]] = {
    "seq": sa.bindparam("new_seq"),
    "mac": sa.bindparam("new_mac"),
    "seal": sa.bindparam("new_seal"),
    "seal_version": sa.bindparam("new_seal_version"),
}


@functools.cache
def _statements(dialect: sa.Dialect) -> _Statements:
    the_head = _HEAD.c.id == sa.literal_column("1")
    head_columns = (_HEAD.c.seq, _HEAD.c.mac, _HEAD.c.seal, _HEAD.c.seal_version)
    return _Statements(
        read_head=_Compiled.of(sa.select(*head_columns).where(the_head).with_for_update(), dialect),
        last_record=_Compiled.of(
            sa.select(_LOG.c.seq, _LOG.c.mac).order_by(_LOG.c.seq.desc()).limit(1), dialect, literal=True
        ),
        insert=_Compiled.of(_LOG.insert(), dialect),
        move_head=_Compiled.of(sa.update(_HEAD).where(the_head).values(**_HEAD_VALUES), dialect),
        insert_head=_Compiled.of(_HEAD.insert().values(id=sa.literal_column("1"), **_HEAD_VALUES), dialect),
    )


@dataclass(frozen=True, slots=True)
class ChainKeys:
    """The audit key new records and the head's seal use, and every version known, to check the present seal."""

    version: int
    key: bytes
    versions: Mapping[int, bytes]


class UnknownSealKey(Exception):
    """The head is sealed under an audit key version this process has not read yet (rotated elsewhere)."""


@dataclass(frozen=True, slots=True)
class Appended:
    first_seq: int  # of the caller's first record
    last_seq: int
    last_mac: str


def _chain_end(
    head: sa.Row[Any] | None, keys: ChainKeys, conn: sa.Connection, *, check_end: bool
) -> tuple[int, str, list[dict[str, object]]]:
    """Where the next record goes (the last record's seq and mac), and the records the head's state calls for first.
    A head whose seal holds is trusted without reading the last record (a statement costs as much as the rest of an
    append), unless `check_end` says an insert there clashed: a sealed head copied back over newer records."""
    sealed = False
    if head is not None and head.seal is not None:
        sealed_with = keys.versions.get(head.seal_version)
        if sealed_with is None:
            raise UnknownSealKey(head.seal_version)
        sealed = hmac.compare_digest(head_seal(sealed_with, head.seq, head.mac), head.seal)
        if sealed and not check_end:
            return int(head.seq), str(head.mac), []
    last = conn.exec_driver_sql(_statements(conn.dialect).last_record.sql).first()
    seq, mac = (int(last.seq), str(last.mac)) if last is not None else (0, GENESIS_MAC)
    if head is None:
        return seq, mac, [_system_record(HEAD_MISSING, {"chain_ends_at": seq})]
    if head.seal is None:
        return seq, mac, [_system_record(CHAIN_STARTED, {"records_before": seq})]
    if sealed and head.seq == seq and head.mac == mac:
        return seq, mac, []
    return seq, mac, [_system_record(HEAD_ALTERED, {"head_seq": int(head.seq), "chain_ends_at": seq})]


def append_chain(
    fields: list[dict[str, object]], keys: ChainKeys, conn: sa.Connection, *, check_end: bool = False
) -> Appended | None:
    """Chain the records onto the last one and insert them, after any record about the head that the head's state
    calls for; None if nothing was written. Runs inside the caller's transaction, which holds the head row
    (SQLite: the write lock; PostgreSQL: `FOR UPDATE`)."""
    statements = _statements(conn.dialect)
    head = conn.exec_driver_sql(statements.read_head.sql).first()
    seq, mac, notes = _chain_end(head, keys, conn, check_end=check_end)
    if not notes and not fields:
        return None
    first_seq = seq + len(notes) + 1
    records = []
    for record_fields in (*notes, *fields):
        seq += 1
        record = {**record_fields, "seq": seq, "key_version": keys.version, "prev_mac": mac}
        record["mac"] = mac = record_mac(keys.key, record)
        records.append(record)
    conn.exec_driver_sql(statements.insert.sql, [statements.insert.parameters(record) for record in records])
    seal = head_seal(keys.key, seq, mac)
    new_head = {"new_seq": seq, "new_mac": mac, "new_seal": seal, "new_seal_version": keys.version}
    move = statements.insert_head if head is None else statements.move_head
    conn.exec_driver_sql(move.sql, move.parameters(new_head))
    return Appended(first_seq=first_seq, last_seq=seq, last_mac=mac)

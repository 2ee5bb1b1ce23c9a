"""`audit verify`: walk the whole chain in one snapshot and report every problem, with where it is.

What it checks: each record's MAC and its link to the one before (an edited, inserted, removed or reordered
record); that the chain starts with an `audit_chain_started` record and starts only once; the head row (there,
sealed, and at the chain's end); the records in which appenders noted a missing or altered head; and the anchor
file beside the keys, whose record must still be in the chain (a wiped log or a cut-off tail).
"""

import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from cyrano_mcp.crypto.keyring import Keyring
from cyrano_mcp.security.audit_anchor import Anchor, AnchorDamaged, read_text
from cyrano_mcp.security.audit_chain import CHAIN_STARTED, HEAD_ALTERED, HEAD_MISSING, KEY_TYPE, head_seal, record_mac
from cyrano_mcp.security.migrations import GENESIS_MAC
from cyrano_mcp.security.tables import AuditEntry, AuditHead
from cyrano_mcp.store.database import Database

_LOG = AuditEntry.__table__  # type: ignore[attr-defined]
_HEAD = AuditHead.__table__  # type: ignore[attr-defined]
_MOVE_ASIDE = "if this host now uses another store, or an older backup of it was restored, move {path} aside"


@dataclass(slots=True)
class VerifyReport:
    records: int = 0
    head_seq: int | None = 0  # None: there is no head row
    head_mac: str = GENESIS_MAC
    anchor: Anchor | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong

    @property
    def ok(self) -> bool:
        return not self.problems


class _Walk:
    """What the walk has seen so far, record by record."""

    def __init__(self, keyring: Keyring, report: VerifyReport) -> None:
        self.keyring = keyring
        self.report = report
        self.keys: dict[int, bytes | None] = {}
        self.previous_mac = GENESIS_MAC
        self.expected_seq = 1
        self.started_at: int | None = None

    async def key(self, version: int) -> bytes | None:
        if version not in self.keys:
            self.keys[version] = await self.keyring.key(KEY_TYPE, version)
        return self.keys[version]

    async def step(self, row: sa.RowMapping) -> None:
        problems = self.report.problems
        self.report.records += 1
        seq = row["seq"]
        if seq != self.expected_seq:
            problems.append(f"records {self.expected_seq}..{seq - 1} are missing (deleted or renumbered)")
        if row["prev_mac"] != self.previous_mac:
            problems.append(f"record {seq} does not follow the record before it (removed or reordered)")
        version = row["key_version"]
        key = await self.key(version)
        if key is None:
            problems.append(f"record {seq}: audit key v{version} is gone, cannot check it")
        elif not hmac.compare_digest(record_mac(key, dict(row)), row["mac"]):
            problems.append(f"record {seq} was altered (its MAC does not match its contents)")
        self._note_system_record(row)
        self.previous_mac, self.expected_seq = row["mac"], seq + 1

    def _note_system_record(self, row: sa.RowMapping) -> None:
        action, seq, at = row["action"], row["seq"], row["at"]
        if action == CHAIN_STARTED:
            if self.started_at is None:
                self.started_at = seq
            else:
                self.report.problems.append(
                    f"record {seq} starts the chain again (at {at}): its head had been reset to an unsealed state "
                    "behind the log's back"
                )
        elif action == HEAD_MISSING:
            self.report.problems.append(f"record {seq}: the head row had been deleted behind the log's back (at {at})")
        elif action == HEAD_ALTERED:
            said = _detail(row).get("head_seq")
            self.report.problems.append(
                f"record {seq}: the head row had been moved or edited behind the log's back (it said record {said}; "
                f"found at {at})"
            )


def _detail(row: sa.RowMapping) -> dict[str, Any]:
    try:
        detail = json.loads(row["detail"])
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


async def _read_anchor(path: Path, keyring: Keyring, report: VerifyReport) -> Anchor | None:
    text = read_text(path)
    if text is None:
        report.notes.append(f"no anchor at {path} yet (written within a second of each audit write, on this host)")
        return None
    try:
        anchor = Anchor.parse(text)
    except AnchorDamaged:
        report.problems.append(f"the anchor file {path} is damaged: it is not an audit anchor")
        return None
    key = await keyring.key(KEY_TYPE, anchor.key_version)
    if key is None or not anchor.genuine(key):
        report.problems.append(f"the anchor file {path} was not written by Cyrano (its MAC does not match)")
        return None
    report.anchor = anchor
    return anchor


async def _check_head(conn: AsyncConnection, walk: _Walk) -> None:
    report = walk.report
    columns = (_HEAD.c.seq, _HEAD.c.mac, _HEAD.c.seal, _HEAD.c.seal_version)
    head = (await conn.execute(sa.select(*columns).where(_HEAD.c.id == 1))).first()
    last = walk.expected_seq - 1
    if head is None:
        report.head_seq = None
        report.problems.append("the head row is missing (deleted behind the log's back)")
        return
    report.head_seq, report.head_mac = head.seq, head.mac
    if head.seal is None:
        if report.records or head.seq:
            report.problems.append("the head row has no seal (reset behind the log's back)")
        else:
            report.notes.append("the chain has not started: no audit record has been written yet")
        return
    key = await walk.key(head.seal_version)
    if key is None or not hmac.compare_digest(head_seal(key, head.seq, head.mac), head.seal):
        report.problems.append("the head row does not match its seal (moved or edited without the audit key)")
    if head.seq != last or head.mac != walk.previous_mac:
        report.problems.append(
            f"the head says record {head.seq} is last, the chain ends at {last} "
            "(records appended or removed behind the log's back)"
        )
    if walk.started_at is None:
        report.problems.append(
            "the chain has no audit_chain_started record: its first records were removed"
            if report.records
            else "the chain is empty, but its head is sealed: every record was removed"
        )


def _check_anchor(anchor: Anchor, recorded: str | None, last: int, path: Path) -> str | None:
    if recorded is None and anchor.seq > last:
        return (
            f"the chain ends at record {last}, but the anchor written at {anchor.at} vouches for record {anchor.seq}: "
            f"records were removed (a cut-off tail or a wiped log); {_MOVE_ASIDE.format(path=path)}"
        )
    if recorded != anchor.mac:
        return (
            f"record {anchor.seq} is not the record the anchor written at {anchor.at} vouches for: the log was "
            f"rewritten from there or earlier; {_MOVE_ASIDE.format(path=path)}"
        )
    return None


async def verify_chain(
    database: Database,
    keyring: Keyring,
    *,
    anchor_file: Path,
    checkpoint: tuple[int, str] | None = None,
    page: int = 1000,
) -> VerifyReport:
    report = VerifyReport()
    anchor = await _read_anchor(anchor_file, keyring, report)
    walk = _Walk(keyring, report)
    recorded: dict[int, str] = {}  # the MACs of the records the anchor and the checkpoint name
    wanted = {seq for seq in (anchor.seq if anchor else None, checkpoint[0] if checkpoint else None) if seq}
    async with database.engine.connect() as conn:
        if database.kind != "sqlite":  # one snapshot (SQLite's read transaction is one already)
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        last = 0
        while True:
            query = sa.select(_LOG).where(_LOG.c.seq > last).order_by(_LOG.c.seq).limit(page)
            rows = (await conn.execute(query)).mappings().all()
            if not rows:
                break
            for row in rows:
                await walk.step(row)
                if row["seq"] in wanted:
                    recorded[row["seq"]] = row["mac"]
                last = row["seq"]
        await _check_head(conn, walk)
    if anchor is not None and (problem := _check_anchor(anchor, recorded.get(anchor.seq), last, anchor_file)):
        report.problems.append(problem)
    if checkpoint is not None and not hmac.compare_digest(recorded.get(checkpoint[0], ""), checkpoint[1]):
        report.problems.append(
            f"the anchor {checkpoint[0]}:{checkpoint[1][:12]}... is not in the chain (history rewritten)"
        )
    return report

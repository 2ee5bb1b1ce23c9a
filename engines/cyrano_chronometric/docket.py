"""The docket: every deadline the firm keeps, proposed from documents or added by hand or by a rule.

A document's deadlines are proposed when its matter's deadlines are computed and kept until a lawyer dockets,
completes or dismisses them; computed again, a proposal is updated in place (same key), one no longer computed is
withdrawn unless someone acted on it. Titles, notes and quotes are sealed; dates, kinds and statuses stay plain.
"""

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func
from sqlmodel import col, delete, select

from cyrano_chronometric.document_deadlines import Evidence, Proposal
from cyrano_chronometric.models import Deadline, Quote, Status
from cyrano_chronometric.tables import DeadlineRow
from cyrano_mcp.kit import ConflictError, Database, NotFoundError, SealedField, current_call, utc_now


def caller() -> str | None:
    call = current_call()
    return call.principal.username if call is not None and call.principal is not None else None


@dataclass(frozen=True)
class DocketSeals:
    title: SealedField
    evidence: SealedField
    note: SealedField


@dataclass(frozen=True)
class NewDeadline:
    matter_id: str
    title: str
    due: dt.date
    kind: str
    source: str
    trigger: dt.date | None = None
    how: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Window:
    """Which docketed deadlines a listing shows."""

    start: dt.date
    end: dt.date
    statuses: Sequence[Status]
    matter_id: str | None = None
    document_id: str | None = None
    overdue_before: dt.date | None = None  # also open deadlines due before this day (listed first)


class Docket:
    def __init__(self, database: Database, seals: DocketSeals) -> None:
        self._database = database
        self._seals = seals

    async def propose(self, matter_id: str, document_id: str, proposals: Sequence[Proposal]) -> None:
        """Record a document's computed deadlines: new ones proposed, known ones updated, stale proposals withdrawn."""
        now, who = utc_now(), caller()
        keys = {proposal.key for proposal in proposals}
        async with self._database.transaction() as session:
            rows = (await session.exec(select(DeadlineRow).where(DeadlineRow.document_id == document_id))).all()
            known = {row.source_key: row for row in rows if row.source_key is not None}
            for proposal in proposals:
                row = known.get(proposal.key)
                if row is None:
                    row = DeadlineRow(
                        id=str(uuid.uuid4()), matter_id=matter_id, document_id=document_id, source="document",
                        source_key=proposal.key, kind=proposal.kind, status="proposed", due=proposal.due,
                        title="", created_at=now, created_by=who, updated_at=now, updated_by=who,
                    )  # fmt: skip
                elif row.status != "proposed":
                    continue  # a lawyer acted on it: their docket is not rewritten
                row.due, row.trigger = proposal.due, proposal.trigger
                row.how = proposal.how[:500] if proposal.how else None
                row.caution = proposal.caution[:500] if proposal.caution else None
                row.title = await self._seals.title.seal(row.id, proposal.title)
                row.evidence = await self._seals.evidence.seal(row.id, _evidence_json(proposal.evidence))
                row.matter_id, row.updated_at = matter_id, now
                session.add(row)
            stale = [row.id for key, row in known.items() if key not in keys and row.status == "proposed"]
            if stale:
                await session.exec(delete(DeadlineRow).where(col(DeadlineRow.id).in_(stale)))

    async def add(self, new: NewDeadline) -> Deadline:
        now, who = utc_now(), caller()
        row = DeadlineRow(
            id=str(uuid.uuid4()), matter_id=new.matter_id, source=new.source, kind=new.kind, status="open",
            due=new.due, trigger=new.trigger, how=new.how, title="", created_at=now, created_by=who,
            updated_at=now, updated_by=who,
        )  # fmt: skip
        row.title = await self._seals.title.seal(row.id, new.title)
        if new.note:
            row.note = await self._seals.note.seal(row.id, new.note)
        async with self._database.transaction() as session:
            session.add(row)
        return await self.view(row)

    async def set_status(
        self, deadline_id: str, status: Status, note: str | None, *, only_from: str | None = None
    ) -> Deadline:
        async with self._database.transaction() as session:
            row = await session.get(DeadlineRow, deadline_id)
            if row is None:
                raise NotFoundError(f"no deadline {deadline_id}")
            if only_from is not None and row.status != only_from:
                raise ConflictError(f"deadline {deadline_id} is {row.status}, not {only_from}")
            row.status, row.updated_at, row.updated_by = status, utc_now(), caller()
            if note:
                row.note = await self._seals.note.seal(row.id, note)
            session.add(row)
        return await self.view(row)

    async def page(self, window: Window, offset: int, limit: int) -> tuple[list[DeadlineRow], int, int]:
        """A page of the window's deadlines (overdue ones first, then by due day), their total, and how many are
        overdue."""
        in_window = (col(DeadlineRow.due) >= window.start) & (col(DeadlineRow.due) <= window.end)
        in_window &= col(DeadlineRow.status).in_(list(window.statuses))
        overdue = (col(DeadlineRow.due) < window.overdue_before) & (col(DeadlineRow.status) == "open") \
            if window.overdue_before is not None else None  # fmt: skip
        shown = in_window | overdue if overdue is not None else in_window
        scope: list[ColumnElement[bool]] = []
        if window.matter_id is not None:
            scope.append(col(DeadlineRow.matter_id) == window.matter_id)
        if window.document_id is not None:
            scope.append(col(DeadlineRow.document_id) == window.document_id)
        async with self._database.session() as session:
            rows = (
                await session.exec(
                    select(DeadlineRow).where(shown, *scope)
                    .order_by(col(DeadlineRow.due), col(DeadlineRow.id)).offset(offset).limit(limit)
                )
            ).all()  # fmt: skip
            total = (await session.exec(select(func.count()).select_from(DeadlineRow).where(shown, *scope))).one()
            late = 0
            if overdue is not None:
                late = (await session.exec(select(func.count()).select_from(DeadlineRow).where(overdue, *scope))).one()
        return list(rows), int(total), int(late)

    async def matter_rows(self, matter_id: str | None, statuses: Sequence[Status]) -> list[DeadlineRow]:
        """Every deadline of a matter (or the firm) in these statuses, by due day: the calendar export's."""
        scope: list[ColumnElement[bool]] = [col(DeadlineRow.status).in_(list(statuses))]
        if matter_id is not None:
            scope.append(col(DeadlineRow.matter_id) == matter_id)
        async with self._database.session() as session:
            rows = await session.exec(
                select(DeadlineRow).where(*scope).order_by(col(DeadlineRow.due), col(DeadlineRow.id))
            )
            return list(rows.all())

    async def completed_by(self, user: str, since: dt.datetime, until: dt.datetime) -> list[tuple[DeadlineRow, str]]:
        """The deadlines `user` last changed by completing them within [since, until), with their titles."""
        async with self._database.session() as session:
            rows = await session.exec(
                select(DeadlineRow).where(
                    col(DeadlineRow.status) == "completed", col(DeadlineRow.updated_by) == user,
                    col(DeadlineRow.updated_at) >= since, col(DeadlineRow.updated_at) < until,
                ).order_by(col(DeadlineRow.updated_at), col(DeadlineRow.id))
            )  # fmt: skip
            found = list(rows.all())
        return [(row, await self._seals.title.open(row.id, row.title)) for row in found]

    async def view(self, row: DeadlineRow, matter: str | None = None) -> Deadline:
        evidence = json.loads(await self._seals.evidence.open(row.id, row.evidence)) if row.evidence else []
        return Deadline(
            id=row.id,
            title=await self._seals.title.open(row.id, row.title),
            due=row.due,
            kind=row.kind,
            status=row.status,
            source=row.source,
            matter_id=row.matter_id,
            matter=matter,
            document_id=row.document_id,
            trigger=row.trigger,
            how=row.how,
            caution=row.caution,
            evidence=[Quote(document_id=row.document_id or "", **item) for item in evidence],
            note=await self._seals.note.open(row.id, row.note) if row.note else None,
        )


def _evidence_json(evidence: Sequence[Evidence]) -> str:
    return json.dumps([{"page": item.page, "quote": item.quote, "role": item.role} for item in evidence])

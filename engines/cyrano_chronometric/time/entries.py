"""The time entries table: entries added (one, or an import's all at once), changed, deleted and read back.

Every write holds a timekeeper's day to 24 hours, counted in the same transaction that stores the entry, and
checks the matter is open there too (the matter's row is held until the work commits).
"""

import datetime as dt
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_chronometric.docket import caller
from cyrano_chronometric.time.models import MAX_TENTHS, Entry
from cyrano_chronometric.time.tables import TimeEntryRow
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import (
    ConflictError,
    Database,
    InvalidInputError,
    NotFoundError,
    SealedColumnIndex,
    SealedField,
    utc_now,
)


def narrative_terms(narrative: str) -> tuple[str]:
    """A narrative as one term, whatever its case and spacing: what tells an imported row it was stored before."""
    return (" ".join(unicodedata.normalize("NFKC", narrative).casefold().split()),)


@dataclass(frozen=True)
class NewEntry:
    user: str
    matter_id: str
    day: dt.date
    tenths: int
    narrative: str
    billable: bool
    source: str
    proposal_id: str | None = None
    provenance: str | None = None  # JSON of the evidence, sealed when stored


@dataclass(frozen=True)
class Scope:
    """Which entries a listing reads: one timekeeper's (or everyone's, user None), a matter's, a period's."""

    start: dt.date
    end: dt.date
    user: str | None
    matter_id: str | None = None
    billable: bool | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found = [col(TimeEntryRow.day) >= self.start, col(TimeEntryRow.day) <= self.end]
        if self.user is not None:
            found.append(col(TimeEntryRow.username) == self.user)
        if self.matter_id is not None:
            found.append(col(TimeEntryRow.matter_id) == self.matter_id)
        if self.billable is not None:
            found.append(col(TimeEntryRow.billable) == self.billable)
        return found


Fingerprint = tuple[str, str, dt.date, int, str]  # user, matter, day, tenths, "<key version>:<narrative token>"


class EntryStore:
    def __init__(
        self, database: Database, narrative: SealedColumnIndex, provenance: SealedField, matters: MattersReader
    ) -> None:
        self._database = database
        self._narrative = narrative
        self._provenance = provenance
        self._matters = matters

    async def add(self, entries: Sequence[NewEntry]) -> list[TimeEntryRow]:
        """Store the entries in one transaction, or none: `invalid_input` if a day would pass 24 hours, `conflict`
        if a proposal was accepted before."""
        now, who = utc_now(), caller()
        rows: list[TimeEntryRow] = []
        try:
            async with self._database.transaction() as session:
                await self._add(session, entries, now, who, rows)
        except IntegrityError:
            # Only the unique proposal index can refuse here: a second acceptance raced the first.
            raise ConflictError("this proposal was accepted meanwhile; nothing was stored") from None
        return rows

    async def _add(
        self, session: AsyncSession, entries: Sequence[NewEntry], now: dt.datetime, who: str | None,
        rows: list[TimeEntryRow],
    ) -> None:  # fmt: skip
        for matter_id in sorted({entry.matter_id for entry in entries}):
            await self._matters.ensure_open(matter_id, session=session)
        added: Counter[tuple[str, dt.date]] = Counter()
        for entry in entries:
            added[(entry.user, entry.day)] += entry.tenths
        for (user, day), tenths in added.items():
            await _hold_day(session, user, day, tenths, except_id=None)
        for entry in entries:
            row = TimeEntryRow(
                id=str(uuid.uuid4()), username=entry.user, matter_id=entry.matter_id, day=entry.day,
                tenths=entry.tenths, billable=entry.billable, source=entry.source, narrative="",
                proposal_id=entry.proposal_id, created_at=now, created_by=who, updated_at=now, updated_by=who,
            )  # fmt: skip
            for column, value in (await self._narrative.store(row.id, entry.narrative)).items():
                setattr(row, column, value)
            if entry.provenance is not None:
                row.provenance = await self._provenance.seal(row.id, entry.provenance)
            session.add(row)
            rows.append(row)

    async def change(self, entry_id: str, changes: dict[str, object], narrative: str | None) -> TimeEntryRow:
        async with self._database.transaction() as session:
            row = await session.get(TimeEntryRow, entry_id)
            if row is None:
                raise NotFoundError(f"no time entry {entry_id}")
            for name, value in changes.items():
                setattr(row, name, value)
            if "matter_id" in changes:
                await self._matters.ensure_open(row.matter_id, session=session)
            await _hold_day(session, row.username, row.day, row.tenths, except_id=row.id)
            if narrative is not None:
                for column, value in (await self._narrative.store(row.id, narrative)).items():
                    setattr(row, column, value)
            row.updated_at, row.updated_by = utc_now(), caller()
            session.add(row)
        return row

    async def remove(self, entry_id: str) -> bool:
        async with self._database.transaction() as session:
            result = await session.exec(delete(TimeEntryRow).where(col(TimeEntryRow.id) == entry_id))
            return bool(result.rowcount)

    async def page(self, scope: Scope, offset: int, limit: int) -> tuple[list[TimeEntryRow], int, int, int]:
        """A page of the scope's entries by day, and over all pages their count, tenths and billable tenths."""
        conditions = scope.conditions()
        billable_tenths = func.sum(TimeEntryRow.tenths).filter(col(TimeEntryRow.billable))
        async with self._database.session() as session:
            rows = await session.exec(
                select(TimeEntryRow).where(*conditions)
                .order_by(col(TimeEntryRow.day), col(TimeEntryRow.created_at), col(TimeEntryRow.id))
                .offset(offset).limit(limit)
            )  # fmt: skip
            count, tenths, billable = (
                await session.exec(
                    select(func.count(), func.sum(TimeEntryRow.tenths), billable_tenths).where(*conditions)
                )
            ).one()
            return list(rows.all()), int(count), int(tenths or 0), int(billable or 0)

    async def all_of(self, scope: Scope) -> list[TimeEntryRow]:
        async with self._database.session() as session:
            rows = await session.exec(
                select(TimeEntryRow).where(*scope.conditions()).order_by(col(TimeEntryRow.day), col(TimeEntryRow.id))
            )
            return list(rows.all())

    async def tenths_by_day(self, user: str, start: dt.date, end: dt.date) -> dict[dt.date, int]:
        scope = Scope(start, end, user)
        async with self._database.session() as session:
            found = await session.exec(
                select(col(TimeEntryRow.day), func.sum(col(TimeEntryRow.tenths)))
                .where(*scope.conditions())
                .group_by(col(TimeEntryRow.day))
            )
            return {day: int(tenths) for day, tenths in found.all()}

    async def stored_fingerprints(self, users: Iterable[str], start: dt.date, end: dt.date) -> Counter[Fingerprint]:
        """How many entries of these timekeepers in the period have each fingerprint. The narrative's token is
        the one of the key version the row was built with (a key rotation leaves older rows on theirs)."""
        found: Counter[Fingerprint] = Counter()
        async with self._database.session() as session:
            rows = await session.exec(
                select(TimeEntryRow).where(col(TimeEntryRow.username).in_(sorted(set(users))),
                                           col(TimeEntryRow.day) >= start, col(TimeEntryRow.day) <= end)
            )  # fmt: skip
            for row in rows.all():
                token = f"{row.narrative_key_version}:{row.narrative_token}"
                found[(row.username, row.matter_id, row.day, row.tenths, token)] += 1
        return found

    async def narrative_tokens(self, narrative: str, versions: Iterable[int]) -> list[str]:
        """The narrative's token under each key version, as `stored_fingerprints` spells them."""
        found = []
        for version in sorted(set(versions)):
            key = await self._narrative.blind.version(version)
            if key is not None:
                found.append(f"{version}:" + " ".join(key.token(term) for term in narrative_terms(narrative)))
        return found

    async def view(self, row: TimeEntryRow) -> Entry:
        return Entry(
            id=row.id, user=row.username, matter_id=row.matter_id, date=row.day, hours=row.tenths / 10,
            billable=row.billable, narrative=await self._narrative.sealed.open(row.id, row.narrative),
            source=row.source, proposal_id=row.proposal_id,
        )  # fmt: skip

    async def by_proposal(self, proposal_id: str) -> TimeEntryRow | None:
        async with self._database.session() as session:
            found = await session.exec(select(TimeEntryRow).where(col(TimeEntryRow.proposal_id) == proposal_id))
            return found.first()

    async def matters_by_day(self, user: str, start: dt.date, end: dt.date) -> set[tuple[dt.date, str]]:
        """The (day, matter) pairs the timekeeper recorded time on: work already billed, not to propose again."""
        async with self._database.session() as session:
            found = await session.exec(
                select(col(TimeEntryRow.day), col(TimeEntryRow.matter_id)).where(*Scope(start, end, user).conditions())
            )
            return {(day, matter_id) for day, matter_id in found.all()}

    async def narrative(self, row: TimeEntryRow) -> str:
        return await self._narrative.sealed.open(row.id, row.narrative)


async def _hold_day(session: AsyncSession, user: str, day: dt.date, adding: int, *, except_id: str | None) -> None:
    """Refuse the write when the timekeeper's day would hold more than 24 hours."""
    query = select(func.sum(TimeEntryRow.tenths)).where(
        col(TimeEntryRow.username) == user, col(TimeEntryRow.day) == day
    )
    if except_id is not None:
        query = query.where(col(TimeEntryRow.id) != except_id)
    held = int((await session.exec(query)).one() or 0)
    if held + adding > MAX_TENTHS:
        raise InvalidInputError(
            f"hours: {user} would have {(held + adding) / 10:.1f} hours on {day.isoformat()}, more than 24 in a day "
            f"({held / 10:.1f} recorded already); nothing was stored"
        )

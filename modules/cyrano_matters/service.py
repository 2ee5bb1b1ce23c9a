"""The matters service: create, read, list, update, close and reopen a matter."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_matters.models import (
    Matter,
    MatterClose,
    MatterCreate,
    MatterGet,
    MatterListQuery,
    MatterPage,
    MatterRecord,
    MatterReopen,
    MatterStatus,
    MatterUpdate,
)
from cyrano_matters.seals import MatterSeals
from cyrano_mcp.kit import (
    NOT_ISSUED,
    ConflictError,
    Database,
    InvalidInputError,
    NotFoundError,
    issue_cursor,
    read_cursor,
    utc_now,
)

_ORDER_COLUMNS: dict[str, Any] = {
    "opened_on": Matter.opened_on,
    "updated_at": Matter.updated_at,
    "client_name": Matter.client_name,
    "title": Matter.title,
}


class MattersService:
    def __init__(self, database: Database, seals: MatterSeals) -> None:
        self._database = database
        self._notes = seals.notes
        self._attorney = seals.responsible_attorney

    async def _record(self, matter: Matter) -> MatterRecord:
        return MatterRecord.of(
            matter,
            notes=await self._notes.open(matter.id, matter.notes),
            responsible_attorney=await self._attorney.open(matter.id, matter.responsible_attorney),
        )

    async def create(self, data: MatterCreate) -> MatterRecord:
        now = utc_now()
        matter_id = str(uuid.uuid4())
        matter = Matter(
            id=matter_id,
            reference=data.reference,
            client_name=data.client_name,
            title=data.title,
            practice_area=data.practice_area,
            status=MatterStatus.OPEN,
            opened_on=data.opened_on or date.today(),
            **await self._attorney.store(matter_id, data.responsible_attorney),
            notes=await self._notes.seal(matter_id, data.notes),
            version=1,
            created_at=now,
            updated_at=now,
        )
        async with self._database.transaction() as session:
            if data.reference is not None:
                await self._refuse_taken_reference(session, data.reference, matter.id)
            session.add(matter)
        return MatterRecord.of(matter, notes=data.notes, responsible_attorney=data.responsible_attorney)

    async def get(self, request: MatterGet) -> MatterRecord:
        return await self.find(request.matter_id)

    # --- MattersReader: what other engines use ---------------------------------------------------------
    async def find(self, matter_id: str) -> MatterRecord:
        async with self._database.session() as session:
            matter = await self._load(session, matter_id)
        return await self._record(matter)

    async def ensure_open(self, matter_id: str, *, session: AsyncSession | None = None) -> None:
        if session is not None:
            # FOR SHARE (PostgreSQL): a close waits for the caller's unit of work; other readers do not.
            await self._require_open(session, matter_id, share_lock=True)
            return
        async with self._database.session() as own:
            await self._require_open(own, matter_id)

    async def open_ids(self) -> list[str]:
        async with self._database.session() as session:
            found = await session.exec(
                select(col(Matter.id))
                .where(col(Matter.status) == MatterStatus.OPEN)
                .order_by(col(Matter.opened_on), col(Matter.id))
            )
            return list(found.all())

    async def _require_open(self, session: AsyncSession, matter_id: str, *, share_lock: bool = False) -> Matter:
        statement = select(Matter).where(Matter.id == matter_id)
        if share_lock:
            statement = statement.with_for_update(read=True)
        matter = (await session.exec(statement)).first()
        if matter is None:
            raise NotFoundError(f"no matter has id {matter_id}")
        if matter.status != MatterStatus.OPEN:
            raise ConflictError(f"matter {matter_id} is closed; reopen it first")
        return matter

    async def list(self, query: MatterListQuery) -> MatterPage:
        order_column = _ORDER_COLUMNS[query.order_by]
        after_cursor = []
        if query.cursor is not None:
            value, last_id = _decode_cursor(query.cursor, query)
            keys = tuple_(order_column, Matter.id)
            after_cursor.append(keys < tuple_(value, last_id) if query.descending else keys > tuple_(value, last_id))
        ordering = (
            (order_column.desc(), col(Matter.id).desc()) if query.descending else (order_column.asc(), col(Matter.id))
        )
        async with self._database.session() as session:
            filters = _filters(query)
            if query.responsible_attorney is not None:  # sealed: found through its blind index
                filters.append(await self._attorney.matching(session, query.responsible_attorney))
            total = (await session.exec(select(func.count()).select_from(Matter).where(*filters))).one()
            rows = (
                await session.exec(
                    select(Matter).where(*filters, *after_cursor).order_by(*ordering).limit(query.limit + 1)
                )
            ).all()
        items = [await self._record(row) for row in rows[: query.limit]]
        next_cursor = _encode_cursor(rows[query.limit - 1], query) if len(rows) > query.limit else None
        return MatterPage(items=items, total=total, next_cursor=next_cursor)

    async def update(self, data: MatterUpdate) -> MatterRecord:
        changes = data.changes()
        async with self._database.transaction() as session:
            matter = await self._load(session, data.matter_id, for_update=True)
            _check_version(matter, data.expected_version)
            if matter.status == MatterStatus.CLOSED:
                raise ConflictError(f"matter {matter.id} is closed; reopen it before changing it")
            if changes.get("reference") is not None and changes["reference"] != matter.reference:
                await self._refuse_taken_reference(session, str(changes["reference"]), matter.id)
            for name, value in changes.items():
                if name == "notes":
                    matter.notes = await self._notes.seal(matter.id, str(value))
                elif name == "responsible_attorney":
                    stored = await self._attorney.store(matter.id, None if value is None else str(value))
                    for column, sealed in stored.items():
                        setattr(matter, column, sealed)
                else:
                    setattr(matter, name, value)
            _touch(matter)
            session.add(matter)
        return await self._record(matter)

    async def close(self, data: MatterClose) -> MatterRecord:
        closed_on = data.closed_on or date.today()
        async with self._database.transaction() as session:
            matter = await self._load(session, data.matter_id, for_update=True)
            _check_version(matter, data.expected_version)
            if matter.status == MatterStatus.CLOSED:
                raise ConflictError(f"matter {matter.id} was already closed on {matter.closed_on}")
            if closed_on < matter.opened_on:
                raise InvalidInputError(f"closed_on {closed_on} is before the matter was opened ({matter.opened_on})")
            matter.status = MatterStatus.CLOSED
            matter.closed_on = closed_on
            if data.closing_note:
                notes = await self._notes.open(matter.id, matter.notes)
                separator = "\n\n" if notes else ""
                closing = f"{notes}{separator}[closed {closed_on.isoformat()}] {data.closing_note}"
                matter.notes = await self._notes.seal(matter.id, closing)
            _touch(matter)
            session.add(matter)
        return await self._record(matter)

    async def reopen(self, data: MatterReopen) -> MatterRecord:
        async with self._database.transaction() as session:
            matter = await self._load(session, data.matter_id, for_update=True)
            _check_version(matter, data.expected_version)
            if matter.status == MatterStatus.OPEN:
                raise ConflictError(f"matter {matter.id} is already open")
            matter.status = MatterStatus.OPEN
            matter.closed_on = None
            _touch(matter)
            session.add(matter)
        return await self._record(matter)

    # --- helpers ------------------------------------------------------------------------------
    async def _load(self, session: AsyncSession, matter_id: str, *, for_update: bool = False) -> Matter:
        statement = select(Matter).where(Matter.id == matter_id)
        if for_update:
            statement = statement.with_for_update()
        matter = (await session.exec(statement)).first()
        if matter is None:
            raise NotFoundError(f"no matter has id {matter_id}")
        return matter

    async def _refuse_taken_reference(self, session: AsyncSession, reference: str, own_id: str) -> None:
        holder = (await session.exec(select(Matter.id).where(Matter.reference == reference))).first()
        if holder is not None and holder != own_id:
            raise ConflictError(f"reference {reference!r} is already used by matter {holder}")


def _touch(matter: Matter) -> None:
    matter.version += 1
    matter.updated_at = utc_now()


def _check_version(matter: Matter, expected: int | None) -> None:
    if expected is not None and matter.version != expected:
        raise ConflictError(
            f"matter {matter.id} changed since version {expected} (it is now at version {matter.version}); "
            "read it again and retry"
        )


def _filters(query: MatterListQuery) -> list[ColumnElement[bool]]:
    """The conditions on plaintext columns (the attorney, sealed, is matched by its blind index)."""
    filters: list[ColumnElement[bool]] = []
    if query.status is not None:
        filters.append(col(Matter.status) == query.status.value)
    if query.client is not None:
        filters.append(func.lower(Matter.client_name).contains(query.client.lower(), autoescape=True))
    if query.practice_area is not None:
        filters.append(func.lower(Matter.practice_area) == query.practice_area.lower())
    if query.query is not None:
        filters.extend(
            or_(
                func.lower(Matter.title).contains(word, autoescape=True),
                func.lower(Matter.client_name).contains(word, autoescape=True),
                func.lower(func.coalesce(Matter.reference, "")).contains(word, autoescape=True),
            )
            for word in query.query.lower().split()
        )
    if query.opened_from is not None:
        filters.append(col(Matter.opened_on) >= query.opened_from)
    if query.opened_to is not None:
        filters.append(col(Matter.opened_on) <= query.opened_to)
    return [and_(*filters)] if filters else []


def _encode_cursor(last: Matter, query: MatterListQuery) -> str:
    value = getattr(last, query.order_by)
    if isinstance(value, date | datetime):
        value = value.isoformat()
    return issue_cursor({"o": query.order_by, "d": query.descending, "v": value, "id": last.id})


def _decode_cursor(cursor: str, query: MatterListQuery) -> tuple[Any, str]:
    position = read_cursor(cursor)
    if position.get("o") != query.order_by or position.get("d") != query.descending:
        raise InvalidInputError("cursor: it belongs to a listing with a different order; start again without it")
    value: Any = position.get("v")
    last_id = position.get("id")
    if not isinstance(last_id, str):
        raise InvalidInputError(NOT_ISSUED)
    try:
        if query.order_by == "opened_on":
            value = date.fromisoformat(value)
        elif query.order_by == "updated_at":
            value = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInputError(NOT_ISSUED) from None
    return value, last_id

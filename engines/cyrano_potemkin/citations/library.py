"""The firm's library of authorities: citations it has checked, each under its case name.

Adding is idempotent: the same citation under the same case name answers the stored entry (`already_stored`);
under another case name it is a ConflictError, since one citation names one case (remove the wrong entry first).
A citation is accepted only when it reads as one case or statute citation that can exist (not malformed or
impossible), and is stored in its normalised form so that the text's spelling ("U. S.", "U.S.") does not matter.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic.operations import Operations
from sqlalchemy import Column, Index, Text, func
from sqlmodel import Field, SQLModel, col, select

from cyrano_mcp.kit import (
    ConflictError,
    Database,
    InvalidInputError,
    NotFoundError,
    SealedField,
    UTCDateTime,
    cursor_index,
    issue_cursor,
    read_cursor,
    utc_now,
)
from cyrano_potemkin.citations.check import KnownAuthority, citation_key
from cyrano_potemkin.citations.models import (
    Authority,
    AuthorityAdd,
    AuthorityAdded,
    AuthorityListRequest,
    AuthorityPage,
    AuthorityRemove,
    AuthorityRemoved,
)
from cyrano_potemkin.citations.reading import read_citations
from cyrano_potemkin.citations.structure import problem_of


class AuthorityRow(SQLModel, table=True):
    __tablename__ = "potemkin_authorities"
    __table_args__ = (Index("ix_potemkin_authorities_created_at", "created_at", "id"),)

    id: str = Field(primary_key=True, max_length=36)
    citation_key: str = Field(max_length=200, unique=True)
    citation: str = Field(max_length=200)
    case_name: str = Field(max_length=300)
    court: str | None = Field(default=None, max_length=100)
    year: int | None = None
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # sealed
    created_at: datetime = Field(sa_type=UTCDateTime)


def create_authorities_table(op: Operations) -> None:
    """The schema step of the library: one row per citation, found by its key, listed oldest first."""
    op.create_table(
        "potemkin_authorities",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("citation_key", sa.String(200), nullable=False, unique=True),
        sa.Column("citation", sa.String(200), nullable=False),
        sa.Column("case_name", sa.String(300), nullable=False),
        sa.Column("court", sa.String(100), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),  # sealed
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_potemkin_authorities_created_at", "potemkin_authorities", ["created_at", "id"])


class AuthoritiesLibrary:
    def __init__(self, database: Database, note: SealedField) -> None:
        self._database = database
        self._note = note

    async def add(self, request: AuthorityAdd) -> AuthorityAdded:
        normalized = _normalised_citation(request.citation, request.year)
        key = citation_key(normalized)
        async with self._database.transaction() as session:
            stored = (await session.exec(select(AuthorityRow).where(AuthorityRow.citation_key == key))).first()
            if stored is not None:
                if stored.case_name.casefold() != request.case_name.casefold():
                    raise ConflictError(
                        f"citation: {normalized} is already in the library as {stored.case_name} "
                        f"(authority {stored.id}); remove that entry first if it is wrong"
                    )
                return AuthorityAdded(authority=await self._authority(stored), already_stored=True)
            row = AuthorityRow(
                id=str(uuid.uuid4()),
                citation_key=key,
                citation=normalized,
                case_name=" ".join(request.case_name.split()),
                court=request.court,
                year=request.year,
                created_at=utc_now(),
            )
            if request.note is not None:
                row.note = await self._note.seal(row.id, request.note)
            session.add(row)
        return AuthorityAdded(authority=await self._authority(row, note=request.note), already_stored=False)

    async def page(self, request: AuthorityListRequest) -> AuthorityPage:
        offset = 0 if request.cursor is None else cursor_index(read_cursor(request.cursor), "o")
        async with self._database.session() as session:
            total = (await session.exec(select(func.count()).select_from(AuthorityRow))).one()
            rows = (
                await session.exec(
                    select(AuthorityRow)
                    .order_by(col(AuthorityRow.created_at), col(AuthorityRow.id))
                    .offset(offset)
                    .limit(request.limit)
                )
            ).all()
        following = offset + len(rows)
        return AuthorityPage(
            authorities=[await self._authority(row) for row in rows],
            total=total,
            next_cursor=issue_cursor({"o": following}) if following < total else None,
        )

    async def remove(self, request: AuthorityRemove) -> AuthorityRemoved:
        async with self._database.transaction() as session:
            row = await session.get(AuthorityRow, request.authority_id)
            if row is None:
                raise NotFoundError(f"no authority has id {request.authority_id}")
            removed = await self._authority(row)
            await session.delete(row)
        return AuthorityRemoved(removed=removed)

    async def known(self) -> list[KnownAuthority]:
        async with self._database.session() as session:
            rows = (await session.exec(select(AuthorityRow))).all()
        return [KnownAuthority(row.citation, row.case_name, "library", "library") for row in rows]

    async def _authority(self, row: AuthorityRow, *, note: str | None = None) -> Authority:
        if note is None and row.note is not None:
            note = await self._note.open(row.id, row.note)
        return Authority(
            id=row.id,
            citation=row.citation,
            case_name=row.case_name,
            court=row.court,
            year=row.year,
            note=note,
            added_at=row.created_at,
        )


def _normalised_citation(citation: str, year: int | None) -> str:
    """The one case or statute citation `citation` holds, normalised; a typed error for anything else."""
    read = [item for item in read_citations(citation) if item.kind in ("case", "law")]
    if len(read) != 1:
        raise InvalidInputError('citation: give one case or statute citation, e.g. "347 U.S. 483"')
    read[0].year = year or read[0].year
    problem = problem_of(read[0])
    if problem is not None:
        raise InvalidInputError(f"citation: {problem.status}: {problem.reason}")
    if not read[0].editions:
        raise InvalidInputError(f"citation: {read[0].reporter} is not written as reporters-db knows it")
    return read[0].normalized

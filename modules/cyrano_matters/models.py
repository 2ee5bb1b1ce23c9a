"""Matters: the table, and the models its tools take and return."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field as PydanticField
from pydantic import StringConstraints, model_validator
from sqlalchemy import Column, Index, Text, func, text
from sqlmodel import Field, SQLModel

from cyrano_mcp.kit import NULL_CLEARS, ToolInput, ToolOutput, UTCDateTime, UuidText, id_field, uuid_of

_MATTER_SOURCE = "matters_create and matters_list"
MatterId = Annotated[UuidText, uuid_of("matter", _MATTER_SOURCE), id_field("matter", _MATTER_SOURCE)]
ClientName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
PracticeArea = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\w./#:-]+$")]
PersonName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Notes = Annotated[str, StringConstraints(max_length=20_000)]


class MatterStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Matter(SQLModel, table=True):
    __tablename__ = "matters"
    __table_args__ = (
        Index("ix_matters_status_opened_on", "status", "opened_on"),
        Index("ix_matters_updated_at", "updated_at"),
        Index("ix_matters_title", "title"),
        # matters_list compares it case-insensitively.
        Index("ix_matters_lower_practice_area", func.lower(text("practice_area"))),
    )

    id: str = Field(primary_key=True, max_length=36)
    reference: str | None = Field(default=None, max_length=64, unique=True)
    client_name: str = Field(max_length=200, index=True)
    title: str = Field(max_length=300)
    practice_area: str = Field(max_length=100, index=True)
    status: str = Field(max_length=16)
    opened_on: date = Field(index=True)
    closed_on: date | None = Field(default=None)
    # Sealed, like notes (see modules/cyrano_matters/seals.py); matters_list finds an attorney by the blind token.
    responsible_attorney: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    responsible_attorney_token: str | None = Field(default=None, max_length=12, index=True)
    responsible_attorney_key_version: int | None = Field(default=None, index=True)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    version: int = Field(default=1)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class MatterRecord(ToolOutput):
    id: str
    reference: str | None
    client_name: str
    title: str
    practice_area: str
    status: MatterStatus
    opened_on: date
    closed_on: date | None
    responsible_attorney: str | None
    notes: str
    version: int = PydanticField(description="Increases on every change; pass it as expected_version to update safely.")
    created_at: datetime
    updated_at: datetime
    uri: str = PydanticField(description="The matter as an MCP resource.")

    @classmethod
    def of(cls, matter: Matter, *, notes: str, responsible_attorney: str | None) -> "MatterRecord":
        """`notes` and `responsible_attorney` are the opened (decrypted) values; the row holds them sealed."""
        return cls(
            id=matter.id,
            reference=matter.reference,
            client_name=matter.client_name,
            title=matter.title,
            practice_area=matter.practice_area,
            status=MatterStatus(matter.status),
            opened_on=matter.opened_on,
            closed_on=matter.closed_on,
            responsible_attorney=responsible_attorney,
            notes=notes,
            version=matter.version,
            created_at=matter.created_at,
            updated_at=matter.updated_at,
            uri=f"cyrano://matters/{matter.id}",
        )


class MatterCreate(ToolInput):
    client_name: ClientName = PydanticField(description="The client, as the firm names them.")
    title: Title = PydanticField(description="A short title, e.g. 'Acme v. Widget Co. - breach of supply contract'.")
    practice_area: PracticeArea = PydanticField(description="e.g. litigation, real estate, employment, estates.")
    reference: Reference | None = PydanticField(default=None, description="The firm's own matter number; unique.")
    responsible_attorney: PersonName | None = None
    opened_on: date | None = PydanticField(default=None, description="Defaults to today.")
    notes: Notes = ""


class MatterGet(ToolInput):
    matter_id: MatterId


OrderBy = Literal["opened_on", "updated_at", "client_name", "title"]


class MatterListQuery(ToolInput):
    status: MatterStatus | None = PydanticField(default=None, description="Only open or only closed matters.")
    client: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = PydanticField(
        default=None, description="Part of the client's name (case-insensitive)."
    )
    practice_area: PracticeArea | None = PydanticField(default=None, description="Exact practice area (any case).")
    responsible_attorney: PersonName | None = PydanticField(
        default=None, description="The attorney's name as stored (any case, any spacing)."
    )
    query: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = PydanticField(
        default=None, description="Words found in the title, client name or reference (case-insensitive)."
    )
    opened_from: date | None = None
    opened_to: date | None = None
    order_by: OrderBy = "opened_on"
    descending: bool = True
    limit: int = PydanticField(default=10, ge=1, le=100, description="Matters per page (10 fit a model's context).")
    cursor: Annotated[str, StringConstraints(max_length=512)] | None = PydanticField(
        default=None, description="next_cursor from the previous page."
    )

    @model_validator(mode="after")
    def _range(self) -> "MatterListQuery":
        if self.opened_from and self.opened_to and self.opened_from > self.opened_to:
            raise ValueError("opened_from is after opened_to")
        return self


class MatterPage(ToolOutput):
    items: list[MatterRecord]
    total: int = PydanticField(description="How many matters match the filters, over all pages.")
    next_cursor: str | None = PydanticField(description="Pass as cursor to get the next page; null on the last.")


class MatterUpdate(ToolInput):
    matter_id: MatterId
    expected_version: int | None = PydanticField(
        default=None, ge=1, description="Refuse the update if the matter changed since this version."
    )
    client_name: ClientName | None = None
    title: Title | None = None
    practice_area: PracticeArea | None = None
    reference: Reference | None = PydanticField(
        default=None, description="Pass null to clear it.", json_schema_extra=NULL_CLEARS
    )
    responsible_attorney: PersonName | None = PydanticField(
        default=None, description="Pass null to clear it.", json_schema_extra=NULL_CLEARS
    )
    opened_on: date | None = None
    notes: Notes | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> "MatterUpdate":
        changes = self.changes()
        if not changes:
            raise ValueError("give at least one field to change")
        for required in ("client_name", "title", "practice_area", "opened_on", "notes"):
            if required in changes and changes[required] is None:
                raise ValueError(f"{required} cannot be null")
        return self

    def changes(self) -> dict[str, object]:
        return {
            name: getattr(self, name) for name in self.model_fields_set if name not in ("matter_id", "expected_version")
        }


class MatterClose(ToolInput):
    matter_id: MatterId
    closed_on: date | None = PydanticField(default=None, description="Defaults to today.")
    closing_note: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = PydanticField(
        default=None, description="Appended to the matter's notes."
    )
    expected_version: int | None = PydanticField(default=None, ge=1)


class MatterReopen(ToolInput):
    matter_id: MatterId
    expected_version: int | None = PydanticField(default=None, ge=1)

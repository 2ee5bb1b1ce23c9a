"""The time entries and the work profiles, and the schema step that creates them.

An entry's narrative is sealed (it describes client work); beside it a blind token of the whole narrative lets an
import recognise a row it stored before without reading any narrative. User, matter, day, hours (in tenths) and
the billable flag stay plain, so a day's total and a period's listing are indexed queries.
"""

import datetime as dt

import sqlalchemy as sa
from alembic.operations import Operations
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from cyrano_mcp.kit import UTCDateTime

ENTRIES = "chronometric_time_entries"
PROFILES = "chronometric_work_profiles"


class TimeEntryRow(SQLModel, table=True):
    __tablename__ = ENTRIES
    __table_args__ = (
        Index("ix_chronometric_time_entries_user_day", "username", "day"),
        Index("ix_chronometric_time_entries_matter_day", "matter_id", "day"),
        Index("ix_chronometric_time_entries_proposal_id", "proposal_id", unique=True),
    )

    id: str = Field(primary_key=True, max_length=36)
    username: str = Field(max_length=100)
    matter_id: str = Field(max_length=36)
    day: dt.date
    tenths: int  # hours x 10: 15 is 1.5 hours
    billable: bool
    source: str = Field(max_length=16)  # "manual", "import" or "reconstructed"
    narrative: str = Field(sa_column=Column(Text, nullable=False))  # sealed
    narrative_token: str | None = Field(default=None, max_length=12)
    narrative_key_version: int | None = Field(default=None, index=True)
    # A reconstructed entry's proposal (unique: a proposal is accepted once) and its evidence (sealed JSON).
    proposal_id: str | None = Field(default=None, max_length=40)
    provenance: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(sa_type=UTCDateTime)
    created_by: str | None = Field(default=None, max_length=100)
    updated_at: dt.datetime = Field(sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=100)


class WorkProfileRow(SQLModel, table=True):
    __tablename__ = PROFILES

    username: str = Field(primary_key=True, max_length=100)
    minimum_tenths: int
    weekdays: str = Field(max_length=40)  # "mon,tue,wed,thu,fri"
    jurisdiction: str | None = Field(default=None, max_length=12)
    leave_days: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of ISO dates
    emails: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON list of addresses
    timezone: str | None = Field(default=None, max_length=64)  # IANA; None: the engine's
    updated_at: dt.datetime = Field(sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=100)


def create_time_tables(op: Operations) -> None:
    op.create_table(
        ENTRIES,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("matter_id", sa.String(36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tenths", sa.Integer(), nullable=False),
        sa.Column("billable", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("narrative_token", sa.String(12), nullable=True),
        sa.Column("narrative_key_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
    )
    op.create_index("ix_chronometric_time_entries_user_day", ENTRIES, ["username", "day"])
    op.create_index("ix_chronometric_time_entries_matter_day", ENTRIES, ["matter_id", "day"])
    op.create_index("ix_chronometric_time_entries_narrative_key_version", ENTRIES, ["narrative_key_version"])
    op.create_table(
        PROFILES,
        sa.Column("username", sa.String(100), primary_key=True),
        sa.Column("minimum_tenths", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.String(40), nullable=False),
        sa.Column("jurisdiction", sa.String(12), nullable=True),
        sa.Column("leave_days", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
    )


def add_profile_emails(op: Operations) -> None:
    op.add_column(PROFILES, sa.Column("emails", sa.Text(), nullable=True))


def add_reconstruction(op: Operations) -> None:
    op.add_column(ENTRIES, sa.Column("proposal_id", sa.String(40), nullable=True))
    op.add_column(ENTRIES, sa.Column("provenance", sa.Text(), nullable=True))
    op.create_index("ix_chronometric_time_entries_proposal_id", ENTRIES, ["proposal_id"], unique=True)
    op.add_column(PROFILES, sa.Column("timezone", sa.String(64), nullable=True))

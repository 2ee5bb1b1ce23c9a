"""Chronometric's docket and the firm's rules, and the schema step that creates them.

A deadline's title, note and evidence are sealed (they quote client documents); its dates, kind, status and
matter stay plain, so the firm-wide docket is one indexed query.
"""

import datetime as dt

import sqlalchemy as sa
from alembic.operations import Operations
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from cyrano_mcp.kit import UTCDateTime


class DeadlineRow(SQLModel, table=True):
    __tablename__ = "chronometric_deadlines"
    __table_args__ = (
        Index("ix_chronometric_deadlines_status_due", "status", "due"),
        Index("ix_chronometric_deadlines_matter_due", "matter_id", "due"),
        Index("ix_chronometric_deadlines_source_key", "source_key", unique=True),
    )

    id: str = Field(primary_key=True, max_length=36)
    matter_id: str = Field(max_length=36)
    document_id: str | None = Field(default=None, max_length=36)
    source: str = Field(max_length=16)  # "document", "manual" or "rule"
    source_key: str | None = Field(default=None, max_length=200)  # a document's deadline: one row per cycle
    kind: str = Field(max_length=32)
    status: str = Field(max_length=16)  # "proposed", "open", "completed" or "dismissed"
    due: dt.date
    trigger: dt.date | None = None
    how: str | None = Field(default=None, max_length=500)  # the period and method: no client material
    caution: str | None = Field(default=None, max_length=500)
    title: str = Field(sa_column=Column(Text, nullable=False))  # sealed
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # sealed JSON of quotes
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # sealed
    created_at: dt.datetime = Field(sa_type=UTCDateTime)
    created_by: str | None = Field(default=None, max_length=100)
    updated_at: dt.datetime = Field(sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=100)


class RuleRow(SQLModel, table=True):
    __tablename__ = "chronometric_rules"

    name: str = Field(primary_key=True, max_length=80)
    title: str = Field(max_length=300)
    count: int
    unit: str = Field(max_length=8)
    method: str = Field(max_length=16)
    direction: str = Field(max_length=8)
    trigger: str = Field(max_length=200)
    jurisdiction: str | None = Field(default=None, max_length=12)
    updated_at: dt.datetime = Field(sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=100)


def create_docket_tables(op: Operations) -> None:
    op.create_table(
        "chronometric_deadlines",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("matter_id", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_key", sa.String(200), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("trigger", sa.Date(), nullable=True),
        sa.Column("how", sa.String(500), nullable=True),
        sa.Column("caution", sa.String(500), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
    )
    op.create_index("ix_chronometric_deadlines_status_due", "chronometric_deadlines", ["status", "due"])
    op.create_index("ix_chronometric_deadlines_matter_due", "chronometric_deadlines", ["matter_id", "due"])
    op.create_index("ix_chronometric_deadlines_source_key", "chronometric_deadlines", ["source_key"], unique=True)
    op.create_table(
        "chronometric_rules",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("trigger", sa.String(200), nullable=False),
        sa.Column("jurisdiction", sa.String(12), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
    )

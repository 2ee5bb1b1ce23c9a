"""Potemkin's alert tables and the schema step that creates them."""

from datetime import datetime

import sqlalchemy as sa
from alembic.operations import Operations
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from cyrano_mcp.kit import UTCDateTime


class AlertRow(SQLModel, table=True):
    __tablename__ = "potemkin_alerts"
    __table_args__ = (
        Index("ix_potemkin_alerts_status_created_at", "status", "created_at"),
        Index("ix_potemkin_alerts_fingerprint", "fingerprint"),
    )

    id: str = Field(primary_key=True, max_length=36)
    check_name: str = Field(max_length=32)
    outcome: str = Field(max_length=16)  # "breach", or "not_run": a check that could not run is never a pass
    subject: str = Field(max_length=200)  # what was checked: a matter, documents, a model and topic
    value: float
    threshold: float
    summary: str = Field(max_length=500)  # counts and ids only: no client material
    details: str = Field(sa_column=Column(Text, nullable=False))  # JSON, ids and counts only
    fingerprint: str = Field(max_length=64)  # the same result checked again raises no second alert
    status: str = Field(max_length=16)  # "open" or "acknowledged"
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str | None = Field(default=None, max_length=100)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: str | None = Field(default=None, max_length=100)
    ack_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # sealed
    webhook: str = Field(max_length=16)  # "off", "pending", "delivered" or "failed"


class ThresholdRow(SQLModel, table=True):
    __tablename__ = "potemkin_thresholds"

    check_name: str = Field(primary_key=True, max_length=32)
    threshold: float
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=100)


def create_alert_tables(op: Operations) -> None:
    op.create_table(
        "potemkin_alerts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("check_name", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(100), nullable=True),
        sa.Column("ack_reason", sa.Text(), nullable=True),
        sa.Column("webhook", sa.String(16), nullable=False),
    )
    op.create_index("ix_potemkin_alerts_status_created_at", "potemkin_alerts", ["status", "created_at"])
    op.create_index("ix_potemkin_alerts_fingerprint", "potemkin_alerts", ["fingerprint"])
    op.create_table(
        "potemkin_thresholds",
        sa.Column("check_name", sa.String(32), primary_key=True),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
    )

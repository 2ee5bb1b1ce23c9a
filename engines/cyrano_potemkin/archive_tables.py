"""The archive's tables: model answers kept for drift and bias checks, and the firm's probe questions.

What a model was asked and what it answered is client material: prompt, answer, topic and a probe's question
are sealed (`archive_seals`); the topic keeps a blind token beside it so listings can filter on it. The model's
name, the source and the times stay in clear: they are what periods and filters compare.
"""

from datetime import datetime

import sqlalchemy as sa
from alembic.operations import Operations
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from cyrano_mcp.kit import UTCDateTime

RECORDS = "potemkin_records"
PROBES = "potemkin_probes"


class ArchivedAnswer(SQLModel, table=True):
    __tablename__ = RECORDS
    __table_args__ = (
        Index("ix_potemkin_records_model_answered_at", "model", "answered_at"),
        Index("ix_potemkin_records_probe_id_answered_at", "probe_id", "answered_at"),
        Index("ix_potemkin_records_answered_at", "answered_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    model: str = Field(max_length=120)
    source: str = Field(max_length=32)
    answered_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    probe_id: str | None = Field(default=None, max_length=36)
    variant: str | None = Field(default=None, max_length=64)
    topic: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    topic_token: str | None = Field(default=None, max_length=12, index=True)
    topic_key_version: int | None = Field(default=None, index=True)
    prompt: str = Field(sa_column=Column(Text, nullable=False))
    output: str = Field(sa_column=Column(Text, nullable=False))


class Probe(SQLModel, table=True):
    __tablename__ = PROBES
    __table_args__ = (Index("ix_potemkin_probes_probe_set_created_at", "probe_set", "created_at"),)

    id: str = Field(primary_key=True, max_length=36)
    probe_set: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    topic: str = Field(sa_column=Column(Text, nullable=False))
    question: str = Field(sa_column=Column(Text, nullable=False))
    variants: str = Field(sa_column=Column(Text, nullable=False))  # sealed JSON list of {label, question}


def create_archive_tables(op: Operations) -> None:
    """The schema step that creates both tables (frozen once released)."""
    op.create_table(
        RECORDS,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("model", sa.String(120), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("probe_id", sa.String(36), nullable=True),
        sa.Column("variant", sa.String(64), nullable=True),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("topic_token", sa.String(12), nullable=True),
        sa.Column("topic_key_version", sa.Integer(), nullable=True),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
    )
    op.create_index("ix_potemkin_records_model_answered_at", RECORDS, ["model", "answered_at"])
    op.create_index("ix_potemkin_records_probe_id_answered_at", RECORDS, ["probe_id", "answered_at"])
    op.create_index("ix_potemkin_records_answered_at", RECORDS, ["answered_at"])
    op.create_index("ix_potemkin_records_topic_token", RECORDS, ["topic_token"])
    op.create_index("ix_potemkin_records_topic_key_version", RECORDS, ["topic_key_version"])
    op.create_table(
        PROBES,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("probe_set", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("variants", sa.Text(), nullable=False),
    )
    op.create_index("ix_potemkin_probes_probe_set_created_at", PROBES, ["probe_set", "created_at"])

"""The jobs tables, and the models the jobs tools take and return."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field as PydanticField
from pydantic import StringConstraints
from sqlalchemy import Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cyrano_mcp.kit.jobs import JobRecord, JobStatus
from cyrano_mcp.models import ToolInput, ToolOutput, UuidText, id_field, uuid_of
from cyrano_mcp.store.types import UTCDateTime

_JOB_SOURCE = "a tool that starts a job, and jobs_list"
JobId = Annotated[UuidText, uuid_of("job", _JOB_SOURCE), id_field("job", _JOB_SOURCE)]


class ItemStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


UNFINISHED = (ItemStatus.PENDING.value, ItemStatus.RUNNING.value)


# --- tables ------------------------------------------------------------------------------------------
class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_created_at", "created_at"),
        Index("ix_jobs_status_created_at", "status", "created_at"),
        Index("ix_jobs_kind_created_at", "kind", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=64)
    title: str = Field(sa_column=Column(Text, nullable=False))  # sealed (seals.py)
    status: str = Field(max_length=16)
    item_count: int
    correlation_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JobItem(SQLModel, table=True):
    """One unit of a job. `due_at` is when it may next be claimed: for a pending item, when to (re)try it;
    for a running one, when its worker's lease runs out (the worker pushes it forward while it works).
    `label`, `payload`, `result` and `error` are sealed, bound to `ref` (seals.py)."""

    __tablename__ = "job_items"
    __table_args__ = (
        UniqueConstraint("job_id", "position"),
        Index("ix_job_items_status_due_at", "status", "due_at"),
        Index("ix_job_items_job_id_status", "job_id", "status"),
        Index("ix_job_items_ref", "ref", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=32)
    job_id: str = Field(sa_column=Column(String(36), ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False))
    position: int
    kind: str = Field(max_length=64)
    label: str = Field(sa_column=Column(Text, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=16)
    attempts: int = 0
    due_at: datetime = Field(sa_type=UTCDateTime)
    worker: str | None = Field(default=None, max_length=100)
    result: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    updated_at: datetime = Field(sa_type=UTCDateTime)


# --- tool inputs -------------------------------------------------------------------------------------
class JobStatusRequest(ToolInput):
    job_id: JobId
    item_offset: int = PydanticField(default=0, ge=0, le=1_000_000, description="First item to list (by position).")
    item_limit: int = PydanticField(default=50, ge=0, le=500, description="Items to list; 0 lists none.")
    item_status: ItemStatus | None = PydanticField(default=None, description="Only items in this state.")
    wait_seconds: float = PydanticField(
        default=0,
        ge=0,
        le=300,
        description="Wait up to this long for the job to finish, sending progress notifications meanwhile "
        "(if the client asked for them); 0 answers at once.",
    )


class JobListRequest(ToolInput):
    status: JobStatus | None = None
    kind: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    limit: int = PydanticField(default=20, ge=1, le=100)
    offset: int = PydanticField(default=0, ge=0, le=100_000)


class JobRef(ToolInput):
    job_id: JobId


# --- tool outputs -------------------------------------------------------------------------------------
class JobItemRecord(ToolOutput):
    position: int
    label: str
    status: ItemStatus
    attempts: int
    result: dict[str, Any] | None = PydanticField(description="What the item produced (when done).")
    error: str | None = PydanticField(description="Why it failed, or why its last attempt failed (when retrying).")
    retry_at: datetime | None = PydanticField(description="When a pending item that failed will be tried again.")
    updated_at: datetime


class JobReport(ToolOutput):
    job: JobRecord
    items: list[JobItemRecord]
    next_item_offset: int | None = PydanticField(description="Pass as item_offset for the next items; null at the end.")


class JobList(ToolOutput):
    items: list[JobRecord]
    total: int

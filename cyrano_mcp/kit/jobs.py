"""Background work as an engine declares and submits it; the queue that runs it is `cyrano_mcp.jobs`.

An engine declares a `JobKind` (a payload model, a result model, an async handler) in its `Parts`, and a
tool submits items with `context.jobs.submit("<engine>.<kind>", title, items)`, which stores the job and its
items at once and returns its record; the tool answers `JobSubmitted` and the runner works through the items.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel
from pydantic import Field as PydanticField

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.names import OPERATION_NAME
from cyrano_mcp.models import ToolOutput

PayloadT = TypeVar("PayloadT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class JobKind(Generic[PayloadT, ResultT]):
    """Work an engine runs in the background, one item at a time, as the job `<engine>.<name>`.

    The runner calls `handler` with each item's payload and stores what it returns. An item may run again
    after a crash (at least once), so the handler must be idempotent: a second run must not store twice.
    Raise `UnavailableError` (or `RateLimitedError`) for a failure worth retrying; any other `DomainError`
    fails the item at once with its message.
    """

    name: str
    description: str
    payload_model: type[PayloadT]
    result_model: type[ResultT]
    handler: Callable[[PayloadT], Awaitable[ResultT]]

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.name):
            raise ConfigError(f"job kind name {self.name!r} must match {OPERATION_NAME.pattern}")


@dataclass(frozen=True, slots=True)
class NewItem:
    """One item of a job being submitted: a short label for people (a file name) and its payload."""

    label: str
    payload: BaseModel


class JobStatus(StrEnum):
    RUNNING = "running"  # items are waiting or being worked on
    COMPLETED = "completed"  # every item is done or failed
    CANCELLED = "cancelled"  # no item starts any more; running ones finish


class ItemCounts(ToolOutput):
    pending: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.cancelled


class JobRecord(ToolOutput):
    id: str
    kind: str
    title: str
    status: JobStatus
    item_count: int
    counts: ItemCounts = PydanticField(description="Items per state.")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = PydanticField(description="When the last item ended; null while items remain.")


class JobSubmitted(ToolOutput):
    """What a tool that starts a job returns at once."""

    job: JobRecord
    hint: str = "Follow it with jobs_status (wait_seconds to wait for it); stop it with jobs_cancel."


class JobQueue(Protocol):
    """What an engine submits background work to (`context.jobs`)."""

    async def submit(self, kind: str, title: str, items: Sequence[NewItem]) -> JobRecord:
        """Store a job of `kind` ("<engine>.<job kind>") and its items; the runner picks them up from there."""
        ...

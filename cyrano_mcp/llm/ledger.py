"""The usage ledger: one row per model call, and the totals `system_llm_usage` reports.

A row holds who answered, what it cost and how it went, and a SHA-256 of the (redacted) prompt so
repeated prompts can be recognised. It never holds the prompt or the answer.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy import Integer, case, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Field, SQLModel, col

from cyrano_mcp.calls import current_call
from cyrano_mcp.errors import CyranoError, UnavailableError
from cyrano_mcp.kit.model import Usage
from cyrano_mcp.llm.reports import LLMUsageQuery, LLMUsageReport, UsageTotals
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.types import UTCDateTime, utc_now

log = get_logger(__name__)

ANSWERED = ("ok", "cached")
DEFAULT_PERIOD = timedelta(days=30)


class LLMCall(SQLModel, table=True):
    __tablename__ = "llm_calls"

    id: str = Field(primary_key=True, max_length=36)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    provider: str = Field(max_length=16)
    model: str | None = Field(default=None, max_length=200)
    tool: str | None = Field(default=None, max_length=100)
    correlation_id: str | None = Field(default=None, max_length=64)
    outcome: str = Field(max_length=32)
    attempts: int
    input_tokens: int | None = None
    output_tokens: int | None = None
    latency_ms: float
    structured: bool
    repaired: bool
    redactions: int
    prompt_sha256: str = Field(max_length=64)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """What the gateway knows about one call when it ends."""

    provider: str
    model: str | None
    outcome: str
    prompt_sha256: str
    structured: bool
    redactions: int
    attempts: int = 0
    usage: Usage = Usage()
    latency_ms: float = 0.0
    repaired: bool = False


class UsageLedger:
    def __init__(self, database: Database | None, *, write_timeout: float = 5.0) -> None:
        self._database = database
        self._write_timeout = write_timeout

    async def record(self, record: CallRecord) -> None:
        """Store one call. A store that is down costs the ledger a row, never the caller its answer."""
        if self._database is None or not self._database.is_open:
            return
        call = current_call()
        row = LLMCall(
            id=str(uuid.uuid4()),
            created_at=utc_now(),
            provider=record.provider,
            model=record.model[:200] if record.model else None,
            tool=call.tool if call else None,
            correlation_id=call.correlation_id if call else None,
            outcome=record.outcome,
            attempts=record.attempts,
            input_tokens=record.usage.input_tokens,
            output_tokens=record.usage.output_tokens,
            latency_ms=round(record.latency_ms, 3),
            structured=record.structured,
            repaired=record.repaired,
            redactions=record.redactions,
            prompt_sha256=record.prompt_sha256,
        )
        # Bounded, because on SQLite a caller that asks for a model inside its own unit of work holds the
        # only write connection: waiting for it would stall the call until the pool gives up.
        with anyio.move_on_after(self._write_timeout) as scope:
            try:
                async with self._database.transaction() as session:
                    session.add(row)
            except (CyranoError, SQLAlchemyError) as exc:
                log.warning("llm_usage_not_recorded", provider=record.provider, error=type(exc).__name__)
        if scope.cancelled_caught:
            log.warning("llm_usage_not_recorded", provider=record.provider, error="store busy")

    async def report(self, query: LLMUsageQuery) -> LLMUsageReport:
        if self._database is None:
            raise UnavailableError("usage accounting needs the store, and this instance has none")
        until = query.until or utc_now()
        since = query.since or until - DEFAULT_PERIOD
        columns: dict[str, Any] = {"provider": LLMCall.provider, "model": LLMCall.model, "tool": LLMCall.tool}
        dimensions = [columns[name] for name in query.group_by]
        in_period = (col(LLMCall.created_at) >= since, col(LLMCall.created_at) < until)
        async with self._database.session() as session:
            connection = await session.connection()
            grouped = select(*dimensions, *_measures()).where(*in_period).group_by(*dimensions).order_by(*dimensions)
            rows = (await connection.execute(grouped)).all() if dimensions else []
            total = (await connection.execute(select(*_measures()).where(*in_period))).one()
        groups = [
            _totals(dict(zip(query.group_by, row[: len(dimensions)], strict=True)), row[len(dimensions) :])
            for row in rows
        ]
        return LLMUsageReport(
            since=since, until=until, group_by=query.group_by, groups=groups, totals=_totals({}, tuple(total))
        )


def _measures() -> list[Any]:
    def count_where(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)

    outcome = col(LLMCall.outcome)
    return [
        func.count().label("calls"),
        count_where(outcome.in_(ANSWERED)).label("answered"),
        count_where(outcome == "cached").label("cached"),
        count_where(outcome.not_in(ANSWERED)).label("failed"),
        func.coalesce(func.sum(LLMCall.input_tokens), 0).cast(Integer).label("input_tokens"),
        func.coalesce(func.sum(LLMCall.output_tokens), 0).cast(Integer).label("output_tokens"),
        func.avg(LLMCall.latency_ms).label("average_latency_ms"),
    ]


def _totals(keys: dict[str, Any], measures: tuple[Any, ...]) -> UsageTotals:
    calls, answered, cached, failed, input_tokens, output_tokens, latency = measures
    return UsageTotals(
        **keys,
        calls=calls,
        answered=answered,
        cached=cached,
        failed=failed,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        average_latency_ms=round(float(latency), 3) if latency is not None else None,
    )

"""The job queue as engines and the jobs tools see it: submit work, report on it, list it, cancel it.

A job and its items live in the store, never only in memory, so a job outlives the process that
accepted it; `runner.py` works through the items.
"""

import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import anyio
from sqlalchemy import func, insert, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_mcp.calls import current_call
from cyrano_mcp.errors import ConfigError, InvalidInputError, NotFoundError
from cyrano_mcp.jobs.models import (
    ItemStatus,
    Job,
    JobItem,
    JobItemRecord,
    JobList,
    JobListRequest,
    JobReport,
    JobStatusRequest,
)
from cyrano_mcp.jobs.seals import JobSeals, new_ref, open_optional
from cyrano_mcp.kit.jobs import ItemCounts, JobKind, JobRecord, JobStatus, NewItem
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.types import utc_now

MAX_ITEMS = 10_000
_WAIT_POLL_SECONDS = 0.25


class JobService:
    def __init__(self, database: Database, seals: JobSeals) -> None:
        self._database = database
        self.seals = seals
        self._kinds: dict[str, JobKind[Any, Any]] = {}
        self._on_submit: list[Callable[[], None]] = []

    # --- set-up -------------------------------------------------------------------------------------
    def register(self, engine_name: str, kinds: Sequence[JobKind[Any, Any]]) -> None:
        for kind in kinds:
            name = f"{engine_name}.{kind.name}"
            if name in self._kinds:
                raise ConfigError(f"two job kinds are named {name!r}")
            self._kinds[name] = kind

    @property
    def kinds(self) -> dict[str, JobKind[Any, Any]]:
        return dict(self._kinds)

    def on_submit(self, callback: Callable[[], None]) -> None:
        """Call `callback` after each submission (the runner of this process wakes up at once)."""
        self._on_submit.append(callback)

    # --- engines ------------------------------------------------------------------------------------
    async def submit(self, kind: str, title: str, items: Sequence[NewItem]) -> JobRecord:
        """Store a job and its items in one transaction; the runner picks them up from there."""
        job_kind = self._kinds.get(kind)
        if job_kind is None:
            raise ConfigError(f"no engine registered the job kind {kind!r}")
        if not items:
            raise InvalidInputError("the job has nothing to do")
        if len(items) > MAX_ITEMS:
            raise InvalidInputError(f"a job holds at most {MAX_ITEMS} items, not {len(items)}; split it")
        now = utc_now()
        call = current_call()
        title = title[:300]
        job_id = str(uuid.uuid4())
        job = Job(
            id=job_id,
            kind=kind,
            title=await self.seals.title.seal(job_id, title),
            status=JobStatus.RUNNING,
            item_count=len(items),
            correlation_id=call.correlation_id if call is not None else None,
            created_at=now,
            updated_at=now,
        )
        rows = []
        for position, item in enumerate(items, 1):
            ref = new_ref()
            payload = job_kind.payload_model.model_validate(item.payload.model_dump()).model_dump_json()
            rows.append(
                {
                    "ref": ref,
                    "job_id": job.id,
                    "position": position,
                    "kind": kind,
                    "label": await self.seals.label.seal(ref, item.label[:300]),
                    "payload": await self.seals.payload.seal(ref, payload),
                    "status": ItemStatus.PENDING.value,
                    "attempts": 0,
                    "due_at": now,
                    "updated_at": now,
                }
            )
        async with self._database.transaction() as session:
            session.add(job)
            await session.flush()
            await session.exec(insert(JobItem), params=rows)
        for callback in self._on_submit:
            callback()
        return JobRecord(**_job_fields(job, title), counts=ItemCounts(pending=len(items)))

    # --- tools --------------------------------------------------------------------------------------
    async def report(self, request: JobStatusRequest) -> JobReport:
        record = await self.record(request.job_id)
        if request.wait_seconds > 0 and record.finished_at is None:
            record = await self._wait(record, request.wait_seconds)
        async with self._database.session() as session:
            statement = (
                select(JobItem)
                .where(JobItem.job_id == record.id)
                .where(col(JobItem.position) > request.item_offset)
                .order_by(col(JobItem.job_id), col(JobItem.position))
                .limit(request.item_limit + 1)
            )
            if request.item_status is not None:
                statement = statement.where(JobItem.status == request.item_status.value)
            rows = list((await session.exec(statement)).all()) if request.item_limit else []
        items = [await self._item_record(row) for row in rows[: request.item_limit]]
        more = len(rows) > request.item_limit
        return JobReport(job=record, items=items, next_item_offset=items[-1].position if more and items else None)

    async def record(self, job_id: str) -> JobRecord:
        async with self._database.session() as session:
            job = await _load(session, job_id)
            counts = await _counts(session, job_id)
        return JobRecord(**_job_fields(job, await self._title(job)), counts=counts)

    async def list(self, request: JobListRequest) -> JobList:
        filters = []
        if request.status is not None:
            filters.append(col(Job.status) == request.status.value)
        if request.kind is not None:
            filters.append(col(Job.kind) == request.kind)
        async with self._database.session() as session:
            total = (await session.exec(select(func.count()).select_from(Job).where(*filters))).one()
            jobs = (
                await session.exec(
                    select(Job)
                    .where(*filters)
                    .order_by(col(Job.created_at).desc(), col(Job.id).desc())
                    .offset(request.offset)
                    .limit(request.limit)
                )
            ).all()
            counts = await _counts_of(session, [job.id for job in jobs])
        return JobList(
            items=[
                JobRecord(**_job_fields(job, await self._title(job)), counts=counts.get(job.id, ItemCounts()))
                for job in jobs
            ],
            total=total,
        )

    async def cancel(self, job_id: str) -> JobRecord:
        """No further item of the job starts; items already running finish."""
        now = utc_now()
        async with self._database.transaction() as session:
            job = await _load(session, job_id, for_update=True)
            if job.status == JobStatus.RUNNING:
                await session.exec(
                    update(JobItem)
                    .where(col(JobItem.job_id) == job.id, col(JobItem.status) == ItemStatus.PENDING.value)
                    .values(status=ItemStatus.CANCELLED.value, updated_at=now)
                )
                job.status = JobStatus.CANCELLED
                job.updated_at = now
                running = await _counts(session, job.id)
                if running.running == 0:
                    job.finished_at = now
                session.add(job)
        return await self.record(job_id)

    async def _title(self, job: Job) -> str:
        return await self.seals.title.open(job.id, job.title)

    async def _item_record(self, item: JobItem) -> JobItemRecord:
        status = ItemStatus(item.status)
        result = await open_optional(self.seals.result, item.ref, item.result)
        return JobItemRecord(
            position=item.position,
            label=await self.seals.label.open(item.ref, item.label),
            status=status,
            attempts=item.attempts,
            result=json.loads(result) if result is not None else None,
            error=await open_optional(self.seals.error, item.ref, item.error),
            retry_at=item.due_at if status == ItemStatus.PENDING and item.attempts > 0 else None,
            updated_at=item.updated_at,
        )

    async def _wait(self, record: JobRecord, seconds: float) -> JobRecord:
        call = current_call()
        with anyio.move_on_after(seconds):
            while record.finished_at is None:
                if call is not None:
                    counts = record.counts
                    await call.report_progress(
                        float(counts.finished),
                        float(record.item_count),
                        f"{counts.done} done, {counts.failed} failed, {counts.running} running of {record.item_count}",
                    )
                await anyio.sleep(_WAIT_POLL_SECONDS)
                record = await self.record(record.id)
        return record


# --- helpers ----------------------------------------------------------------------------------------
async def _load(session: AsyncSession, job_id: str, *, for_update: bool = False) -> Job:
    statement = select(Job).where(Job.id == job_id)
    if for_update:
        statement = statement.with_for_update()
    job = (await session.exec(statement)).first()
    if job is None:
        raise NotFoundError(f"no job has id {job_id}")
    return job


async def _counts(session: AsyncSession, job_id: str) -> ItemCounts:
    return (await _counts_of(session, [job_id])).get(job_id, ItemCounts())


async def _counts_of(session: AsyncSession, job_ids: Sequence[str]) -> dict[str, ItemCounts]:
    if not job_ids:
        return {}
    rows = await session.exec(
        select(JobItem.job_id, JobItem.status, func.count())
        .where(col(JobItem.job_id).in_(job_ids))
        .group_by(col(JobItem.job_id), col(JobItem.status))
    )
    per_job: dict[str, dict[str, int]] = {}
    for job_id, status, count in rows:
        per_job.setdefault(job_id, {})[status] = count
    return {job_id: ItemCounts(**counts) for job_id, counts in per_job.items()}


def _job_fields(job: Job, title: str) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "title": title,
        "status": JobStatus(job.status),
        "item_count": job.item_count,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "finished_at": job.finished_at,
    }

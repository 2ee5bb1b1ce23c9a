"""The runner's side of the queue: claim due items, keep their leases, and record how each one ended.

Claiming takes due items with `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, so processes claiming at
the same moment never get the same item; on SQLite the claim runs on the single writer connection under
`BEGIN IMMEDIATE`, which serialises claims across processes as well. A running item carries its worker's
id and a lease (`due_at`); an item whose lease ran out (its worker died) is due again and is claimed anew.
Every later write names the claim (worker and attempt), so a worker that lost its lease changes nothing.

An item's payload, result and error are sealed (seals.py). A claim hands the payload over still sealed and
`payload` opens it in the item's own task, so claiming (which holds SQLite's write lock) decrypts nothing and
a payload that fails to open fails its item alone. An outcome is sealed before its transaction begins.
"""

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_mcp.jobs.models import UNFINISHED, ItemStatus, Job, JobItem
from cyrano_mcp.jobs.seals import JobSeals, seal_optional
from cyrano_mcp.kit.jobs import JobStatus
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.types import utc_now


@dataclass(frozen=True, slots=True)
class Claim:
    """An item this worker holds: everything needed to run it and to prove the claim when recording."""

    item_id: int
    ref: str
    job_id: str
    kind: str
    position: int
    payload: str  # sealed
    attempt: int
    correlation_id: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    status: ItemStatus  # DONE, FAILED or PENDING (a retry)
    result: str | None = None
    error: str | None = None
    retry_at: datetime | None = None


class Claims:
    def __init__(
        self, database: Database, worker: str, seals: JobSeals, *, lease_seconds: float, max_attempts: int
    ) -> None:
        self._database = database
        self.worker = worker
        self._seals = seals
        self._lease = timedelta(seconds=lease_seconds)
        self._max_attempts = max_attempts

    async def anything_due(self, kinds: Collection[str]) -> bool:
        """A cheap read first, so an idle process does not take SQLite's write lock every poll."""
        async with self._database.session() as session:
            found = (await session.exec(select(JobItem.id).where(*_due(kinds, utc_now())).limit(1))).first()
        return found is not None

    async def claim(self, kinds: Collection[str], limit: int, skip: Collection[int]) -> list[Claim]:
        """Claim up to `limit` due items; items whose worker died on their last allowed attempt fail instead."""
        now = utc_now()
        claims: list[Claim] = []
        async with self._database.transaction() as session:
            statement = (
                select(JobItem).where(*_due(kinds, now)).order_by(col(JobItem.due_at), col(JobItem.id)).limit(limit)
            )
            if skip:
                statement = statement.where(col(JobItem.id).notin_(skip))
            items = (await session.exec(statement.with_for_update(skip_locked=True))).all()
            for item in items:
                assert item.id is not None
                if item.status == ItemStatus.RUNNING and item.attempts >= self._max_attempts:
                    # Its worker stopped (crashed, killed) while holding it, as many times as attempts allow.
                    error = f"the worker stopped while processing it {item.attempts} times; not retried"
                    outcome = await self._sealed(item.ref, Outcome(ItemStatus.FAILED, error=error))
                    await _finish(session, item, outcome, now)
                    job = (await session.exec(select(Job).where(Job.id == item.job_id).with_for_update())).first()
                    if job is not None:
                        await _close_if_finished(session, job, now)
                    continue
                item.status = ItemStatus.RUNNING
                item.attempts += 1
                item.worker = self.worker
                item.due_at = now + self._lease
                item.updated_at = now
                session.add(item)
                claims.append(
                    Claim(item.id, item.ref, item.job_id, item.kind, item.position, item.payload, item.attempts, None)
                )
            if claims:
                correlation = dict(
                    (
                        await session.exec(
                            select(Job.id, Job.correlation_id).where(
                                col(Job.id).in_({claim.job_id for claim in claims})
                            )
                        )
                    ).all()
                )
                claims = [replace(claim, correlation_id=correlation.get(claim.job_id)) for claim in claims]
        return claims

    async def payload(self, claim: Claim) -> str:
        """The claimed item's payload, opened (`TamperedDataError` if it was altered or moved)."""
        return await self._seals.payload.open(claim.ref, claim.payload)

    async def renew(self, item_ids: Collection[int]) -> None:
        """Push the leases of the items this worker is running forward."""
        if not item_ids:
            return
        now = utc_now()
        async with self._database.transaction() as session:
            await session.exec(
                update(JobItem)
                .where(
                    col(JobItem.id).in_(item_ids),
                    col(JobItem.worker) == self.worker,
                    col(JobItem.status) == ItemStatus.RUNNING.value,
                )
                .values(due_at=now + self._lease)
            )

    async def record(self, claim: Claim, outcome: Outcome) -> bool:
        """Store how the item ended; False if this worker no longer held it (its lease was taken over)."""
        outcome = await self._sealed(claim.ref, outcome)
        now = utc_now()
        async with self._database.transaction() as session:
            # The job row first: concurrent completions of one job's items queue here, so exactly one of
            # them sees that nothing remains and closes the job.
            job = (await session.exec(select(Job).where(Job.id == claim.job_id).with_for_update())).first()
            item = (
                await session.exec(
                    select(JobItem).where(
                        JobItem.id == claim.item_id,
                        JobItem.worker == self.worker,
                        JobItem.attempts == claim.attempt,
                        JobItem.status == ItemStatus.RUNNING.value,
                    )
                )
            ).first()
            if job is None or item is None:
                return False
            if outcome.status == ItemStatus.PENDING and job.status != JobStatus.RUNNING:
                outcome = Outcome(ItemStatus.CANCELLED, error=outcome.error)  # no retry for a cancelled job
            await _finish(session, item, outcome, now)
            await _close_if_finished(session, job, now)
        return True

    async def _sealed(self, ref: str, outcome: Outcome) -> Outcome:
        return replace(
            outcome,
            result=await seal_optional(self._seals.result, ref, outcome.result),
            error=await seal_optional(self._seals.error, ref, outcome.error),
        )

    async def release(self, claims: Sequence[Claim]) -> None:
        """Give items back untouched (the process is stopping): due at once, the attempt not counted."""
        now = utc_now()
        async with self._database.transaction() as session:
            for claim in claims:
                await session.exec(
                    update(JobItem)
                    .where(
                        col(JobItem.id) == claim.item_id,
                        col(JobItem.worker) == self.worker,
                        col(JobItem.attempts) == claim.attempt,
                        col(JobItem.status) == ItemStatus.RUNNING.value,
                    )
                    .values(
                        status=ItemStatus.PENDING.value,
                        attempts=claim.attempt - 1,
                        worker=None,
                        due_at=now,
                        updated_at=now,
                    )
                )


def _due(kinds: Collection[str], now: datetime) -> list[ColumnElement[bool]]:
    return [col(JobItem.status).in_(UNFINISHED), col(JobItem.due_at) <= now, col(JobItem.kind).in_(kinds)]


async def _finish(session: AsyncSession, item: JobItem, outcome: Outcome, now: datetime) -> None:
    item.status = outcome.status
    item.result = outcome.result
    item.error = outcome.error
    item.updated_at = now
    if outcome.status == ItemStatus.PENDING:
        item.worker = None
        item.due_at = outcome.retry_at or now
    session.add(item)
    await session.flush()


async def _close_if_finished(session: AsyncSession, job: Job, now: datetime) -> None:
    remaining = (
        await session.exec(
            select(func.count())
            .select_from(JobItem)
            .where(JobItem.job_id == job.id, col(JobItem.status).in_(UNFINISHED))
        )
    ).one()
    job.updated_at = now
    if remaining == 0 and job.finished_at is None:
        job.finished_at = now
        if job.status == JobStatus.RUNNING:
            job.status = JobStatus.COMPLETED
    session.add(job)


def result_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)

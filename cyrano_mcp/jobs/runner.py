"""The job runner: a bounded pool of workers in each process that claims due items and runs them.

One runner per process. It wakes when this process submits a job, when one of its items ends, and
otherwise every `job_poll_seconds` (to see what other processes submitted or what came due). Each item
runs inside a `CallContext` of its job, so its log lines carry the job's correlation id. A store that is
down makes the runner wait and try again with growing pauses; nothing is lost, since everything it
needs is in the store.
"""

import asyncio
import os
import socket
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import anyio
from pydantic import BaseModel

from cyrano_mcp.calls import CallContext, bind_call, unbind_call
from cyrano_mcp.errors import ConflictError, DomainError, UnavailableError
from cyrano_mcp.jobs.claims import Claim, Claims, Outcome, result_json
from cyrano_mcp.jobs.models import ItemStatus
from cyrano_mcp.jobs.retry import backoff, is_transient
from cyrano_mcp.jobs.seals import JobSeals
from cyrano_mcp.kit.jobs import JobKind
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.types import utc_now

log = get_logger(__name__)

_OUTAGE_PAUSE_CAP = 10.0


def worker_id() -> str:
    """Names this process in `job_items.worker`: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class JobRunner:
    def __init__(
        self, settings: Settings, database: Database, kinds: dict[str, JobKind[Any, Any]], seals: JobSeals
    ) -> None:
        self._settings = settings
        self._kinds = kinds
        self.claims = Claims(
            database,
            worker_id(),
            seals,
            lease_seconds=settings.job_lease_seconds,
            max_attempts=settings.job_max_attempts,
        )
        self.concurrency = settings.job_concurrency
        self._running: dict[int, Claim] = {}
        self._wake = anyio.Event()
        # The runner lives as long as the store is open, from the first user of the runtime to the last;
        # those need not be one task, so it runs as a task of its own rather than in a caller's task group.
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None and self._kinds:
            self._task = asyncio.get_running_loop().create_task(self._serve(), name="cyrano-job-runner")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        held = list(self._running.values())  # before cancelling: each item forgets itself as it unwinds
        task.cancel()
        with anyio.CancelScope(shield=True):
            await asyncio.gather(task, return_exceptions=True)
            self._running.clear()
            if held:
                try:
                    await self.claims.release(held)
                except UnavailableError:
                    log.warning("job_items_not_released", items=len(held), reason="the store is unavailable")

    def wake(self) -> None:
        self._wake.set()

    # --- the loop -----------------------------------------------------------------------------------
    async def _serve(self) -> None:
        outage = 0
        async with anyio.create_task_group() as group:
            group.start_soon(self._keep_leases)
            while True:
                self._wake = anyio.Event()
                try:
                    claimed = await self._claim()
                except Exception as exc:  # the runner must outlive anything one claim runs into
                    outage += 1
                    pause = min(_OUTAGE_PAUSE_CAP, self._settings.job_poll_seconds * 2 ** min(outage, 6))
                    if outage == 1 and isinstance(exc, UnavailableError):
                        log.warning("jobs_store_unavailable", reason=exc.message, retry_in_s=round(pause, 2))
                    elif outage == 1:
                        log.error("jobs_claim_failed", retry_in_s=round(pause, 2), exc_info=True)
                    await anyio.sleep(pause)
                    continue
                if outage:
                    log.info("jobs_store_available", after_attempts=outage)
                    outage = 0
                for claim in claimed:
                    self._running[claim.item_id] = claim
                    group.start_soon(self._process, claim)
                if claimed and len(self._running) < self.concurrency:
                    continue  # there may be more due right away
                with anyio.move_on_after(self._settings.job_poll_seconds):
                    await self._wake.wait()

    async def _claim(self) -> list[Claim]:
        free = self.concurrency - len(self._running)
        if free <= 0 or not await self.claims.anything_due(self._kinds):
            return []
        return await self.claims.claim(self._kinds, free, self._running.keys())

    async def _keep_leases(self) -> None:
        interval = self._settings.job_lease_seconds / 3
        while True:
            await anyio.sleep(interval)
            try:
                await self.claims.renew(list(self._running))
            except UnavailableError as exc:
                log.warning("job_leases_not_renewed", items=len(self._running), reason=exc.message)
            except Exception:
                log.error("job_leases_not_renewed", items=len(self._running), exc_info=True)

    # --- one item -----------------------------------------------------------------------------------
    async def _process(self, claim: Claim) -> None:
        started = time.perf_counter()
        call = CallContext(
            tool=f"job:{claim.kind}", correlation_id=claim.correlation_id or uuid.uuid4().hex, transport="job"
        )
        token = bind_call(call)
        try:
            outcome = await self._run(claim)
            await self._record(claim, outcome)
            log.info(
                "job_item",
                job_id=claim.job_id,
                position=claim.position,
                kind=claim.kind,
                outcome=outcome.status.value,
                attempt=claim.attempt,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
        finally:
            unbind_call(token)
            self._running.pop(claim.item_id, None)
            self._wake.set()

    async def _run(self, claim: Claim) -> Outcome:
        kind = self._kinds[claim.kind]
        try:
            payload = kind.payload_model.model_validate_json(await self.claims.payload(claim))
            result: BaseModel = await kind.handler(payload)
        except Exception as exc:
            return self._failure(claim, exc)
        return Outcome(ItemStatus.DONE, result=result_json(result.model_dump(mode="json")))

    def _failure(self, claim: Claim, exc: Exception) -> Outcome:
        if isinstance(exc, DomainError):
            reason = f"{exc.code}: {exc.message}"
        else:
            log.error("job_item_crashed", job_id=claim.job_id, position=claim.position, exc_info=True)
            reason = f"internal_error: an unexpected error occurred; quote correlation id {claim.correlation_id}"
        if is_transient(exc) and claim.attempt < self._settings.job_max_attempts:
            delay = backoff(
                claim.attempt, base=self._settings.job_retry_base_seconds, cap=self._settings.job_retry_max_seconds
            )
            return Outcome(
                ItemStatus.PENDING,
                error=f"{reason} (attempt {claim.attempt} of {self._settings.job_max_attempts}; "
                f"retrying in {delay:.1f} s)",
                retry_at=_after(delay),
            )
        if is_transient(exc):
            reason = f"{reason} (gave up after {claim.attempt} attempts)"
        return Outcome(ItemStatus.FAILED, error=reason)

    async def _record(self, claim: Claim, outcome: Outcome) -> None:
        """Store the outcome; if the store is down, try again for as long as the lease lasts."""
        deadline = time.monotonic() + self._settings.job_lease_seconds
        pause = 0.1
        while True:
            try:
                if not await self.claims.record(claim, outcome):
                    log.warning("job_item_lease_lost", job_id=claim.job_id, position=claim.position)
                return
            except (UnavailableError, ConflictError):
                if time.monotonic() + pause > deadline:
                    # The lease runs out and the item is claimed again: its handler is idempotent.
                    log.warning("job_item_not_recorded", job_id=claim.job_id, position=claim.position)
                    return
                await anyio.sleep(pause)
                pause = min(pause * 2, 2.0)


def _after(seconds: float) -> datetime:
    return utc_now() + timedelta(seconds=seconds)

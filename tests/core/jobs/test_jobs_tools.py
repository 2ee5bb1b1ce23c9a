"""Jobs through MCP client sessions: submit, follow, list, cancel; retries, failures, resuming after a crash."""

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import anyio
import pytest
from mcp import Client
from sqlalchemy import update
from sqlmodel import col, select

from cyrano_mcp.jobs.claims import Claims
from cyrano_mcp.jobs.models import JobItem
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from cyrano_mcp.store.types import utc_now
from tests.fixtures import engines
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

FAST_RETRIES = {"job_retry_base_seconds": 0.01, "job_retry_max_seconds": 0.05, "job_max_attempts": 3}


def chores_settings(base: Settings, **extra: Any) -> Settings:
    # The fixture engines' `test:*` permissions are not in the table: only an admin may use their tools.
    return load_settings(
        **{**base.model_dump(), "plugins": ["tests.fixtures.engines:chores"], "local_user_role": "admin", **extra}
    )


@pytest.fixture(autouse=True)
def fresh_chores() -> None:
    engines.CHORES = engines.ChoreLog()


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(chores_settings(any_store_settings, **FAST_RETRIES))
    async with runtime.running():
        yield runtime


async def submit(client: Client, *chores: dict[str, Any]) -> str:
    submitted = ok(await client.call_tool("chores_submit", {"chores": list(chores)}))
    assert submitted["job"]["status"] == "running" and submitted["job"]["counts"]["pending"] == len(chores)
    return str(submitted["job"]["id"])


async def finished(client: Client, job_id: str) -> dict[str, Any]:
    report = ok(await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 30}))
    assert report["job"]["finished_at"] is not None, report["job"]
    return report


@pytest.mark.parametrize("mode", MODES)
async def test_a_job_runs_every_item_and_reports_each_result_and_error(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        job_id = await submit(
            client,
            {"name": "a"},
            {"name": "b", "action": "refuse"},
            {"name": "c", "action": "flaky", "failures": 2},
            {"name": "d", "action": "flaky", "failures": 5},
            {"name": "e", "action": "crash"},
        )
        report = await finished(client, job_id)
    assert report["job"]["status"] == "completed"
    assert report["job"]["counts"] == {"pending": 0, "running": 0, "done": 2, "failed": 3, "cancelled": 0}
    items = {item["label"]: item for item in report["items"]}
    assert items["a"]["result"] == {"name": "a", "attempts": 1} and items["a"]["error"] is None
    assert items["b"]["status"] == "failed" and items["b"]["attempts"] == 1  # refused input is not retried
    assert items["b"]["error"] == "invalid_input: b cannot be done"
    assert items["c"]["status"] == "done" and items["c"]["attempts"] == 3  # two transient failures, then done
    assert items["d"]["status"] == "failed" and items["d"]["attempts"] == 3
    assert items["d"]["error"] == "unavailable: d: the service is down (gave up after 3 attempts)"
    assert items["e"]["status"] == "failed" and "secret" not in items["e"]["error"]
    assert items["e"]["error"].startswith("internal_error: an unexpected error occurred; quote correlation id")


async def test_a_retry_waits_and_says_why(any_store_settings: Settings) -> None:
    slow = {**FAST_RETRIES, "job_retry_base_seconds": 60.0, "job_retry_max_seconds": 60.0}
    runtime = build_runtime(chores_settings(any_store_settings, **slow))
    async with runtime.running(), Client(runtime.server) as client:
        job_id = await submit(client, {"name": "x", "action": "flaky", "failures": 1})
        with anyio.fail_after(10):
            while engines.CHORES.attempts.get("x") != 1:
                await anyio.sleep(0.02)
        report = ok(await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 0.5}))
    item = report["items"][0]
    assert item["status"] == "pending" and item["attempts"] == 1 and item["retry_at"] is not None
    assert item["error"].startswith("unavailable: x: the service is down (attempt 1 of 3; retrying in ")


async def test_waiting_for_a_job_sends_progress_notifications(runtime: Runtime) -> None:
    progress: list[tuple[float, float | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total))
        engines.CHORES.release.set()  # let the held item finish once the client is seen to be waiting

    async with Client(runtime.server) as client:
        job_id = await submit(client, {"name": "a", "action": "hold"}, {"name": "b"})
        report = ok(
            await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 30}, progress_callback=on_progress)
        )
    assert report["job"]["status"] == "completed" and progress and progress[0][1] == 2.0


async def test_jobs_are_listed_newest_first_and_can_be_cancelled(any_store_settings: Settings) -> None:
    runtime = build_runtime(chores_settings(any_store_settings, job_workers=1))
    async with runtime.running(), Client(runtime.server) as client:
        first = await submit(client, {"name": "quick"})
        await finished(client, first)
        held = await submit(client, {"name": "held", "action": "hold"}, *({"name": f"later{i}"} for i in range(3)))
        with anyio.fail_after(10):
            await engines.CHORES.started.wait()
        listed = ok(await client.call_tool("jobs_list", {}))
        assert [job["id"] for job in listed["items"]] == [held, first] and listed["total"] == 2
        assert [job["id"] for job in ok(await client.call_tool("jobs_list", {"status": "completed"}))["items"]] == [
            first
        ]
        cancelled = ok(await client.call_tool("jobs_cancel", {"job_id": held}))
        assert cancelled["status"] == "cancelled" and cancelled["finished_at"] is None  # one item still runs
        assert cancelled["counts"] == {"pending": 0, "running": 1, "done": 0, "failed": 0, "cancelled": 3}
        engines.CHORES.release.set()
        report = await finished(client, held)
        assert report["job"]["status"] == "cancelled"
        assert {item["label"]: item["status"] for item in report["items"]}["held"] == "done"
        assert ok(await client.call_tool("jobs_cancel", {"job_id": first}))["status"] == "completed"
        error(await client.call_tool("jobs_status", {"job_id": "00000000-0000-4000-8000-000000000000"}), "not_found")
        error(await client.call_tool("jobs_status", {"job_id": "nope"}), "invalid_input")
    assert "later0" not in engines.CHORES.attempts


async def test_item_pages_follow_positions(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        job_id = await submit(client, *({"name": f"n{i}"} for i in range(5)))
        await finished(client, job_id)
        page = ok(await client.call_tool("jobs_status", {"job_id": job_id, "item_limit": 2}))
        assert [item["position"] for item in page["items"]] == [1, 2] and page["next_item_offset"] == 2
        rest = ok(await client.call_tool("jobs_status", {"job_id": job_id, "item_offset": 2, "item_limit": 5}))
        assert [item["position"] for item in rest["items"]] == [3, 4, 5] and rest["next_item_offset"] is None


async def test_a_restarted_server_resumes_what_a_dead_worker_held(any_store_settings: Settings) -> None:
    settings = chores_settings(any_store_settings, **FAST_RETRIES)
    first = build_runtime(settings)
    async with first.running():
        await first.job_runner.stop()  # this process accepts work but runs none: it is about to "die"
        async with Client(first.server) as client:
            job_id = await submit(client, {"name": "a"}, {"name": "b"}, {"name": "c"})
        dead = Claims(first.database, "dead-host:1:x", first.jobs.seals, lease_seconds=30, max_attempts=3)
        held = await dead.claim(first.jobs.kinds, 2, ())
        assert [claim.position for claim in held] == [1, 2]
        async with first.database.transaction() as session:  # the dead worker's lease runs out
            await session.exec(update(JobItem).values(due_at=utc_now() - timedelta(seconds=1)))

    second = build_runtime(settings)
    async with second.running(), Client(second.server) as client:
        report = await finished(client, job_id)
    assert report["job"]["status"] == "completed" and report["job"]["counts"]["done"] == 3
    assert [item["attempts"] for item in report["items"]] == [2, 2, 1]
    assert engines.CHORES.attempts == {"a": 1, "b": 1, "c": 1}


async def test_an_item_whose_worker_keeps_dying_fails_instead_of_looping(any_store_settings: Settings) -> None:
    settings = chores_settings(any_store_settings, **FAST_RETRIES)
    first = build_runtime(settings)
    async with first.running():
        await first.job_runner.stop()
        async with Client(first.server) as client:
            job_id = await submit(client, {"name": "poison"})
        async with first.database.transaction() as session:
            await session.exec(
                update(JobItem).values(
                    status="running", attempts=3, worker="dead", due_at=utc_now() - timedelta(seconds=1)
                )
            )
    second = build_runtime(settings)
    async with second.running(), Client(second.server) as client:
        report = await finished(client, job_id)
    assert (
        report["items"][0]["status"] == "failed"
        and "stopped while processing it 3 times" in report["items"][0]["error"]
    )
    assert engines.CHORES.attempts == {}


async def test_stopping_gives_running_items_back_without_counting_the_attempt(any_store_settings: Settings) -> None:
    settings = chores_settings(any_store_settings, **FAST_RETRIES)
    runtime = build_runtime(settings)
    async with runtime.running(), Client(runtime.server) as client:
        job_id = await submit(client, {"name": "held", "action": "hold"})
        with anyio.fail_after(10):
            await engines.CHORES.started.wait()
    async with runtime.running(), Client(runtime.server) as client:  # the same process, started again
        engines.CHORES.release.set()
        report = await finished(client, job_id)
    assert report["items"][0]["status"] == "done" and report["items"][0]["attempts"] == 1


async def test_claims_made_at_the_same_time_never_share_an_item(any_store_settings: Settings) -> None:
    runtime = build_runtime(chores_settings(any_store_settings))
    async with runtime.running():
        await runtime.job_runner.stop()
        async with Client(runtime.server) as client:
            await submit(client, *({"name": f"n{i}"} for i in range(60)))
        workers = [
            Claims(runtime.database, f"w{n}", runtime.jobs.seals, lease_seconds=30, max_attempts=3) for n in range(6)
        ]
        taken: list[list[int]] = [[] for _ in workers]

        async def drain(index: int) -> None:
            while claimed := await workers[index].claim(runtime.jobs.kinds, 4, ()):
                taken[index].extend(claim.item_id for claim in claimed)

        async with anyio.create_task_group() as group:
            for index in range(len(workers)):
                group.start_soon(drain, index)
        everything = [item for batch in taken for item in batch]
        assert len(everything) == len(set(everything)) == 60
        async with runtime.database.session() as session:
            owners = (await session.exec(select(JobItem.worker).where(col(JobItem.status) == "running"))).all()
        assert len(owners) == 60

"""The job queue's own cost: a batch ingest of small text files, and a job whose items do nothing.

    python bench/jobs.py                          # 3 rounds on SQLite, then PostgreSQL
    python bench/jobs.py --store sqlite --rounds 5 --files 200 --noop 1000

Each round builds a fresh store and runs Cyrano in this process, spoken to through an in-memory MCP client:

- ingest: `arkiver_ingest_batch` over a folder of --files small text files, then `jobs_status` until the job
  is complete. Reports how long the tool took to answer (submitting the job), files per second from
  submitting to the last item recorded, and the latency of `jobs_status` listing 500 items and of
  `jobs_list`.
- noop: --noop items of a job kind that returns at once (the test `chores` engine), so what is measured is
  the queue alone: submit, claim, run, record. Reports items per second.

The runner's pool is --job-workers items at once (default 2, this machine's cores). Prints the median of
the rounds. A fresh PostgreSQL database comes from CYRANO_BENCH_POSTGRES_URL (default the test server).
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from cyrano_mcp.observability.logging import configure_logging  # noqa: E402
from cyrano_mcp.server import build_runtime  # noqa: E402
from cyrano_mcp.settings import load_settings  # noqa: E402
from tests.utils.mcp import ok  # noqa: E402

ADMIN_URL = os.environ.get("CYRANO_BENCH_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")

Round = dict[str, float]


@asynccontextmanager
async def store(kind: str) -> AsyncIterator[dict[str, Any]]:
    """Settings for a fresh store of `kind` in a temporary data dir."""
    import asyncpg

    with tempfile.TemporaryDirectory() as folder:
        base: dict[str, Any] = {"data_dir": Path(folder) / "data"}
        if kind == "sqlite":
            yield base
            return
        name = f"cyrano_bench_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(ADMIN_URL, timeout=5)
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{name}"
        try:
            yield base | {
                "database_url": url,
                "master_key": secrets.token_urlsafe(32),
                "jwt_secret": secrets.token_urlsafe(32),
            }
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = await call()
    return time.perf_counter() - started, value


async def until_finished(client: Client, job_id: str) -> dict[str, Any]:
    report = ok(await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 300, "item_limit": 0}))
    assert report["job"]["finished_at"] is not None, report["job"]
    return report


async def ingest_round(kind: str, files: int, job_workers: int) -> Round:
    async with store(kind) as base:
        inbox = base["data_dir"].parent / "inbox"
        inbox.mkdir()
        for number in range(files):
            (inbox / f"note-{number:04}.txt").write_text(f"Memo {number}: the parties met on May {number % 28 + 1}.")
        settings = load_settings(**base, allowed_roots=[inbox], job_workers=job_workers)
        runtime = build_runtime(settings)
        async with runtime.running(), Client(runtime.server) as client:
            submit, submitted = await timed(lambda: client.call_tool("arkiver_ingest_batch", {"folder": str(inbox)}))
            job_id = ok(submitted)["job"]["id"]
            wall, report = await timed(lambda: until_finished(client, job_id))
            assert report["job"]["counts"]["done"] == files, report["job"]
            status, listed = await timed(lambda: client.call_tool("jobs_status", {"job_id": job_id, "item_limit": 500}))
            assert len(ok(listed)["items"]) == files
            listing, _ = await timed(lambda: client.call_tool("jobs_list", {"limit": 100}))
    return {
        "submit_ms": submit * 1000,
        "files_per_s": files / (submit + wall),
        "status_500_ms": status * 1000,
        "list_ms": listing * 1000,
    }


async def noop_round(kind: str, items: int, job_workers: int) -> Round:
    async with store(kind) as base:
        settings = load_settings(
            **base, plugins=["tests.fixtures.engines:chores"], local_user_role="admin", job_workers=job_workers
        )
        runtime = build_runtime(settings)
        async with runtime.running(), Client(runtime.server) as client:
            chores = [{"name": f"chore-{number}"} for number in range(items)]
            submit, submitted = await timed(lambda: client.call_tool("chores_submit", {"chores": chores}))
            wall, report = await timed(lambda: until_finished(client, ok(submitted)["job"]["id"]))
            assert report["job"]["counts"]["done"] == items, report["job"]
    return {"submit_ms": submit * 1000, "items_per_s": items / (submit + wall)}


def show(title: str, rounds: list[Round]) -> None:
    medians = {name: statistics.median(round_[name] for round_ in rounds) for name in rounds[0]}
    print(f"{title:<20} " + "  ".join(f"{name} {value:8.1f}" for name, value in medians.items()), flush=True)


async def run(args: argparse.Namespace) -> None:
    for kind in ["sqlite", "postgresql"] if args.store == "both" else [args.store]:
        ingest = [await ingest_round(kind, args.files, args.job_workers) for _ in range(args.rounds)]
        show(f"{kind} ingest {args.files}", ingest)
        noop = [await noop_round(kind, args.noop, args.job_workers) for _ in range(args.rounds)]
        show(f"{kind} noop {args.noop}", noop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--noop", type=int, default=1000)
    parser.add_argument("--job-workers", type=int, default=2)
    configure_logging("ERROR", "json")
    anyio.run(run, parser.parse_args())


if __name__ == "__main__":
    main()

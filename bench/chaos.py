"""Crash safety: kill the server at random moments under load, restart it, and check the store and the jobs.

    python bench/chaos.py                     # 50 kill rounds, then the PostgreSQL and model-provider scenarios
    python bench/chaos.py --rounds 5 --only kill
    python bench/chaos.py --only postgres     # or: llm, redis

kill (SQLite): each round starts `cyrano-mcp serve --transport http` on 127.0.0.1 with a fresh store,
submits an arkiver_ingest_batch job over a folder while clients create matters and ingest texts, sends
SIGKILL at a random moment, and then checks: `PRAGMA integrity_check` is ok; no document is half-stored
(every document has all its pages, its search index rows and exactly the insights its content gives);
every write the server acknowledged is there; after a restart, the job resumes and completes with every
file done; and `cyrano-mcp audit verify` finds the audit log's HMAC chain intact.

postgres: the store is reached through a TCP proxy on 127.0.0.1 that is stopped for a few seconds during
a batch job and concurrent calls (the PostgreSQL server itself is never touched). Calls during the outage
must fail with a clear `unavailable` error, and once the proxy is back, calls and the job must succeed
without restarting Cyrano.

llm: the model provider is a loopback fake that first hangs past the timeout and returns server errors,
then answers. arkiver_refine must fall back to the rules with the reason, within the retry budget, then
use the model once it answers, without restarting Cyrano.

redis: the rate limiter's Redis is reached through a TCP proxy that is stopped for a few seconds. Calls must
keep succeeding (quotas counted in process memory meanwhile), /readyz must say `degraded` with HTTP 200, and
once Redis is back the shared counters must be used again, without restarting Cyrano.

Prints the tally; exits 1 if a round failed.
"""

import argparse
import os
import random
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT  # noqa: E402

_SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+)/mcp")
KEYS = {"master": secrets.token_urlsafe(32), "jwt": secrets.token_urlsafe(32)}
POSTGRES_ADMIN_URL = os.environ.get("CYRANO_BENCH_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")


# --- the server as a subprocess ------------------------------------------------------------------------
@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CYRANO_")}
    env.update(
        CYRANO_DATA_DIR=str(data_dir),
        CYRANO_LOG_FORMAT="json",
        CYRANO_LOG_LEVEL="INFO",
        CYRANO_JOB_LEASE_SECONDS="2",  # a killed worker's items are taken over after 2 s
        CYRANO_JOB_POLL_SECONDS="0.2",
        CYRANO_JOB_RETRY_BASE_SECONDS="0.2",
        # Crash safety, not authentication, is measured: callers act as the local user (loopback only), with a
        # quota no run reaches. PostgreSQL needs its keys given (the same for every restart).
        CYRANO_INSECURE_HTTP_NO_AUTH="true",
        CYRANO_RATE_LIMIT_USER="10000000/minute",
        CYRANO_HTTP_SESSIONS_PER_USER="10000",
        CYRANO_RATE_LIMIT_ANONYMOUS="10000000/minute",
        CYRANO_MASTER_KEY=KEYS["master"],
        CYRANO_JWT_SECRET=KEYS["jwt"],
    )
    env.update({f"CYRANO_{name.upper()}": value for name, value in settings.items()})
    return env


async def start_server(env: dict[str, str], log: Path) -> Server:
    command = [str(Path(sys.executable).with_name("cyrano-mcp")), "serve", "--transport", "http", "--port", "0"]
    with log.open("ab") as sink:
        offset = log.stat().st_size
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink, stdin=subprocess.DEVNULL)
    with anyio.fail_after(60):
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text()[-2000:]}")
            match = _SERVING.search(log.read_text()[offset:])
            if match:
                url = f"http://127.0.0.1:{match.group(1)}"
                async with httpx2.AsyncClient() as http:
                    try:
                        if (await http.get(f"{url}/healthz")).status_code == 200:
                            return Server(process, url)
                    except httpx2.TransportError:
                        pass
            await anyio.sleep(0.05)


def kill(server: Server) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        kill(server)


# --- the inputs ----------------------------------------------------------------------------------------
def make_inbox(folder: Path, files: int) -> None:
    """Contracts of several pages (form feeds) whose insights differ: enough work to be killed during."""
    folder.mkdir(parents=True)
    for number in range(files):
        pages = [
            CONTRACT.replace("May 8, 2014", f"May {1 + (number + page) % 28}, 20{10 + number % 15}")
            for page in range(6)
        ]
        (folder / f"contract-{number:02}.txt").write_text("\f".join(pages), encoding="utf-8")
    (folder / "sample.pdf").write_bytes((ROOT / "tests" / "data" / "strategic_alliance.pdf").read_bytes())


Counts = tuple[int, int, int]  # pages, pages in the search index, insights


def stored_documents(connection: sqlite3.Connection) -> dict[str, tuple[str, int, Counts]]:
    """document id -> (sha256, declared page count, what is stored of it)."""
    rows = connection.execute(
        """SELECT d.id, d.sha256, d.page_count,
                  (SELECT count(*) FROM document_pages p WHERE p.document_id = d.id),
                  (SELECT count(*) FROM document_pages_fts f
                    WHERE f.rowid IN (SELECT id FROM document_pages p WHERE p.document_id = d.id)),
                  (SELECT count(*) FROM insights i WHERE i.document_id = d.id)
           FROM documents d"""
    )
    return {row[0]: (row[1], row[2], (row[3], row[4], row[5])) for row in rows}


async def reference_counts(inbox: Path, texts: list[str]) -> dict[str, Counts]:
    """sha256 -> what an undisturbed ingest of each input stores, from a store in this process."""
    from cyrano_mcp.observability.logging import configure_logging
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.settings import load_settings

    configure_logging("WARNING", "json")
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            data_dir=Path(folder),
            allowed_roots=[inbox],
            log_level="WARNING",
            master_key=KEYS["master"],
            jwt_secret=KEYS["jwt"],
            rate_limit_user="10000000/minute",
        )
        async with Client(build_runtime(settings).server) as client:
            sources: list[dict[str, Any]] = [{"path": str(path)} for path in sorted(inbox.iterdir())]
            sources += [{"text": text} for text in texts]
            for source in sources:
                assert not (await client.call_tool("arkiver_ingest", source)).is_error
        connection = sqlite3.connect(settings.sqlite_path)
        try:
            return {sha256: counts for sha256, _, counts in stored_documents(connection).values()}
        finally:
            connection.close()


def concurrent_text(number: int) -> str:
    return CONTRACT.replace("$12,500.00", f"${number + 1},000.00")


# --- one kill round ------------------------------------------------------------------------------------
@dataclass
class Acknowledged:
    matters: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    job_id: str | None = None


async def load(url: str, inbox: Path, acknowledged: Acknowledged, round_number: int) -> None:
    """Submit the batch, then keep writing until the server dies under us."""
    async with Client(f"{url}/mcp", mode="legacy" if round_number % 2 else "auto") as client:
        submitted = await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox)})
        assert not submitted.is_error, submitted.content
        acknowledged.job_id = (submitted.structured_content or {})["job"]["id"]
        number = 0
        while True:
            number += 1
            created = await client.call_tool(
                "matters_create", {"client_name": f"C{number}", "title": "chaos", "practice_area": "test"}
            )
            if not created.is_error:
                acknowledged.matters.append((created.structured_content or {})["id"])
            ingested = await client.call_tool("arkiver_ingest", {"text": concurrent_text(number % 7)})
            if not ingested.is_error:
                acknowledged.documents.append((ingested.structured_content or {})["document"]["id"])


def check_store(db: Path, expected: dict[str, Counts], acknowledged: Acknowledged) -> list[str]:
    problems: list[str] = []
    connection = sqlite3.connect(db)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:3]}")
        for document_id, (sha256, page_count, counts) in stored_documents(connection).items():
            if counts != expected.get(sha256) or counts[0] != page_count:
                problems.append(
                    f"document {document_id} half-stored: (pages, indexed, insights) {counts}, "
                    f"expected {expected.get(sha256)}"
                )
        matters = {row[0] for row in connection.execute("SELECT id FROM matters")}
        documents = {row[0] for row in connection.execute("SELECT id FROM documents")}
        lost = [m for m in acknowledged.matters if m not in matters] + [
            d for d in acknowledged.documents if d not in documents
        ]
        if lost:
            problems.append(f"{len(lost)} acknowledged writes are missing, e.g. {lost[0]}")
        if (
            acknowledged.job_id is not None
            and not connection.execute("SELECT 1 FROM jobs WHERE id = ?", (acknowledged.job_id,)).fetchone()
        ):
            problems.append("the acknowledged job is missing")
    finally:
        connection.close()
    return problems


def audit_chain_problems(env: dict[str, str]) -> list[str]:
    """`cyrano-mcp audit verify` on the store: a kill must never leave the HMAC chain broken or forked."""
    command = [str(Path(sys.executable).with_name("cyrano-mcp")), "audit", "verify"]
    verify = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    if verify.returncode == 0:
        return []
    found = [line for line in verify.stdout.splitlines() if line.startswith("PROBLEM")] or [verify.stderr[-300:]]
    return [f"audit chain: {found[0]}"]


async def job_completes(url: str, job_id: str, files: int) -> tuple[list[str], int]:
    """Problems with the resumed job, and how many of its items needed more than one attempt."""
    async with Client(f"{url}/mcp") as client:
        report = (
            await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 120, "item_limit": 500})
        ).structured_content or {}
    job = report["job"]
    resumed = sum(1 for item in report["items"] if item["attempts"] > 1)
    if job["status"] != "completed" or job["counts"]["done"] != files:
        failed = [item["error"] for item in report["items"] if item["status"] != "done"]
        return [f"job {job['status']} with {job['counts']}; e.g. {failed[:1]}"], resumed
    return [], resumed


async def kill_round(number: int, workdir: Path, expected: dict[str, Counts], files: int) -> tuple[list[str], str]:
    data_dir, inbox, log = workdir / f"round-{number}", workdir / "inbox", workdir / f"round-{number}.log"
    env = server_env(data_dir, allowed_roots=str(inbox))
    server = await start_server(env, log)
    acknowledged = Acknowledged()
    delay = random.uniform(0.05, 1.5)  # the batch takes about 1.5 s: most kills land while it runs
    async with anyio.create_task_group() as group:

        async def run_load() -> None:
            try:
                await load(server.url, inbox, acknowledged, number)
            except Exception:  # the server died under the client: expected
                return

        group.start_soon(run_load)
        await anyio.sleep(delay)
        kill(server)
        group.cancel_scope.cancel()
    problems = check_store(data_dir / "cyrano.db", expected, acknowledged)
    server = await start_server(env, log)
    try:
        resumed = 0
        if acknowledged.job_id is not None:
            job_problems, resumed = await job_completes(server.url, acknowledged.job_id, files)
            problems += job_problems
        problems += check_store(data_dir / "cyrano.db", expected, acknowledged)
    finally:
        stop(server)
    problems += audit_chain_problems(env)
    moment = (
        f"killed at {delay:.2f} s: job {'submitted' if acknowledged.job_id else 'not yet acknowledged'}, "
        f"{len(acknowledged.matters)} matters and {len(acknowledged.documents)} ingests acknowledged, "
        f"{resumed} items resumed"
    )
    return problems, moment


async def kill_scenario(rounds: int, files: int) -> int:
    with tempfile.TemporaryDirectory(prefix="cyrano-chaos-") as folder:
        workdir = Path(folder)
        make_inbox(workdir / "inbox", files)
        expected = await reference_counts(workdir / "inbox", [concurrent_text(n) for n in range(7)])
        passed = 0
        for number in range(1, rounds + 1):
            problems, moment = await kill_round(number, workdir, expected, files + 1)
            passed += not problems
            print(
                f"  round {number:3}: {'ok  ' if not problems else 'FAIL'} {moment}"
                + "".join(f"\n      {p}" for p in problems)
            )
        print(
            f"kill: {passed}/{rounds} rounds passed "
            "(integrity, no half-stored document, acknowledged writes, job resumed, audit chain intact)"
        )
        return 0 if passed == rounds else 1


# --- PostgreSQL going away -----------------------------------------------------------------------------
@asynccontextmanager
async def postgres_database() -> AsyncIterator[tuple[str, str]]:
    import asyncpg

    name = f"cyrano_chaos_{random.getrandbits(40):x}"
    conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    host_part = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield host_part, name
    finally:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


async def postgres_scenario(files: int, outage: float) -> int:
    from tests.utils.proxy import tcp_proxy

    with tempfile.TemporaryDirectory(prefix="cyrano-chaos-pg-") as folder:
        workdir = Path(folder)
        make_inbox(workdir / "inbox", files)
        async with postgres_database() as (host_part, name), tcp_proxy(5432) as (proxy, group):
            url = f"{host_part.rsplit(':', 1)[0]}:{proxy.port}/{name}"
            env = server_env(
                workdir / "data", allowed_roots=str(workdir / "inbox"), database_url=url, db_timeout_seconds="2"
            )
            server = await start_server(env, workdir / "server.log")
            outcomes: dict[str, int] = {"ok": 0}
            try:
                async with Client(f"{server.url}/mcp") as client:
                    submitted = await client.call_tool("arkiver_ingest_batch", {"folder": str(workdir / "inbox")})
                    job_id = (submitted.structured_content or {})["job"]["id"]
                    proxy.stop()
                    started = time.monotonic()
                    while time.monotonic() - started < outage:
                        result = await client.call_tool("matters_list", {})
                        if result.is_error:
                            text = result.content[0].text  # type: ignore[union-attr]
                            outcomes[text.split(":")[0]] = outcomes.get(text.split(":")[0], 0) + 1
                            assert text.startswith("unavailable: the database is unavailable"), text
                        else:
                            outcomes["ok"] += 1
                        await anyio.sleep(0.1)
                    await proxy.start(group)
                    recovered_after = time.monotonic()
                    with anyio.fail_after(30):
                        while (await client.call_tool("matters_list", {})).is_error:
                            await anyio.sleep(0.1)
                    recovered_in = time.monotonic() - recovered_after
                    report = (
                        await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 120})
                    ).structured_content or {}
            finally:
                stop(server)
    job = report["job"]
    ok = job["status"] == "completed" and job["counts"]["done"] == files + 1
    print(
        f"postgres: calls during a {outage:g} s outage: {outcomes}; calls answered again {recovered_in:.2f} s after it "
        f"came back; job {job['status']} {job['counts']} -> {'ok' if ok else 'FAIL'} (no restart of Cyrano)"
    )
    return 0 if ok else 1


# --- the model provider failing ------------------------------------------------------------------------
async def llm_scenario() -> int:
    from tests.fakes.models import answer, hang, running, status

    with tempfile.TemporaryDirectory(prefix="cyrano-chaos-llm-") as folder:
        workdir = Path(folder)
        async with running("openai") as (fake, base_url):
            env = server_env(
                workdir / "data",
                llm_provider="openai",
                llm_timeout_seconds="1",
                llm_max_attempts="2",
                llm_retry_budget_seconds="5",
            )
            env.update(OPENAI_API_KEY="sk-chaos-not-a-real-key", OPENAI_BASE_URL=base_url)
            server = await start_server(env, workdir / "server.log")
            try:
                async with Client(f"{server.url}/mcp") as client:
                    document = (await client.call_tool("arkiver_ingest", {"text": CONTRACT})).structured_content or {}
                    document_id = document["document"]["id"]
                    fake.enqueue(hang(30), status(500))  # both attempts (CYRANO_LLM_MAX_ATTEMPTS=2) fail
                    started = time.monotonic()
                    failing = (
                        await client.call_tool("arkiver_refine", {"document_id": document_id})
                    ).structured_content or {}
                    failing_seconds = time.monotonic() - started
                    fake.release_hangs()
                    fake.enqueue(answer(structured={"parties": [], "dates": [], "governing_law": None}))
                    working = (
                        await client.call_tool("arkiver_refine", {"document_id": document_id})
                    ).structured_content or {}
            finally:
                stop(server)
    reason = (failing.get("model") or {}).get("fallback_reason")
    ok = bool(reason) and failing_seconds < 10 and (working.get("model") or {}).get("method", "").startswith("llm:")
    print(
        f"llm: provider hanging then failing -> rules fallback in {failing_seconds:.1f} s with reason {reason!r}; "
        f"provider back -> {(working.get('model') or {}).get('method')!r} -> {'ok' if ok else 'FAIL'} (no restart)"
    )
    return 0 if ok else 1


# --- Redis going away ----------------------------------------------------------------------------------
REDIS_DB = 14  # a database of its own on the local Redis, flushed before and after


async def shared_counts(redis_port: int) -> int:
    """The sum of Cyrano's rate-limit counters in Redis (they only grow while calls are charged there)."""
    import redis.asyncio as redis

    client = redis.Redis(host="127.0.0.1", port=redis_port, db=REDIS_DB)
    try:
        total = 0
        async for key in client.scan_iter(match="cyrano*"):
            value = await client.get(key)
            total += int(value) if value is not None and value.isdigit() else 0
        return total
    finally:
        await client.aclose()


async def redis_scenario(outage: float) -> int:
    import redis.asyncio as redis

    from tests.utils.proxy import tcp_proxy

    direct = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    await direct.flushdb()
    with tempfile.TemporaryDirectory(prefix="cyrano-chaos-redis-") as folder:
        workdir = Path(folder)
        async with tcp_proxy(6379) as (proxy, group):
            env = server_env(
                workdir / "data",
                redis_url=f"redis://127.0.0.1:{proxy.port}/{REDIS_DB}",
                rate_limit_anonymous="100000/minute",
            )
            server = await start_server(env, workdir / "server.log")
            outcomes: dict[str, int] = {"ok": 0}
            slowest = 0.0
            try:
                async with Client(f"{server.url}/mcp") as client, httpx2.AsyncClient() as http:
                    for _ in range(5):
                        assert not (await client.call_tool("matters_list", {})).is_error
                    before = await shared_counts(6379)
                    proxy.stop()
                    started = time.monotonic()
                    while time.monotonic() - started < outage:
                        call_started = time.monotonic()
                        result = await client.call_tool("matters_list", {})
                        slowest = max(slowest, time.monotonic() - call_started)
                        key = "ok" if not result.is_error else result.content[0].text.split(":")[0]  # type: ignore[union-attr]
                        outcomes[key] = outcomes.get(key, 0) + 1
                        await anyio.sleep(0.1)
                    ready = await http.get(f"{server.url}/readyz")
                    redis_check = next(c for c in ready.json()["checks"] if c["name"] == "redis")
                    during = await shared_counts(6379)
                    await proxy.start(group)
                    back = time.monotonic()
                    # The limiter retries Redis a minute after it fell back to memory.
                    with anyio.fail_after(120):
                        while await shared_counts(6379) <= during:
                            assert not (await client.call_tool("matters_list", {})).is_error
                            await anyio.sleep(0.5)
                    shared_again = time.monotonic() - back
            finally:
                stop(server)
                await direct.flushdb()
                await direct.aclose()
    ok = (
        outcomes == {"ok": outcomes["ok"]}
        and before > 0
        and during == before
        and ready.status_code == 200
        and redis_check["status"] == "degraded"
        and slowest < 5
    )
    print(
        f"redis: calls during a {outage:g} s outage: {outcomes} (slowest {slowest:.2f} s; quotas counted in memory); "
        f"/readyz {ready.status_code} with redis {redis_check['status']!r}; shared counters used again "
        f"{shared_again:.0f} s after Redis came back -> {'ok' if ok else 'FAIL'} (no restart of Cyrano)"
    )
    return 0 if ok else 1


async def run(args: argparse.Namespace) -> int:
    print(f"chaos on {os.cpu_count()} cores, Python {sys.version.split()[0]}; everything on 127.0.0.1")
    status = 0
    if args.only in (None, "kill"):
        status |= await kill_scenario(args.rounds, args.files)
    if args.only in (None, "postgres"):
        status |= await postgres_scenario(args.files, args.outage)
    if args.only in (None, "llm"):
        status |= await llm_scenario()
    if args.only in (None, "redis"):
        status |= await redis_scenario(args.outage)
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--files", type=int, default=12, help="text contracts in the batch (plus one PDF)")
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL or Redis is unreachable")
    parser.add_argument("--only", choices=["kill", "postgres", "llm", "redis"], default=None)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    random.seed(args.seed)
    return anyio.run(run, args)


if __name__ == "__main__":
    sys.exit(main())

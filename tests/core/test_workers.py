"""`serve --workers N` as a subprocess: several processes behind one port, on SQLite and PostgreSQL;
and the crash checks of bench/chaos.py, a few rounds of them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client

from tests.conftest import shared_store_keys
from tests.interop._servers import cyrano_executable, log_tail, server_env, stop_process
from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
# What these tests measure is process handling, not authentication: callers act as the local user (loopback).
OPEN = {"insecure_http_no_auth": "true", "rate_limit_user": "100000/minute", "rate_limit_anonymous": "100000/minute"}
_SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+)/mcp with (\d+) worker")


async def serve_workers(tmp_path: Path, workers: int, **settings: str) -> tuple[anyio.abc.Process, str, Path]:
    log = tmp_path / "server.log"
    command = [cyrano_executable(), "serve", "--transport", "http", "--port", "0", "--workers", str(workers)]
    with log.open("wb") as sink:
        process = await anyio.open_process(
            command, stdout=sink, stderr=sink, env=server_env(tmp_path / "data", **OPEN, **settings), cwd=tmp_path
        )
    with anyio.fail_after(60):
        while log.read_text().count("Application startup complete") < workers:  # each worker accepts only then
            assert process.returncode is None, log_tail(log)
            await anyio.sleep(0.05)
    match = _SERVING.search(log.read_text())
    assert match is not None and int(match.group(2)) == workers
    return process, f"http://127.0.0.1:{match.group(1)}", log


async def test_two_workers_start_together_on_sqlite_and_serve_both_protocols(tmp_path: Path) -> None:
    process, url, log = await serve_workers(tmp_path, 2)
    try:
        for mode in MODES:
            for number in range(6):
                async with Client(f"{url}/mcp", mode=mode) as client:
                    ok(
                        await client.call_tool(
                            "matters_create", {"client_name": f"C{number}", "title": "t", "practice_area": "x"}
                        )
                    )
        async with Client(f"{url}/mcp") as client:
            assert ok(await client.call_tool("matters_list", {}))["total"] == 12
        async with httpx2.AsyncClient() as http:
            assert (await http.get(f"{url}/metrics")).status_code == 404  # one registry per process: no shared scrape
            assert (await http.get(f"{url}/readyz")).status_code == 200
        pids = {
            line.split("[")[1].split("]")[0]
            for line in log.read_text().splitlines()
            if "Started server process" in line
        }
        assert len(pids) == 2
    finally:
        await stop_process(process)


@pytest.mark.postgres
async def test_workers_on_postgresql_share_jobs_without_doing_an_item_twice(tmp_path: Path, postgres_url: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(12):
        (inbox / f"c{number}.txt").write_text(f"Agreement {number} between Acme Inc. and Beta LLC.")
    process, url, log = await serve_workers(
        tmp_path,
        2,
        database_url=postgres_url,
        allowed_roots=str(inbox),
        job_poll_seconds="0.1",
        job_workers="2",
        **shared_store_keys(),
    )
    try:
        async with Client(f"{url}/mcp") as client:
            job = ok(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox)}))["job"]
            report = ok(await client.call_tool("jobs_status", {"job_id": job["id"], "wait_seconds": 60}))
        assert report["job"]["counts"]["done"] == 12
        assert all(item["attempts"] == 1 and item["result"]["duplicate"] is False for item in report["items"])
        ran = [line for line in log.read_text().splitlines() if '"event": "job_item"' in line]
        assert len(ran) == 12  # each item once, whichever worker claimed it
    finally:
        await stop_process(process)


@pytest.mark.slow
async def test_a_few_rounds_of_killing_the_server_lose_nothing(tmp_path: Path) -> None:
    done = await anyio.run_process(
        [sys.executable, str(ROOT / "bench" / "chaos.py"), "--only", "kill", "--rounds", "3", "--files", "6"],
        check=False,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    output = done.stdout.decode()
    assert done.returncode == 0 and "kill: 3/3 rounds passed" in output, output + done.stderr.decode()[-3000:]


def test_workers_need_http(tmp_path: Path) -> None:
    done = subprocess.run(
        [cyrano_executable(), "serve", "--workers", "2"],
        env=server_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "--workers needs --transport http" in done.stderr

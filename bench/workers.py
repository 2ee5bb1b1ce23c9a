"""Throughput of `cyrano-mcp serve --workers 2` against `--workers 1` for a CPU-bound tool mix on PostgreSQL.

    python bench/workers.py                         # 3 rounds of 10 s per setting, 8 clients
    python bench/workers.py --rounds 1 --duration 5 --clients 4

A fresh PostgreSQL database (CYRANO_BENCH_POSTGRES_URL, default the test server's admin URL) is filled with
matters and ingested documents, then the server runs as a subprocess on 127.0.0.1 with 1, then 2 worker
processes, in alternating order per round. This process is the client side: N clients, each on its own
keep-alive HTTP/1.1 connection, speaking streamable HTTP (2026-07-28, stateless) as `mcp.Client` does, call
arkiver_search, arkiver_insights and matters_list in turn for a fixed window after a warm-up. Raw HTTP
keeps the client cheap, so on a small machine the server is what is measured. Prints calls per second
(median of the rounds), p50/p95 latency, the server's and the client's CPU time per call and how busy
the machine's cores were, side by side, and the ratio; exits 1 when the ratio is below --target (1.6).
"""

import argparse
import json
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import psutil
from anyio.abc import SocketStream
from anyio.streams.buffered import BufferedByteReceiveStream
from mcp_types.version import LATEST_MODERN_VERSION

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# PostgreSQL is shared by processes, so Cyrano wants its keys given: one pair for this run.
KEYS = {"MASTER_KEY": secrets.token_urlsafe(32), "JWT_SECRET": secrets.token_urlsafe(32)}
ADMIN_URL = os.environ.get("CYRANO_BENCH_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
PDF = ROOT / "tests" / "data" / "strategic_alliance.pdf"
META = json.dumps(
    {
        "io.modelcontextprotocol/protocolVersion": LATEST_MODERN_VERSION,
        "io.modelcontextprotocol/clientInfo": {"name": "cyrano-bench", "version": "0"},
        "io.modelcontextprotocol/clientCapabilities": {},
    },
    separators=(",", ":"),
)
QUERIES = ["confidential information", "terminate", "governing law", "indemnify", "payment", "intellectual property"]


# --- the store ---------------------------------------------------------------------------------------
async def create_database() -> str:
    import asyncpg

    name = f"cyrano_bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(ADMIN_URL, timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{name}"


async def drop_database(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(ADMIN_URL, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


async def seed(database_url: str, data_dir: Path, matters: int) -> list[str]:
    """Matters, each with the 19-page sample contract and a text contract; returns the document ids."""
    from mcp import Client

    from cyrano_mcp.observability.logging import configure_logging
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.settings import load_settings
    from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT

    configure_logging("WARNING", "json")
    settings = load_settings(
        database_url=database_url,
        data_dir=data_dir,
        allowed_roots=[PDF.parent],
        **{k.lower(): v for k, v in KEYS.items()},
    )
    documents: list[str] = []
    async with Client(build_runtime(settings).server) as client:
        for number in range(matters):
            created = await client.call_tool(
                "matters_create",
                {"client_name": f"Client {number}", "title": f"Matter {number}", "practice_area": "commercial"},
            )
            matter_id = (created.structured_content or {})["id"]
            for arguments in ({"path": str(PDF)}, {"text": CONTRACT.replace("May 8", f"May {number % 28 + 1}")}):
                result = await client.call_tool("arkiver_ingest", {**arguments, "matter_id": matter_id})
                assert not result.is_error, result.content
                documents.append((result.structured_content or {})["document"]["id"])
    return documents


# --- the server --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workers: int, database_url: str, data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CYRANO_")}
    env.update(
        CYRANO_DATABASE_URL=database_url,
        CYRANO_DATA_DIR=str(data_dir),
        CYRANO_STATELESS_HTTP="true",
        CYRANO_LOG_LEVEL="INFO",  # a log line per call is part of the cost, as in production
        CYRANO_LOG_FORMAT="json",
        CYRANO_AUTO_MIGRATE="false",
        # Bearer tokens are not what this measures: callers act as the local user (loopback only). RBAC, the
        # audit log and rate limits still run, with a quota no benchmark reaches.
        CYRANO_INSECURE_HTTP_NO_AUTH="true",
        CYRANO_RATE_LIMIT_USER="10000000/minute",
        CYRANO_HTTP_SESSIONS_PER_USER="10000",
        CYRANO_RATE_LIMIT_ANONYMOUS="10000000/minute",
        **{f"CYRANO_{name}": value for name, value in KEYS.items()},
    )
    command = [str(Path(sys.executable).with_name("cyrano-mcp")), "serve", "--transport", "http"]
    command += ["--port", str(port), "--workers", str(workers)]
    with log.open("ab") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink, stdin=subprocess.DEVNULL)
    return process, port


async def wait_ready(port: int, workers: int, log: Path, timeout: float = 60) -> None:
    with anyio.fail_after(timeout):
        while log.read_text().count('"cyrano_started"') < workers:
            await anyio.sleep(0.1)
        while True:
            try:
                stream = await anyio.connect_tcp("127.0.0.1", port)
            except OSError:
                await anyio.sleep(0.1)
                continue
            await stream.aclose()
            return


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def machine_busy(before: Any, after: Any) -> float:
    """Share of all cores' time not idle between two `psutil.cpu_times()` readings, in percent."""
    total = sum(after) - sum(before)
    idle = (after.idle + after.iowait) - (before.idle + before.iowait)
    return 100.0 * (1 - idle / total) if total else 0.0


# --- the clients -------------------------------------------------------------------------------------
class Client:
    """One stateless streamable-HTTP client on one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.stream: SocketStream | None = None
        self.reader: BufferedByteReceiveStream | None = None
        self.next_id = 0

    async def call(self, tool: str, arguments: dict[str, object]) -> None:
        if self.stream is None:
            self.stream = await anyio.connect_tcp("127.0.0.1", self.port)
            self.reader = BufferedByteReceiveStream(self.stream)
        assert self.reader is not None
        self.next_id += 1
        params = json.dumps({"name": tool, "arguments": arguments}, separators=(",", ":"))[:-1] + f',"_meta":{META}}}'
        body = f'{{"jsonrpc":"2.0","id":{self.next_id},"method":"tools/call","params":{params}}}'.encode()
        head = (
            f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: application/json, text/event-stream\r\n"
            f"Content-Type: application/json\r\nMCP-Protocol-Version: {LATEST_MODERN_VERSION}\r\n"
            f"Mcp-Method: tools/call\r\nMcp-Name: {tool}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        await self.stream.send(head + body)
        status, payload = await self.read()
        if status != 200 or b'"isError":true' in payload or b'"result"' not in payload:
            raise RuntimeError(f"{tool}: HTTP {status}: {payload[:300]!r}")

    async def read(self) -> tuple[int, bytes]:
        assert self.reader is not None
        head = await self.reader.receive_until(b"\r\n\r\n", 65536)
        lines = head.split(b"\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
        if b"content-length" in headers:
            return int(lines[0].split()[1]), await self.reader.receive_exactly(int(headers[b"content-length"]))
        parts = []
        while size := int((await self.reader.receive_until(b"\r\n", 1024)).split(b";")[0], 16):
            parts.append(await self.reader.receive_exactly(size))
            await self.reader.receive_exactly(2)
        await self.reader.receive_until(b"\r\n", 1024)
        return int(lines[0].split()[1]), b"".join(parts)

    async def aclose(self) -> None:
        if self.stream is not None:
            await self.stream.aclose()


@dataclass
class Window:
    calls: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def drive(port: int, clients: int, warmup: float, duration: float, documents: list[str]) -> Window:
    window = Window()
    measuring = False
    stop_at = time.monotonic() + warmup + duration

    async def client_loop(number: int) -> None:
        client = Client(port)
        step = number
        try:
            while time.monotonic() < stop_at:
                step += 1
                tool, arguments = mix(step, documents)
                started = time.perf_counter()
                await client.call(tool, arguments)
                if measuring:
                    window.calls += 1
                    window.latencies.append(time.perf_counter() - started)
        except (RuntimeError, OSError, anyio.EndOfStream, anyio.IncompleteRead) as exc:
            window.errors.append(str(exc)[:200])
        finally:
            await client.aclose()

    async def clock() -> None:
        nonlocal measuring
        await anyio.sleep(warmup)
        measuring = True

    async with anyio.create_task_group() as group:
        group.start_soon(clock)
        for number in range(clients):
            group.start_soon(client_loop, number)
    return window


def mix(step: int, documents: list[str]) -> tuple[str, dict[str, object]]:
    kind = step % 3
    if kind == 0:
        return "arkiver_search", {"query": QUERIES[step % len(QUERIES)], "limit": 10}
    if kind == 1:
        return "arkiver_insights", {"document_id": documents[step % len(documents)]}
    return "matters_list", {"limit": 20}


@dataclass
class Result:
    workers: int
    throughput: float
    latencies: list[float]
    server_cpu_per_call_ms: float
    client_cpu_per_call_ms: float
    machine_busy_percent: float


async def measure(workers: int, args: argparse.Namespace, url: str, data_dir: Path, documents: list[str]) -> Result:
    log = data_dir / f"server-{workers}.log"
    log.write_text("")
    process, port = start_server(workers, url, data_dir, log)
    try:
        await wait_ready(port, workers, log)
        await drive(port, args.clients, 0.5, 1.0, documents)  # first connections, caches
        server, client = tree(process.pid), [psutil.Process()]
        warm = await drive(port, args.clients, args.warmup, 0.0, documents)
        assert not warm.errors, warm.errors[:3]
        server_before, client_before, machine_before = cpu_seconds(server), cpu_seconds(client), psutil.cpu_times()
        window = await drive(port, args.clients, 0.0, args.duration, documents)
        server_cpu, client_cpu = cpu_seconds(server) - server_before, cpu_seconds(client) - client_before
        busy = machine_busy(machine_before, psutil.cpu_times())
    finally:
        stop_server(process)
    if window.errors:
        raise SystemExit(f"{len(window.errors)} client errors with {workers} workers, e.g. {window.errors[0]}")
    calls = max(window.calls, 1)
    return Result(
        workers,
        window.calls / args.duration,
        window.latencies,
        server_cpu / calls * 1000,
        client_cpu / calls * 1000,
        busy,
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def run(args: argparse.Namespace) -> int:
    url = await create_database()
    try:
        with tempfile.TemporaryDirectory(prefix="cyrano-bench-workers-") as folder:
            data_dir = Path(folder)
            started = time.perf_counter()
            documents = await seed(url, data_dir, args.matters)
            print(f"seeded {args.matters} matters, {len(documents)} documents in {time.perf_counter() - started:.1f} s")
            results: dict[int, list[Result]] = {1: [], 2: []}
            for round_number in range(args.rounds):
                order = (1, 2) if round_number % 2 == 0 else (2, 1)
                for workers in order:
                    result = await measure(workers, args, url, data_dir, documents)
                    results[workers].append(result)
                    print(f"  round {round_number + 1}, {workers} worker(s): {result.throughput:7.1f} calls/s")
    finally:
        await drop_database(url)
    return report(args, results)


def report(args: argparse.Namespace, results: dict[int, list[Result]]) -> int:
    cpu = re.sub(r"\s+", " ", platform.processor() or platform.machine())
    print(
        f"\nMachine: {os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}, PostgreSQL on 127.0.0.1; {args.clients} clients, "
        f"{args.rounds} rounds of {args.duration:g} s; mix: arkiver_search, arkiver_insights, matters_list"
    )
    print(f"{'':28}{'1 worker':>14}{'2 workers':>14}")
    rows = {
        "calls/s (median of rounds)": [statistics.median(r.throughput for r in results[w]) for w in (1, 2)],
        "p50 latency (ms)": [percentile([x for r in results[w] for x in r.latencies], 0.5) * 1000 for w in (1, 2)],
        "p95 latency (ms)": [percentile([x for r in results[w] for x in r.latencies], 0.95) * 1000 for w in (1, 2)],
        "server CPU per call (ms)": [statistics.median(r.server_cpu_per_call_ms for r in results[w]) for w in (1, 2)],
        "client CPU per call (ms)": [statistics.median(r.client_cpu_per_call_ms for r in results[w]) for w in (1, 2)],
        "machine CPU busy (%)": [statistics.median(r.machine_busy_percent for r in results[w]) for w in (1, 2)],
    }
    for label, (one, two) in rows.items():
        print(f"{label:28}{one:14.1f}{two:14.1f}")
    ratio = rows["calls/s (median of rounds)"][1] / rows["calls/s (median of rounds)"][0]
    ratios = [two.throughput / one.throughput for one, two in zip(results[1], results[2], strict=True)]
    verdict = "meets" if ratio >= args.target else "BELOW"
    print(
        f"ratio 2 workers / 1 worker: {ratio:.2f} (per round {min(ratios):.2f}-{max(ratios):.2f}); "
        f"{verdict} the target of {args.target}"
    )
    return 0 if ratio >= args.target else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per setting and round")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--matters", type=int, default=10)
    parser.add_argument("--target", type=float, default=1.6)
    return anyio.run(run, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())

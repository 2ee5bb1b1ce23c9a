"""Load: 100 authenticated MCP clients running a realistic tool mix against Cyrano, and a bare MCPServer beside it.

    python bench/load.py                                  # both protocol generations, paced and saturated
    python bench/load.py --mode auto --paced 20 --saturated 10 --clients 50      # a quicker look
    python bench/load.py --database-url postgresql+asyncpg://root@127.0.0.1:5432/test   # on PostgreSQL

Set-up (in this process, before any server runs): a fresh store (a SQLite file, or a new PostgreSQL database
made from `--database-url`) gets 20 matters, each with the 19-page sample contract and a text contract
ingested, and one `paralegal` account per client. Then the installed `cyrano-mcp serve --transport http`
runs as a subprocess with every layer on (bearer tokens, RBAC, rate limits, audit, metrics, INFO logs to a
file), and every client logs in at /auth/login as its own user and keeps its tokens fresh at /auth/refresh.

Each client is one keep-alive HTTP/1.1 connection speaking what `mcp.Client` 2.3 sends (see
`mcpwire.WireClient`). The mix per call: matters_list 25%, matters_get 20%, arkiver_search 20%,
arkiver_insights 20%, system_health 10%, arkiver_ingest of a short text 5%.

Per protocol generation, two modes:

* **paced**: each client makes one call every `--interval` seconds (2 s: 100 clients make an open-loop
  50 calls/s, what 100 busy users generate). A call's latency runs from the moment it was *due*, so a server
  that falls behind is charged for the wait. Target: p95 < 100 ms for every tool (none waits on a model).
  The user quota is the default (`100/minute`); the bare server gets the same paced load of its one tool.
* **saturated**: clients call back to back. First the mix (throughput and latency per tool), then the
  trivial tool alone (`system_info`) against the bare server's, in alternating slices, with the ratio.
  Target: Cyrano keeps >= 85% of the bare server's throughput, p95 within 1.2 times. The user quota is
  raised out of reach (the rate limiter still counts every call).

The server's peak RSS is sampled every 0.25 s. Exit status 1 with `--check` when a target is missed.
"""

import argparse
import json
import os
import platform
import random
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
import psutil
from mcpwire import CALL_ERRORS, MODERN_META, TOOL, Mode, WireClient, WireError, json_rpc_payload
from servers import (
    STOP_TIMEOUT,
    ServerProcess,
    cyrano_command,
    describe_checkout,
    free_port,
    profile_of,
    spawn,
    start_server,
    wait_ready,
)
from stats import percentile, us_per_call

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PDF = ROOT / "tests" / "data" / "strategic_alliance.pdf"
PASSWORD = "load-bench-password-not-secret"
# Keys given explicitly so that the set-up process and the server (and, on PostgreSQL, any process) agree.
KEYS = {"master_key": secrets.token_urlsafe(32), "jwt_secret": secrets.token_urlsafe(32)}
MIX: list[tuple[str, int]] = [
    ("matters_list", 25),
    ("matters_get", 20),
    ("arkiver_search", 20),
    ("arkiver_insights", 20),
    ("system_health", 10),
    ("arkiver_ingest", 5),
]
QUERIES = ["confidential information", "terminate", "governing law", "indemnify", "payment", "intellectual property"]
PACED_P95_TARGET_MS = 100.0
SATURATED_RATIO_TARGET = 0.85
SATURATED_P95_FACTOR = 1.2
TOKEN_MARGIN_SECONDS = 60.0


# --- the store ------------------------------------------------------------------------------------------
@dataclass
class Corpus:
    matter_ids: list[str]
    document_ids: list[str]
    usernames: list[str]


async def create_postgres_database(admin_url: str) -> str:
    import asyncpg

    name = f"cyrano_load_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://", 1), timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres_database(url: str) -> None:
    import asyncpg

    admin = url.rsplit("/", 1)[0].replace("postgresql+asyncpg://", "postgresql://", 1) + "/postgres"
    conn = await asyncpg.connect(admin, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


def server_environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CYRANO_")}
    env.update(
        CYRANO_DATA_DIR=str(data_dir),
        CYRANO_LOG_LEVEL="INFO",
        CYRANO_LOG_FORMAT="json",
        CYRANO_ALLOWED_ROOTS=str(PDF.parent),
        CYRANO_ARGON2_MEMORY_KIB="19456",
        # Every client logs in from 127.0.0.1: the per-address login quota would refuse the 11th.
        CYRANO_RATE_LIMIT_LOGIN="100000/minute",
        # ... and 100 logins at once from it would pass the cap on unfinished unauthenticated requests (16).
        CYRANO_HTTP_UNAUTHENTICATED_PER_ADDRESS="1000",
        **{f"CYRANO_{name.upper()}": value for name, value in KEYS.items()},
    )
    if database_url is not None:
        env["CYRANO_DATABASE_URL"] = database_url
    return env


async def seed(env: dict[str, str], users: int, matters: int) -> Corpus:
    """Matters with ingested documents, and one paralegal account per client, written through Cyrano itself."""
    from mcp import Client

    from cyrano_mcp.observability.logging import configure_logging
    from cyrano_mcp.principal import Role
    from cyrano_mcp.security.audit import Actor
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.settings import load_settings
    from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT

    configure_logging("WARNING", "json")
    overrides = {key[len("CYRANO_") :].lower(): value for key, value in env.items() if key.startswith("CYRANO_")}
    overrides["allowed_roots"] = [PDF.parent]
    runtime = build_runtime(load_settings(**overrides))
    matter_ids: list[str] = []
    document_ids: list[str] = []
    async with Client(runtime.server) as client:
        for number in range(matters):
            created = await client.call_tool(
                "matters_create",
                {"client_name": f"Client {number}", "title": f"Matter {number}", "practice_area": "commercial"},
            )
            matter_id = (created.structured_content or {})["id"]
            matter_ids.append(matter_id)
            for arguments in ({"path": str(PDF)}, {"text": CONTRACT.replace("May 8", f"May {number % 28 + 1}")}):
                result = await client.call_tool("arkiver_ingest", {**arguments, "matter_id": matter_id})
                assert not result.is_error, result.content
                document_ids.append((result.structured_content or {})["document"]["id"])
        usernames = [f"load{number:03d}" for number in range(users)]
        for name in usernames:
            await runtime.security.accounts.add(name, Role.PARALEGAL, PASSWORD, by=Actor(name="bench"))
    return Corpus(matter_ids=matter_ids, document_ids=document_ids, usernames=usernames)


# --- the server -----------------------------------------------------------------------------------------
@asynccontextmanager
async def cyrano_server(
    workdir: Path, env: dict[str, str], label: str, command_for: Callable[[int], list[str]] | None = None
) -> AsyncIterator[ServerProcess]:
    """The installed `cyrano-mcp serve --transport http` (or `command_for(port)`), its output to a log file."""
    port = free_port()
    command = command_for(port) if command_for else [*cyrano_command(), "--port", str(port)]
    with spawn("cyrano", command, port=port, log_path=workdir / f"cyrano-{label}.log", env=env, cwd=workdir) as server:
        await wait_ready(server)
        yield server


def mirror_profile(client: "LoadClient", workdir: Path) -> Path:
    """What Cyrano's system_info answered, for the bare tool to return too (the same work and size per call)."""
    path = workdir / "bare-profile.json"
    path.write_text(json.dumps(profile_of(client.first_result)))
    return path


@asynccontextmanager
async def bare_server(workdir: Path, profile: Path) -> AsyncIterator[ServerProcess]:
    with start_server("bare", workdir, stateless=False, json_response=False, profile=profile) as server:
        await wait_ready(server)
        yield server


class RssSampler:
    """The server process's peak resident memory, sampled in the background."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.peak_bytes = 0

    async def run(self) -> None:
        while True:
            try:
                self.peak_bytes = max(self.peak_bytes, self.server.ps.memory_info().rss)
            except psutil.Error:
                return
            await anyio.sleep(0.25)


# --- the clients ----------------------------------------------------------------------------------------
class Tokens:
    """One user's access and refresh tokens, refreshed a minute before the access token runs out."""

    def __init__(self, port: int, username: str) -> None:
        self.base = f"http://127.0.0.1:{port}/auth"
        self.username = username
        self.access = ""
        self.refresh_token = ""
        self.expires_at = 0.0
        self.refreshes = 0

    async def log_in(self, http: httpx2.AsyncClient) -> None:
        response = await http.post(f"{self.base}/login", json={"username": self.username, "password": PASSWORD})
        self._take(response)

    async def fresh(self, http: httpx2.AsyncClient) -> bool:
        """Refresh if due; True when the access token changed."""
        if time.monotonic() < self.expires_at - TOKEN_MARGIN_SECONDS:
            return False
        response = await http.post(f"{self.base}/refresh", json={"refresh_token": self.refresh_token})
        self._take(response)
        self.refreshes += 1
        return True

    def _take(self, response: httpx2.Response) -> None:
        if response.status_code != 200:
            raise WireError(f"{self.username}: HTTP {response.status_code} from /auth: {response.text[:200]}")
        body = response.json()
        self.access, self.refresh_token = body["access_token"], body["refresh_token"]
        self.expires_at = time.monotonic() + float(body["expires_in"])


class LoadClient(WireClient):
    """A WireClient that calls any tool with arguments, as its own user, and sorts the answers it gets."""

    def __init__(self, port: int, mode: Mode, tokens: Tokens | None) -> None:
        super().__init__(port, mode, tokens.access if tokens else None)
        self.tokens = tokens

    def use_token(self) -> None:
        if self.tokens is not None:
            self.set_bearer(self.tokens.access)

    async def call(self, name: str, arguments: dict[str, Any]) -> str:
        """One tools/call; returns 'ok', 'tool_error:<code>', 'http_429' or 'http_<status>'."""
        params: dict[str, Any] = {"name": name, "arguments": arguments}
        if self.mode == "auto":
            params["_meta"] = json.loads(MODERN_META)
        body = json.dumps({"jsonrpc": "2.0", "id": self.next_id(), "method": "tools/call", "params": params})
        response = await self.request(b"POST", body.encode(), self.mcp_headers("tools/call", name))
        if response.status != 200:
            return f"http_{response.status}"
        message = json_rpc_payload(response.body)
        result = message.get("result")
        if not isinstance(result, dict):
            return f"rpc_error:{(message.get('error') or {}).get('code')}"
        if result.get("isError"):
            content = result.get("content") or [{}]
            text = content[0].get("text", "") if isinstance(content[0], dict) else ""
            return f"tool_error:{text.split(':', 1)[0] or '?'}"  # Cyrano's error texts start with their code
        self.tool_calls += 1
        return "ok"


class Mix:
    """Draws the next call of the realistic mix (deterministic per client seed)."""

    def __init__(self, corpus: Corpus, seed: int) -> None:
        self.corpus = corpus
        self.random = random.Random(seed)
        self.tools = [name for name, _ in MIX]
        self.weights = [weight for _, weight in MIX]
        self.seed = seed
        self.ingested = 0

    def next_call(self) -> tuple[str, dict[str, Any]]:
        name = self.random.choices(self.tools, self.weights)[0]
        if name == "matters_list":
            return name, {"limit": 20, "status": "open"} if self.random.random() < 0.5 else {"limit": 20}
        if name == "matters_get":
            return name, {"matter_id": self.random.choice(self.corpus.matter_ids)}
        if name == "arkiver_search":
            return name, {"query": self.random.choice(QUERIES), "limit": 10}
        if name == "arkiver_insights":
            return name, {"document_id": self.random.choice(self.corpus.document_ids)}
        if name == "arkiver_ingest":
            self.ingested += 1
            text = (
                f"File note {self.seed}-{self.ingested}. On March {self.ingested % 28 + 1}, 2024 the client, Acme "
                f"Holdings LLC, called about invoice {self.seed * 1000 + self.ingested} for $1,{self.ingested:03d}.00 "
                "owed by Harbor Supply Co. under the Supply Agreement, which is governed by the laws of the State "
                "of New York. Follow up within 10 days."
            )
            return name, {"text": text, "filename": "note.txt", "matter_id": self.random.choice(self.corpus.matter_ids)}
        return name, {}


@dataclass
class Tally:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    peak_rss_bytes: int = 0
    late_starts: int = 0  # paced calls sent more than 100 ms after they were due

    @property
    def calls(self) -> int:
        return sum(self.outcomes.values())

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies_ms.values() for value in values]


async def open_clients(
    port: int, mode: Mode, tokens: Sequence[Tokens | None], http: httpx2.AsyncClient
) -> list[LoadClient]:
    clients = [LoadClient(port, mode, token) for token in tokens]

    async def open_one(client: LoadClient) -> None:
        if client.tokens is not None:
            await client.tokens.log_in(http)
            client.use_token()
        await client.open_session()

    with anyio.fail_after(120):
        async with anyio.create_task_group() as group:
            for client in clients:
                group.start_soon(open_one, client)
    return clients


async def close_clients(clients: Sequence[LoadClient]) -> None:
    with anyio.move_on_after(STOP_TIMEOUT, shield=True):
        async with anyio.create_task_group() as group:
            for client in clients:
                group.start_soon(client.close_session)


async def drive(
    server: ServerProcess,
    clients: Sequence[LoadClient],
    mixes: Sequence[Mix] | None,
    http: httpx2.AsyncClient,
    *,
    seconds: float,
    interval: float | None,
) -> Tally:
    """Every client calls for `seconds`: every `interval` seconds (paced), or back to back (None).

    With `mixes` None, every call is the trivial tool (`system_info`) with no arguments.
    """
    tally = Tally()
    sampler = RssSampler(server)
    start = time.perf_counter()
    end = start + seconds
    cpu_start = server.cpu_seconds()

    async def run(index: int, client: LoadClient) -> None:
        mix = mixes[index] if mixes is not None else None
        due = start + (index * interval / len(clients) if interval else 0.0)
        while due < end:
            if interval is not None:
                await anyio.sleep(max(0.0, due - time.perf_counter()))
                if time.perf_counter() - due > 0.1:
                    tally.late_starts += 1
            name, arguments = mix.next_call() if mix is not None else (TOOL, {})
            if client.tokens is not None and await client.tokens.fresh(http):
                client.use_token()
            sent = time.perf_counter()
            try:
                outcome = await client.call(name, arguments)
            except CALL_ERRORS:
                outcome = "connection_error"
                await client.aclose()
                await client.open_session()
            done = time.perf_counter()
            if done <= end:
                tally.outcomes[outcome] += 1
                if outcome == "ok":
                    tally.latencies_ms[name].append((done - (due if interval is not None else sent)) * 1000)
            if interval is not None:
                due += interval
            else:
                due = done

    async with anyio.create_task_group() as group:
        group.start_soon(sampler.run)
        async with anyio.create_task_group() as callers:
            for index, client in enumerate(clients):
                callers.start_soon(run, index, client)
        group.cancel_scope.cancel()
    tally.seconds = time.perf_counter() - start
    tally.server_cpu_seconds = server.cpu_seconds() - cpu_start
    tally.peak_rss_bytes = sampler.peak_bytes
    return tally


# --- reporting ------------------------------------------------------------------------------------------
def print_tally(title: str, tally: Tally) -> None:
    errors = {k: v for k, v in tally.outcomes.items() if k != "ok"}
    rate = tally.calls / tally.seconds if tally.seconds else 0.0
    print(
        f"  {title}: {rate:.1f} calls/s over {tally.seconds:.1f} s, {tally.outcomes['ok']} ok, "
        f"errors {dict(errors) or 'none'}, server CPU {tally.server_cpu_seconds / tally.seconds * 100:.0f}%, "
        f"peak RSS {tally.peak_rss_bytes / 2**20:.0f} MiB"
        + (f", {tally.late_starts} calls sent >100 ms late" if tally.late_starts else "")
    )
    print(f"    {'tool':<18} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name in sorted(tally.latencies_ms):
        values = tally.latencies_ms[name]
        print(
            f"    {name:<18} {len(values):>6} {percentile(values, 0.5):>8.1f} {percentile(values, 0.95):>8.1f} "
            f"{percentile(values, 0.99):>8.1f}"
        )
    values = tally.all_latencies()
    p50, p95, p99 = percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)
    print(f"    {'(all)':<18} {len(values):>6} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}")


# --- the run --------------------------------------------------------------------------------------------
@dataclass
class Run:
    """What every phase of one benchmark run shares."""

    args: argparse.Namespace
    workdir: Path
    env: dict[str, str]
    corpus: Corpus
    results: dict[str, Any]


async def paced(mode: Mode, run: Run) -> bool:
    args, workdir, env, corpus, results = run.args, run.workdir, run.env, run.corpus, run.results
    ok = True
    async with httpx2.AsyncClient(timeout=30) as http:
        async with cyrano_server(workdir, env, f"paced-{mode}") as server:
            tokens = [Tokens(server.port, name) for name in corpus.usernames[: args.clients]]
            clients = await open_clients(server.port, mode, tokens, http)
            mixes = [Mix(corpus, seed) for seed in range(len(clients))]
            profile = mirror_profile(clients[0], workdir)
            try:
                tally = await drive(server, clients, mixes, http, seconds=args.paced, interval=args.interval)
            finally:
                await close_clients(clients)
        print_tally(f"cyrano, paced mix, {len(clients)} clients x 1 call / {args.interval:g} s", tally)
        async with bare_server(workdir, profile) as bare:
            clients = await open_clients(bare.port, mode, [None] * args.clients, http)
            try:
                bare_tally = await drive(bare, clients, None, http, seconds=args.paced, interval=args.interval)
            finally:
                await close_clients(clients)
        print_tally(f"bare MCPServer, paced {TOOL}, same load", bare_tally)
    worst = max(percentile(values, 0.95) for values in tally.latencies_ms.values())
    failures = {k: v for k, v in tally.outcomes.items() if k != "ok"}
    verdict = worst < PACED_P95_TARGET_MS and not failures
    ok = ok and verdict
    print(
        f"  paced verdict: worst per-tool p95 {worst:.1f} ms (bare {TOOL} p95 "
        f"{percentile(bare_tally.all_latencies(), 0.95):.1f} ms); target < {PACED_P95_TARGET_MS:.0f} ms and no errors: "
        f"{'OK' if verdict else 'MISSED'}",
        flush=True,
    )
    results[f"{mode}/paced"] = {"cyrano": summary(tally), "bare": summary(bare_tally), "met": verdict}
    return ok


async def saturated(mode: Mode, run: Run) -> bool:
    args, workdir, env, corpus, results = run.args, run.workdir, run.env, run.corpus, run.results
    env = {**env, "CYRANO_RATE_LIMIT_USER": "100000000/minute", "CYRANO_HTTP_SESSIONS_PER_USER": "10000"}
    async with (
        httpx2.AsyncClient(timeout=30) as http,
        AsyncExitStack() as stack,
        cyrano_server(workdir, env, f"saturated-{mode}") as server,
    ):
        tokens = [Tokens(server.port, name) for name in corpus.usernames[: args.clients]]
        cyrano_clients = await open_clients(server.port, mode, tokens, http)
        bare = await stack.enter_async_context(bare_server(workdir, mirror_profile(cyrano_clients[0], workdir)))
        bare_clients = await open_clients(bare.port, mode, [None] * args.clients, http)
        mixes = [Mix(corpus, 1000 + seed) for seed in range(len(cyrano_clients))]
        try:
            mix_tally = await drive(server, cyrano_clients, mixes, http, seconds=args.saturated, interval=None)
            print_tally(f"cyrano, saturated mix, {len(cyrano_clients)} clients back to back", mix_tally)
            trivial: dict[str, list[Tally]] = {"cyrano": [], "bare": []}
            pairs = [("cyrano", server, cyrano_clients), ("bare", bare, bare_clients)]
            for _ in range(2):  # warm-up, one second each
                for _, process, clients in pairs:
                    await drive(process, clients, None, http, seconds=1.0, interval=None)
            slices = max(2, round(args.saturated / args.slice))
            for index in range(slices):
                for name, process, clients in pairs if index % 2 == 0 else pairs[::-1]:
                    trivial[name].append(await drive(process, clients, None, http, seconds=args.slice, interval=None))
        finally:
            await close_clients(cyrano_clients)
            await close_clients(bare_clients)
    merged = {name: merge(tallies) for name, tallies in trivial.items()}
    for name, tally in merged.items():
        print_tally(f"{name}, saturated {TOOL} only, {args.clients} clients", tally)
    rate = {name: tally.calls / tally.seconds for name, tally in merged.items()}
    p95 = {name: percentile(tally.all_latencies(), 0.95) for name, tally in merged.items()}
    cpu = {name: us_per_call(tally.server_cpu_seconds, tally.calls) for name, tally in merged.items()}
    ratio, p95_factor = rate["cyrano"] / rate["bare"], p95["cyrano"] / p95["bare"]
    verdict = ratio >= SATURATED_RATIO_TARGET and p95_factor <= SATURATED_P95_FACTOR
    print(
        f"  saturated verdict: throughput cyrano/bare {ratio:.3f} (target >= {SATURATED_RATIO_TARGET}), p95 "
        f"{p95['cyrano']:.1f} / {p95['bare']:.1f} ms = {p95_factor:.2f}x (target <= {SATURATED_P95_FACTOR}); "
        f"server CPU per call {cpu['cyrano']:.0f} / {cpu['bare']:.0f} us: {'OK' if verdict else 'MISSED'}",
        flush=True,
    )
    results[f"{mode}/saturated"] = {
        "mix": summary(mix_tally),
        "trivial": {name: summary(tally) for name, tally in merged.items()},
        "ratio": ratio,
        "p95_factor": p95_factor,
        "met": verdict,
    }
    return verdict


def merge(tallies: Sequence[Tally]) -> Tally:
    merged = Tally()
    for tally in tallies:
        for name, values in tally.latencies_ms.items():
            merged.latencies_ms[name].extend(values)
        merged.outcomes.update(tally.outcomes)
        merged.seconds += tally.seconds
        merged.server_cpu_seconds += tally.server_cpu_seconds
        merged.peak_rss_bytes = max(merged.peak_rss_bytes, tally.peak_rss_bytes)
    return merged


def summary(tally: Tally) -> dict[str, Any]:
    return {
        "calls_per_s": tally.calls / tally.seconds if tally.seconds else 0.0,
        "outcomes": dict(tally.outcomes),
        "peak_rss_mib": tally.peak_rss_bytes / 2**20,
        "per_tool": {
            name: {"calls": len(v), "p50": percentile(v, 0.5), "p95": percentile(v, 0.95), "p99": percentile(v, 0.99)}
            for name, v in tally.latencies_ms.items()
        },
    }


async def run(args: argparse.Namespace) -> int:
    modes: list[Mode] = ["auto", "legacy"] if args.mode == "both" else [args.mode]
    load = os.getloadavg()
    print(
        f"load: Python {platform.python_version()} on {os.cpu_count()} CPUs, load average {load[0]:.2f}; "
        f"{args.clients} clients; paced {args.paced:g} s, saturated {args.saturated:g} s per mode; store "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}; cyrano {describe_checkout()}",
        flush=True,
    )
    results: dict[str, Any] = {}
    ok = True
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.log_dir) if args.log_dir else Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        database_url = await create_postgres_database(args.database_url) if args.database_url else None
        try:
            env = server_environment(workdir / "cyrano-data", database_url)
            started = time.perf_counter()
            corpus = await seed(env, users=args.clients, matters=args.matters)
            print(
                f"  set-up: {len(corpus.matter_ids)} matters, {len(corpus.document_ids)} documents, "
                f"{len(corpus.usernames)} accounts in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            for mode in modes:
                print(f"\n== protocol {'2026-07-28' if mode == 'auto' else '2025-11-25'} ({mode})", flush=True)
                run = Run(args, workdir, env, corpus, results)
                if args.paced > 0:
                    ok = await paced(mode, run) and ok
                if args.saturated > 0:
                    ok = await saturated(mode, run) and ok
        finally:
            if database_url is not None:
                await drop_postgres_database(database_url)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nall targets {'met' if ok else 'NOT met'}")
    return 1 if args.check and not ok else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["auto", "legacy", "both"], default="both", help="client protocol mode")
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients, each its own user")
    parser.add_argument("--paced", type=float, default=30.0, help="paced seconds per mode (0: skip)")
    parser.add_argument("--interval", type=float, default=2.0, help="paced: seconds between one client's calls")
    parser.add_argument("--saturated", type=float, default=20.0, help="saturated seconds per mode (0: skip)")
    parser.add_argument("--slice", type=float, default=2.0, help="saturated trivial-tool slices, alternating")
    parser.add_argument("--matters", type=int, default=20, help="matters in the store (2 documents each)")
    parser.add_argument("--database-url", help="a PostgreSQL URL (postgresql+asyncpg://...); a new database is made")
    parser.add_argument("--log-dir", help="keep the servers' logs and the store here")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.interval <= 0 or args.slice <= 0:
        parser.error("--clients >= 1, --interval and --slice > 0")
    return anyio.run(run, args)


if __name__ == "__main__":
    sys.exit(main())

"""How much a flood of `initialize` requests from one account grows the HTTP server (issue 12, finding 5).

    python bench/http_sessions.py                                       # 3,000 initializes, default settings
    python bench/http_sessions.py --rate-limit-user 100000000/minute    # the per-user session cap alone

Starts the installed `cyrano-mcp serve --transport http` (stateful streamable HTTP, JSON answers) on a fresh
SQLite store, logs one account in, opens and closes one session to warm up, then sends `--count` legacy
`initialize` requests (no session id, so each asks for a new session) over `--concurrency` connections and
prints how they were answered and the server's resident memory before and after. Run it with the code of
another checkout on PYTHONPATH to compare (settings that checkout does not know are ignored).
"""

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import anyio
import httpx2
import load

USER, PASSWORD = "flood", "flood-password-not-secret-1"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "flood", "version": "0"}},
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def add_account(env: dict[str, str], workdir: Path) -> None:
    executable = Path(sys.executable).with_name("cyrano-mcp")
    subprocess.run(
        [str(executable), "users", "add", USER, "--role", "viewer"],
        input=f"{PASSWORD}\n".encode(),
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
    )


async def flood(base_url: str, token: str, count: int, concurrency: int) -> Counter[int]:
    statuses: Counter[int] = Counter()
    remaining = iter(range(count))
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    limits = httpx2.Limits(max_connections=concurrency)
    async with httpx2.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as http:

        async def worker() -> None:
            for _ in remaining:
                statuses[(await http.post("/mcp", json=INITIALIZE)).status_code] += 1

        async with anyio.create_task_group() as group:
            for _ in range(concurrency):
                group.start_soon(worker)
    return statuses


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        env = load.server_environment(workdir / "cyrano-data", None)
        env.update(CYRANO_STATELESS_HTTP="0", CYRANO_JSON_RESPONSE="1", CYRANO_LOG_LEVEL="WARNING")
        if args.rate_limit_user:
            env["CYRANO_RATE_LIMIT_USER"] = args.rate_limit_user
        add_account(env, workdir)
        async with load.cyrano_server(workdir, env, "sessions") as server:
            base_url = f"http://127.0.0.1:{server.port}"
            async with httpx2.AsyncClient(base_url=base_url, headers=HEADERS) as http:
                token = (await http.post("/auth/login", json={"username": USER, "password": PASSWORD})).json()
                bearer = {"Authorization": f"Bearer {token['access_token']}"}
                opened = await http.post("/mcp", json=INITIALIZE, headers=bearer)
                session = {"mcp-session-id": opened.headers["mcp-session-id"], "mcp-protocol-version": "2025-11-25"}
                await http.delete("/mcp", headers={**bearer, **session})
            await anyio.sleep(1)
            before = server.ps.memory_info().rss
            started = time.perf_counter()
            statuses = await flood(base_url, token["access_token"], args.count, args.concurrency)
            elapsed = time.perf_counter() - started
            await anyio.sleep(1)
            after = server.ps.memory_info().rss
    answered = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
    print(f"{args.count} initializes in {elapsed:.1f} s over {args.concurrency} connections: {answered}")
    print(
        f"server RSS {before / 2**20:.1f} MiB -> {after / 2**20:.1f} MiB: +{(after - before) / 2**20:.1f} MiB "
        f"({(after - before) / args.count / 1024:.1f} KiB per initialize)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=3000, help="initialize requests to send")
    parser.add_argument("--concurrency", type=int, default=10, help="connections sending them")
    parser.add_argument("--rate-limit-user", help="CYRANO_RATE_LIMIT_USER for the server (default: its default)")
    args = parser.parse_args(argv)
    anyio.run(run, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Soak: the load benchmark's tool mix at a steady moderate rate for a long time; does the server leak?

    python bench/soak.py                        # 30 minutes, 50 clients x 1 call / 2 s (25 calls/s)
    python bench/soak.py --minutes 3 --warmup 1 # a quick look
    python bench/soak.py --database-url postgresql+asyncpg://root@127.0.0.1:5432/test

Same set-up as `bench/load.py` (a fresh store with matters, documents and one paralegal account per client;
`cyrano-mcp serve --transport http` with every layer on; each client its own user, refreshing its tokens,
which live 15 minutes). Every 10 s it samples the server's resident memory, open file descriptors and
database connections (PostgreSQL: its sessions on the bench database; SQLite: the server's open handles
on the store's files), and prints the samples. After the warm-up, memory must grow less than 5% (the mean
of the last three samples against the mean of the first three) and file descriptors and connections must
stay flat (the last sample no higher than the highest of the first three after warm-up).
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import anyio
import httpx2
import load
from servers import ServerProcess, describe_checkout

SAMPLE_SECONDS = 10.0
GROWTH_LIMIT = 0.05


@dataclass
class Sample:
    at_seconds: float
    rss_bytes: int
    fds: int
    db_connections: int
    calls: int


async def count_db_connections(server: ServerProcess, database_url: str | None) -> int:
    if database_url is None:
        store_files = [f for f in server.ps.open_files() if Path(f.path).name.startswith("cyrano.db")]
        return len(store_files)
    import asyncpg

    name = database_url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1), timeout=5)
    try:
        count = await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", name)
    finally:
        await conn.close()
    return int(count) - 1  # not this probe's own session


def check(samples: Sequence[Sample], warmup_seconds: float) -> tuple[bool, list[str]]:
    settled = [s for s in samples if s.at_seconds >= warmup_seconds]
    if len(settled) < 6:
        return False, [f"only {len(settled)} samples after the warm-up: run longer (at least 6 are needed)"]
    first, last = settled[:3], settled[-3:]
    rss_first = statistics.mean(s.rss_bytes for s in first)
    rss_last = statistics.mean(s.rss_bytes for s in last)
    growth = rss_last / rss_first - 1
    fd_ceiling = max(s.fds for s in first)
    db_ceiling = max(s.db_connections for s in first)
    lines = [
        f"memory: {rss_first / 2**20:.1f} -> {rss_last / 2**20:.1f} MiB after warm-up ({growth * 100:+.1f}%; "
        f"limit +{GROWTH_LIMIT * 100:.0f}%); peak {max(s.rss_bytes for s in samples) / 2**20:.1f} MiB",
        f"file descriptors: {settled[0].fds} .. {settled[-1].fds} (range {min(s.fds for s in settled)}-"
        f"{max(s.fds for s in settled)} after warm-up)",
        f"database connections: {settled[0].db_connections} .. {settled[-1].db_connections} (range "
        f"{min(s.db_connections for s in settled)}-{max(s.db_connections for s in settled)} after warm-up)",
    ]
    ok = growth < GROWTH_LIMIT and settled[-1].fds <= fd_ceiling and settled[-1].db_connections <= db_ceiling
    return ok, lines


async def run(args: argparse.Namespace) -> int:
    print(
        f"soak: Python {platform.python_version()} on {os.cpu_count()} CPUs; {args.clients} clients x 1 call / "
        f"{args.interval:g} s for {args.minutes:g} min (warm-up {args.warmup:g} min); store "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}; cyrano {describe_checkout()}",
        flush=True,
    )
    seconds = args.minutes * 60
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.log_dir) if args.log_dir else Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        database_url = await load.create_postgres_database(args.database_url) if args.database_url else None
        try:
            env = load.server_environment(workdir / "cyrano-data", database_url)
            corpus = await load.seed(env, users=args.clients, matters=args.matters)
            async with httpx2.AsyncClient(timeout=30) as http, load.cyrano_server(workdir, env, "soak") as server:
                tokens = [load.Tokens(server.port, name) for name in corpus.usernames]
                clients = await load.open_clients(server.port, "auto", tokens, http)
                mixes = [load.Mix(corpus, seed) for seed in range(len(clients))]
                started = time.perf_counter()
                result: dict[str, load.Tally] = {}

                async def drive() -> None:
                    result["tally"] = await load.drive(
                        server, clients, mixes, http, seconds=seconds, interval=args.interval
                    )

                async def sample() -> None:
                    while True:
                        samples.append(
                            Sample(
                                at_seconds=time.perf_counter() - started,
                                rss_bytes=server.ps.memory_info().rss,
                                fds=server.ps.num_fds(),
                                db_connections=await count_db_connections(server, database_url),
                                calls=sum(client.tool_calls for client in clients),
                            )
                        )
                        latest = samples[-1]
                        print(
                            f"  {latest.at_seconds:7.0f} s  RSS {latest.rss_bytes / 2**20:7.1f} MiB  fds "
                            f"{latest.fds:4d}  db connections {latest.db_connections:3d}  calls {latest.calls}",
                            flush=True,
                        )
                        await anyio.sleep(SAMPLE_SECONDS)

                try:
                    async with anyio.create_task_group() as group:
                        group.start_soon(sample)
                        await drive()
                        group.cancel_scope.cancel()
                finally:
                    await load.close_clients(clients)
                refreshes = sum(token.refreshes for token in tokens)
        finally:
            if database_url is not None:
                await load.drop_postgres_database(database_url)
    load.print_tally(f"soak mix, {args.clients} clients ({refreshes} token refreshes)", result["tally"])
    ok, lines = check(samples, args.warmup * 60)
    for line in lines:
        print(f"  {line}")
    failures = {k: v for k, v in result["tally"].outcomes.items() if k != "ok"}
    ok = ok and not failures
    verdict = "OK" if ok else "MISSED"
    print(f"soak verdict: {verdict} (growth < {GROWTH_LIMIT * 100:.0f}%, flat fds and connections, no errors)")
    return 0 if ok or not args.check else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0, help="how long the mix runs")
    parser.add_argument("--warmup", type=float, default=5.0, help="minutes before growth is measured")
    parser.add_argument("--clients", type=int, default=50, help="clients, each its own user")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between one client's calls")
    parser.add_argument("--matters", type=int, default=20, help="matters in the store (2 documents each)")
    parser.add_argument("--database-url", help="a PostgreSQL URL (postgresql+asyncpg://...); a new database is made")
    parser.add_argument("--log-dir", help="keep the server's log and the store here")
    parser.add_argument("--check", action="store_true", help="exit 1 when the soak fails")
    args = parser.parse_args(argv)
    if args.minutes <= args.warmup:
        parser.error("--minutes must be longer than --warmup")
    return anyio.run(run, args)


if __name__ == "__main__":
    sys.exit(main())

"""How much of a bare MCP server's throughput does Cyrano's registry call path keep?

Runs two servers as subprocesses on 127.0.0.1, served the same way (uvicorn with the configuration
`cyrano-mcp serve` uses, h11 and asyncio as installed, streamable HTTP at /mcp, the same HTTP mode):

* **cyrano**: the installed `cyrano-mcp serve --transport http` with every layer on (bearer token, RBAC,
  rate limit with its quota out of reach, audit, metrics), its normal INFO logging on stderr redirected
  to a file (not disabled: logging is part of the cost). The tool is `system_info`, which touches no
  database. With `--layers core`, Cyrano's registry call path alone instead (`baselines.py core`).
* **bare**: `MCPServer("bare")` (`baselines.py bare`) with one async tool, also named `system_info`,
  that builds and returns a pydantic model of the same shape and size as Cyrano's `SystemInfo` (the SDK
  version read once, as Cyrano does); stdlib logging at INFO to a file.

A load generator in this process drives N concurrent clients (`mcpwire.WireClient`: one keep-alive
HTTP/1.1 connection each, sending what `mcp.Client` 2.3 sends in the chosen protocol mode, `auto` or
`legacy`). It speaks raw HTTP rather than running `mcp.Client` so that, on a small machine, the servers
and not the client library are the bottleneck (see the gen CPU column).

Each round opens a fleet of clients per server, warms both up, then measures them in alternating
slices (A B B A A B ...) so that both see the same background load; within a slice, completed calls,
their latencies and the server process's CPU time are recorded. The table gives per server the
median throughput of the rounds, p50/p95 latency over all rounds and CPU time per call. The ratio is
computed per round (cyrano / bare, same round) and its median is checked against the target. The
CPU-per-call ratio (bare / cyrano) is what the throughput ratio converges to when both servers are
CPU-bound; on a shared machine it is the steadier of the two.

    python bench/registry_overhead.py                       # auto and legacy, 10 and 100 clients
    python bench/registry_overhead.py --mode legacy --http stateless --duration 5 --rounds 2
    python bench/registry_overhead.py --clients 10 --json bench/results/run.json --check
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

import anyio
from mcpwire import CALL_ERRORS, TOOL, Mode, WireClient
from servers import (
    STARTUP_TIMEOUT,
    STOP_TIMEOUT,
    ServerName,
    ServerProcess,
    describe_checkout,
    log_in,
    mirror_profile,
    start_server,
    stop,
    wait_ready,
)
from stats import percentile, us_per_call

TARGET_RATIO = 0.90
SATURATED_PCT = 80.0  # below this server CPU share, the server was not the bottleneck


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------
@dataclass
class Measurement:
    """One server's numbers in one round (the sum of its slices)."""

    server: ServerName
    mode: Mode
    clients: int
    round: int
    calls: int = 0
    seconds: float = 0.0
    errors: int = 0
    server_cpu_seconds: float = 0.0
    loadgen_cpu_seconds: float = 0.0
    response_bytes: int = 0  # over the measured slices
    sliced_tool_calls: int = 0  # every call made in the measured slices, in the window or not
    log_lines: int = 0
    all_tool_calls: int = 0  # set-up and warm-up included
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def throughput(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_us_per_call(self) -> float:
        return us_per_call(self.server_cpu_seconds, self.calls)


class Fleet:
    """N concurrent clients of one server, each on its own connection (and session, in legacy stateful mode)."""

    def __init__(self, server: ServerProcess, mode: Mode, clients: int) -> None:
        self.server = server
        self.clients = [WireClient(server.port, mode, server.bearer) for _ in range(clients)]

    async def open(self) -> None:
        with anyio.fail_after(STARTUP_TIMEOUT):
            async with anyio.create_task_group() as group:
                for client in self.clients:
                    group.start_soon(client.open_session)

    async def close(self) -> None:
        with anyio.move_on_after(STOP_TIMEOUT, shield=True):
            async with anyio.create_task_group() as group:
                for client in self.clients:
                    group.start_soon(client.close_session)

    async def run_for(self, seconds: float, tally: Measurement | None) -> None:
        """Every client calls the tool back to back for `seconds`; calls completed in the window go to `tally`.

        Afterwards the calls still in flight are allowed to finish (not counted), so that this server is
        idle again before the next slice measures the other one.
        """
        window_start = time.perf_counter()
        window_end = window_start + seconds
        cpu_start, own_start = self.server.cpu_seconds(), time.process_time()
        bytes_start = sum(client.response_bytes for client in self.clients)
        calls_start = sum(client.tool_calls for client in self.clients)
        marks: dict[str, float] = {}
        latencies: list[float] = []
        errors = 0

        async def drive(client: WireClient) -> None:
            nonlocal errors
            while (started := time.perf_counter()) < window_end:
                try:
                    await client.call_tool()
                except CALL_ERRORS as exc:
                    errors += 1
                    if errors <= 3:
                        print(f"    ! {self.server.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    await client.aclose()
                    await client.open_session()
                    continue
                done = time.perf_counter()
                if done <= window_end:
                    latencies.append((done - started) * 1000)

        async def close_window() -> None:
            await anyio.sleep(max(0.0, window_end - time.perf_counter()))  # the window's length, not a sync point
            marks["cpu"], marks["own"], marks["end"] = (
                self.server.cpu_seconds(),
                time.process_time(),
                time.perf_counter(),
            )

        with anyio.fail_after(seconds + 60):
            async with anyio.create_task_group() as group:
                group.start_soon(close_window)
                for client in self.clients:
                    group.start_soon(drive, client)
        if tally is None:
            return
        tally.calls += len(latencies)
        tally.latencies_ms.extend(latencies)
        tally.seconds += marks["end"] - window_start
        tally.errors += errors
        tally.server_cpu_seconds += marks["cpu"] - cpu_start
        tally.loadgen_cpu_seconds += marks["own"] - own_start
        tally.response_bytes += sum(client.response_bytes for client in self.clients) - bytes_start
        tally.sliced_tool_calls += sum(client.tool_calls for client in self.clients) - calls_start


async def measure_round(
    servers: dict[ServerName, ServerProcess],
    mode: Mode,
    clients: int,
    *,
    warmup: float,
    duration: float,
    slice_seconds: float,
    round_index: int,
) -> dict[ServerName, Measurement]:
    """Both servers, measured in alternating slices (A B B A A B ...) so that they share the machine's mood."""
    first: ServerName = "cyrano" if round_index % 2 == 0 else "bare"
    second: ServerName = "bare" if first == "cyrano" else "cyrano"
    tallies = {name: Measurement(server=name, mode=mode, clients=clients, round=round_index) for name in servers}
    slices = max(1, round(duration / slice_seconds))
    fleets = {name: Fleet(servers[name], mode, clients) for name in (first, second)}
    lines_before = {name: server.log_lines() for name, server in servers.items()}
    try:
        for name in (first, second):
            await fleets[name].open()
            await fleets[name].run_for(warmup, None)
        for index in range(slices):
            for name in (first, second) if index % 2 == 0 else (second, first):
                await fleets[name].run_for(duration / slices, tallies[name])
    finally:
        for fleet in fleets.values():
            await fleet.close()
    for name, server in servers.items():
        tallies[name].log_lines = server.log_lines() - lines_before[name]
        # set-up calls and warm-up calls were logged too: count them for the lines-per-call figure
        tallies[name].all_tool_calls = sum(client.tool_calls for client in fleets[name].clients)
    return tallies


# --------------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------------
@dataclass
class Summary:
    mode: Mode
    clients: int
    rows: dict[ServerName, dict[str, float]]
    ratios: list[float]
    cpu_ratios: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def summarise(mode: Mode, clients: int, results: Sequence[Measurement]) -> Summary:
    rows: dict[ServerName, dict[str, float]] = {}
    for name in ("cyrano", "bare"):
        mine = [m for m in results if m.server == name]
        latencies = [value for m in mine for value in m.latencies_ms]
        seconds = sum(m.seconds for m in mine)
        rows[name] = {
            "calls_per_s": statistics.median(m.throughput for m in mine),
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
            "server_cpu_us_per_call": statistics.median(m.server_cpu_us_per_call for m in mine),
            "server_cpu_pct": sum(m.server_cpu_seconds for m in mine) / seconds * 100,
            "loadgen_cpu_pct": sum(m.loadgen_cpu_seconds for m in mine) / seconds * 100,
            "bytes_per_call": sum(m.response_bytes for m in mine) / max(1, sum(m.sliced_tool_calls for m in mine)),
            "log_lines_per_call": sum(m.log_lines for m in mine) / max(1, sum(m.all_tool_calls for m in mine)),
            "errors": sum(m.errors for m in mine),
            "calls": sum(m.calls for m in mine),
        }
    rounds = sorted({m.round for m in results})
    by_key = {(m.server, m.round): m for m in results}
    ratios = [by_key["cyrano", r].throughput / by_key["bare", r].throughput for r in rounds]
    cpu_ratios = [by_key["bare", r].server_cpu_us_per_call / by_key["cyrano", r].server_cpu_us_per_call for r in rounds]
    return Summary(mode=mode, clients=clients, rows=rows, ratios=ratios, cpu_ratios=cpu_ratios)


def print_table(summaries: Sequence[Summary], http: str, target: float) -> None:
    header = (
        f"{'mode':<7} {'http':<10} {'clients':>7} {'server':<7} {'calls/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'srv CPU us/call':>15} {'srv CPU':>8} {'gen CPU':>8} {'resp B':>7} {'log/call':>8} {'errors':>6}"
    )
    print()
    print(header)
    print("-" * len(header))
    for summary in summaries:
        for name in ("cyrano", "bare"):
            row = summary.rows[name]
            print(
                f"{summary.mode:<7} {http:<10} {summary.clients:>7} {name:<7} {row['calls_per_s']:>9.1f} "
                f"{row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['server_cpu_us_per_call']:>15.0f} "
                f"{row['server_cpu_pct']:>7.0f}% {row['loadgen_cpu_pct']:>7.0f}% {row['bytes_per_call']:>7.0f} "
                f"{row['log_lines_per_call']:>8.2f} {row['errors']:>6.0f}"
            )
        verdict = "OK" if summary.ratio >= target else "BELOW TARGET"
        print(
            f"{'':<27}ratio cyrano/bare throughput {summary.ratio:.3f} "
            f"(rounds {', '.join(f'{r:.3f}' for r in summary.ratios)}; target >= {target:.2f}: {verdict}); "
            f"CPU-per-call ratio bare/cyrano {statistics.median(summary.cpu_ratios):.3f}"
        )
        busiest = max(row["server_cpu_pct"] for row in summary.rows.values())
        if busiest < SATURATED_PCT:
            print(
                f"{'':<27}note: neither server used more than {busiest:.0f}% of a CPU, so other load on the machine "
                "limited both; the CPU-per-call ratio is the steadier estimate of the saturated throughput ratio"
            )
        print("-" * len(header))
    print(
        "srv CPU: server process CPU time / measured time; gen CPU: this load generator's; resp B: response bytes "
        "per call; log/call: server log lines per tool call (set-up and warm-up calls included)"
    )


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------
async def run_benchmark(args: argparse.Namespace) -> int:
    modes: list[Mode] = ["auto", "legacy"] if args.mode == "both" else [args.mode]
    http_modes: list[bool] = {"stateful": [False], "stateless": [True], "both": [False, True]}[args.http]
    clients: list[int] = args.clients
    load = os.getloadavg()
    print(
        f"registry_overhead: {platform.python_version()} on {os.cpu_count()} CPUs, load average "
        f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}; tool {TOOL}; {args.rounds} rounds x "
        f"({args.warmup:g} s warm-up + {args.duration:g} s in {args.slice:g} s slices) per server; "
        f"json_response={args.json_response}; cyrano {describe_checkout()}, layers: {args.layers}",
        flush=True,
    )
    if load[0] > (os.cpu_count() or 1):
        print("  note: the machine is already busy; absolute numbers will be noisy, ratios less so", flush=True)
    all_results: list[Measurement] = []
    failed = False
    with ExitStack() as stack:
        workdir = Path(args.log_dir) if args.log_dir else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        workdir.mkdir(parents=True, exist_ok=True)
        for stateless in http_modes:
            http = "stateless" if stateless else "stateful"
            subdir = workdir / http
            subdir.mkdir(exist_ok=True)
            cyrano = stack.enter_context(
                start_server(
                    "cyrano", subdir, stateless=stateless, json_response=args.json_response, layers=args.layers
                )
            )
            await wait_ready(cyrano)
            if args.layers == "full":
                await log_in(cyrano)
            profile = subdir / "bare-profile.json"
            profile.write_text(json.dumps(await mirror_profile(cyrano)), encoding="utf-8")
            bare = stack.enter_context(
                start_server("bare", subdir, stateless=stateless, json_response=args.json_response, profile=profile)
            )
            await wait_ready(bare)
            servers: dict[ServerName, ServerProcess] = {"cyrano": cyrano, "bare": bare}
            summaries: list[Summary] = []
            for mode in modes:
                for count in clients:
                    results: list[Measurement] = []
                    for round_index in range(args.rounds):
                        tallies = await measure_round(
                            servers,
                            mode,
                            count,
                            warmup=args.warmup,
                            duration=args.duration,
                            slice_seconds=args.slice,
                            round_index=round_index,
                        )
                        results.extend(tallies.values())
                        print(
                            f"  {http:<9} {mode:<6} clients={count:<4} round {round_index + 1}/{args.rounds}: "
                            + "; ".join(
                                f"{name} {m.throughput:7.1f} calls/s, p50 {percentile(m.latencies_ms, 0.5):6.2f} ms, "
                                f"{m.server_cpu_us_per_call:5.0f} us CPU/call, {m.errors} errors"
                                for name, m in tallies.items()
                            ),
                            flush=True,
                        )
                    all_results.extend(results)
                    summary = summarise(mode, count, results)
                    summaries.append(summary)
                    failed = failed or summary.ratio < args.target
            print_table(summaries, http, args.target)
            for server in servers.values():
                stop(server.popen)
        if args.log_dir:
            print(f"server logs kept in {workdir}")
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = [{**asdict(m), "latencies_ms": None} for m in all_results]
        path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        print(f"raw measurements written to {path}")
    return 1 if failed and args.check else 0


def _clients(value: str) -> list[int]:
    counts = [int(part) for part in value.split(",") if part.strip()]
    if not counts or any(count < 1 for count in counts):
        raise argparse.ArgumentTypeError("give positive integers, comma-separated")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["auto", "legacy", "both"], default="both", help="client protocol mode")
    parser.add_argument("--http", choices=["stateful", "stateless", "both"], default="stateful", help="HTTP mode")
    parser.add_argument("--json-response", action="store_true", help="serve plain JSON instead of SSE responses")
    parser.add_argument("--clients", type=_clients, default=[10, 100], help="concurrent clients (default 10,100)")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per server per round")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per server per round")
    parser.add_argument(
        "--slice", type=float, default=2.0, help="the measured seconds are taken in slices of this length, alternating"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the server that goes first alternates")
    parser.add_argument("--target", type=float, default=TARGET_RATIO, help="minimum cyrano/bare throughput ratio")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is below the target")
    parser.add_argument("--log-dir", help="keep the servers' logs here (default: a temporary directory)")
    parser.add_argument("--json", help="also write the raw measurements to this file")
    parser.add_argument(
        "--layers",
        choices=["full", "core"],
        default="full",
        help="full: `cyrano-mcp serve` with every layer (bearer token, RBAC, rate limit, audit); core: the registry "
        "call path alone (correlation id, validation, errors, log line, metrics), as issue 2 defines it",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.slice <= 0:
        parser.error("--rounds must be >= 1, --duration and --slice > 0, --warmup >= 0")
    return anyio.run(run_benchmark, args)


if __name__ == "__main__":
    sys.exit(main())

"""Where the time of a secured tool call goes: Cyrano's layers taken off one at a time, against a bare MCPServer.

    python bench/layers.py                  # 10 clients, 3 rounds of 6 s per variant (about 4 minutes)
    python bench/layers.py --clients 100 --rounds 2

Serves Cyrano's real HTTP app (`build_runtime` + `build_http_app`, as `cyrano-mcp serve --transport http`)
with every layer on, then with layers removed cumulatively, in this order: the audit interceptor; the rate
limiter's counting (every request allowed; the gate still runs); RBAC (the call-path check and the tools/list
filter); security headers and the request-id middleware; the metrics interceptor; and finally the request
gate with bearer tokens (no-auth mode, no Authenticate interceptor) — which leaves the registry's call path
alone. The bare server (`baselines.py bare`, answering what
Cyrano's `system_info` answers) is the reference. Each variant is its own subprocess; rounds alternate the
order. Clients are `load.py`'s: 10 users, each logged in as itself, calling `system_info` back to back.

The table gives calls per second, server CPU per call, and what each removal saved: the marginal cost of
that layer with the layers above it already gone. CPU per call is the steadier figure on a shared machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
import httpx2
import load
from mcpwire import TOOL
from servers import ServerProcess, describe_checkout, serve_app, start_server, wait_ready
from stats import percentile, us_per_call

# (label, what is removed in addition to the rows above)
VARIANTS: list[tuple[str, frozenset[str]]] = [
    ("everything on", frozenset()),
    ("- audit", frozenset({"AuditCalls"})),
    ("- rate limiter", frozenset({"limiter", "LimitCalls"})),
    ("- RBAC", frozenset({"Authorize", "HideForbiddenTools"})),
    ("- headers, request id", frozenset({"SecurityHeaders", "RequestContextMiddleware"})),
    ("- metrics", frozenset({"ToolCallMetrics"})),
    ("- request gate, tokens", frozenset({"RequestGate", "bearer", "Authenticate"})),
]


def serve_variant(port: int, removed: set[str]) -> None:
    """Cyrano's HTTP app with the named layers (class names) taken out, served as `cyrano-mcp serve` serves it."""
    from cyrano_mcp.http import build_http_app
    from cyrano_mcp.observability.logging import configure_logging
    from cyrano_mcp.security.ratelimit import Decision, Policy
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    runtime = build_runtime(settings)
    if "limiter" in removed:  # every request allowed without touching the counters (the gate still runs)

        async def allow(policy: Policy, _identity: str) -> Decision:
            return Decision(True, policy, 1, 60, 1, 60)

        runtime.security.limiter.hit = allow  # type: ignore[method-assign]
    call_path = runtime.registry.call_path
    call_path.interceptors = [i for i in call_path.interceptors if type(i).__name__ not in removed]
    server_middleware = runtime.server.middleware
    server_middleware[:] = [m for m in server_middleware if type(m).__name__ not in removed]
    app = build_http_app(runtime)
    app.user_middleware = [m for m in app.user_middleware if getattr(m.cls, "__name__", "") not in removed]
    serve_app(app, port)


def variant_server(workdir: Path, env: dict[str, str], removed: frozenset[str]) -> Any:
    env = dict(env)
    if "bearer" in removed:
        env.update(CYRANO_INSECURE_HTTP_NO_AUTH="true", CYRANO_RATE_LIMIT_ANONYMOUS="100000000/minute")

    def command(port: int) -> list[str]:
        return [
            sys.executable,
            str(Path(__file__).resolve()),
            "--serve",
            "--port",
            str(port),
            "--remove",
            ",".join(removed),
        ]

    return load.cyrano_server(workdir, env, "variant", command)


async def measure(server: ServerProcess, tokens: Sequence[load.Tokens | None], args: argparse.Namespace) -> load.Tally:
    async with httpx2.AsyncClient(timeout=30) as http:
        clients = await load.open_clients(server.port, "auto", tokens, http)
        try:
            await load.drive(server, clients, None, http, seconds=args.warmup, interval=None)
            return await load.drive(server, clients, None, http, seconds=args.duration, interval=None)
        finally:
            await load.close_clients(clients)


async def run(args: argparse.Namespace) -> int:
    print(
        f"layers: {os.cpu_count()} CPUs, {args.clients} clients, {args.rounds} rounds x {args.duration:g} s per "
        f"variant; tool {TOOL}; cyrano {describe_checkout()}",
        flush=True,
    )
    results: dict[str, list[load.Tally]] = {label: [] for label, _ in VARIANTS}
    results["bare MCPServer"] = []
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        env = load.server_environment(workdir / "cyrano-data", None)
        env["CYRANO_RATE_LIMIT_USER"] = "100000000/minute"  # the limiter counts every call; none is refused
        env["CYRANO_HTTP_SESSIONS_PER_USER"] = "10000"  # every client is the one bench account
        corpus = await load.seed(env, users=args.clients, matters=1)
        cumulative: list[tuple[str, frozenset[str]]] = []
        removed: frozenset[str] = frozenset()
        for label, more in VARIANTS:
            removed |= more
            cumulative.append((label, removed))
        profile: Path | None = None
        for round_index in range(args.rounds):
            order = cumulative if round_index % 2 == 0 else cumulative[::-1]
            for label, layers in order:
                async with variant_server(workdir, env, layers) as server:
                    tokens: list[load.Tokens | None] = (
                        [None] * args.clients
                        if "bearer" in layers
                        else [load.Tokens(server.port, name) for name in corpus.usernames]
                    )
                    tally = await measure(server, tokens, args)
                    results[label].append(tally)
                    if profile is None and "bearer" not in layers:
                        async with httpx2.AsyncClient() as http:
                            probe = (await load.open_clients(server.port, "auto", tokens[:1], http))[0]
                            profile = load.mirror_profile(probe, workdir)
                            await probe.close_session()
                print(f"  round {round_index + 1}: {label:<24} {tally.calls / tally.seconds:7.0f} calls/s", flush=True)
            assert profile is not None
            with start_server("bare", workdir, stateless=False, json_response=False, profile=profile) as bare:
                await wait_ready(bare)
                results["bare MCPServer"].append(await measure(bare, [None] * args.clients, args))
    print(f"\n{'variant':<26} {'calls/s':>8} {'CPU us/call':>12} {'saved us/call':>14} {'p95 ms':>8}")
    previous: float | None = None
    for label, tallies in results.items():
        rate = statistics.median(t.calls / t.seconds for t in tallies)
        cpu = statistics.median(us_per_call(t.server_cpu_seconds, t.calls) for t in tallies)
        p95 = percentile([v for t in tallies for v in t.all_latencies()], 0.95)
        saved = "" if previous is None or label == "bare MCPServer" else f"{previous - cpu:14.0f}"
        print(f"{label:<26} {rate:8.0f} {cpu:12.0f} {saved:>14} {p95:8.1f}")
        previous = cpu
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=6.0, help="measured seconds per variant per round")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--remove", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_variant(args.port, set(filter(None, args.remove.split(","))))
        return 0
    return anyio.run(run, args)


if __name__ == "__main__":
    sys.exit(main())

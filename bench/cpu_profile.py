"""Where the server's CPU goes per call, by component: Cyrano with every layer on beside the bare MCPServer,
both sampled with py-spy under `load.py`'s saturated trivial-tool load.

    python bench/cpu_profile.py                          # 100 clients, 15 s sampled per server
    python bench/cpu_profile.py --clients 10 --seconds 10 --raw-dir /tmp/profiles   # keep py-spy's raw stacks

Set-up as `load.py`: a fresh SQLite store, one paralegal account per client, each client logged in as itself,
the installed `cyrano-mcp serve --transport http` with bearer tokens, RBAC, rate limits (quota out of reach,
still counted), audit, metrics and INFO logs to a file; the bare server answers what Cyrano's `system_info`
answers. After a warm-up, `py-spy record` samples the server's main thread while every client
calls `system_info` back to back.

Each sample is charged to the component of the innermost frame that belongs to Cyrano or to the serving
framework; library frames (pydantic, json, SQLAlchemy, prometheus_client, PyJWT, hmac, ...) are charged to
whoever called them. A component's microseconds per call are its share of the samples times the server's
measured CPU per call (from /proc, not from the sampler). Needs py-spy (`pip install py-spy`) and permission
to trace the server (root, or ptrace_scope 0).
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx2
import load
from mcpwire import TOOL
from servers import ServerProcess, describe_checkout
from stats import us_per_call

SAMPLES_PER_SECOND = 250

# (component, where its frames are): the first rule that matches a frame's file path (and function) wins.
# Cyrano's own components, innermost concerns first.
CYRANO_RULES: list[tuple[str, str, str]] = [
    ("audit log", "cyrano_mcp/security/audit.py", ""),
    ("audit log", "cyrano_mcp/security/audit_chain.py", ""),
    ("audit log", "cyrano_mcp/security/interceptors.py", "AuditCalls"),
    ("rate limiter", "cyrano_mcp/security/ratelimit.py", ""),
    ("rate limiter", "cyrano_mcp/security/counters.py", ""),
    ("rate limiter", "cyrano_mcp/security/interceptors.py", "LimitCalls"),
    ("rate limiter", "cyrano_mcp/security/http.py", "_charge"),
    ("rate limiter", "cyrano_mcp/security/http_answers.py", "with_rate_limit_headers"),
    ("rate limiter", "cyrano_mcp/security/http_answers.py", "rate_limited"),
    ("bearer tokens, account checks", "cyrano_mcp/security/tokens.py", ""),
    ("bearer tokens, account checks", "cyrano_mcp/security/freshness.py", ""),
    ("bearer tokens, account checks", "cyrano_mcp/security/principals.py", ""),
    ("bearer tokens, account checks", "cyrano_mcp/principal.py", ""),
    ("bearer tokens, account checks", "cyrano_mcp/security/interceptors.py", "Authenticate"),
    ("bearer tokens, account checks", "cyrano_mcp/security/interceptors.py", "PrincipalResolver"),
    ("bearer tokens, account checks", "cyrano_mcp/security/http.py", "_authenticate"),
    ("RBAC", "cyrano_mcp/permissions.py", ""),
    ("RBAC", "cyrano_mcp/security/interceptors.py", "Authorize"),
    ("RBAC", "cyrano_mcp/security/interceptors.py", "HideForbiddenTools"),
    ("request gate (body, URL, size)", "cyrano_mcp/security/http.py", "RequestGate"),
    ("request gate (body, URL, size)", "cyrano_mcp/security/http_body.py", ""),
    ("request gate (body, URL, size)", "cyrano_mcp/security/http_origin.py", ""),
    ("request gate (body, URL, size)", "cyrano_mcp/security/http_sessions.py", ""),
    ("security headers", "cyrano_mcp/security/http_answers.py", "SecurityHeaders"),
    ("request id, access log", "cyrano_mcp/observability/requests.py", ""),
    ("request id, access log", "cyrano_mcp/observability/logging.py", ""),
    ("metrics", "cyrano_mcp/observability/metrics.py", ""),
    ("metrics", "cyrano_mcp/callpath/observing.py", "ToolCallMetrics"),
    ("tool (system_info)", "cyrano_mcp/system/", ""),
    ("tool (system_info)", "baselines.py", "bare_system_info"),
    ("call path, registry", "cyrano_mcp/callpath/", ""),
    ("call path, registry", "cyrano_mcp/registry.py", ""),
    ("call path, registry", "cyrano_mcp/build_context.py", ""),
    ("call path, registry", "cyrano_mcp/calls.py", ""),
    ("call path, registry", "cyrano_mcp/kit/", ""),
    ("other Cyrano", "cyrano_mcp/", ""),
]
FRAMEWORK_RULES: list[tuple[str, str, str]] = [
    ("MCP SDK", "mcp/", ""),
    ("MCP SDK", "mcp_types/", ""),
    ("Starlette, uvicorn, h11", "starlette/", ""),
    ("Starlette, uvicorn, h11", "uvicorn/", ""),
    ("Starlette, uvicorn, h11", "h11/", ""),
    ("event loop, anyio", "asyncio/", ""),
    ("event loop, anyio", "anyio/", ""),
    ("event loop, anyio", "selectors.py", ""),
    ("event loop, anyio", "sniffio/", ""),
]
RULES = CYRANO_RULES + FRAMEWORK_RULES
UNATTRIBUTED = "libraries called from the entry point"


def component_of(frame: str) -> str | None:
    """The component a py-spy raw frame (`function (path:line)`, the path relative to its sys.path entry)
    belongs to; None for a library frame."""
    function, _, location = frame.rpartition(" (")
    path = location.rsplit(":", 1)[0]
    for component, fragment, name in RULES:
        if (path.startswith(fragment) or f"/{fragment}" in path) and (
            not name or function.startswith(name) or f".{name}" in function
        ):
            return component
    return None


@dataclass
class Profile:
    samples: collections.Counter[str] = field(default_factory=collections.Counter)
    calls: int = 0
    cpu_us_per_call: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.samples.values())

    def us_per_call(self, component: str) -> float:
        return self.samples[component] / max(self.total, 1) * self.cpu_us_per_call


def attribute(raw: str) -> collections.Counter[str]:
    """Charge py-spy's raw (collapsed) stacks of the main thread to components."""
    charged: collections.Counter[str] = collections.Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit() or "Thread._bootstrap" in stack:  # worker threads: not the loop
            continue
        owner = UNATTRIBUTED
        for frame in reversed(stack.split(";")):
            found = component_of(frame)
            if found is not None:
                owner = found
                break
        charged[owner] += int(count)
    return charged


async def sample(
    server: ServerProcess, clients: Sequence[load.LoadClient], http: httpx2.AsyncClient, args: argparse.Namespace
) -> Profile:
    await load.drive(server, clients, None, http, seconds=args.warmup, interval=None)
    raw_dir = Path(args.raw_dir or tempfile.gettempdir())
    raw_dir.mkdir(parents=True, exist_ok=True)
    raw_path = raw_dir / f"profile-{server.name}-{os.getpid()}.txt"
    spy = subprocess.Popen(
        [
            args.py_spy,
            "record",
            "--pid",
            str(server.popen.pid),
            "--rate",
            str(SAMPLES_PER_SECOND),
            "--format",
            "raw",
            "--duration",
            str(int(args.seconds)),
            "--output",
            str(raw_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    tally = await load.drive(server, clients, None, http, seconds=args.seconds, interval=None)
    _, errors = await anyio.to_thread.run_sync(spy.communicate)
    if spy.returncode != 0 or not raw_path.exists():
        raise SystemExit(f"py-spy failed ({spy.returncode}): {errors.decode(errors='replace').strip()[-500:]}")
    cpu_us_per_call = us_per_call(tally.server_cpu_seconds, tally.calls)
    profile = Profile(attribute(raw_path.read_text()), tally.calls, cpu_us_per_call)
    if not args.raw_dir:
        raw_path.unlink()
    return profile


async def run(args: argparse.Namespace) -> int:
    print(
        f"profile: {os.cpu_count()} CPUs, {args.clients} clients, {args.seconds:g} s sampled per server at "
        f"{SAMPLES_PER_SECOND}/s; tool {TOOL}; cyrano {describe_checkout()}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        env = load.server_environment(workdir / "cyrano-data", None)
        env["CYRANO_RATE_LIMIT_USER"] = "100000000/minute"
        env["CYRANO_HTTP_SESSIONS_PER_USER"] = "10000"
        corpus = await load.seed(env, users=args.clients, matters=1)
        async with httpx2.AsyncClient(timeout=30) as http, load.cyrano_server(workdir, env, "profile") as server:
            tokens = [load.Tokens(server.port, name) for name in corpus.usernames[: args.clients]]
            clients = await load.open_clients(server.port, "auto", tokens, http)
            try:
                cyrano = await sample(server, clients, http, args)
                profile_path = load.mirror_profile(clients[0], workdir)
            finally:
                await load.close_clients(clients)
        async with httpx2.AsyncClient(timeout=30) as http, load.bare_server(workdir, profile_path) as bare_server:
            clients = await load.open_clients(bare_server.port, "auto", [None] * args.clients, http)
            try:
                bare = await sample(bare_server, clients, http, args)
            finally:
                await load.close_clients(clients)
    print_table(cyrano, bare)
    return 0


def print_table(cyrano: Profile, bare: Profile) -> None:
    print(f"\n{'component':<34} {'cyrano us/call':>15} {'bare us/call':>13} {'difference':>11}")
    components = [name for name, _, _ in RULES]
    ordered = list(dict.fromkeys([*components, UNATTRIBUTED]))
    for component in ordered:
        mine, theirs = cyrano.us_per_call(component), bare.us_per_call(component)
        if mine or theirs:
            print(f"{component:<34} {mine:15.0f} {theirs:13.0f} {mine - theirs:+11.0f}")
    print(
        f"{'total (measured CPU per call)':<34} {cyrano.cpu_us_per_call:15.0f} {bare.cpu_us_per_call:13.0f} "
        f"{cyrano.cpu_us_per_call - bare.cpu_us_per_call:+11.0f}"
    )
    print(
        f"\nsamples: cyrano {cyrano.total} over {cyrano.calls} calls, bare {bare.total} over {bare.calls} calls; "
        f"throughput ratio implied by CPU per call: {bare.cpu_us_per_call / cyrano.cpu_us_per_call:.2f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=15.0, help="sampled seconds per server")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--raw-dir", help="keep py-spy's raw stacks here")
    beside_python = Path(sys.executable).parent / "py-spy"  # the venv's, when the venv is not on PATH
    default_spy = str(beside_python) if beside_python.exists() else shutil.which("py-spy") or "py-spy"
    parser.add_argument("--py-spy", default=default_spy, help="the py-spy executable")
    args = parser.parse_args(argv)
    if shutil.which(args.py_spy) is None and not Path(args.py_spy).exists():
        print("py-spy is not installed: pip install py-spy", file=sys.stderr)
        return 2
    return anyio.run(run, args)


if __name__ == "__main__":
    sys.exit(main())

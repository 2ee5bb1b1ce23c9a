"""Servers the benches measure, each in its own process: started, awaited, measured (CPU time, log lines), stopped.

`start_server` runs Cyrano (the installed `cyrano-mcp serve --transport http`, or its call path alone with
`layers="core"`) or the bare MCPServer from `baselines.py`; `spawn` runs any command as a server. `serve_app`
is what those processes use to serve their ASGI app the way `cyrano-mcp serve --transport http` does, so that
every server in a comparison is served alike.
"""

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import anyio
import psutil
from mcpwire import WireClient

if TYPE_CHECKING:
    from starlette.types import ASGIApp

ServerName = Literal["cyrano", "bare"]
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
BASELINES = Path(__file__).resolve().with_name("baselines.py")
BENCH_USER, BENCH_PASSWORD = "bench", "bench-password-not-secret-1"


@dataclass
class ServerProcess:
    name: ServerName
    port: int
    popen: subprocess.Popen[bytes]
    log_path: Path
    ps: psutil.Process = field(init=False)
    bearer: str | None = None  # Cyrano's HTTP transport needs an access token; the bare server none

    def __post_init__(self) -> None:
        self.ps = psutil.Process(self.popen.pid)

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def log_lines(self) -> int:
        with self.log_path.open("rb") as handle:
            return sum(1 for _ in handle)


def describe_checkout() -> str:
    """The commit being measured, and whether the server's code differs from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "cyrano_mcp", "modules", "engines"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "at an unknown commit"
    return f"at {commit or 'an unknown commit'}{' with local changes' if dirty else ''}"


def free_port() -> int:
    with socket.socket(socket.AF_INET) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cyrano_command() -> list[str]:
    """`cyrano-mcp serve --transport http --host 127.0.0.1`, the executable beside this Python or on PATH."""
    beside = Path(sys.executable).with_name("cyrano-mcp")
    found = str(beside) if beside.is_file() else shutil.which("cyrano-mcp")
    if found is None:
        raise SystemExit("cyrano-mcp is not installed in this environment (pip install -e .)")
    return [found, "serve", "--transport", "http", "--host", "127.0.0.1"]


def stop(popen: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill if it has not exited within STOP_TIMEOUT."""
    if popen.poll() is None:
        popen.terminate()
        try:
            popen.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(timeout=STOP_TIMEOUT)


@contextmanager
def spawn(
    name: ServerName, command: list[str], *, port: int, log_path: Path, env: dict[str, str], cwd: Path
) -> Iterator[ServerProcess]:
    """`command` (which serves on `port`) as a subprocess in its own session, stdout and stderr to `log_path`;
    stopped on exit."""
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd=cwd, start_new_session=True
        )
    try:
        yield ServerProcess(name=name, port=port, popen=popen, log_path=log_path)
    finally:
        stop(popen)


def _without_cyrano_settings() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("CYRANO_")}


@contextmanager
def start_server(
    name: ServerName,
    workdir: Path,
    *,
    stateless: bool,
    json_response: bool,
    profile: Path | None = None,
    layers: str = "full",
) -> Iterator[ServerProcess]:
    """One server subprocess, its stdout and stderr going to `<workdir>/<name>.log`; stopped on exit.

    cyrano is the installed `cyrano-mcp serve --transport http` with every layer (a `bench` viewer account
    made first; `log_in` gets its token), or with `layers="core"` the call path alone (`baselines.py core`);
    bare is `baselines.py bare`, answering with `profile` (see `mirror_profile`) when given.
    """
    port = free_port()
    http_mode = [*(["--stateless"] if stateless else []), *(["--json-response"] if json_response else [])]
    if name == "cyrano" and layers == "core":
        command = [sys.executable, str(BASELINES), "core", "--port", str(port), *http_mode]
        env = _without_cyrano_settings()
        env.update(CYRANO_DATA_DIR=str(workdir / "cyrano-data"), CYRANO_LOG_LEVEL="INFO")
    elif name == "cyrano":
        command = [*cyrano_command(), "--port", str(port)]
        env = _without_cyrano_settings()
        env.update(
            CYRANO_DATA_DIR=str(workdir / "cyrano-data"),
            CYRANO_LOG_LEVEL="INFO",
            CYRANO_STATELESS_HTTP="1" if stateless else "0",
            CYRANO_JSON_RESPONSE="1" if json_response else "0",
            # Every security layer runs (bearer token, RBAC, audit, rate limit); only the quota is out of reach.
            CYRANO_RATE_LIMIT_USER="100000000/minute",
            CYRANO_HTTP_SESSIONS_PER_USER="10000",  # every client is the one bench account
            CYRANO_ARGON2_MEMORY_KIB="19456",
        )
        subprocess.run(
            [*cyrano_command()[:1], "users", "add", BENCH_USER, "--role", "viewer"],
            input=f"{BENCH_PASSWORD}\n".encode(),
            env=env,
            cwd=workdir,
            check=True,
            capture_output=True,
        )
    else:
        command = [sys.executable, str(BASELINES), "bare", "--port", str(port), *http_mode]
        command += ["--profile", str(profile)] if profile is not None else []
        env = dict(os.environ)
    with spawn(name, command, port=port, log_path=workdir / f"{name}.log", env=env, cwd=workdir) as server:
        yield server


async def wait_ready(server: ServerProcess, timeout: float = STARTUP_TIMEOUT) -> None:
    """Ready when a TCP connect succeeds: uvicorn listens only after the app's lifespan has started."""
    with anyio.fail_after(timeout):
        while True:
            if server.popen.poll() is not None:
                tail = server.log_path.read_text(errors="replace")[-3000:]
                raise SystemExit(f"{server.name} server exited with {server.popen.returncode}:\n{tail}")
            try:
                stream = await anyio.connect_tcp("127.0.0.1", server.port)
            except OSError:
                await anyio.sleep(0.05)  # poll interval of the readiness probe
            else:
                await stream.aclose()
                return


async def log_in(server: ServerProcess) -> None:
    """Cyrano's HTTP transport needs an access token: get one for the bench account (lives 15 minutes)."""
    import httpx2

    async with httpx2.AsyncClient() as http:
        response = await http.post(
            f"http://127.0.0.1:{server.port}/auth/login", json={"username": BENCH_USER, "password": BENCH_PASSWORD}
        )
    response.raise_for_status()
    server.bearer = response.json()["access_token"]


async def mirror_profile(server: ServerProcess) -> dict[str, Any]:
    """The parts of Cyrano's own system_info answer the bare tool should return too (`--profile`)."""
    client = WireClient(server.port, "auto", server.bearer)
    try:
        with anyio.fail_after(STARTUP_TIMEOUT):
            await client.open_session()
    finally:
        await client.close_session()
    return profile_of(client.first_result)


def profile_of(system_info: dict[str, Any]) -> dict[str, Any]:
    """What of a `system_info` answer the bare server repeats, so that both build and send as much per call."""
    return {key: system_info[key] for key in ("data_dir", "tool_count", "engines")}


def listening_socket(port: int = 0) -> socket.socket:
    """A TCP socket bound to 127.0.0.1:`port` (0: any free port) for uvicorn, made as `cyrano-mcp serve` makes it.

    The socket says IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted connections only then. Without it,
    Nagle's algorithm holds each response body until the client's delayed ACK (~40 ms) for the headers.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


def serve_app(app: "ASGIApp", port: int) -> None:
    """uvicorn on 127.0.0.1:`port`, configured and given its socket as `cyrano-mcp serve --transport http` does."""
    import uvicorn

    sock = listening_socket(port)
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])

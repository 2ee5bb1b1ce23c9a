"""Start the installed `cyrano-mcp serve` as a subprocess on 127.0.0.1 and stop it reliably.

The server writes its log (JSON lines, INFO) to a file in the test's temporary directory. Readiness
is the port the server prints once it has bound its socket, then `/healthz` answering 200. Before it
starts, an admin account is made with `cyrano-mcp users add`; once it is ready, the harness logs in
(POST /auth/login) for the bearer token every MCP request needs. On any failure inside the block, the
tail of that log is attached to the exception as a note.
"""

import os
import re
import shutil
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio
import httpx2
import pytest
from anyio.abc import Process

REQUIRE_SERVICES = os.environ.get("CYRANO_REQUIRE_SERVICES") == "1"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
_SERVING = re.compile(r"serving on (https?)://127\.0\.0\.1:(\d+)/mcp")
_PROBE_INTERVAL = 0.05


def unavailable(what: str, reason: str) -> None:
    """Skip the test with a reason, or fail it when CYRANO_REQUIRE_SERVICES=1 says it must run."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what}: {reason} (CYRANO_REQUIRE_SERVICES=1, so this is a failure, not a skip)")
    pytest.skip(f"{what}: {reason}; set CYRANO_REQUIRE_SERVICES=1 to make this a failure")


def cyrano_executable() -> str:
    """The `cyrano-mcp` console script of the environment running the tests."""
    beside_python = Path(sys.executable).with_name("cyrano-mcp")
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("cyrano-mcp")
    if found is None:
        pytest.fail("the cyrano-mcp console script is not installed (run `make test`, or `pip install -e .`)")
    return found


TEST_USER = "interop"
TEST_PASSWORD = "interop test passphrase"


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment for a server subprocess: this one minus any CYRANO_* variable, plus `settings`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CYRANO_")}
    env.update(
        {
            "CYRANO_DATA_DIR": str(data_dir),
            "CYRANO_LOG_LEVEL": "INFO",
            "CYRANO_LOG_FORMAT": "json",
            "CYRANO_ARGON2_MEMORY_KIB": "19456",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({f"CYRANO_{name.upper()}": value for name, value in settings.items()})
    return env


def stdio_settings(data_dir: Path) -> dict[str, str]:
    """What a stdio client must pass in `env`: SDK stdio clients forward only an allow-list of variables."""
    return {"CYRANO_DATA_DIR": str(data_dir), "CYRANO_LOG_LEVEL": "INFO", "CYRANO_LOG_FORMAT": "json"}


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log file)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


@dataclass(frozen=True, slots=True)
class HttpServer:
    base_url: str
    log_path: Path
    pid: int
    access_token: str  # of an admin account made for the test (every MCP request needs a bearer token)

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    @property
    def mcp_url(self) -> str:
        return f"{self.base_url}/mcp"

    @property
    def sse_url(self) -> str:
        return f"{self.base_url}/sse"


async def add_account(env: Mapping[str, str], cwd: Path, username: str, role: str, password: str) -> None:
    """`cyrano-mcp users add`, the password on stdin, as an operator creates accounts."""
    done = await anyio.run_process(
        [cyrano_executable(), "users", "add", username, "--role", role],
        input=f"{password}\n".encode(),
        env=dict(env),
        cwd=cwd,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")


async def log_in(base_url: str, username: str, password: str, verify: ssl.SSLContext | bool = True) -> str:
    """An access token from POST /auth/login."""
    async with httpx2.AsyncClient(timeout=10.0, verify=verify) as http:
        response = await http.post(f"{base_url}/auth/login", json={"username": username, "password": password})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def stop_process(process: Process, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM, wait up to `timeout`, then SIGKILL; always reaps the process. Safe to call twice."""
    with anyio.CancelScope(shield=True):
        if process.returncode is None:
            process.terminate()
            with anyio.move_on_after(timeout):
                await process.wait()
        if process.returncode is None:
            process.kill()
            with anyio.move_on_after(timeout):
                await process.wait()
        await process.aclose()


async def _wait_until_ready(process: Process, log_path: Path, timeout: float, verify: ssl.SSLContext | bool) -> str:
    """The server's base URL once it has printed its port and `/healthz` answers 200."""
    base_url: str | None = None
    with anyio.fail_after(timeout):
        async with httpx2.AsyncClient(timeout=2.0, verify=verify) as http:
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"cyrano-mcp serve exited with status {process.returncode} before it was ready")
                if base_url is None:
                    match = _SERVING.search(log_path.read_text(encoding="utf-8", errors="replace"))
                    if match is not None:
                        base_url = f"{match.group(1)}://127.0.0.1:{match.group(2)}"
                if base_url is not None:
                    try:
                        response = await http.get(f"{base_url}/healthz")
                    except httpx2.TransportError:
                        pass  # bound but not listening yet: uvicorn listens after the app's lifespan started
                    else:
                        if response.status_code == 200:
                            return base_url
                await anyio.sleep(_PROBE_INTERVAL)  # poll interval of the readiness probe


@asynccontextmanager
async def cyrano_http_server(
    tmp_path: Path,
    *,
    stateless: bool = False,
    json_response: bool = False,
    extra_settings: Mapping[str, str] | None = None,
    startup_timeout: float = STARTUP_TIMEOUT,
    data_dir: Path | None = None,
    tls: tuple[Path, Path] | None = None,
) -> AsyncIterator[HttpServer]:
    """`cyrano-mcp serve --transport http` on 127.0.0.1 with a free port and a fresh store under `tmp_path`.

    Pass `data_dir` to share another server's store (its accounts and keys) instead, and `tls`
    (certificate, key) to serve HTTPS with `--certfile/--keyfile`.
    """
    shared = data_dir is not None
    data_dir = data_dir or tmp_path / "data"
    tmp_path.mkdir(parents=True, exist_ok=True)
    log_path = tmp_path / "server.log"
    env = server_env(
        data_dir,
        stateless_http="1" if stateless else "0",
        json_response="1" if json_response else "0",
        **dict(extra_settings or {}),
    )
    if not shared:
        await add_account(env, tmp_path, TEST_USER, "admin", TEST_PASSWORD)
    command = [cyrano_executable(), "serve", "--transport", "http", "--host", "127.0.0.1", "--port", "0"]
    if tls is not None:
        command += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=tls[0]) if tls is not None else True
    with log_path.open("wb") as log_file:
        process = await anyio.open_process(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            env=env,
            cwd=tmp_path,  # not the checkout: a developer's .env must not leak into the test
            start_new_session=True,
        )
    try:
        base_url = await _wait_until_ready(process, log_path, startup_timeout, verify)
        token = await log_in(base_url, TEST_USER, TEST_PASSWORD, verify)
        yield HttpServer(base_url=base_url, log_path=log_path, pid=process.pid, access_token=token)
    except BaseException as exc:
        exc.add_note(f"--- cyrano-mcp serve log ({log_path}), last lines ---\n{log_tail(log_path)}")
        raise
    finally:
        await stop_process(process)

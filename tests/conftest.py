"""Shared fixtures: a fresh store per test, SQLite and PostgreSQL, and a guard against leaving the machine."""

import ipaddress
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from cyrano_mcp.settings import Settings, load_settings

sys.path.append(str(Path(__file__).resolve().parents[1] / "bench"))  # the benches' modules, for their own tests
from shared_data import shared_data_dir

REQUIRE_SERVICES = os.environ.get("CYRANO_REQUIRE_SERVICES") == "1"
POSTGRES_ADMIN_URL = os.environ.get("CYRANO_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CYRANO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


# --- no test reaches past this machine ---------------------------------------------------------------
_real_connect = socket.socket.connect


def _is_local(address: Any) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX paths
        return True
    host = str(address[0])
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_local(address):
        raise ConnectionRefusedError(f"tests may only connect to loopback addresses, not {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = _real_connect  # type: ignore[method-assign]


# --- no test uses the developer's own model keys or provider choice -----------------------------------
_MODEL_VARIABLES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "CYRANO_LLM_PROVIDER",
)


@pytest.fixture(autouse=True)
def _no_model_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _MODEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --- services ---------------------------------------------------------------------------------------
def service_unavailable(what: str, reason: str) -> None:
    """Skip with a reason, or fail when CI says the service must be there."""
    message = f"{what} is not reachable ({reason}); start it (see `env`) or unset CYRANO_REQUIRE_SERVICES"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(f"{what} not reachable ({reason}); set CYRANO_REQUIRE_SERVICES=1 to make this a failure")


def shared_data(relative: str) -> Path:
    """A file or folder of the shared development data (CUAD): skip without it, or fail when CI requires it."""
    path = shared_data_dir() / relative
    if not path.exists():
        where = "set CYRANO_SHARED_DATA to the shared data folder, or put it at ../shared/data beside the repository"
        if REQUIRE_SERVICES:
            pytest.fail(f"the shared development data has no {path} ({where}); CYRANO_REQUIRE_SERVICES=1 requires it")
        pytest.skip(f"the shared development data has no {path} ({where})")
    return path


async def _create_postgres_database() -> str:
    import asyncpg

    name = f"cyrano_test_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        service_unavailable("PostgreSQL at 127.0.0.1:5432", type(exc).__name__)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def _drop_postgres_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _postgres_url(database: str) -> str:
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{database}"


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = await _create_postgres_database()
    try:
        yield _postgres_url(name)
    finally:
        await _drop_postgres_database(name)


# --- settings -------------------------------------------------------------------------------------
@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# Argon2id at the lowest cost Cyrano accepts (19 MiB, t=2): the tests log in often.
# Every toolset: most tests exercise tools a default stdio session does not offer (tests of the defaults say so).
TEST_SETTINGS: dict[str, Any] = {"log_format": "json", "argon2_memory_kib": 19456, "toolsets": ["all"]}


def shared_store_keys() -> dict[str, str]:
    """PostgreSQL is shared by processes, so Cyrano wants its keys given, never generated."""
    from cyrano_mcp.security.keyfiles import new_key_text

    return {"master_key": new_key_text(), "jwt_secret": new_key_text()}


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    """Settings on a fresh SQLite store in a temporary data dir."""
    return load_settings(data_dir=data_dir, **TEST_SETTINGS)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def any_store_settings(request: pytest.FixtureRequest, data_dir: Path) -> AsyncIterator[Settings]:
    """The same test on the embedded SQLite store and on PostgreSQL."""
    if request.param == "sqlite":
        yield load_settings(data_dir=data_dir, **TEST_SETTINGS)
        return
    name = await _create_postgres_database()
    try:
        yield load_settings(data_dir=data_dir, database_url=_postgres_url(name), **TEST_SETTINGS, **shared_store_keys())
    finally:
        await _drop_postgres_database(name)

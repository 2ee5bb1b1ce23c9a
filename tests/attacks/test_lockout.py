"""Login lockout: a stranger guessing from many addresses must not keep an account's owner out.

Five wrong passwords from anywhere used to lock a username for every address, admin included, in doubling
steps. Now five from one address lock the name from that address only; a much higher count from all addresses
together (`CYRANO_LOGIN_LOCKOUT_ACCOUNT_FAILURES` within an hour) locks it everywhere, and `cyrano-mcp users
unlock NAME` lifts both, from another process, whether the counters live in memory or in Redis. Names that
do not exist lock exactly as names that do.
"""

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
import redis.asyncio as redis

from cyrano_mcp.principal import Role
from tests.core.security.conftest import HttpServer, http_settings, redis_url, start_http  # noqa: F401 (a fixture)
from tests.interop._servers import cyrano_executable, server_env
from tests.utils.auth import PASSWORD

pytestmark = pytest.mark.anyio

OWNER = "198.51.100.7"  # where the account's owner logs in from
STRANGER = "203.0.113.9"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def counters(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Lockout counters in this process's memory, or in Redis."""
    return {} if request.param == "memory" else {"redis_url": request.getfixturevalue("redis_url")}


async def serve(data_dir: Path, counters: dict[str, Any], **settings: Any) -> AsyncIterator[HttpServer]:
    # The per-address login limit is not what these tests are about.
    configured = http_settings(data_dir, rate_limit_login="1000/minute", **counters, **settings)
    async for server in start_http(configured, users={"admin": Role.ADMIN}):
        yield server


async def log_in(server: HttpServer, username: str, password: str, address: str) -> httpx2.Response:
    """POST /auth/login from `address` (the test server believes X-Forwarded-For from 127.0.0.1, like a proxy)."""
    async with httpx2.AsyncClient(base_url=server.url, headers={"X-Forwarded-For": address}) as http:
        return await http.post("/auth/login", json={"username": username, "password": password})


def outcome(response: httpx2.Response) -> tuple[int, int]:
    """The status, and the lock's Retry-After rounded to tens of seconds (0 without one)."""
    return response.status_code, round(int(response.headers.get("retry-after", 0)), -1)


async def test_guessing_from_many_addresses_does_not_keep_the_owner_out(
    data_dir: Path, counters: dict[str, Any]
) -> None:
    async for server in serve(data_dir, counters):
        for address in range(5):
            for _ in range(4):  # under the five an address may fail
                wrong = await log_in(server, "admin", "not the password", f"203.0.113.{address}")
                assert wrong.status_code == 401, wrong.text
        assert (await log_in(server, "admin", PASSWORD, OWNER)).status_code == 200


async def test_five_failures_lock_a_name_from_that_address_only_whether_or_not_it_exists(
    data_dir: Path, counters: dict[str, Any]
) -> None:
    async for server in serve(data_dir, counters):
        seen = {}
        for name in ("admin", "nobody-here"):
            attempts = [await log_in(server, name, "not the password", STRANGER) for _ in range(5)]
            attempts.append(await log_in(server, name, PASSWORD, STRANGER))  # even the right password waits
            seen[name] = [outcome(response) for response in attempts]
        assert seen["admin"] == seen["nobody-here"] == [(401, 0)] * 5 + [(429, 30)]
        assert (await log_in(server, "admin", PASSWORD, OWNER)).status_code == 200


async def test_the_cap_across_addresses_locks_a_name_everywhere_until_an_admin_unlocks_it(
    data_dir: Path, counters: dict[str, Any]
) -> None:
    async for server in serve(data_dir, counters, login_lockout_account_failures=10):
        for name in ("admin", "nobody-here"):
            for _ in range(5):
                await log_in(server, name, "not the password", STRANGER)  # this address is locked out too
            for address in range(5):
                await log_in(server, name, "not the password", f"203.0.113.{address}")
            locked = await log_in(server, name, PASSWORD, OWNER)
            assert locked.status_code == 429 and 3500 <= int(locked.headers["retry-after"]) <= 3600, locked.text

        # The operator, in another process: the server's counters (memory or Redis) are not its to touch.
        done = await anyio.run_process(
            [cyrano_executable(), "users", "unlock", "admin"], env=server_env(data_dir), check=False
        )
        assert done.returncode == 0 and b"admin unlocked" in done.stdout, done.stderr.decode()

        for address in (OWNER, STRANGER):
            assert (await log_in(server, "admin", PASSWORD, address)).status_code == 200
        if counters:  # the locks lived in Redis, where every process sees them
            async with redis.Redis.from_url(counters["redis_url"]) as shared:
                assert any(b"lock/" in key for key in await shared.keys("*"))
        audit = server.runtime.security.audit
        assert [record.target for record in await audit.query(action="user_unlocked")] == ["admin"]
        failures = await audit.query(action="login", outcome="failed", target="admin", limit=1)
        assert json.loads(failures[0].detail)["everywhere"] is True

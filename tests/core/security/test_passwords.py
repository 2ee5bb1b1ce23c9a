"""Passwords and logins: Argon2id at no less than m=19 MiB, t=2, p=1, rehashed when costs rise; a wrong
username and a wrong password look and take the same; no self-registration; the CLI makes accounts."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from cyrano_mcp.errors import ConfigError, DomainError, InvalidInputError
from cyrano_mcp.principal import Role
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.core.security.conftest import HttpServer
from tests.utils.auth import PASSWORD, TESTER, add_user

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[3]
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")


async def stored_hash(runtime: Runtime, username: str) -> str:
    user = await runtime.security.accounts.find(username)
    assert user is not None and user.password_hash is not None
    return user.password_hash


def test_argon2_costs_below_the_floor_are_refused(data_dir: Path) -> None:
    defaults = load_settings(data_dir=data_dir)
    assert (defaults.argon2_memory_kib, defaults.argon2_time_cost, defaults.argon2_parallelism) == (32768, 2, 1)
    for weaker in ({"argon2_memory_kib": 19455}, {"argon2_time_cost": 1}, {"argon2_parallelism": 0}):
        with pytest.raises(ConfigError):
            load_settings(data_dir=data_dir, **weaker)


async def test_hashes_are_argon2id_and_are_upgraded_at_login_when_costs_rise(settings: Settings) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await add_user(runtime, "dana", Role.ATTORNEY)
        assert (await stored_hash(runtime, "dana")).startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    stronger = build_runtime(settings.model_copy(update={"argon2_memory_kib": 24576, "argon2_time_cost": 3}))
    async with stronger.running():
        await stronger.security.auth.login("dana", PASSWORD, source="test")
        upgraded = await stored_hash(stronger, "dana")
        assert upgraded.startswith("$argon2id$v=19$m=24576,t=3,p=1$")
        await stronger.security.auth.login("dana", PASSWORD, source="test")  # the new hash verifies
        assert await stored_hash(stronger, "dana") == upgraded  # and is not redone


async def test_wrong_username_and_wrong_password_give_the_same_answer_in_the_same_time(runtime: Runtime) -> None:
    auth = runtime.security.auth
    for number in range(4):
        await add_user(runtime, f"real{number}", Role.VIEWER)

    async def attempt(username: str, source: str) -> tuple[float, str, str]:
        started = time.perf_counter()
        with pytest.raises(DomainError) as refused:
            await auth.login(username, "not the password at all", source=source)
        return time.perf_counter() - started, refused.value.code, refused.value.message

    await attempt("warm-up", "10.9.9.9")
    unknown, wrong = [], []
    for round_ in range(3):  # interleaved, so machine load hits both alike; under 5 failures per name
        for number in range(4):
            unknown.append(await attempt(f"ghost{round_}{number}", f"10.0.{round_}.{number}"))
            wrong.append(await attempt(f"real{number}", f"10.1.{round_}.{number}"))
    assert {(code, message) for _, code, message in unknown + wrong} == {
        ("invalid_credentials", "invalid username or password")
    }
    unknown_median = statistics.median(t for t, _, _ in unknown)
    wrong_median = statistics.median(t for t, _, _ in wrong)
    assert 0.67 < unknown_median / wrong_median < 1.5, (unknown_median, wrong_median)
    assert unknown_median > 0.005  # both paths really ran Argon2


async def test_over_http_every_failure_is_byte_identical(http_server: HttpServer) -> None:
    accounts = http_server.runtime.security.accounts
    await accounts.add("no-password", Role.ADMIN, None, by=TESTER)  # like the stdio local account
    await accounts.set_disabled("attorney", True, by=TESTER)
    async with httpx2.AsyncClient(base_url=http_server.url) as http:
        answers = [
            await http.post("/auth/login", json={"username": name, "password": password})
            for name, password in (
                ("ghost", "nope nope nope"),  # no such account
                ("viewer", "nope nope nope"),  # wrong password
                ("no-password", "nope nope nope"),  # an account without a password
                ("attorney", PASSWORD),  # the right password of a disabled account
            )
        ]
    assert {answer.status_code for answer in answers} == {401}
    assert len({answer.content for answer in answers}) == 1


async def test_there_is_no_self_registration(http_server: HttpServer) -> None:
    async with httpx2.AsyncClient(base_url=http_server.url) as http:
        for path in ("/auth/register", "/auth/signup", "/auth/users"):
            assert (await http.post(path, json={"username": "me", "password": PASSWORD})).status_code == 404
    async with http_server.client("attorney") as http:
        from tests.core.security.conftest import tool_call

        answer = await http.post(
            "/mcp", json=tool_call("auth_users_add", {"username": "me", "role": "admin", "password": PASSWORD})
        )
    assert answer.json()["result"]["content"][0]["text"].startswith("permission_denied: ")


async def test_the_password_policy(runtime: Runtime) -> None:
    accounts = runtime.security.accounts
    for password, reason in (("short pw", "at least 12"), ("eve-the-user", "must not be the username")):
        with pytest.raises(InvalidInputError, match=reason):
            await accounts.add("eve-the-user", Role.VIEWER, password, by=TESTER)
    with pytest.raises(InvalidInputError, match="username"):
        await accounts.add("Bad Name!", Role.VIEWER, PASSWORD, by=TESTER)


def cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CYRANO_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "CYRANO_ARGON2_MEMORY_KIB": "19456"}
    return subprocess.run([CYRANO, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_the_first_admin_comes_from_the_cli_with_the_password_on_stdin(data_dir: Path) -> None:
    added = cli(data_dir, "users", "add", "Boss", "--role", "admin", stdin=f"{PASSWORD}\n")
    assert added.returncode == 0 and "added boss (admin)" in added.stdout
    assert PASSWORD not in added.stdout + added.stderr
    assert cli(data_dir, "users", "add", "boss", "--role", "viewer", stdin=f"{PASSWORD}\n").returncode == 2
    assert cli(data_dir, "users", "add", "weak", "--role", "viewer", stdin="short\n").returncode == 2
    assert cli(data_dir, "users", "set-role", "boss", "viewer").returncode == 2  # the last admin
    assert cli(data_dir, "users", "add", "ann", "--role", "paralegal", stdin=f"{PASSWORD}\n").returncode == 0
    assert cli(data_dir, "users", "disable", "ann").returncode == 0
    listing = cli(data_dir, "users", "list").stdout
    assert "boss" in listing and "ann" in listing and "disabled" in listing

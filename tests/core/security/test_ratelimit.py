"""Rate limits: the 101st call of a user and the 21st of an address within a minute are refused, across
processes when they share Redis; repeated violations block for longer each time; logins have their own,
stricter limit and a per-username lockout (tests/attacks/test_lockout.py has the rest of it).

A user's refused tool call over HTTP is a tool error a model can act on, other requests a 429
(test_ratelimit_clients.py drives both with the SDK's client; tests/attacks/test_http_rate_limit_flood.py
holds the ceiling on those tool errors). The local stdio user is limited only when asked to."""

import time
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client

from cyrano_mcp.observability import metrics
from cyrano_mcp.security.authentication import lockout_key
from cyrano_mcp.security.ratelimit import LoginLock, RateLimiter
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.security.conftest import CALL_HEADERS, HttpServer, http_settings, start_http, tool_call
from tests.interop._servers import cyrano_http_server
from tests.utils.mcp import error, ok
from tests.utils.metrics import sample

pytestmark = pytest.mark.anyio


def assert_refused(response: httpx2.Response, policy: str, limit: int) -> int:
    assert response.status_code == 429, response.text
    retry = int(response.headers["retry-after"])
    assert 1 <= retry <= 60
    assert response.headers["ratelimit-policy"] == f'"{policy}";q={limit};w=60'
    assert response.headers["ratelimit"].startswith(f'"{policy}";r=0;t=')
    assert response.json()["error"] == "rate_limited"
    return retry


def refused_call(response: httpx2.Response) -> tuple[str, int]:
    """The message and retry time of a `rate_limited` tool error answered over HTTP, after checking its headers."""
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["isError"] is True and result["_meta"]["cyrano/error_code"] == "rate_limited", result
    retry_after = int(result["_meta"]["cyrano/details"]["retry_after"])
    assert 1 <= retry_after <= 60 and response.headers["retry-after"] == str(retry_after)
    assert response.headers["ratelimit-policy"] == '"user";q=100;w=60'
    assert response.headers["ratelimit"].startswith('"user";r=0;t=')
    message: str = result["content"][0]["text"]
    assert message == f"rate_limited: too many calls (100 per 60 s); retry after {retry_after} s"
    return message, retry_after


async def test_the_101st_call_of_a_user_within_a_minute_is_a_tool_error_other_requests_get_429(
    http_server: HttpServer,
) -> None:
    async with http_server.client("viewer") as http:
        for number in range(100):
            answer = await http.post("/mcp", json=tool_call("system_info", request_id=number))
            assert answer.status_code == 200 and not answer.json()["result"].get("isError"), (number, answer.text)
        assert answer.headers["ratelimit"].startswith('"user";r=0;')  # charged once each, not by gate and call path
        # Listing tools is charged like a call (as are initialize and every other JSON-RPC request), and refused
        # with a 429: only a tool call has an answer a model reads.
        assert_refused(await http.post("/mcp", json={"jsonrpc": "2.0", "id": 0, "method": "tools/list"}), "user", 100)
        refused_call(await http.post("/mcp", json=tool_call("system_info")))
        read = {"jsonrpc": "2.0", "id": 3, "method": "resources/read", "params": {"uri": "cyrano://matters/x"}}
        assert_refused(await http.post("/mcp", json=read), "user", 100)
    # Another user is not affected.
    async with http_server.client("attorney") as http:
        assert (await http.post("/mcp", json=tool_call("system_info"))).status_code == 200
    audit = http_server.runtime.security.audit
    assert [record.actor for record in await audit.query(action="rate_limited")] == ["viewer"]  # the 429s' violation
    calls = await audit.query(action="tool_call", limit=500)
    assert [(record.actor, record.target) for record in calls if record.outcome == "rate_limited"] == [
        ("viewer", "system_info")
    ]


async def test_a_refused_call_is_charged_once(http_server: HttpServer) -> None:
    """The gate's refusal goes with the call to the call path, which does not charge it again."""
    before = sample(metrics.exposition().decode(), "cyrano_rate_limit_refusals_total", scope="user") or 0
    async with http_server.client("viewer") as http:
        for number in range(100):
            assert (await http.post("/mcp", json=tool_call("system_info", request_id=number))).status_code == 200
        for _ in range(3):
            refused_call(await http.post("/mcp", json=tool_call("system_info")))
    assert sample(metrics.exposition().decode(), "cyrano_rate_limit_refusals_total", scope="user") == before + 3


async def test_the_21st_request_of_an_address_without_a_token_gets_429(http_server: HttpServer) -> None:
    async with http_server.client(None) as http:
        for _ in range(20):
            assert (await http.post("/mcp", json=tool_call("system_info"))).status_code == 401
        assert_refused(await http.post("/mcp", json=tool_call("system_info")), "anonymous", 20)
        assert (await http.get("/healthz")).status_code == 200  # probes are never limited


async def test_a_flood_of_bad_tokens_cannot_fill_the_audit_log(http_server: HttpServer) -> None:
    import jwt

    from cyrano_mcp.security.keyfiles import load_jwt_secret

    claims = jwt.decode(http_server.token(), options={"verify_signature": False})
    forged = jwt.encode(
        {**claims, "ver": 999}, load_jwt_secret(http_server.runtime.settings), headers={"typ": "at+jwt"}
    )  # correctly signed, so it is checked against the store and refused there
    async with http_server.client(None, Authorization=f"Bearer {forged}") as http:
        statuses = [(await http.post("/mcp", json=tool_call("system_info"))).status_code for _ in range(40)]
    assert statuses == [401] * 20 + [429] * 20
    rejected = await http_server.runtime.security.audit.query(action="token_rejected", limit=500)
    assert len(rejected) == 21  # 20 within the limit, plus the one that tripped the block


async def test_without_auth_the_21st_call_of_an_address_gets_429(data_dir: Path) -> None:
    async for server in start_http(http_settings(data_dir, insecure_http_no_auth=True), users={}):
        async with httpx2.AsyncClient(base_url=server.url, headers=CALL_HEADERS) as http:
            for number in range(20):
                assert (await http.post("/mcp", json=tool_call("system_info", request_id=number))).status_code == 200
            assert_refused(await http.post("/mcp", json=tool_call("system_info")), "anonymous", 20)


async def test_the_local_user_is_not_limited_by_default(settings: Settings) -> None:
    async with Client(build_runtime(settings).server) as client:
        for _ in range(130):
            ok(await client.call_tool("matters_list", {}))


async def test_with_the_setting_the_local_users_101st_call_is_a_rate_limited_tool_error(settings: Settings) -> None:
    limited = settings.model_copy(update={"rate_limit_local_user": True})
    async with Client(build_runtime(limited).server) as client:
        for _ in range(100):
            ok(await client.call_tool("matters_list", {}))
        refused = await client.call_tool("matters_list", {})
    message = error(refused, "rate_limited")
    assert "retry after" in message
    assert refused.meta and 1 <= refused.meta["cyrano/details"]["retry_after"] <= 60


async def test_repeated_violations_block_for_twice_as_long_each_time(data_dir: Path) -> None:
    limiter = RateLimiter(load_settings(data_dir=data_dir, rate_limit_user="1/second"))
    assert (await limiter.hit("user", "u")).allowed
    first = await limiter.hit("user", "u")
    assert not first.allowed and first.new_violation and first.retry_after == 1
    await anyio.sleep(1.1)
    assert (await limiter.hit("user", "u")).allowed
    second = await limiter.hit("user", "u")
    assert not second.allowed and second.retry_after == 2
    await anyio.sleep(1.1)
    during = await limiter.hit("user", "u")  # still inside the doubled block
    assert not during.allowed and not during.new_violation and during.retry_after == 1


async def test_the_login_endpoint_has_its_own_stricter_limit(data_dir: Path) -> None:
    async for server in start_http(http_settings(data_dir), users={}):
        async with httpx2.AsyncClient(base_url=server.url) as http:
            for attempt in range(10):
                refused = await http.post("/auth/login", json={"username": f"nobody{attempt}", "password": "x"})
                assert refused.status_code == 401
            limited = await http.post("/auth/login", json={"username": "nobody", "password": "x"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


async def test_failed_logins_from_one_address_lock_a_username_with_growing_delays_whether_or_not_it_exists(
    http_server: HttpServer,
) -> None:
    async with httpx2.AsyncClient(base_url=http_server.url) as http:
        for name in ("paralegal", "no-such-person"):
            for _ in range(5):
                assert (await http.post("/auth/login", json={"username": name, "password": "wrong"})).status_code == 401
            locked = await http.post("/auth/login", json={"username": name, "password": "correct horse battery staple"})
            assert locked.status_code == 429, locked.text
            assert 25 <= int(locked.headers["retry-after"]) <= 30
            assert "too many failed logins for this username" in locked.json()["error_description"]
    limiter = http_server.runtime.security.limiter
    key = lockout_key("paralegal", await http_server.runtime.security.accounts.find("paralegal"))
    # The 6th failure from that address doubles its lock.
    assert await limiter.login_failed(key, "127.0.0.1") == LoginLock(60, everywhere=False)


@pytest.mark.redis
@pytest.mark.slow
async def test_two_processes_sharing_redis_share_one_quota(tmp_path: Path, redis_url: str) -> None:
    limits = {"redis_url": redis_url, "rate_limit_user": "10/minute"}
    shared_store = tmp_path / "one" / "data"
    async with (
        cyrano_http_server(tmp_path / "one", stateless=True, json_response=True, extra_settings=limits) as first,
        cyrano_http_server(
            tmp_path / "two", stateless=True, json_response=True, extra_settings=limits, data_dir=shared_store
        ) as second,
    ):
        outcomes = []
        for number in range(24):
            server = (first, second)[number % 2]
            async with httpx2.AsyncClient(headers={**CALL_HEADERS, **first.auth_headers}) as http:
                response = await http.post(server.mcp_url, json=tool_call("system_info", request_id=number))
            refused = response.status_code == 200 and response.json()["result"].get("isError")
            outcomes.append("refused" if refused else response.status_code)
    # The quota, then as many tool errors (the ceiling is shared too), then 429s.
    assert outcomes == [200] * 10 + ["refused"] * 10 + [429] * 4, outcomes


@pytest.mark.redis
async def test_redis_counters_hold_across_limiter_instances(data_dir: Path, redis_url: str) -> None:
    settings = load_settings(data_dir=data_dir, redis_url=redis_url, rate_limit_anonymous="3/minute", **TEST_SETTINGS)
    one, two = RateLimiter(settings), RateLimiter(settings)
    try:
        decisions = [await (one, two)[n % 2].hit("anonymous", "10.0.0.9") for n in range(4)]
    finally:
        await one.close()
        await two.close()
    assert [decision.allowed for decision in decisions] == [True, True, True, False]


async def test_an_unreachable_redis_falls_back_to_memory_instead_of_failing(data_dir: Path) -> None:
    started = time.monotonic()
    limiter = RateLimiter(
        load_settings(data_dir=data_dir, redis_url="redis://127.0.0.1:1/0", rate_limit_anonymous="2/minute")
    )
    try:
        decisions = [await limiter.hit("anonymous", "10.0.0.1") for _ in range(3)]
    finally:
        await limiter.close()
    assert [decision.allowed for decision in decisions] == [True, True, False]
    assert time.monotonic() - started < 10

"""Issue 12 (also): a 429 from /auth/login carried Retry-After but not the RateLimit fields every other 429 has."""

from pathlib import Path

import httpx2
import pytest

from cyrano_mcp.principal import Role
from tests.core.security.conftest import http_settings, start_http
from tests.utils.auth import PASSWORD

pytestmark = pytest.mark.anyio


async def test_login_refusals_carry_the_rate_limit_fields(data_dir: Path) -> None:
    async for server in start_http(http_settings(data_dir, rate_limit_login="3/minute"), users={"admin": Role.ADMIN}):
        async with httpx2.AsyncClient(base_url=server.url) as http:
            # start_http logged in once; two more attempts spend the quota
            for _ in range(2):
                await http.post("/auth/login", json={"username": "admin", "password": "wrong"})
            refused = await http.post("/auth/login", json={"username": "admin", "password": PASSWORD})
            refresh = await http.post("/auth/refresh", json={"refresh_token": "x" * 32})
    for answer in (refused, refresh):
        assert answer.status_code == 429 and answer.json()["error"] == "rate_limited"
        assert answer.headers["ratelimit-policy"] == '"login";q=3;w=60'
        assert answer.headers["ratelimit"].startswith('"login";r=0;')
        assert int(answer.headers["retry-after"]) > 0


async def test_a_locked_username_answers_429_with_the_rate_limit_fields(data_dir: Path) -> None:
    async for server in start_http(http_settings(data_dir, rate_limit_login="100/minute"), users={"admin": Role.ADMIN}):
        async with httpx2.AsyncClient(base_url=server.url) as http:
            for _ in range(5):  # the fifth failure locks the name
                await http.post("/auth/login", json={"username": "admin", "password": "wrong"})
            locked = await http.post("/auth/login", json={"username": "admin", "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.headers["ratelimit"].startswith('"login";r=0;') and int(locked.headers["retry-after"]) > 0

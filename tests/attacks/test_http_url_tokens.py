"""Issue 12 (also): a token in the query string is refused whatever the case of the parameter's name;
`?Access_Token=` used to be ignored (and so left in access logs) rather than refused."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cyrano_mcp.principal import Role
from tests.core.security.conftest import HttpServer, http_settings, start_http

pytestmark = pytest.mark.anyio


@pytest.fixture
async def served(data_dir: Path) -> AsyncIterator[HttpServer]:
    async for server in start_http(http_settings(data_dir), users={"admin": Role.ADMIN}):
        yield server


async def test_a_token_in_the_url_is_refused_in_any_case(served: HttpServer) -> None:
    async with served.client(None) as http:
        for name in ("access_token", "Access_Token", "ACCESS_TOKEN", "Refresh_Token", "Token", "iD_tOkEn"):
            answer = await http.get(f"/healthz?{name}=eyJhbGciOi")
            assert answer.status_code == 400 and answer.json()["error"] == "invalid_request", name

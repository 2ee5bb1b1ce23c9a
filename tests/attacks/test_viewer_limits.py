"""What a viewer may not do: spend money on the model provider, or learn where the server keeps its files.

`system_llm_check` sends a prompt to the configured provider (a paid call), and needed only `system:read`, which
every role holds; it needs `system:check` now (attorneys and admins). `system_info` showed every role the data
dir; only `system:admin` (admins) sees it now, and `system_health` and `/readyz` name no path at all.
"""

from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.core.llm.conftest import MODEL, OWN_KEY
from tests.core.security.conftest import HttpServer, http_settings, start_http, tool_call
from tests.fakes.models import running

pytestmark = pytest.mark.anyio


async def call(server: HttpServer, username: str, tool: str) -> dict[str, Any]:
    async with server.client(username) as http:
        response = await http.post("/mcp", json=tool_call(tool))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


async def listed(server: HttpServer, username: str) -> set[str]:
    async with server.client(username) as http:
        response = await http.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    return {tool["name"] for tool in response.json()["result"]["tools"]}


async def test_a_viewer_cannot_make_the_server_call_a_paid_model(data_dir: Path) -> None:
    async with running("openai") as (fake, url):
        settings = http_settings(data_dir, openai_api_key=OWN_KEY, openai_base_url=url, openai_model=MODEL)
        async for server in start_http(settings):
            for role in ("viewer", "paralegal"):
                refused = await call(server, role, "system_llm_check")
                assert refused["isError"], refused
                assert refused["content"][0]["text"] == (
                    f"permission_denied: the {role} role may not use system_llm_check (it needs system:check)"
                )
                assert "system_llm_check" not in await listed(server, role)
            assert fake.requests == []  # nothing left the server on their account
            answered = await call(server, "attorney", "system_llm_check")
            assert not answered["isError"] and answered["structuredContent"]["status"] == "ok"
            assert len(fake.requests) == 1


async def test_only_an_admin_sees_the_data_dir(data_dir: Path) -> None:
    async for server in start_http(http_settings(data_dir)):
        for role in ("viewer", "paralegal", "attorney"):
            info = await call(server, role, "system_info")
            assert info["structuredContent"]["data_dir"] is None
            health = await call(server, role, "system_health")
            assert not health["isError"]
            for answer in (info, health):
                assert str(data_dir) not in str(answer)
        admin = await call(server, "admin", "system_info")
        assert admin["structuredContent"]["data_dir"] == str(data_dir)
        async with httpx2.AsyncClient(base_url=server.url) as anonymous:
            ready = await anonymous.get("/readyz")
        assert ready.status_code == 200 and str(data_dir) not in ready.text

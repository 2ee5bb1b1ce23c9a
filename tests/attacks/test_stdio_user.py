"""The stdio user: a prompt-injected document must not get the desktop model to create an admin.

stdio has no login: it acts as `CYRANO_LOCAL_USER`. That account used to be made an admin, so a document the
host's model read could have it call `auth_users_add` and create an admin who then logs in over HTTP. It is
an attorney now (`CYRANO_LOCAL_USER_ROLE`), an untouched `local` admin from before is moved to that role, and
`cyrano-mcp doctor` warns about a stdio user that is an admin.
"""

import json
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters

from cyrano_mcp.doctor import run_doctor
from cyrano_mcp.http import build_http_app
from cyrano_mcp.principal import Role
from cyrano_mcp.security.accounts import SYSTEM
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.test_doctor import _keep_test_logging  # noqa: F401  (autouse: the doctor sets up logging)
from tests.interop._servers import cyrano_executable, stdio_settings
from tests.utils.auth import TESTER
from tests.utils.http import serve_app
from tests.utils.mcp import error, ok, text_of

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
INJECTED = {"username": "mallory", "role": "admin", "password": "planted by a hostile document"}


async def test_a_desktop_session_cannot_add_an_admin_who_then_logs_in_over_http(data_dir: Path) -> None:
    environment = {**stdio_settings(data_dir), "PYTHONPATH": str(ROOT)}
    # Two walls: a default stdio session is not offered the account tools at all, and with every toolset
    # switched on its attorney role still may not use them.
    for toolsets, refusal in (("default", "Unknown tool: auth_users_add"), ("all", "the attorney role may not")):
        server = StdioServerParameters(
            command=cyrano_executable(), args=["serve"], env={**environment, "CYRANO_TOOLSETS": toolsets}
        )
        async with Client(server, read_timeout_seconds=30) as client:
            assert "auth_users_add" not in {tool.name for tool in (await client.list_tools()).tools}
            refused = await client.call_tool("auth_users_add", INJECTED)
            assert refused.is_error and refusal in text_of(refused), toolsets
            # The desktop user's own work still goes through.
            ok(await client.call_tool("matters_create", {"client_name": "C", "title": "T", "practice_area": "tax"}))
    runtime = build_runtime(load_settings(data_dir=data_dir, **TEST_SETTINGS))
    async with runtime.running(), serve_app(build_http_app(runtime)) as url, httpx2.AsyncClient() as http:
        login = await http.post(f"{url}/auth/login", json={"username": "mallory", "password": INJECTED["password"]})
    assert login.status_code == 401


async def test_an_untouched_local_admin_from_an_earlier_release_becomes_an_attorney_once(
    any_store_settings: Settings,
) -> None:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        await runtime.security.accounts.add("local", Role.ADMIN, None, by=SYSTEM)  # what earlier releases did
    # Two processes start on that store at once: one moves the account, and audits it.
    first, second = build_runtime(any_store_settings), build_runtime(any_store_settings)
    async with first.running(), second.running():
        async with anyio.create_task_group() as group:
            group.start_soon(first.security.accounts.local_principal)
            group.start_soon(second.security.accounts.local_principal)
        async with Client(first.server) as client:
            assert ok(await client.call_tool("auth_whoami", {}))["role"] == "attorney"
            error(await client.call_tool("auth_users_add", INJECTED), "permission_denied")
        changes = await first.security.audit.query(action="user_role_changed")
    assert [(record.actor, record.target, json.loads(record.detail)) for record in changes] == [
        ("system", "local", {"from": "admin", "to": "attorney", "reason": "CYRANO_LOCAL_USER_ROLE"})
    ]


async def test_an_admin_the_operator_chose_stays_an_admin_and_the_doctor_warns(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await runtime.security.accounts.add("local", Role.ADMIN, None, by=SYSTEM)
        await runtime.security.accounts.set_role("local", Role.ADMIN, by=TESTER)  # `users set-role local admin`
    async with Client(build_runtime(settings).server) as client:
        assert ok(await client.call_tool("auth_whoami", {}))["role"] == "admin"
    monkeypatch.setenv("CYRANO_DATA_DIR", str(settings.data_dir))
    assert await run_doctor() == 0  # a warning, not a failure
    out = capsys.readouterr().out
    assert "[WARNING] stdio user: local is an admin" in out
    assert "cyrano-mcp users set-role local attorney" in out


async def test_the_doctor_reports_the_role_a_new_store_gives_the_stdio_user(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CYRANO_DATA_DIR", str(data_dir))
    assert await run_doctor() == 0
    assert "[OK     ] stdio user: local (attorney)" in capsys.readouterr().out

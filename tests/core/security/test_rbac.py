"""Every role against every tool, generated from the permission table and the live tool catalogue.

A new engine's tools are covered without touching this file: the expectation for each (role, tool) is
the live role table's `allows(role, tool's permission)` (every engine's declared permissions merged at
load), and the test checks the server enforces exactly that, on the call
path (a `permission_denied` tool error, audited) and in what `tools/list` shows.
"""

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from cyrano_mcp.permissions import PermissionTable
from cyrano_mcp.principal import Role
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.security.conftest import HttpServer, tool_call
from tests.utils.auth import TESTER, add_user
from tests.utils.mcp import MODES, error, text_of

pytestmark = pytest.mark.anyio

PLUGINS = "tests.fixtures.engines:vault"


def live_catalogue() -> tuple[dict[str, str], PermissionTable]:
    """tool -> permission, and the role table, as the server would load them (building a runtime touches no disk)."""
    with tempfile.TemporaryDirectory() as scratch:
        registry = build_runtime(load_settings(data_dir=Path(scratch), plugins=PLUGINS)).registry
        return {row["name"]: row["permission"] for row in registry.catalogue()}, registry.permissions


CATALOGUE, TABLE = live_catalogue()
allows = TABLE.allows


def expected(role: Role) -> dict[str, bool]:
    return {tool: allows(role, permission) for tool, permission in CATALOGUE.items()}


@pytest.fixture
async def store(data_dir: Path) -> AsyncIterator[Settings]:
    """A store with one password-less account per role (each becomes the local user of its own runtime)."""
    settings = load_settings(data_dir=data_dir, plugins=PLUGINS, **TEST_SETTINGS)
    runtime = build_runtime(settings)
    async with runtime.running():
        for role in Role:
            await runtime.security.accounts.add(f"as-{role.value}", role, None, by=TESTER)
    yield settings


def as_role(settings: Settings, role: Role) -> Runtime:
    return build_runtime(settings.model_copy(update={"local_user": f"as-{role.value}"}))


def test_the_catalogue_is_covered_and_unknown_permissions_are_admin_only() -> None:
    assert len(CATALOGUE) >= 20 and CATALOGUE["vault_peek"] == "billing:read"
    for role in Role:
        assert allows(role, "billing:read") is (role is Role.ADMIN)
        assert allows(role, "nonsense") is (role is Role.ADMIN)
    # A grant of "*" reaches only the actions its resource declares.
    assert allows(Role.ATTORNEY, "matters:delete") and not allows(Role.ATTORNEY, "matters:export")
    declared = {permission.partition(":")[0] for permission in TABLE.known()}
    assert declared >= {"matters", "documents", "jobs", "system", "auth", "users", "audit", "keys"}


def test_every_built_in_tool_has_a_permission_the_table_grants_below_admin() -> None:
    """Otherwise only admins could use it, and start-up warns; e.g. a paralegal's own batch-ingest job."""
    built_in = {tool: permission for tool, permission in CATALOGUE.items() if not tool.startswith("vault_")}
    admin_only = {tool for tool, permission in built_in.items() if not allows(Role.ATTORNEY, permission)}
    assert admin_only <= {tool for tool in built_in if tool.startswith(("auth_users", "audit_", "auth_keys"))}
    assert allows(Role.PARALEGAL, built_in["jobs_status"]) and allows(Role.PARALEGAL, built_in["jobs_cancel"])
    assert allows(Role.VIEWER, built_in["jobs_list"]) and not allows(Role.VIEWER, built_in["jobs_cancel"])


def test_the_roles_form_a_ladder() -> None:
    for permission in {*CATALOGUE.values()}:
        ladder = [allows(role, permission) for role in (Role.VIEWER, Role.PARALEGAL, Role.ATTORNEY, Role.ADMIN)]
        assert ladder == sorted(ladder), f"{permission}: a lower role may do what a higher one may not"
    assert allows(Role.VIEWER, "matters:read") and not allows(Role.VIEWER, "matters:write")
    assert allows(Role.PARALEGAL, "documents:write") and not allows(Role.PARALEGAL, "documents:delete")
    assert allows(Role.ATTORNEY, "documents:delete") and not allows(Role.ATTORNEY, "users:manage")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
async def test_every_role_against_every_tool_in_memory(store: Settings, role: Role, mode: str) -> None:
    runtime = as_role(store, role)
    async with Client(runtime.server, mode=mode) as client:
        listed = {tool.name for tool in (await client.list_tools()).tools}
        enforced = {}
        for tool in CATALOGUE:
            # Empty arguments: an allowed call fails validation (or succeeds harmlessly); a forbidden one
            # is refused before its arguments are even looked at.
            result = await client.call_tool(tool, {})
            enforced[tool] = not (result.is_error and text_of(result).startswith("permission_denied: "))
    assert enforced == expected(role)
    assert listed == {tool for tool, allowed in expected(role).items() if allowed}
    async with runtime.running():
        refused = await runtime.security.audit.query(outcome="permission_denied", actor=f"as-{role.value}", limit=500)
    assert {record.target for record in refused} == {tool for tool, allowed in expected(role).items() if not allowed}


async def fresh_token(server: HttpServer, role: Role) -> str:
    from tests.utils.auth import login

    return str((await login(server.url, role.value))["access_token"])


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
async def test_every_role_against_every_tool_over_http(http_server: HttpServer, role: Role) -> None:
    async with http_server.client(role.value) as http:
        enforced = {}
        # auth_logout ends the very login these calls ride on: call it last.
        for number, tool in enumerate(sorted(CATALOGUE, key=lambda name: name == "auth_logout")):
            if tool == "vault_peek":
                continue  # not loaded on this server
            answer = (await http.post("/mcp", json=tool_call(tool, request_id=number))).json()
            text = answer["result"]["content"][0]["text"]
            enforced[tool] = not (answer["result"].get("isError") and text.startswith("permission_denied: "))
    async with http_server.client(role.value, Authorization=f"Bearer {await fresh_token(http_server, role)}") as http:
        listed = (await http.post("/mcp", json={"jsonrpc": "2.0", "id": 0, "method": "tools/list"})).json()
    wanted = {tool: allowed for tool, allowed in expected(role).items() if tool != "vault_peek"}
    assert enforced == wanted
    assert {tool["name"] for tool in listed["result"]["tools"]} == {tool for tool, ok in wanted.items() if ok}


async def test_a_resource_needs_its_permission_too(store: Settings) -> None:
    async with Client(as_role(store, Role.VIEWER).server) as client:
        with pytest.raises(MCPError) as refused:
            await client.read_resource("cyrano://vault/1")
        assert "permission_denied" in refused.value.error.message
        assert error(await client.call_tool("vault_peek", {}), "permission_denied")
    async with Client(as_role(store, Role.ADMIN).server) as client:
        contents = (await client.read_resource("cyrano://vault/1")).contents[0]
        assert getattr(contents, "text", None) == "item 1"


async def test_a_role_change_takes_effect_on_the_next_call(http_server: HttpServer) -> None:
    from cyrano_mcp.security.audit import Actor

    async with http_server.client("viewer") as http:
        create = tool_call("matters_create", {"client_name": "A", "title": "B", "practice_area": "tax"})
        before = (await http.post("/mcp", json=create)).json()["result"]
        await http_server.runtime.security.accounts.set_role("viewer", Role.PARALEGAL, by=Actor("tests"))
        after = (await http.post("/mcp", json=create)).json()["result"]
    assert before["isError"] and before["content"][0]["text"].startswith("permission_denied: ")
    assert not after.get("isError")


async def test_the_last_admin_cannot_be_demoted_or_disabled(runtime: Runtime) -> None:
    from cyrano_mcp.errors import ConflictError
    from cyrano_mcp.security.audit import Actor

    await add_user(runtime, "boss", Role.ADMIN)  # the only admin: the local account is made on first use
    with pytest.raises(ConflictError, match="last enabled admin"):
        await runtime.security.accounts.set_role("boss", Role.ATTORNEY, by=Actor("tests"))
    with pytest.raises(ConflictError, match="last enabled admin"):
        await runtime.security.accounts.set_disabled("boss", True, by=Actor("tests"))

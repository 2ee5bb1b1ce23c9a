"""Engines calling other engines' tools through the call path: as the caller, audited, under one correlation id."""

from pathlib import Path

import pytest
from mcp import Client

from cyrano_mcp.principal import Role
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import TEST_SETTINGS
from tests.utils.auth import TESTER
from tests.utils.mcp import error, ok

pytestmark = pytest.mark.anyio


@pytest.fixture
async def store(data_dir: Path) -> Settings:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:intake", **TEST_SETTINGS)
    runtime = build_runtime(settings)
    async with runtime.running():
        for role in (Role.ATTORNEY, Role.VIEWER):
            await runtime.security.accounts.add(f"as-{role.value}", role, None, by=TESTER)
    return settings


def as_role(settings: Settings, role: Role) -> Runtime:
    return build_runtime(settings.model_copy(update={"local_user": f"as-{role.value}"}))


async def audit_of(runtime: Runtime, correlation_id: str) -> list[tuple[str, str, str]]:
    async with runtime.running():
        await runtime.security.audit.flush()
        records = await runtime.security.audit.query(action="tool_call", limit=20)
    return sorted(
        (record.target or "", record.outcome, record.detail)
        for record in records
        if record.correlation_id == correlation_id
    )


async def test_an_attorney_s_call_runs_the_tools_it_calls_as_the_attorney(store: Settings) -> None:
    runtime = as_role(store, Role.ATTORNEY)
    async with Client(runtime.server) as client:
        result = await client.call_tool("intake_open", {"client_name": "Acme Corp."})
        done = ok(result)
        matter = ok(await client.call_tool("matters_get", {"matter_id": done["matter_id"]}))
    assert matter["client_name"] == "Acme Corp." and done["hits"] == 0
    correlation_id = result.meta["cyrano/correlation_id"] if result.meta else ""
    assert await audit_of(runtime, correlation_id) == [
        ("arkiver_search", "ok", '{"via":"intake_open"}'),
        ("intake_open", "ok", "{}"),
        ("matters_create", "ok", '{"via":"intake_open"}'),
    ]


async def test_a_viewer_may_start_the_tool_but_not_what_it_would_do_in_their_name(store: Settings) -> None:
    runtime = as_role(store, Role.VIEWER)
    async with Client(runtime.server) as client:
        result = await client.call_tool("intake_open", {"client_name": "Acme Corp."})
        listed = ok(await client.call_tool("matters_list", {}))
    assert error(result, "permission_denied") == (
        "permission_denied: the viewer role may not use matters_create (it needs matters:write)"
    )
    assert listed["total"] == 0  # nothing was created on the viewer's behalf
    correlation_id = result.meta["cyrano/correlation_id"] if result.meta else ""
    assert await audit_of(runtime, correlation_id) == [
        ("intake_open", "permission_denied", "{}"),
        ("matters_create", "permission_denied", '{"via":"intake_open"}'),
    ]


async def test_a_tool_cannot_be_run_on_nobody_s_behalf(store: Settings) -> None:
    runtime = as_role(store, Role.ATTORNEY)
    with pytest.raises(Exception, match="only be run inside a tool call"):
        async with runtime.running():
            await runtime.registry.call_path.invoke("matters_list", runtime.registry.operation("matters_list"), {})

"""The matters tools, driven through MCP client sessions on SQLite and PostgreSQL."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from sqlalchemy import func
from sqlmodel import select

from cyrano_matters.models import Matter
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from tests.utils.mcp import MODES, error, ok, text_of

pytestmark = pytest.mark.anyio

ACME = {"client_name": "Acme Tools Inc.", "title": "Acme v. Widget Co.", "practice_area": "litigation"}


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        yield runtime


async def matter_count(runtime: Runtime) -> int:
    async with runtime.database.session() as session:
        return (await session.exec(select(func.count()).select_from(Matter))).one()


@pytest.mark.parametrize("mode", MODES)
async def test_a_matter_is_created_read_updated_closed_and_reopened(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        created = ok(
            await client.call_tool(
                "matters_create", {**ACME, "reference": "2026-001", "responsible_attorney": "R. Okafor"}
            )
        )
        assert created["status"] == "open" and created["version"] == 1 and created["closed_on"] is None
        uuid.UUID(created["id"])
        assert ok(await client.call_tool("matters_get", {"matter_id": created["id"]})) == created

        updated = ok(
            await client.call_tool(
                "matters_update",
                {
                    "matter_id": created["id"],
                    "expected_version": 1,
                    "title": "Acme v. Widget Co. (appeal)",
                    "responsible_attorney": None,
                },
            )
        )
        assert updated["title"] == "Acme v. Widget Co. (appeal)" and updated["responsible_attorney"] is None
        assert updated["client_name"] == ACME["client_name"] and updated["version"] == 2

        closed = ok(
            await client.call_tool(
                "matters_close", {"matter_id": created["id"], "closed_on": "2030-01-31", "closing_note": "Settled."}
            )
        )
        assert closed["status"] == "closed" and closed["closed_on"] == "2030-01-31"
        assert closed["notes"].endswith("[closed 2030-01-31] Settled.")
        error(await client.call_tool("matters_update", {"matter_id": created["id"], "title": "x"}), "conflict")
        error(await client.call_tool("matters_close", {"matter_id": created["id"]}), "conflict")

        reopened = ok(await client.call_tool("matters_reopen", {"matter_id": created["id"]}))
        assert reopened["status"] == "open" and reopened["closed_on"] is None and reopened["version"] == 4


async def test_the_matter_is_also_a_resource(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        created = ok(await client.call_tool("matters_create", ACME))
        templates = (await client.list_resource_templates()).resource_templates
        assert "cyrano://matters/{matter_id}" in [t.uri_template for t in templates]
        contents = (await client.read_resource(f"cyrano://matters/{created['id']}")).contents[0]
        assert contents.mime_type == "application/json"
        assert created["id"] in contents.text  # type: ignore[union-attr]
        with pytest.raises(MCPError, match="not_found"):
            await client.read_resource(f"cyrano://matters/{uuid.uuid4()}")


async def test_pages_cover_every_matter_exactly_once_in_order(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        for day in range(1, 26):
            ok(
                await client.call_tool(
                    "matters_create", {**ACME, "title": f"Matter {day:02d}", "opened_on": f"2026-03-{day:02d}"}
                )
            )
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            page = ok(await client.call_tool("matters_list", {"limit": 10, **({"cursor": cursor} if cursor else {})}))
            assert page["total"] == 25
            seen.extend(item["title"] for item in page["items"])
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert pages == 3
        assert seen == [f"Matter {day:02d}" for day in range(25, 0, -1)]

        ascending = ok(await client.call_tool("matters_list", {"order_by": "title", "descending": False, "limit": 3}))
        assert [i["title"] for i in ascending["items"]] == ["Matter 01", "Matter 02", "Matter 03"]
        following = ok(
            await client.call_tool(
                "matters_list",
                {"order_by": "title", "descending": False, "limit": 3, "cursor": ascending["next_cursor"]},
            )
        )
        assert [i["title"] for i in following["items"]] == ["Matter 04", "Matter 05", "Matter 06"]
        message = error(await client.call_tool("matters_list", {"cursor": ascending["next_cursor"]}), "invalid_input")
        assert "different order" in message
        error(await client.call_tool("matters_list", {"cursor": "not-a-cursor"}), "invalid_input")


async def test_filters_narrow_the_listing(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        ok(await client.call_tool("matters_create", {**ACME, "opened_on": "2025-05-01"}))
        estate = ok(
            await client.call_tool(
                "matters_create",
                {
                    "client_name": "Rivera Family Trust",
                    "title": "Trust administration 100%_done",
                    "practice_area": "Estates",
                    "responsible_attorney": "J. Alvarez",
                    "reference": "EST-7",
                },
            )
        )
        ok(await client.call_tool("matters_close", {"matter_id": estate["id"]}))

        async def titles(**query: Any) -> list[str]:
            return [i["title"] for i in ok(await client.call_tool("matters_list", query))["items"]]

        assert await titles(status="closed") == ["Trust administration 100%_done"]
        assert await titles(status="open") == ["Acme v. Widget Co."]
        assert await titles(client="rivera") == ["Trust administration 100%_done"]
        assert await titles(practice_area="estates") == ["Trust administration 100%_done"]
        assert await titles(responsible_attorney="j. alvarez") == ["Trust administration 100%_done"]
        assert await titles(query="widget acme") == ["Acme v. Widget Co."]
        assert await titles(query="est-7") == ["Trust administration 100%_done"]
        assert await titles(query="100%_") == ["Trust administration 100%_done"]  # LIKE wildcards are literal
        assert await titles(query="%") == ["Trust administration 100%_done"]
        assert await titles(opened_from="2025-01-01", opened_to="2025-12-31") == ["Acme v. Widget Co."]
        error(
            await client.call_tool("matters_list", {"opened_from": "2026-01-02", "opened_to": "2026-01-01"}),
            "invalid_input",
        )


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("matters_create", {**ACME, "client_name": 42}, "client_name: Input should be a valid string"),
        ("matters_create", {"title": "t", "practice_area": "p"}, "client_name: Field required"),
        ("matters_create", {**ACME, "client_name": "x" * 201}, "client_name: String should have at most 200"),
        ("matters_create", {**ACME, "title": "   "}, "title: String should have at least 1 character"),
        ("matters_create", {**ACME, "colour": "red"}, "colour: Extra inputs are not permitted"),
        ("matters_create", {**ACME, "opened_on": "yesterday"}, "opened_on: Input should be a valid date"),
        ("matters_create", {**ACME, "reference": "has spaces"}, "reference: String should match pattern"),
        ("matters_list", {"limit": "ten"}, "limit: Input should be a valid integer"),
        ("matters_list", {"limit": 1000}, "limit: Input should be less than or equal to 100"),
        ("matters_update", {"matter_id": str(uuid.uuid4())}, "give at least one field to change"),
        ("matters_update", {"matter_id": str(uuid.uuid4()), "title": None}, "title cannot be null"),
        ("matters_get", {"matter_id": "12"}, "matter_id: not a matter id"),
    ],
)
async def test_bad_input_is_a_field_level_tool_error_and_writes_nothing(
    runtime: Runtime, tool: str, arguments: dict[str, Any], field: str
) -> None:
    async with Client(runtime.server) as client:
        before = await matter_count(runtime)
        message = error(await client.call_tool(tool, arguments), "invalid_input")
        assert field in message
        assert "Traceback" not in message
        assert await matter_count(runtime) == before


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_things_are_clear_errors(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        missing = str(uuid.uuid4())
        assert error(await client.call_tool("matters_get", {"matter_id": missing}), "not_found") == (
            f"not_found: no matter has id {missing}"
        )
        error(await client.call_tool("matters_close", {"matter_id": missing}), "not_found")
        unknown = await client.call_tool("matters_destroy", {})
        assert unknown.is_error and "Unknown tool: matters_destroy" in text_of(unknown)
        assert await matter_count(runtime) == 0


async def test_references_are_unique_and_stale_versions_are_refused(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        first = ok(await client.call_tool("matters_create", {**ACME, "reference": "A-1"}))
        message = error(await client.call_tool("matters_create", {**ACME, "reference": "A-1"}), "conflict")
        assert first["id"] in message
        second = ok(await client.call_tool("matters_create", {**ACME, "reference": "A-2"}))
        error(await client.call_tool("matters_update", {"matter_id": second["id"], "reference": "A-1"}), "conflict")
        ok(await client.call_tool("matters_update", {"matter_id": first["id"], "notes": "v2"}))
        stale = error(
            await client.call_tool(
                "matters_update", {"matter_id": first["id"], "expected_version": 1, "notes": "lost update"}
            ),
            "conflict",
        )
        assert "now at version 2" in stale
        assert ok(await client.call_tool("matters_get", {"matter_id": first["id"]}))["notes"] == "v2"
        error(
            await client.call_tool("matters_close", {"matter_id": first["id"], "closed_on": "2000-01-01"}),
            "invalid_input",
        )
        assert await matter_count(runtime) == 2


async def test_concurrent_sessions_write_without_losing_anything(runtime: Runtime) -> None:
    async def writer(index: int) -> None:
        async with Client(runtime.server, mode=MODES[index % 2]) as client:
            for n in range(15):
                ok(await client.call_tool("matters_create", {**ACME, "title": f"w{index}-{n}"}))

    async with anyio.create_task_group() as group:
        for index in range(4):
            group.start_soon(writer, index)
    assert await matter_count(runtime) == 60

    async with Client(runtime.server) as client:
        target = ok(await client.call_tool("matters_create", ACME))
        outcomes: list[bool] = []

        async def racer(n: int) -> None:
            result = await client.call_tool(
                "matters_update", {"matter_id": target["id"], "expected_version": 1, "notes": f"racer {n}"}
            )
            outcomes.append(not result.is_error)

        async with anyio.create_task_group() as group:
            for n in range(8):
                group.start_soon(racer, n)
        assert outcomes.count(True) == 1  # optimistic concurrency: exactly one writer wins version 1
        assert ok(await client.call_tool("matters_get", {"matter_id": target["id"]}))["version"] == 2

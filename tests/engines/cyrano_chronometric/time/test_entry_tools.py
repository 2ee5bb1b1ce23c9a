"""Time entries through MCP client sessions: recorded, listed with totals, changed, deleted; a day held to 24
hours; quarter hours refused; narratives sealed in the store."""

import pytest
from mcp import Client
from sqlmodel import select

from cyrano_chronometric.time.tables import TimeEntryRow
from cyrano_mcp.server import Runtime
from tests.engines.cyrano_chronometric.time.conftest import new_matter
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", MODES)
async def test_entries_are_recorded_listed_changed_and_deleted(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        matter = await new_matter(client)
        other = await new_matter(client, "Supply contract")
        first = ok(
            await client.call_tool(
                "chronometric_entries_create",
                {"matter_id": matter, "date": "2026-03-05", "hours": 1.5, "narrative": "Drafted the answer"},
            )
        )
        ok(
            await client.call_tool(
                "chronometric_entries_create",
                {"matter_id": other, "date": "2026-03-06", "hours": 0.3, "narrative": "Call", "billable": False},
            )
        )
        ok(
            await client.call_tool(
                "chronometric_entries_create",
                {"matter_id": matter, "date": "2026-03-06", "hours": 2.0, "narrative": "Research", "user": "jdoe"},
            )
        )
        mine = ok(await client.call_tool("chronometric_entries_list", {"start": "2026-03-01", "end": "2026-03-31"}))
        everyone = ok(
            await client.call_tool(
                "chronometric_entries_list",
                {"user": "*", "matter_id": matter, "start": "2026-03-01", "end": "2026-03-31"},
            )
        )
        changed = ok(await client.call_tool("chronometric_entries_update", {"entry_id": first["id"], "hours": 2.2}))
        deleted = ok(await client.call_tool("chronometric_entries_delete", {"entry_id": first["id"]}))
        again = ok(await client.call_tool("chronometric_entries_delete", {"entry_id": first["id"]}))
        after = ok(await client.call_tool("chronometric_entries_list", {"start": "2026-03-01", "end": "2026-03-31"}))
        page = ok(
            await client.call_tool(
                "chronometric_entries_list", {"user": "*", "start": "2026-03-01", "end": "2026-03-31", "limit": 1}
            )
        )
        rest = ok(
            await client.call_tool(
                "chronometric_entries_list",
                {"user": "*", "start": "2026-03-01", "end": "2026-03-31", "limit": 1, "cursor": page["next_cursor"]},
            )
        )

    assert first["user"] == "local" and first["source"] == "manual" and first["billable"] is True
    assert [(entry["date"], entry["hours"]) for entry in mine["entries"]] == [("2026-03-05", 1.5), ("2026-03-06", 0.3)]
    assert mine["total"] == 2 and mine["hours"] == 1.8 and mine["billable_hours"] == 1.5
    assert {entry["user"] for entry in everyone["entries"]} == {"local", "jdoe"} and everyone["hours"] == 3.5
    assert changed["hours"] == 2.2 and changed["narrative"] == "Drafted the answer" and changed["date"] == "2026-03-05"
    assert deleted == {"entry_id": first["id"], "deleted": True} and again["deleted"] is False
    assert after["total"] == 1 and after["entries"][0]["narrative"] == "Call"
    assert page["total"] == 2 and len(page["entries"]) == 1 and rest["next_cursor"] is None
    assert page["entries"][0]["id"] != rest["entries"][0]["id"]


async def test_a_day_never_holds_more_than_24_hours(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        day = {"matter_id": matter, "date": "2026-03-05"}
        ok(await client.call_tool("chronometric_entries_create", {**day, "hours": 20.0, "narrative": "Trial"}))
        small = ok(await client.call_tool("chronometric_entries_create", {**day, "hours": 3.0, "narrative": "Prep"}))
        over = await client.call_tool("chronometric_entries_create", {**day, "hours": 2.0, "narrative": "Notes"})
        grown = await client.call_tool("chronometric_entries_update", {"entry_id": small["id"], "hours": 4.5})
        moved_in = ok(
            await client.call_tool(
                "chronometric_entries_create", {**day, "date": "2026-03-06", "hours": 5.0, "narrative": "Travel"}
            )
        )
        moved = await client.call_tool(
            "chronometric_entries_update", {"entry_id": moved_in["id"], "date": "2026-03-05"}
        )
        other_user = ok(
            await client.call_tool(
                "chronometric_entries_create", {**day, "hours": 8.0, "narrative": "Trial", "user": "jdoe"}
            )
        )
        quarter = await client.call_tool("chronometric_entries_create", {**day, "hours": 0.25, "narrative": "Call"})
        too_long = await client.call_tool("chronometric_entries_create", {**day, "hours": 25, "narrative": "Call"})
        listed = ok(await client.call_tool("chronometric_entries_list", {"start": "2026-03-05", "end": "2026-03-05"}))

    assert "24.0 hours" not in error(over, "invalid_input")  # 25.0 would be
    assert "25.0 hours on 2026-03-05, more than 24 in a day" in error(over, "invalid_input")
    assert "more than 24 in a day" in error(grown, "invalid_input")
    assert "more than 24 in a day" in error(moved, "invalid_input")
    assert other_user["user"] == "jdoe"  # another timekeeper's day is their own
    assert "tenths of an hour" in error(quarter, "invalid_input")
    assert "hours" in error(too_long, "invalid_input")
    assert listed["hours"] == 23.0 and listed["total"] == 2  # nothing of the refused calls was stored


async def test_closed_and_unknown_matters_take_no_time_and_narratives_are_sealed(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        closed = await new_matter(client, "Old estate")
        ok(await client.call_tool("matters_close", {"matter_id": closed}))
        entry = {"date": "2026-03-05", "hours": 1.0, "narrative": "Privileged strategy memo"}
        ok(await client.call_tool("chronometric_entries_create", {**entry, "matter_id": matter}))
        on_closed = await client.call_tool("chronometric_entries_create", {**entry, "matter_id": closed})
        unknown = await client.call_tool(
            "chronometric_entries_create", {**entry, "matter_id": "00000000-0000-4000-8000-000000000000"}
        )
        nothing = await client.call_tool(
            "chronometric_entries_update", {"entry_id": "00000000-0000-4000-8000-000000000000", "hours": 1.0}
        )
    error(on_closed, "conflict")
    error(unknown, "not_found")
    error(nothing, "not_found")
    async with runtime.database.session() as session:
        stored = (await session.exec(select(TimeEntryRow.narrative))).all()
    assert len(stored) == 1 and "Privileged" not in stored[0]

"""Days short of time and likely double entries through MCP sessions: November 2026 with Veterans Day,
Thanksgiving and two leave days; a work profile of four days a week; pairs of alike entries scored."""

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime
from tests.engines.cyrano_chronometric.time.conftest import new_matter
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.mark.parametrize("mode", MODES)
async def test_gaps_skip_weekends_holidays_and_leave(runtime: Runtime, mode: str) -> None:
    full_days = [2, 3, 4, 6, 9, 10, 13, 16, 17, 18, 19, 20, 25, 27, 30]  # not the 5th; the 12th short
    async with Client(runtime.server, mode=mode) as client:
        matter = await new_matter(client)
        for day in full_days:
            entry = {"matter_id": matter, "date": f"2026-11-{day:02d}", "hours": 6.5, "narrative": "Discovery"}
            ok(await client.call_tool("chronometric_entries_create", entry))
        for day, hours in [(12, 3.0), (11, 2.0)]:  # the 11th is Veterans Day
            entry = {"matter_id": matter, "date": f"2026-11-{day:02d}", "hours": hours, "narrative": "Review"}
            ok(await client.call_tool("chronometric_entries_create", entry))
        profile = ok(
            await client.call_tool("chronometric_work_profile_set", {"leave_days": ["2026-11-23", "2026-11-24"]})
        )
        gaps = ok(await client.call_tool("chronometric_gaps", NOVEMBER))
        four_days = ok(
            await client.call_tool(
                "chronometric_work_profile_set", {"working_weekdays": ["mon", "tue", "wed", "thu"], "minimum_hours": 7}
            )
        )
        shorter_week = ok(await client.call_tool("chronometric_gaps", NOVEMBER))
        too_long = await client.call_tool("chronometric_gaps", {"start": "2025-01-01", "end": "2026-11-30"})

    assert profile == {
        "user": "local", "minimum_hours": 6.0, "working_weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "jurisdiction": "US", "leave_days": ["2026-11-23", "2026-11-24"], "emails": [], "timezone": "UTC",
    }  # fmt: skip
    # 21 weekdays, less Veterans Day (11th), Thanksgiving (26th) and the two leave days.
    assert gaps["working_days"] == 17 and gaps["days_short"] == 2 and gaps["shortfall_hours"] == 9.0
    assert gaps["gaps"] == [
        {"date": "2026-11-05", "recorded": 0.0, "expected": 6.0, "shortfall": 6.0},
        {"date": "2026-11-12", "recorded": 3.0, "expected": 6.0, "shortfall": 3.0},
    ]
    assert four_days["leave_days"] == ["2026-11-23", "2026-11-24"] and four_days["minimum_hours"] == 7.0
    # Mondays to Thursdays: 17 days, less the 11th, the 26th and the leave days: 13, every one short of 7 hours.
    assert shorter_week["working_days"] == 13 and shorter_week["days_short"] == 13
    assert "2026-11-06" not in {gap["date"] for gap in shorter_week["gaps"]}
    assert "at most 366" in error(too_long, "invalid_input")


async def test_likely_double_entries_are_paired_with_a_score_and_reason(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        other = await new_matter(client, "Other matter")
        entries = [
            (matter, "2026-03-02", 1.0, "Call with client re lease terms", None),
            (matter, "2026-03-03", 1.0, "call with client re: lease terms", None),  # the double
            (matter, "2026-03-02", 2.0, "Drafted motion to dismiss", None),
            (matter, "2026-03-02", 1.0, "Call with client re lease terms", "jdoe"),  # another timekeeper
            (matter, "2026-03-10", 1.0, "Call with client re lease terms", None),  # a week on
            (matter, "2026-03-02", 3.0, "Call with client re lease terms", None),  # three times the hours
            (other, "2026-03-02", 1.0, "Call with client re lease terms", None),  # another matter
        ]
        ids = []
        for matter_id, day, hours, narrative, user in entries:
            arguments = {"matter_id": matter_id, "date": day, "hours": hours, "narrative": narrative}
            if user is not None:
                arguments["user"] = user
            ids.append(ok(await client.call_tool("chronometric_entries_create", arguments))["id"])
        mine = ok(await client.call_tool("chronometric_duplicates", {"start": "2026-03-01", "end": "2026-03-31"}))
        by_matter = ok(
            await client.call_tool(
                "chronometric_duplicates", {"matter_id": matter, "start": "2026-03-01", "end": "2026-03-31"}
            )
        )

    assert mine["entries_read"] == 6 and mine["total"] == 1
    (pair,) = mine["pairs"]
    assert (pair["first"]["id"], pair["second"]["id"]) == (ids[0], ids[1])
    assert 0.9 <= pair["score"] <= 1.0
    assert pair["reason"].startswith("a day apart, narratives") and "the same hours (1.0)" in pair["reason"]
    assert by_matter["entries_read"] == 6 and [item["first"]["id"] for item in by_matter["pairs"]] == [ids[0]]


async def test_a_profile_keeps_its_email_addresses_until_replaced(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        emails = {"emails": [" Ann.Lee@Firm.example ", "ann@home.example", "ann@home.example"]}
        first = ok(await client.call_tool("chronometric_work_profile_set", emails))
        kept = ok(await client.call_tool("chronometric_work_profile_set", {"minimum_hours": 5}))
        cleared = ok(await client.call_tool("chronometric_work_profile_set", {"emails": []}))
        bad = await client.call_tool("chronometric_work_profile_set", {"emails": ["not an address"]})
    assert first["emails"] == ["ann.lee@firm.example", "ann@home.example"]
    assert kept["emails"] == first["emails"] and kept["minimum_hours"] == 5.0
    assert cleared["emails"] == []
    assert "emails" in error(bad, "invalid_input")

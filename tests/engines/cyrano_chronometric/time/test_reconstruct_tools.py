"""chronometric_reconstruct and chronometric_accept through MCP sessions: e-mails filed in two matters proposed as
the unrecorded work of a short day, on the day of the timekeeper's own zone; a matter already recorded that day
left out; a proposal accepted once, as reviewed, with its evidence; bad input refused with nothing stored."""

import base64

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime
from tests.engines.cyrano_chronometric.time.conftest import new_matter
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio
DAY = {"start": "2026-11-04", "end": "2026-11-04"}


def _mail(sender: str, to: str, subject: str, date: str, number: int) -> bytes:
    return (
        f"From: {sender}\nTo: {to}\nSubject: {subject}\nDate: {date}\nMessage-ID: <m{number}@example.test>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nPlease see the points below.\n"
    ).encode()


DANA, LEO, RAY = "Dana Whitfield <dana@firm.example>", "Leo Marsh <leo@client.example>", "Ray Oduya <ray@other.example>"
# 23:30 in New York on 4 November is 04:30 UTC on the 5th: work of the 4th for a timekeeper in New York.
LATE_REPLY = _mail(DANA, LEO, "Lease redlines", "Wed, 04 Nov 2026 23:30:00 -0500", 1)
MORNING_NOTE = _mail(LEO, DANA, "Questions on the lease", "Wed, 04 Nov 2026 09:10:00 -0500", 2)
OTHER_MATTER = _mail(RAY, DANA, "Board minutes", "Wed, 04 Nov 2026 11:00:00 -0500", 3)
NOT_HERS = _mail(RAY, LEO, "Unrelated", "Wed, 04 Nov 2026 12:00:00 -0500", 4)


async def _file(client: Client, matter: str, name: str, message: bytes) -> None:
    sent = {"content_base64": base64.b64encode(message).decode(), "filename": name, "matter_id": matter}
    ok(await client.call_tool("arkiver_ingest", sent))


async def _two_matters(client: Client) -> tuple[str, str]:
    lease, board = await new_matter(client, "Lease dispute"), await new_matter(client, "Board advice")
    await _file(client, lease, "late.eml", LATE_REPLY)
    await _file(client, lease, "morning.eml", MORNING_NOTE)
    await _file(client, lease, "other.eml", NOT_HERS)
    await _file(client, board, "minutes.eml", OTHER_MATTER)
    return lease, board


@pytest.mark.parametrize("mode", MODES)
async def test_e_mails_are_proposed_for_the_short_day_and_accepted_once(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        lease, board = await _two_matters(client)
        profile = {"emails": ["Dana@Firm.example"], "timezone": "America/New_York"}
        ok(await client.call_tool("chronometric_work_profile_set", profile))
        found = ok(await client.call_tool("chronometric_reconstruct", DAY))
        surer = ok(await client.call_tool("chronometric_reconstruct", {**DAY, "direct_only": True}))
        by_matter = {item["matter_id"]: item for item in found["proposals"]}
        lease_day = by_matter[lease]
        reviewed = {"proposal_id": lease_day["proposal_id"], "hours": 0.5, "narrative": "Lease redlines and call"}
        accepted = ok(await client.call_tool("chronometric_accept", reviewed))
        again = await client.call_tool("chronometric_accept", reviewed)
        after = ok(await client.call_tool("chronometric_reconstruct", DAY))

    assert (found["days_short"], found["shortfall_hours"], found["timezone"]) == (1, 6.0, "America/New_York")
    assert set(by_matter) == {lease, board} and found["proposals_total"] == 2 and found["notes"] == []
    # A sent e-mail is direct (0.2 h), a received one circumstantial (0.1 h); Ray's mail to Leo is not hers.
    assert lease_day["hours"] == 0.3 and lease_day["evidence_total"] == 2 and not lease_day["capped"]
    assert [(item["kind"], item["evidence_class"]) for item in lease_day["evidence"]] == [
        ("email_received", "circumstantial"),
        ("email_sent", "direct"),
    ]
    assert (
        lease_day["narrative"]
        == "Read e-mail from Leo Marsh re: Questions on the lease; E-mailed Leo Marsh re: Lease redlines"
    )
    assert by_matter[board]["hours"] == 0.1
    assert (lease_day["strength"], by_matter[board]["strength"]) == ("direct", "circumstantial")
    assert [item["matter_id"] for item in surer["proposals"]] == [lease]
    assert found["proposals"][0]["matter_id"] == lease  # the day with direct evidence comes first
    entry = accepted["entry"]
    assert (entry["source"], entry["hours"], entry["narrative"], entry["date"]) == (
        "reconstructed", 0.5, "Lease redlines and call", "2026-11-04",
    )  # fmt: skip
    assert entry["proposal_id"] == lease_day["proposal_id"] and len(accepted["evidence"]) == 2
    assert "accepted already" in error(again, "conflict")
    assert [item["matter_id"] for item in after["proposals"]] == [board]  # the lease's day is recorded now
    assert after["shortfall_hours"] == 5.5


async def test_the_day_follows_the_timekeeper_zone_and_recorded_matters_are_left_out(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        lease, board = await _two_matters(client)
        ok(await client.call_tool("chronometric_work_profile_set", {"emails": ["dana@firm.example"]}))  # UTC
        week = ok(await client.call_tool("chronometric_reconstruct", {"start": "2026-11-02", "end": "2026-11-06"}))
        entry = {"matter_id": board, "date": "2026-11-04", "hours": 1.0, "narrative": "Board advice"}
        ok(await client.call_tool("chronometric_entries_create", entry))
        only_lease = ok(await client.call_tool("chronometric_reconstruct", {**DAY, "matter_id": lease}))
        whole_day = ok(await client.call_tool("chronometric_reconstruct", DAY))

    days = {(item["date"], item["matter_id"]): item["evidence_total"] for item in week["proposals"]}
    # In UTC the late reply was sent on the 5th.
    assert days == {("2026-11-04", lease): 1, ("2026-11-04", board): 1, ("2026-11-05", lease): 1}
    assert week["days_short"] == 5
    assert [item["matter_id"] for item in only_lease["proposals"]] == [lease]
    assert [item["matter_id"] for item in whole_day["proposals"]] == [lease] and whole_day["shortfall_hours"] == 5.0


async def test_without_addresses_nothing_is_proposed_and_the_answer_says_why(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        await _two_matters(client)
        found = ok(await client.call_tool("chronometric_reconstruct", DAY))
    assert found["proposals"] == [] and found["days_short"] == 1
    assert "e-mail addresses" in found["notes"][0]


async def test_bad_input_is_refused_and_nothing_is_stored(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        await _two_matters(client)
        ok(await client.call_tool("chronometric_work_profile_set", {"emails": ["dana@firm.example"]}))
        too_long = await client.call_tool("chronometric_reconstruct", {"start": "2026-10-01", "end": "2026-11-30"})
        bad_zone = await client.call_tool("chronometric_work_profile_set", {"timezone": "Mars/Olympus"})
        malformed = await client.call_tool("chronometric_accept", {"proposal_id": "not-a-proposal"})
        stale = await client.call_tool("chronometric_accept", {"proposal_id": "2026-11-04." + "0" * 24})
        entries = ok(await client.call_tool("chronometric_entries_list", {"start": "2026-11-01", "end": "2026-11-30"}))
    assert "at most 31" in error(too_long, "invalid_input")
    assert "Mars/Olympus" in error(bad_zone, "invalid_input")
    assert "proposal_id" in error(malformed, "invalid_input")
    assert "no longer stands" in error(stale, "conflict")
    assert entries["total"] == 0

"""Chronometric's deadline tools through MCP client sessions: a contract's notice day read from its clauses, the
docket (propose, docket, complete, dismiss, list firm-wide), court rules, the calendar file, and bad input."""

from typing import Any

import icalendar
import pytest
from mcp import Client

from cyrano_mcp.server import Runtime
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

# Five years from 11 December 2006, then yearly renewals unless notice is given 60 days before the term ends.
SUPPLY = (
    "SUPPLY AGREEMENT\n\n"
    'This Supply Agreement (the "Agreement") is made as of the 11th day of December, 2006 (the "Effective '
    'Date") by and between Kestrel Analytics Corp., a Delaware corporation ("Supplier"), and Marlow & Finch '
    'LLP, a New York limited liability partnership ("Buyer").\n\n'
    "1. Orders. Buyer shall pay each invoice within thirty (30) days after receipt of the invoice.\n"
    "\f"
    "2. Term. This Agreement begins on the Effective Date and continues for five (5) years. Thereafter it renews\n"
    "automatically for successive one (1) year periods unless either party gives written notice of non-renewal\n"
    "at least sixty (60) days before the end of the then-current term.\n"
)


async def _matter_with_contract(client: Client, text: str = SUPPLY) -> tuple[str, str]:
    matter = ok(
        await client.call_tool(
            "matters_create",
            {"client_name": "Marlow & Finch", "title": "Supply contract", "practice_area": "commercial"},
        )
    )["id"]
    ingested = ok(
        await client.call_tool("arkiver_ingest", {"text": text, "filename": "supply.txt", "matter_id": matter})
    )
    return matter, ingested["document"]["id"]


def _by_kind(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {deadline["kind"]: deadline for deadline in answer["deadlines"]}


@pytest.mark.parametrize("mode", MODES)
async def test_the_notice_day_is_read_from_the_term_clause_and_docketed(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        matter, document_id = await _matter_with_contract(client)
        found = ok(await client.call_tool("chronometric_deadlines", {"matter_id": matter, "start": "2011-01-01"}))
        notice = _by_kind(found)["non_renewal_notice"]
        docketed = ok(await client.call_tool("chronometric_deadline_add", {"deadline_id": notice["id"]}))
        again = ok(await client.call_tool("chronometric_deadlines", {"matter_id": matter, "start": "2011-01-01"}))
        firm = ok(
            await client.call_tool(
                "chronometric_deadline_list", {"start": "2011-10-01", "end": "2011-12-31", "overdue": False}
            )
        )

    assert found["documents_read"] == 1 and found["proposed"] == 2
    # 11 December 2011 (five years on) less 60 days: Wednesday 12 October 2011.
    assert notice["due"] == "2011-10-12" and notice["trigger"] == "2011-12-11" and notice["status"] == "proposed"
    assert _by_kind(found)["expiry"]["due"] == "2011-12-11"
    roles = {quote["role"]: quote for quote in notice["evidence"]}
    # One sentence gives the renewal and the notice period: quoted once, with both roles.
    assert roles["renewal and notice period"]["page"] == 2
    assert "sixty (60) days" in roles["renewal and notice period"]["quote"]
    assert roles["term end"]["quote"].startswith("This Agreement begins on the Effective Date")
    assert "60 days before the term ends on 2011-12-11" in notice["how"]
    assert found["conditional_total"] == 1 and "thirty (30) days" in found["conditional"][0]["limit"]
    assert docketed["status"] == "open" and docketed["id"] == notice["id"]
    # Computed again, the docketed deadline is kept as the lawyer left it, and nothing is proposed twice.
    assert _by_kind(again)["non_renewal_notice"]["status"] == "open" and again["proposed"] == 1
    assert [(item["kind"], item["due"], item["matter"]) for item in firm["deadlines"]] == [
        ("non_renewal_notice", "2011-10-12", "Supply contract"),
        ("expiry", "2011-12-11", "Supply contract"),
    ]


async def test_a_renewed_term_carries_the_notice_to_the_next_term(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_contract(client)
        found = ok(await client.call_tool("chronometric_deadlines", {"matter_id": matter, "start": "2026-12-06"}))
    by_kind = _by_kind(found)
    # The term renewed yearly from 2011-12-11: the current one ends 2026-12-11, whose notice day (2026-10-12) has
    # passed, so the notice that can still stop a renewal is the next term's.
    assert by_kind["expiry"]["due"] == "2026-12-11" and "carried forward 15 renewals" in by_kind["expiry"]["how"]
    assert by_kind["non_renewal_notice"]["due"] == "2027-10-12"
    assert "was due by 2026-10-12" in by_kind["non_renewal_notice"]["caution"]


@pytest.mark.parametrize("mode", MODES)
async def test_court_rules_count_by_frcp_6a_and_the_calendar_reads_back(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        matter, _ = await _matter_with_contract(client)
        rules = ok(await client.call_tool("chronometric_rules", {}))
        # Served Friday 2026-06-05: 21 days end on Friday 2026-06-26, no roll.
        answer = ok(
            await client.call_tool(
                "chronometric_deadline_add", {"matter_id": matter, "rule": "frcp_12a_answer", "trigger": "2026-06-05"}
            )
        )
        # Served 2026-06-13: 21 days end on Saturday 2026-07-04 (Independence Day): rolled to Monday 2026-07-06.
        rolled = ok(
            await client.call_tool(
                "chronometric_deadline_add",
                {"matter_id": matter, "rule": "frcp_12a_answer", "trigger": "2026-06-13", "title": "Answer (second)"},
            )
        )
        by_hand = ok(
            await client.call_tool(
                "chronometric_deadline_add",
                {"matter_id": matter, "title": "Send draft to client, résumé; call", "due": "2026-06-20"},
            )
        )
        done = ok(await client.call_tool("chronometric_deadline_complete", {"deadline_id": by_hand["id"]}))
        exported = ok(await client.call_tool("chronometric_export", {"matter_id": matter}))
        resource = await client.read_resource(exported["uri"])

    assert "frcp_12a_answer" in {rule["name"] for rule in rules["rules"]}
    assert answer["due"] == "2026-06-26" and answer["source"] == "rule" and answer["kind"] == "court_rule"
    assert rolled["due"] == "2026-07-06" and "2026-07-04" in rolled["how"]
    assert done["status"] == "completed"
    assert exported["events"] == 2 and exported["first_due"] == "2026-06-26"
    text = resource.contents[0].text  # type: ignore[union-attr]
    assert text == exported["ics"]
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert sorted(str(event["DTSTART"].dt) for event in events) == ["2026-06-26", "2026-07-06"]
    assert {str(event["UID"]) for event in events} == {
        f"deadline-{answer['id']}@cyrano",
        f"deadline-{rolled['id']}@cyrano",
    }


async def test_a_dismissed_proposal_is_not_proposed_again(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_contract(client)
        found = ok(await client.call_tool("chronometric_deadlines", {"matter_id": matter, "start": "2011-01-01"}))
        expiry = _by_kind(found)["expiry"]
        ok(
            await client.call_tool(
                "chronometric_deadline_complete", {"deadline_id": expiry["id"], "status": "dismissed"}
            )
        )
        again = ok(await client.call_tool("chronometric_deadlines", {"matter_id": matter, "start": "2011-01-01"}))
    assert "expiry" not in _by_kind(again) and again["proposed"] == 1


async def test_compute_explains_every_moved_day(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        counted = ok(
            await client.call_tool(
                "chronometric_compute",
                {"trigger": "2026-06-13", "count": 21, "unit": "day", "method": "frcp_6a", "jurisdiction": "US"},
            )
        )
    assert counted["due"] == "2026-07-06"
    assert any(step["day"] == "2026-07-04" for step in counted["steps"])
    assert counted["explanation"]


async def test_bad_input_gets_a_clear_error_and_stores_nothing(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_contract(client)
        loose = ok(await client.call_tool("arkiver_ingest", {"text": SUPPLY, "filename": "loose.txt"}))["document"][
            "id"
        ]
        century = await client.call_tool("chronometric_deadline_list", {"start": "2000-01-01", "end": "2100-01-01"})
        no_rule = await client.call_tool(
            "chronometric_deadline_add", {"matter_id": matter, "rule": "no_such_rule", "trigger": "2026-06-05"}
        )
        no_matter_document = await client.call_tool("chronometric_deadlines", {"document_id": loose})
        both = await client.call_tool("chronometric_deadlines", {"matter_id": matter, "document_id": loose})
        jurisdiction = await client.call_tool(
            "chronometric_compute", {"trigger": "2026-06-05", "count": 3, "jurisdiction": "ZZ"}
        )
        unknown = await client.call_tool(
            "chronometric_deadline_complete", {"deadline_id": "00000000-0000-4000-8000-000000000000"}
        )
        docket = ok(await client.call_tool("chronometric_deadline_list", {"within_days": 3_000}))

    assert "36,525 days" in error(century, "invalid_input")
    assert "no_such_rule" in error(no_rule, "not_found")
    assert "belongs to no matter" in error(no_matter_document, "invalid_input")
    assert "one of them" in error(both, "invalid_input")
    assert "jurisdiction" in error(jurisdiction, "invalid_input")
    error(unknown, "not_found")
    assert docket["total"] == 0  # nothing was docketed by any of the refused calls

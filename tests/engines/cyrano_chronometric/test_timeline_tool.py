"""chronometric_timeline through MCP sessions: a matter's dated events in order across its documents, with their
sentences and pages, one event dated differently by two documents shown as a conflict, filters and paging."""

import base64

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

PURCHASE = (
    "SHARE PURCHASE AGREEMENT\n\n"
    'This Share Purchase Agreement is made as of January 15, 2020 between Acme Corp. ("Buyer") and Beta LLC '
    '("Seller").\n\n1. Closing. The Closing shall take place on March 3, 2020 at the offices of the Buyer.\n\n'
    "2. Price. The Buyer shall pay the purchase price no later than February 28, 2020.\n"
)
LETTER = (
    "Dear Mr. Smith,\n\nWe confirm that the Closing took place on March 5, 2020. Payment was received on or about "
    "March 6, 2020.\n\f"
    "The board meeting held on 10 March 2020 approved the transaction of Beta LLC.\n\nYours sincerely,\nAcme Corp.\n"
)


async def _matter(client: Client) -> tuple[str, str, str]:
    matter = ok(
        await client.call_tool(
            "matters_create", {"client_name": "Acme", "title": "Beta acquisition", "practice_area": "corporate"}
        )
    )["id"]
    ids = []
    for name, text in (("purchase.txt", PURCHASE), ("letter.txt", LETTER)):
        ingested = ok(await client.call_tool("arkiver_ingest", {"text": text, "filename": name, "matter_id": matter}))
        ids.append(ingested["document"]["id"])
    return matter, ids[0], ids[1]


# Sent 4 March 2020 at 23:30 in New York: 5 March in UTC, the day the chronology gives it.
MESSAGE = b"""From: Dana Whitfield <dana@acme.example>
To: Leo Marsh <leo@beta.example>
Subject: Closing documents
Date: Wed, 04 Mar 2020 23:30:00 -0500
Message-ID: <closing-1@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Leo, the signed documents for the Closing are attached to follow.
"""


async def test_an_e_mail_of_the_matter_is_an_event_of_the_day_it_was_sent(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _, _ = await _matter(client)
        sent = {"content_base64": base64.b64encode(MESSAGE).decode(), "filename": "closing.eml", "matter_id": matter}
        ok(await client.call_tool("arkiver_ingest", sent))
        timeline = ok(await client.call_tool("chronometric_timeline", {"matter_id": matter, "kinds": ["email"]}))
        by_leo = ok(await client.call_tool("chronometric_timeline", {"matter_id": matter, "party": "Leo Marsh"}))
    (mail,) = timeline["events"]
    assert (mail["date"], mail["event"], mail["document"]) == ("2020-03-05", "E-mail: Closing documents", "closing.eml")
    assert "Dana Whitfield" in mail["quote"] and "Leo Marsh" in mail["quote"]
    assert [item["kind"] for item in by_leo["events"]] == ["email"]
    assert [conflict["event"] for conflict in timeline["conflicts"]] == ["Closing"]  # e-mails conflict with nothing


@pytest.mark.parametrize("mode", MODES)
async def test_the_chronology_orders_events_and_shows_the_closing_conflict(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        matter, purchase, letter = await _matter(client)
        timeline = ok(await client.call_tool("chronometric_timeline", {"matter_id": matter}))

    events = [(item["date"], item["event"], item["document"]) for item in timeline["events"]]
    assert events == [
        ("2020-01-15", "Share Purchase Agreement", "purchase.txt"),
        ("2020-02-28", "pay the purchase price", "purchase.txt"),
        ("2020-03-03", "Closing", "purchase.txt"),
        ("2020-03-05", "Closing", "letter.txt"),
        ("2020-03-06", "Payment", "letter.txt"),
        ("2020-03-10", "board meeting", "letter.txt"),
    ]
    by_date = {item["date"]: item for item in timeline["events"]}
    assert by_date["2020-03-06"]["approximate"] is True and by_date["2020-03-05"]["approximate"] is False
    board = by_date["2020-03-10"]
    assert board["page"] == 2 and "board meeting held on 10 March 2020" in board["quote"]
    assert by_date["2020-03-03"]["conflict"] and by_date["2020-03-05"]["conflict"]
    assert not by_date["2020-03-06"]["conflict"]
    (conflict,) = timeline["conflicts"]
    assert conflict["event"] == "Closing"
    assert [(item["date"], item["document_id"]) for item in conflict["dates"]] == [
        ("2020-03-03", purchase),
        ("2020-03-05", letter),
    ]


async def test_filters_and_pages(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, purchase, _ = await _matter(client)
        march = ok(
            await client.call_tool(
                "chronometric_timeline", {"matter_id": matter, "start": "2020-03-01", "end": "2020-03-31", "limit": 2}
            )
        )
        rest = ok(
            await client.call_tool(
                "chronometric_timeline",
                {"matter_id": matter, "start": "2020-03-01", "end": "2020-03-31", "limit": 2,
                 "cursor": march["next_cursor"]},
            )
        )  # fmt: skip
        one = ok(await client.call_tool("chronometric_timeline", {"document_ids": [purchase], "party": "beta llc"}))
        wrong_cursor = await client.call_tool(
            "chronometric_timeline", {"matter_id": matter, "cursor": march["next_cursor"]}
        )
        neither = await client.call_tool("chronometric_timeline", {"start": "2020-01-01"})
    assert march["total"] == 4 and [item["date"] for item in march["events"]] == ["2020-03-03", "2020-03-05"]
    assert [item["date"] for item in rest["events"]] == ["2020-03-06", "2020-03-10"] and rest["next_cursor"] is None
    assert [item["date"] for item in one["events"]] == ["2020-01-15"]  # only the preamble names Beta LLC
    assert one["conflicts"] == []
    assert "cursor" in error(wrong_cursor, "invalid_input")
    assert "matter_id or document_ids" in error(neither, "invalid_input")

"""A matter's chronology and its deadlines over stdio: two contracts and an e-mail thread in, a timeline with a
conflict out, the notice day of a renewal clause docketed and exported to a calendar file.

Starts `cyrano-mcp serve` with a throw-away store and Chronometric's docket and chronology tools on, files a
share purchase agreement, a supply agreement and two e-mails (a message and its reply) under a new matter, and
shows: the matter's timeline in date order, with the Closing dated March 3 by the agreement and March 5 by the
reply shown as a conflict; the last day to stop the supply agreement renewing, counted from its clauses and
quoted; that deadline docketed and exported as an iCalendar file that a calendar parser reads back. Exits
non-zero if anything is off.

    python examples/matter_chronology.py            # the 2026-07-28 protocol
    python examples/matter_chronology.py --legacy   # the 2025-11-25 handshake
"""

import argparse
import base64
import sys
import tempfile
from typing import Any

import anyio
import icalendar
from mcp import Client, StdioServerParameters
from mcp_types import TextResourceContents

PURCHASE = (
    "SHARE PURCHASE AGREEMENT\n\n"
    'This Share Purchase Agreement is made as of January 15, 2020 between Acme Corp. ("Buyer") and Beta LLC '
    '("Seller").\n\n1. Closing. The Closing shall take place on March 3, 2020 at the offices of the Buyer.\n'
)
SUPPLY = (
    "SUPPLY AGREEMENT\n\n"
    'This Supply Agreement is made as of March 18, 2019 between Beta LLC ("Supplier") and Acme Corp. ("Buyer").\n\n'
    "2. Term. This Agreement shall expire on March 18, 2021 and shall automatically renew for successive one (1) "
    "year periods unless either party gives written notice of non-renewal at least ninety (90) days prior to the "
    "expiration of the then-current term.\n"
)
MESSAGE = b"""From: Dana Whitfield <dana@acme.example>
To: Leo Marsh <leo@beta.example>
Subject: Closing
Date: Mon, 02 Mar 2020 09:15:00 -0500
Message-ID: <closing-1@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Leo, can we confirm the Closing arrangements for this week?
"""
REPLY = b"""From: Leo Marsh <leo@beta.example>
To: Dana Whitfield <dana@acme.example>
Subject: Re: Closing
Date: Fri, 06 Mar 2020 16:40:00 -0500
Message-ID: <closing-2@beta.example>
In-Reply-To: <closing-1@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Dana, for the file: the Closing took place on March 5, 2020, two days later than the agreement said.
"""


class CheckFailed(Exception):
    """Something the workflow should have shown did not happen."""


def fail(message: str) -> None:
    raise CheckFailed(message)


def answer(result: Any, tool: str) -> dict[str, Any]:
    if result.is_error or result.structured_content is None:
        fail(f"{tool} failed: {result.content}")
    return dict(result.structured_content)


async def file_documents(client: Client, matter_id: str) -> None:
    for name, text in (("purchase.txt", PURCHASE), ("supply.txt", SUPPLY)):
        filed = {"text": text, "filename": name, "matter_id": matter_id}
        answer(await client.call_tool("arkiver_ingest", filed), "arkiver_ingest")
    for name, message in (("closing.eml", MESSAGE), ("reply.eml", REPLY)):
        filed = {"content_base64": base64.b64encode(message).decode(), "filename": name, "matter_id": matter_id}
        answer(await client.call_tool("arkiver_ingest", filed), "arkiver_ingest")
    print("filed two contracts and an e-mail thread of two messages")


async def show_timeline(client: Client, matter_id: str) -> None:
    timeline = answer(
        await client.call_tool("chronometric_timeline", {"matter_id": matter_id}), "chronometric_timeline"
    )
    for event in timeline["events"]:
        flag = "  <- conflict" if event["conflict"] else ""
        print(f"  {event['date']}  {event['event']:<32} {event['document']}, p. {event['page']}{flag}")
    conflicts = {conflict["event"]: [item["date"] for item in conflict["dates"]] for conflict in timeline["conflicts"]}
    if conflicts.get("Closing") != ["2020-03-03", "2020-03-05"]:
        fail(f"the Closing conflict was not shown: {timeline['conflicts']}")
    mails = [event["event"] for event in timeline["events"] if event["kind"] == "email"]
    if mails != ["E-mail: Closing", "E-mail: Re: Closing"]:
        fail(f"the e-mail thread is not on the timeline: {mails}")
    print("the Closing is dated 2020-03-03 by the agreement and 2020-03-05 by the reply: shown as a conflict")


async def docket_the_notice(client: Client, matter_id: str) -> dict[str, Any]:
    asked = {"matter_id": matter_id, "start": "2020-01-01", "end": "2021-12-31"}
    found = answer(await client.call_tool("chronometric_deadlines", asked), "chronometric_deadlines")
    notices = [item for item in found["deadlines"] if item["kind"] == "non_renewal_notice"]
    if [item["due"] for item in notices] != ["2020-12-18"]:
        fail(f"the notice day is not 2020-12-18 (2021-03-18 less 90 days): {notices}")
    notice = notices[0]
    clause = next(quote for quote in notice["evidence"] if "notice" in quote["role"])
    if "ninety (90) days" not in (clause["quote"] or ""):
        fail(f"the renewal clause is not quoted: {notice['evidence']}")
    print(f"last day for notice of non-renewal: {notice['due']} ({notice['how']})")
    print(f'  page {clause["page"]}: "{clause["quote"]}"')
    docketed = answer(await client.call_tool("chronometric_deadline_add", {"deadline_id": notice["id"]}), "add")
    if docketed["status"] != "open":
        fail(f"the deadline was not docketed: {docketed}")
    return docketed


async def export_calendar(client: Client, matter_id: str, docketed: dict[str, Any]) -> None:
    exported = answer(await client.call_tool("chronometric_export", {"matter_id": matter_id}), "chronometric_export")
    read = await client.read_resource(exported["uri"])
    (contents,) = read.contents
    if not isinstance(contents, TextResourceContents):
        fail(f"the calendar is not text: {contents}")
    events = icalendar.Calendar.from_ical(contents.text).walk("VEVENT")
    days = [(str(event["UID"]), event["DTSTART"].dt.isoformat()) for event in events]
    if days != [(f"deadline-{docketed['id']}@cyrano", "2020-12-18")]:
        fail(f"the calendar file does not hold the docketed deadline: {days}")
    print(f"exported {exported['uri']}: one all-day event on 2020-12-18, read back by a calendar parser")


async def main(legacy: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="cyrano-example-") as data_dir:
        server = StdioServerParameters(
            command=sys.executable,
            args=["-m", "cyrano_mcp", "serve"],
            env={
                "CYRANO_DATA_DIR": data_dir,
                "CYRANO_LOG_LEVEL": "WARNING",
                "CYRANO_TOOLSETS": "default,chronometric_docket,chronometric_chronology",
            },
        )
        async with Client(server, mode="legacy" if legacy else "auto", read_timeout_seconds=60) as client:
            created = {"client_name": "Acme Corp.", "title": "Beta acquisition", "practice_area": "corporate"}
            matter = answer(await client.call_tool("matters_create", created), "matters_create")
            await file_documents(client, matter["id"])
            await show_timeline(client, matter["id"])
            docketed = await docket_the_notice(client, matter["id"])
            await export_calendar(client, matter["id"], docketed)
            print(f"timeline, deadline and calendar check out ({'2025-11-25' if legacy else '2026-07-28'})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--legacy", action="store_true", help="use the 2025-11-25 protocol (initialize handshake)")
    try:
        anyio.run(main, parser.parse_args().legacy)
    except* CheckFailed as failed:
        for problem in failed.exceptions:
            print(f"FAILED: {problem}", file=sys.stderr)
        sys.exit(1)

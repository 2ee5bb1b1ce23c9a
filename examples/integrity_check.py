"""The integrity workflow over stdio: upload a contract, extract its insights, check an AI summary, act on the alert.

Starts `cyrano-mcp serve` with a throw-away store and the alert tools on, files a two-page licence under a new
matter, checks an AI-style summary of it in which one date is wrong, and shows that this claim is contradicted
with the right date quoted from its page, that the other claims are supported, and that the check raised an
alert (a log notification to this client, then `potemkin_alerts`), which it acknowledges. Exits non-zero if
anything is off.

    python examples/integrity_check.py            # the 2026-07-28 protocol
    python examples/integrity_check.py --legacy   # the 2025-11-25 handshake
"""

import argparse
import sys
import tempfile
from typing import Any

import anyio
from mcp import Client, StdioServerParameters
from mcp_types import LoggingMessageNotificationParams

LICENCE = (
    "SOFTWARE LICENCE AGREEMENT\n\n"
    'This Software Licence Agreement (the "Agreement") is made as of the 11th day of December, 2006 (the '
    '"Effective Date") by and between Kestrel Analytics Corp. ("Licensor") and Marlow & Finch LLP ("Licensee").\n\n'
    "1. Licence. Licensor grants Licensee a non-exclusive licence to use the Software at its offices.\n\f"
    "2. Term. This Agreement begins on the Effective Date and continues for five (5) years. Thereafter it renews\n"
    "automatically for successive one (1) year periods unless either party gives written notice of non-renewal\n"
    "at least sixty (60) days before the end of the then-current term.\n\n"
    "3. Governing Law. This Agreement shall be governed by the laws of the State of New York.\n"
)
SUMMARY = (
    "The agreement is between Kestrel Analytics Corp. and Marlow & Finch LLP. "
    "It was made as of 11 December 2007. "  # wrong: the contract says 2006
    "It expires on 12/11/2011, five years after the Effective Date. "
    "Notice of non-renewal is due 60 days before the end of the term. "
    "New York law governs it."
)


class CheckFailed(Exception):
    """Something the workflow should have shown did not happen."""


def fail(message: str) -> None:
    raise CheckFailed(message)


def answer(result: Any, tool: str) -> dict[str, Any]:
    if result.is_error or result.structured_content is None:
        fail(f"{tool} failed: {result.content}")
    return dict(result.structured_content)


async def main(legacy: bool) -> None:
    notices: list[Any] = []

    async def on_log(params: LoggingMessageNotificationParams) -> None:
        notices.append(params.data)

    with tempfile.TemporaryDirectory(prefix="cyrano-example-") as data_dir:
        server = StdioServerParameters(
            command=sys.executable,
            args=["-m", "cyrano_mcp", "serve"],
            env={
                "CYRANO_DATA_DIR": data_dir,
                "CYRANO_LOG_LEVEL": "WARNING",
                "CYRANO_TOOLSETS": "default,potemkin_alerts",
            },
        )
        mode = "legacy" if legacy else "auto"
        async with Client(
            server, mode=mode, read_timeout_seconds=60, log_level="info", logging_callback=on_log
        ) as client:
            matter = answer(
                await client.call_tool(
                    "matters_create", {"client_name": "Marlow & Finch", "title": "Licence", "practice_area": "ip"}
                ),
                "matters_create",
            )
            filed = {"text": LICENCE, "filename": "licence.txt", "matter_id": matter["id"]}
            document = answer(await client.call_tool("arkiver_ingest", filed), "arkiver_ingest")["document"]
            print(f"filed {document['filename']} ({document['page_count']} pages) under matter {matter['id']}")

            checked = answer(
                await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": matter["id"]}),
                "potemkin_verify",
            )
            verdicts = [claim["verdict"] for claim in checked["claims"]]
            if verdicts != ["supported", "contradicted", "supported", "supported", "supported"]:
                fail(f"unexpected verdicts {verdicts}")
            wrong = checked["claims"][1]
            evidence = wrong["evidence"][0]
            if wrong["source_value"] != "2006-12-11" or "11th day of December, 2006" not in evidence["quote"]:
                fail(f"the wrong date was not contradicted with the right one: {wrong}")
            print(f"claim 2 contradicted: the summary says {wrong['claimed']}, page {evidence['page']} says")
            print(f'  "{evidence["quote"]}"')
            print(f"the other {verdicts.count('supported')} claims supported, each quoted from its page")

            if not any(isinstance(item, dict) and item.get("alert_id") == checked["alert_id"] for item in notices):
                fail(f"no alert notification reached the client: {notices}")
            alerts = answer(await client.call_tool("potemkin_alerts", {}), "potemkin_alerts")["alerts"]
            if [alert["id"] for alert in alerts] != [checked["alert_id"]]:
                fail(f"potemkin_alerts does not list the alert: {alerts}")
            print(f"alert raised and notified: {alerts[0]['summary']}")
            reason = {"alert_id": checked["alert_id"], "reason": "Date corrected in the summary before it went out."}
            acked = answer(await client.call_tool("potemkin_alert_ack", reason), "potemkin_alert_ack")
            if acked["status"] != "acknowledged":
                fail(f"the alert was not acknowledged: {acked}")
            print(f"alert acknowledged ({'2025-11-25' if legacy else '2026-07-28'}): the integrity workflow checks out")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--legacy", action="store_true", help="use the 2025-11-25 protocol (initialize handshake)")
    try:
        anyio.run(main, parser.parse_args().legacy)
    except* CheckFailed as failed:
        for problem in failed.exceptions:
            print(f"FAILED: {problem}", file=sys.stderr)
        sys.exit(1)

"""How fast Chronometric answers: the firm-wide docket over 1,000 matters, and a 200-document matter's chronology.

    python bench/chronometric_speed.py                 # 1,000 matters, 5 deadlines each; 200 CUAD contracts
    python bench/chronometric_speed.py --matters 200 --documents 40   # a quick look

A fresh embedded store (SQLite) gets the matters (`matters_create`) and their deadlines (`chronometric_deadline_add`,
spread over two years from today, a fifth of them completed), through an in-memory MCP session as a client makes
them. Then "what is due in the next 14 days, firm-wide" is asked 30 times (the default page of 25, overdue ones
first), and again for a 90-day window and for one matter. Printed: the median and the 95th percentile of the
wall-clock time of one call, through the whole call path (validation, permissions, audit, sealed titles opened).
Target: under 200 ms for the firm-wide 14-day list.

The chronology: the first 200 CUAD contracts of the shared data (sorted by id) ingested into one matter, then
`chronometric_timeline` for the matter (the first page, with the conflicts) asked 5 times: median and slowest.
Target: under 1 s. Every call reads each document's dates through `arkiver_insights` as the caller; nothing is
cached between calls.
"""

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from extraction import environment, load_records
from mcp import Client
from memory_sessions import bench_client, ok
from shared_data import shared_data_dir

TARGET_SECONDS = 0.2
TIMELINE_TARGET_SECONDS = 1.0
_CALLS = 30
_TIMELINE_CALLS = 5


async def _timed(client: Client, tool: str, arguments: dict[str, Any]) -> tuple[float, float, int]:
    timings = []
    total = 0
    for _ in range(_CALLS):
        started = time.perf_counter()
        answer = ok(await client.call_tool(tool, arguments))
        timings.append(time.perf_counter() - started)
        total = int(answer["total"])
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], total


async def timeline_speed(client: Client, documents: int, data: Path | None) -> bool:
    records = sorted(load_records(shared_data_dir(data)), key=lambda record: record["id"])[:documents]
    matter = ok(
        await client.call_tool(
            "matters_create", {"client_name": "Data room", "title": "Chronology", "practice_area": "commercial"}
        )
    )["id"]
    started = time.perf_counter()
    for record in records:
        await client.call_tool("arkiver_ingest", {"text": record["text"], "filename": record["id"][:200],
                                                  "matter_id": matter})  # fmt: skip
    pages = 0
    print(f"ingested {len(records)} contracts in {time.perf_counter() - started:.0f} s")
    timings = []
    for _ in range(_TIMELINE_CALLS):
        started = time.perf_counter()
        answer = ok(await client.call_tool("chronometric_timeline", {"matter_id": matter}))
        timings.append(time.perf_counter() - started)
        pages = answer["total"]
    median = statistics.median(timings)
    met = median < TIMELINE_TARGET_SECONDS
    print(f"chronometric_timeline, {answer['documents_read']} documents, {pages:,} dated events, "
          f"{answer['conflicts_total']} conflicts: median {median * 1000:.0f} ms, slowest {max(timings) * 1000:.0f} ms "
          f"(target < {TIMELINE_TARGET_SECONDS:.0f} s: {'met' if met else 'MISSED'})")  # fmt: skip
    return met


async def measure(matters: int, per_matter: int, documents: int, data: Path | None) -> bool:
    rng = random.Random(6)
    today = dt.date.today()
    async with bench_client() as client:
        started = time.perf_counter()
        matter_ids = []
        for number in range(matters):
            created = await client.call_tool(
                "matters_create",
                {"client_name": f"Client {number}", "title": f"Matter {number}", "practice_area": "commercial"},
            )
            matter_ids.append(ok(created)["id"])
            for index in range(per_matter):
                due = today + dt.timedelta(days=rng.randrange(-30, 730))
                added = ok(
                    await client.call_tool(
                        "chronometric_deadline_add",
                        {"matter_id": matter_ids[-1], "title": f"Filing {index} of matter {number}",
                         "due": due.isoformat()},
                    )
                )  # fmt: skip
                if rng.random() < 0.2:
                    await client.call_tool("chronometric_deadline_complete", {"deadline_id": added["id"]})
        print(f"built {matters:,} matters, {matters * per_matter:,} deadlines in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        cases = {
            "firm-wide, next 14 days": {},
            "firm-wide, next 90 days": {"within_days": 90},
            "one matter, next 2 years": {"within_days": 730, "matter_id": matter_ids[0]},
        }
        met = True
        for label, arguments in cases.items():
            median, p95, total = await _timed(client, "chronometric_deadline_list", arguments)
            verdict = ""
            if label == "firm-wide, next 14 days":
                met = median < TARGET_SECONDS
                verdict = f" (target < {TARGET_SECONDS * 1000:.0f} ms: {'met' if met else 'MISSED'})"
            print(f"{label:<28} {total:>6,} due: median {median * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms{verdict}")
        if documents:
            met = await timeline_speed(client, documents, data) and met
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matters", type=int, default=1_000)
    parser.add_argument("--per-matter", type=int, default=5)
    parser.add_argument("--documents", type=int, default=200, help="contracts in the chronology's matter (0: skip)")
    parser.add_argument("--data", type=Path, help="the shared data folder (default ../shared/data)")
    args = parser.parse_args(argv)
    print(environment())
    return 0 if asyncio.run(measure(args.matters, args.per_matter, args.documents, args.data)) else 1


if __name__ == "__main__":
    sys.exit(main())

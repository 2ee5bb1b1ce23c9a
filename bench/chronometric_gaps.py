"""Does chronometric_gaps find exactly the days a timekeeper left short? A generated year with known holes.

    python bench/chronometric_gaps.py               # 2025, 4 timekeepers
    python bench/chronometric_gaps.py --users 10    # more timekeepers

For each timekeeper (seeded random) a year of 2025's time is generated: every working day gets entries (one to
four, some on other matters) adding up to at least their minimum, except the known holes: days left empty and
days left short (entries adding up to less than the minimum, down to a tenth short). Weekends and a few holidays
get some work too, which must not count. A working day here is one of the timekeeper's weekdays that is not a
2025 federal holiday (the eleven of 5 U.S.C. 6103, listed below by hand, and the days the President closed the
government: 9 January, 24 and 26 December) nor one of their leave days. Timekeepers differ: a 6-hour and a
7.5-hour minimum, Monday to Friday and Monday to Thursday.

The entries go in through an in-memory MCP session as a client sends them (`chronometric_entries_import`, one
CSV per timekeeper), the work profiles through `chronometric_work_profile_set`, and `chronometric_gaps` is asked
for the whole year, page by page. Printed: precision and recall of the days it reports against the known holes
(target 1.0 and 1.0), and how long the import and the gaps calls took. Exit 1 below target.
"""

import argparse
import asyncio
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from extraction import environment
from memory_sessions import bench_client, ok

YEAR = 2025
FEDERAL_2025 = {
    dt.date(2025, 1, 1), dt.date(2025, 1, 20), dt.date(2025, 2, 17), dt.date(2025, 5, 26), dt.date(2025, 6, 19),
    dt.date(2025, 7, 4), dt.date(2025, 9, 1), dt.date(2025, 10, 13), dt.date(2025, 11, 11), dt.date(2025, 11, 27),
    dt.date(2025, 12, 25),
    dt.date(2025, 1, 9), dt.date(2025, 12, 24), dt.date(2025, 12, 26),  # closed by executive order
}  # fmt: skip
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Timekeeper:
    name: str
    minimum_tenths: int
    weekdays: tuple[str, ...]
    leave: set[dt.date] = field(default_factory=set)
    holes: set[dt.date] = field(default_factory=set)
    rows: list[tuple[dt.date, int, int]] = field(default_factory=list)  # day, tenths, matter index


def _days() -> list[dt.date]:
    start = dt.date(YEAR, 1, 1)
    return [start + dt.timedelta(days=offset) for offset in range((dt.date(YEAR + 1, 1, 1) - start).days)]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` tenths as `parts` entries of at least a tenth each."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def generate(index: int, rng: random.Random) -> Timekeeper:
    keeper = Timekeeper(
        name=f"keeper{index}",
        minimum_tenths=(60, 75)[index % 2],
        weekdays=WEEKDAYS[:5] if index % 3 != 2 else WEEKDAYS[:4],
    )
    days = _days()
    working = [day for day in days if WEEKDAYS[day.weekday()] in keeper.weekdays and day not in FEDERAL_2025]
    keeper.leave = set(rng.sample(working, 12))
    working = [day for day in working if day not in keeper.leave]
    keeper.holes = set(rng.sample(working, 20))
    for day in days:
        if day in keeper.holes:
            if rng.random() < 0.5:  # short: a tenth to the whole minimum less a tenth
                held = rng.randint(1, keeper.minimum_tenths - 1)
                keeper.rows += [(day, part, rng.randrange(3)) for part in _split(held, rng.randint(1, 3), rng)]
        elif day in working:
            held = keeper.minimum_tenths + rng.choice([0, 0, 1, 5, 10, 20, 30])  # exactly the minimum often
            keeper.rows += [(day, part, rng.randrange(3)) for part in _split(held, rng.randint(1, 4), rng)]
        elif rng.random() < 0.1:  # some work on a weekend, holiday or leave day: counts for nothing
            keeper.rows.append((day, rng.randint(1, 40), rng.randrange(3)))
    return keeper


def _csv(keeper: Timekeeper, matters: list[str]) -> str:
    lines = ["date,timekeeper,matter,hours,narrative"]
    lines += [
        f"{day.month}/{day.day}/{day.year},{keeper.name},{matters[matter]},{tenths / 10:.1f},Work item {number}"
        for number, (day, tenths, matter) in enumerate(keeper.rows)
    ]
    return "\n".join(lines) + "\n"


async def measure(users: int, seed: int) -> bool:
    rng = random.Random(seed)
    keepers = [generate(index, rng) for index in range(users)]
    async with bench_client() as client:
        matters = [
            ok(await client.call_tool("matters_create", {"client_name": f"Client {n}", "title": f"Matter {n}",
                                                           "practice_area": "litigation"}))["id"]
            for n in range(3)
        ]  # fmt: skip
        started = time.perf_counter()
        for keeper in keepers:
            answer = ok(await client.call_tool("chronometric_entries_import", {"csv": _csv(keeper, matters)}))
            if answer["errors_total"] or answer["stored"] != len(keeper.rows):
                raise SystemExit(f"{keeper.name}: import stored {answer['stored']}, errors {answer['errors']}")
        imported = time.perf_counter() - started
        found: dict[str, set[dt.date]] = {}
        timings = []
        for keeper in keepers:
            profile = {"user": keeper.name, "minimum_hours": keeper.minimum_tenths / 10,
                       "working_weekdays": list(keeper.weekdays),
                       "leave_days": [day.isoformat() for day in keeper.leave]}  # fmt: skip
            ok(await client.call_tool("chronometric_work_profile_set", profile))
            arguments: dict[str, Any] = {"user": keeper.name, "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31",
                                         "limit": 100}  # fmt: skip
            started = time.perf_counter()
            days: set[dt.date] = set()
            while True:
                answer = ok(await client.call_tool("chronometric_gaps", arguments))
                days |= {dt.date.fromisoformat(gap["date"]) for gap in answer["gaps"]}
                if answer["next_cursor"] is None:
                    break
                arguments["cursor"] = answer["next_cursor"]
            timings.append(time.perf_counter() - started)
            found[keeper.name] = days
    return _report(keepers, found, imported, timings)


def _report(keepers: list[Timekeeper], found: dict[str, set[dt.date]], imported: float, timings: list[float]) -> bool:
    entries = sum(len(keeper.rows) for keeper in keepers)
    hits = misses = false = 0
    for keeper in keepers:
        reported = found[keeper.name]
        hits += len(reported & keeper.holes)
        misses += len(keeper.holes - reported)
        false += len(reported - keeper.holes)
        week = f"{keeper.weekdays[0]}-{keeper.weekdays[-1]}"
        print(f"{keeper.name}: min {keeper.minimum_tenths / 10:.1f} h, {week}, "
              f"{len(keeper.rows):,} entries, {len(keeper.holes)} holes, {len(reported)} reported, "
              f"missed {sorted(keeper.holes - reported)}, wrong {sorted(reported - keeper.holes)}")  # fmt: skip
    precision = hits / (hits + false) if hits + false else 1.0
    recall = hits / (hits + misses) if hits + misses else 1.0
    print(f"{len(keepers)} timekeepers, {entries:,} entries in {YEAR}: precision {precision:.3f}, recall {recall:.3f} "
          f"(target 1.0 and 1.0)")  # fmt: skip
    print(f"import {imported:.2f} s ({entries / imported:,.0f} entries/s); chronometric_gaps for a year: "
          f"{sum(timings) / len(timings) * 1000:.0f} ms per timekeeper (all pages)")  # fmt: skip
    return precision == 1.0 and recall == 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    print(environment())
    return 0 if asyncio.run(measure(args.users, args.seed)) else 1


if __name__ == "__main__":
    sys.exit(main())

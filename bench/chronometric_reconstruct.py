"""Does chronometric_reconstruct propose the days and matters a timekeeper worked and never recorded?

    python bench/chronometric_reconstruct.py              # 8 generated months
    python bench/chronometric_reconstruct.py --months 8

Each month (seeded random; October 2026, with Columbus Day off) belongs to one timekeeper, in New York or in Los
Angeles by turns. On every working day they work one to three of six matters. Most of that work leaves e-mail
behind (a few they send, at any hour up to 23:00 local, so some cross midnight in UTC; some they receive); some
leaves none (a call, reading at home). Then they record their time: half the days in full, a quarter on some of
the matters worked (short of the minimum), a quarter not at all. The gold: the (day, matter) pairs worked and
never recorded on the days left short.

The noise a real mailbox has is in too: clients and colleagues writing on matters the timekeeper did not touch
that day (received mail, which the rules count as circumstantial), mail between other people filed in the same
matters, copies sent Bcc, and work at the weekend (not a short day, so never proposed).

Everything goes in as a client sends it: the e-mails as .eml files through `arkiver_ingest` into their matters,
the entries through `chronometric_entries_import`, the profile (addresses, zone) through
`chronometric_work_profile_set`; `chronometric_reconstruct` is asked for the month, page by page. Printed per
month and overall: precision and recall of the proposed (day, matter) pairs, the same for proposals holding
direct evidence only, and the recall ceiling (gold pairs that left any evidence at all).
"""

import argparse
import asyncio
import base64
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any
from zoneinfo import ZoneInfo

from extraction import environment
from memory_sessions import bench_client, ok

FIRST, LAST = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
HOLIDAYS = {dt.date(2026, 10, 12)}  # Columbus Day: a federal holiday in the `holidays` package
MATTERS = 6
MINIMUM_TENTHS = 60
ZONES = ("America/New_York", "America/Los_Angeles")
Pair = tuple[dt.date, int]  # a day and a matter's index
LARGEST_ANSWER = [0]  # characters of the largest page of proposals (compact JSON)


@dataclass
class Month:
    seed: int
    zone: ZoneInfo
    address: str
    mail: list[tuple[int, bytes]] = field(default_factory=list)  # matter index, .eml bytes
    rows: list[tuple[dt.date, int, int]] = field(default_factory=list)  # day, tenths, matter index
    gold: set[Pair] = field(default_factory=set)
    traced: set[Pair] = field(default_factory=set)  # gold pairs that left evidence


def _days() -> list[dt.date]:
    return [FIRST + dt.timedelta(days=offset) for offset in range((LAST - FIRST).days + 1)]


def _is_working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


class _Mailer:
    def __init__(self, month: Month, rng: random.Random) -> None:
        self._month, self._rng, self._count = month, rng, 0

    def _at(self, day: dt.date, earliest: int = 8, latest: int = 23) -> dt.datetime:
        hour = self._rng.randint(earliest, latest - 1)
        return dt.datetime.combine(day, dt.time(hour, self._rng.randint(0, 59)), self._month.zone)

    def write(self, matter: int, day: dt.date, sender: str, to: str, *, cc: str = "", bcc: str = "") -> None:
        self._count += 1
        sent = format_datetime(self._at(day))
        headers = [f"From: {sender}", f"To: {to}", f"Subject: Matter {matter} item {self._count}",
                   f"Date: {sent}", f"Message-ID: <b{self._count}@bench.example>"]  # fmt: skip
        headers += [f"Cc: {cc}"] if cc else []
        headers += [f"Bcc: {bcc}"] if bcc else []
        body = "\n".join(headers) + "\nMIME-Version: 1.0\nContent-Type: text/plain\n\nSee the attached points.\n"
        self._month.mail.append((matter, body.encode()))


def generate(seed: int) -> Month:
    rng = random.Random(seed)
    month = Month(seed, ZoneInfo(ZONES[seed % 2]), f"keeper{seed}@firm.example")
    me, client, colleague = f"Keeper <{month.address}>", "Client <client@client.example>", "Ann <ann@firm.example>"
    mailer = _Mailer(month, rng)
    for day in _days():
        if not _is_working(day):
            if rng.random() < 0.3:  # weekend work: e-mail sent, never a short day
                mailer.write(rng.randrange(MATTERS), day, me, client)
            continue
        worked = rng.sample(range(MATTERS), rng.randint(1, 3))
        for matter in worked:
            if rng.random() < 0.85:
                month.traced.add((day, matter))
                for _ in range(rng.randint(1, 3)):
                    mailer.write(matter, day, me, client, cc=colleague if rng.random() < 0.3 else "")
                for _ in range(rng.randint(0, 2)):
                    mailer.write(matter, day, client, me)
        for matter in set(range(MATTERS)) - set(worked):
            roll = rng.random()
            if roll < 0.12:  # written to on a matter not touched that day
                mailer.write(matter, day, client if rng.random() < 0.5 else colleague, me)
            elif roll < 0.3:  # mail of others, or a Bcc copy: not the timekeeper's work
                mailer.write(matter, day, colleague, client, bcc=me if rng.random() < 0.3 else "")
        _record(month, day, worked, rng)
    return month


def _record(month: Month, day: dt.date, worked: list[int], rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.5:  # in full: the worked matters, at least the minimum together
        total = MINIMUM_TENTHS + rng.choice([0, 5, 10, 20])
        shares = _split(total, len(worked), rng)
        month.rows += [(day, share, matter) for share, matter in zip(shares, worked, strict=True)]
        return
    recorded = rng.sample(worked, rng.randint(1, len(worked) - 1)) if roll < 0.75 and len(worked) > 1 else []
    if recorded:
        shares = _split(rng.randint(len(recorded), MINIMUM_TENTHS - 1), len(recorded), rng)
        month.rows += [(day, share, matter) for share, matter in zip(shares, recorded, strict=True)]
    month.gold |= {(day, matter) for matter in worked if matter not in recorded}


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


async def measure_month(month: Month) -> tuple[set[Pair], set[Pair], float, float]:
    """The pairs proposed, those with direct evidence, the ingest seconds and the reconstruct seconds."""
    async with bench_client() as client:
        matters = [
            ok(await client.call_tool("matters_create", {"client_name": f"Client {n}", "title": f"Matter {n}",
                                                           "practice_area": "corporate"}))["id"]
            for n in range(MATTERS)
        ]  # fmt: skip
        started = time.perf_counter()
        for number, (matter, message) in enumerate(month.mail):
            sent = {"content_base64": base64.b64encode(message).decode(), "filename": f"m{number}.eml",
                    "matter_id": matters[matter]}  # fmt: skip
            ok(await client.call_tool("arkiver_ingest", sent))
        ingested = time.perf_counter() - started
        lines = ["date,matter,hours,narrative"]
        lines += [f"{day.isoformat()},{matters[matter]},{tenths / 10:.1f},Work {number}"
                  for number, (day, tenths, matter) in enumerate(month.rows)]  # fmt: skip
        ok(await client.call_tool("chronometric_entries_import", {"csv": "\n".join(lines) + "\n"}))
        profile = {"emails": [month.address], "timezone": month.zone.key, "minimum_hours": MINIMUM_TENTHS / 10}
        ok(await client.call_tool("chronometric_work_profile_set", profile))
        index = {matter_id: number for number, matter_id in enumerate(matters)}
        arguments: dict[str, Any] = {"start": FIRST.isoformat(), "end": LAST.isoformat(), "limit": 50}
        proposed: set[Pair] = set()
        direct: set[Pair] = set()
        started = time.perf_counter()
        while True:
            result = await client.call_tool("chronometric_reconstruct", arguments)
            answer = ok(result)
            LARGEST_ANSWER[0] = max(LARGEST_ANSWER[0], len(json.dumps(answer, separators=(",", ":"))))
            for item in answer["proposals"]:
                pair = (dt.date.fromisoformat(item["date"]), index[item["matter_id"]])
                proposed.add(pair)
                if item["strength"] == "direct":
                    direct.add(pair)
            if answer["next_cursor"] is None:
                break
            arguments["cursor"] = answer["next_cursor"]
        return proposed, direct, ingested, time.perf_counter() - started


def _scores(found: set[Pair], gold: set[Pair]) -> tuple[float, float]:
    hits = len(found & gold)
    return (hits / len(found) if found else 1.0), (hits / len(gold) if gold else 1.0)


async def measure(months: int, first_seed: int) -> None:
    totals = {"proposed": 0, "direct": 0, "hit": 0, "direct_hit": 0, "gold": 0, "traced": 0}
    for seed in range(first_seed, first_seed + months):
        month = generate(seed)
        proposed, direct, ingested, asked = await measure_month(month)
        precision, recall = _scores(proposed, month.gold)
        direct_precision, direct_recall = _scores(direct, month.gold)
        print(f"month {seed} ({month.zone.key}): {len(month.mail)} e-mails, {len(month.rows)} entries, "
              f"{len(month.gold)} pairs unrecorded ({len(month.traced & month.gold)} with evidence); "
              f"proposed {len(proposed)}: precision {precision:.3f} recall {recall:.3f}; direct only "
              f"{len(direct)}: precision {direct_precision:.3f} recall {direct_recall:.3f}; ingest {ingested:.1f} s, "
              f"reconstruct {asked * 1000:.0f} ms")  # fmt: skip
        totals["proposed"] += len(proposed)
        totals["direct"] += len(direct)
        totals["hit"] += len(proposed & month.gold)
        totals["direct_hit"] += len(direct & month.gold)
        totals["gold"] += len(month.gold)
        totals["traced"] += len(month.traced & month.gold)
    print(f"all {months} months: {totals['gold']} unrecorded (day, matter) pairs; proposed {totals['proposed']}: "
          f"precision {totals['hit'] / totals['proposed']:.3f}, recall {totals['hit'] / totals['gold']:.3f} "
          f"(ceiling {totals['traced'] / totals['gold']:.3f}: pairs that left evidence); direct evidence only: "
          f"precision {totals['direct_hit'] / totals['direct']:.3f}, "
          f"recall {totals['direct_hit'] / totals['gold']:.3f}; largest answer {LARGEST_ANSWER[0]:,} characters "
          f"(pages of 50 asked)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--months", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(environment())
    asyncio.run(measure(args.months, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Likely double entries: one timekeeper's entries on the same matter, a day apart at most, saying much the same
thing for much the same hours.

The score weighs the narratives' likeness most (rapidfuzz's token_set_ratio on lower-cased words without
punctuation, so "Reviewed lease and drafted notice" and "reviewed lease, drafted notice" are alike), then the
hours, then the days: 0.6 x narrative + 0.25 x hours + 0.15 x days, where hours count min/max and a day apart
counts 0.5. A pair is reported when its narratives are at least 80% alike, its hours within a quarter of each
other, and its score 0.8 or more.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

MIN_NARRATIVE = 80.0
MIN_HOURS_RATIO = 0.75
MIN_SCORE = 0.8


@dataclass(frozen=True)
class TimedWork:
    id: str
    user: str
    matter_id: str
    day: dt.date
    tenths: int
    narrative: str


@dataclass(frozen=True)
class LikelyDouble:
    first: TimedWork
    second: TimedWork
    score: float
    reason: str


def likely_doubles(entries: Sequence[TimedWork]) -> list[LikelyDouble]:
    """The pairs that look like the same work recorded twice, likeliest first."""
    groups: dict[tuple[str, str], list[TimedWork]] = defaultdict(list)
    for entry in entries:
        groups[(entry.user, entry.matter_id)].append(entry)
    found: list[LikelyDouble] = []
    for group in groups.values():
        group.sort(key=lambda entry: (entry.day, entry.id))
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if (second.day - first.day).days > 1:
                    break
                pair = _compare(first, second)
                if pair is not None:
                    found.append(pair)
    found.sort(key=lambda pair: (-pair.score, pair.first.day, pair.first.id, pair.second.id))
    return found


def _compare(first: TimedWork, second: TimedWork) -> LikelyDouble | None:
    alike = fuzz.token_set_ratio(first.narrative, second.narrative, processor=utils.default_process)
    hours_ratio = min(first.tenths, second.tenths) / max(first.tenths, second.tenths)
    if alike < MIN_NARRATIVE or hours_ratio < MIN_HOURS_RATIO:
        return None
    apart = (second.day - first.day).days
    score = round(0.6 * alike / 100 + 0.25 * hours_ratio + 0.15 * (1.0 if apart == 0 else 0.5), 2)
    if score < MIN_SCORE:
        return None
    when = "the same day" if apart == 0 else "a day apart"
    hours = (
        f"the same hours ({first.tenths / 10:.1f})"
        if first.tenths == second.tenths
        else f"hours {first.tenths / 10:.1f} and {second.tenths / 10:.1f}"
    )
    reason = f"{when}, narratives {alike:.0f}% alike, {hours}"
    return LikelyDouble(first, second, score, reason)

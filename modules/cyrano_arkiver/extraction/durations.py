"""Periods as contracts write them: "five (5) years", "ninety (90) days", "a one-year term", "12 months"."""

import datetime as dt
import re
from calendar import monthrange

from cyrano_arkiver.extraction.models import Duration

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
# Longest first, so "seventeen" is not read as "seven".
_WORD = "(?:" + "|".join(sorted((word for word in _UNITS if len(word) > 2), key=len, reverse=True)) + ")"
# "one hundred eighty", "twenty-four", "forty five"
NUMBER_WORDS = rf"{_WORD}(?:[\s-]+(?:hundred(?:[\s-]+(?:and[\s-]+)?{_WORD})?|{_WORD}))*"
# A count as drafted: words, digits, or both ("thirty (30)", "30 (thirty)").
COUNT = (
    rf"(?:(?P<words>{NUMBER_WORDS})(?:\s*\(\s*(?P<digits_after>\d{{1,4}})\s*\))?"
    rf"|(?P<digits>\d{{1,4}})(?:\s*\(\s*{NUMBER_WORDS}\s*\))?|(?P<article>an?))"
)
UNIT = (
    r"(?P<qualifier>(?:calendar|business|working|consecutive|full|contract)\s+)?(?P<unit>years?|months?|weeks?|days?)\b"
)
DURATION = re.compile(rf"\b{COUNT}[\s-]*(?:\(\s*\d{{1,4}}\s*\)\s*)?{UNIT}", re.IGNORECASE)


def words_to_int(words: str) -> int | None:
    total = 0
    current = 0
    for token in re.split(r"[\s-]+", words.lower()):
        if token == "and":
            continue
        if token == "hundred":
            current = max(current, 1) * 100
            continue
        value = _UNITS.get(token)
        if value is None:
            return None
        current += value
    total += current
    return total


def count_of(match: re.Match[str]) -> int | None:
    """The number a `COUNT` match states; digits win where words and digits are both written."""
    for group in ("digits_after", "digits"):
        if match.group(group):
            return int(match.group(group))
    if match.group("words"):
        return words_to_int(match.group("words"))
    return 1 if match.group("article") else None


def duration_of(match: re.Match[str]) -> Duration | None:
    count = count_of(match)
    if count is None or count == 0:
        return None
    unit = match.group("unit").lower().rstrip("s")
    if unit == "year":
        return Duration(years=count)
    if unit == "month":
        return Duration(months=count)
    if unit == "week":
        return Duration(days=7 * count)
    return Duration(days=count)


def add_duration(start: dt.date, duration: Duration) -> dt.date:
    """Calendar addition: years and months keep the day of month (clamped), days are added after."""
    months = start.month - 1 + duration.total_months()
    year = start.year + months // 12
    month = months % 12 + 1
    day = min(start.day, monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=duration.days)

"""Calendar dates written out in contract text, parsed without dateparser (it is slow and too eager).

Recognised: "March 18, 2010", "Nov 5, 1999", "May 3,2006", "31 January, 1994", "the 8th day of May, 2014",
"this 17t h day of February 2016" (OCR-split ordinals), "first (1st) day of July, 2017", "1/27/2020",
"18/9/2008" (day first when unambiguous), "2020-03-20", "11-Dec-2006", "the 11th of December 2006", "11.12.2006"
(dots: day first, as in Europe where they are written). Month-only dates and blanks ("____ day of") are not
dates. "May" must be followed by a day and a year, so the modal verb never matches.
"""

import datetime as dt
import re
from dataclasses import dataclass
from heapq import merge

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11,
    "dec": 12,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\.?"
)
# "8th", "8 th", "17t h", "1s t": PDF text often splits ordinal suffixes.
_DAY = r"(?:[0-3]?\d)(?:\s?(?:st|nd|rd|th)|s\s?t|n\s?d|r\s?d|t\s?h)?"
_ORDINAL = r"(?:twenty[\s-]|thirty[\s-])?(?:" + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)) + ")"
_YEAR = r"(?:19|20)\d\d"
_PATTERN = re.compile(
    rf"""\b(?:
        (?P<m1>{_MONTH})\s*(?P<d1>{_DAY})\s*[,.]?\s*(?P<y1>{_YEAR})
      | (?P<d2>{_DAY})\s*(?:\)\s*)?(?:-\s*)?(?:(?:day\s+)?of[\s_-]+)?(?:the\s+month\s+of\s+)?(?P<m2>{_MONTH})
        \s*[,-]?\s*(?:in\s+the\s+year\s+)?(?P<y2>{_YEAR})
      | (?P<o3>{_ORDINAL})\s*(?:\(\s*{_DAY}\s*\)\s*)?day\s+of[\s_-]+(?P<m3>{_MONTH})\s*,?\s*(?P<y3>{_YEAR})
      | (?P<n1>[01]?\d)/(?P<n2>[0-3]?\d)/(?P<n3>(?:19|20)?\d\d)
      | (?P<i1>{_YEAR})-(?P<i2>[01]\d)-(?P<i3>[0-3]\d)
      | (?P<e1>[0-3]?\d)\.(?P<e2>[01]?\d)\.(?P<e3>{_YEAR})
    )(?![\d/])""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    date: dt.date


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group()) if text[0].isdigit() else 0  # type: ignore[union-attr]


def _ordinal(text: str) -> int:
    parts = re.split(r"[\s-]+", text.lower())
    tens = {"twenty": 20, "thirty": 30}.get(parts[0], 0) if len(parts) > 1 else 0
    return tens + _ORDINAL_WORDS[parts[-1]]


def _parse(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    if groups["m1"]:
        year, month, day = int(groups["y1"]), _MONTHS[groups["m1"][:3].lower()], _day(groups["d1"])
    elif groups["m2"]:
        year, month, day = int(groups["y2"]), _MONTHS[groups["m2"][:3].lower()], _day(groups["d2"])
    elif groups["m3"]:
        year, month, day = int(groups["y3"]), _MONTHS[groups["m3"][:3].lower()], _ordinal(groups["o3"])
    elif groups["n1"]:
        first, second, year = int(groups["n1"]), int(groups["n2"]), int(groups["n3"])
        if year < 100:
            year += 2000 if year < 50 else 1900
        # US order unless the first number cannot be a month ("18/9/2008").
        month, day = (second, first) if first > 12 else (first, second)
    elif groups["e1"]:
        year, month, day = int(groups["e3"]), int(groups["e2"]), int(groups["e1"])
    else:
        year, month, day = int(groups["i1"]), int(groups["i2"]), int(groups["i3"])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Every date has a month name, a slash between digits, an ISO dash or a dotted year; the full pattern runs only
# near these.
# Two case-sensitive scans are several times faster than one case-insensitive one; a month name in lower case
# ("may") is nearly always something else.
_MONTH_TRIGGER = re.compile("|".join(f"{month.capitalize()}|{month.upper()}" for month in _MONTHS))
# Starting at the separator lets the scan skip ahead fast.
_NUMBER_TRIGGER = re.compile(r"/\d|-[01]\d-|\.[01]?\d\.(?:19|20)\d\d")
_REACH = 45  # the farthest a date's start lies before its month name ("thirty-first (31st) day of May")


def _start(match: re.Match[str]) -> int:
    return match.start()


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    end = len(text) if end is None else end
    found: list[DateMention] = []
    covered = start  # no date starts before this: it is inside the last one found, or already searched
    triggers = merge(_MONTH_TRIGGER.finditer(text, start, end), _NUMBER_TRIGGER.finditer(text, start, end), key=_start)
    for trigger in triggers:
        if trigger.start() < covered:
            continue
        for match in _PATTERN.finditer(text, max(covered, trigger.start() - _REACH), min(end, trigger.end() + _REACH)):
            parsed = _parse(match)
            if parsed is not None:
                found.append(DateMention(match.start(), match.end(), parsed))
            covered = match.end()
        covered = max(covered, trigger.end())
    return found

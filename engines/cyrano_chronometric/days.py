"""Day arithmetic the counting methods share: moving by days or months within 1900-2200, and closed days.

`DayRules` answers why a day is not one to act on (a weekend, a holiday) under one method's notion of a holiday;
the counting methods differ only in which holidays they honour and which way they move.
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from cyrano_chronometric.work_calendar import WorkCalendar

__all__ = ["EARLIEST_YEAR", "LATEST_YEAR", "DayRules", "add_days", "add_months", "named", "named_list"]

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def _checked(day: date) -> date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(f"the count reaches {day.isoformat()}, outside the years {EARLIEST_YEAR}-{LATEST_YEAR}")
    return day


def add_days(day: date, days: int) -> date:
    """`day` moved by `days` (negative: back).

    Raises:
        ValueError: the result falls outside 1900-2200.
    """
    return _checked(day + timedelta(days=days))  # a trigger within 1900-2200 and 36500 weeks stay in date's range


def add_months(day: date, months: int) -> tuple[date, bool]:
    """`day` moved by whole calendar months, and whether its day of the month had to be cut to the month's end.

    Jan 31 plus one month is Feb 28 (or 29): a month has no day that does not exist, so the period ends on the
    last day there is.

    Raises:
        ValueError: the result falls outside 1900-2200.
    """
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(
            f"the count from {day.isoformat()} reaches the year {year}, outside {EARLIEST_YEAR}-{LATEST_YEAR}"
        )
    last = month_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last)), day.day > last


def named(day: date) -> str:
    """'Saturday 2026-03-21': the weekday spares the reader a calendar."""
    return f"{day:%A} {day.isoformat()}"


def named_list(phrases: list[str]) -> str:
    """'a, b and c'."""
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


@dataclass(frozen=True)
class DayRules:
    """Which days are closed under one method: weekends, and the holidays the method honours."""

    calendar: WorkCalendar
    with_subdivision: bool = True  # Rule 6(a)(6)(C): a state's holidays count only for periods measured after an event
    holiday_word: str = "holiday"

    def holiday(self, day: date) -> str | None:
        if self.with_subdivision:
            return self.calendar.holiday(day)
        return self.calendar.national_holiday(day)

    def why_closed(self, day: date) -> str | None:
        """'a weekend day', 'a legal holiday (Memorial Day)', or None for a day that is open."""
        holiday = self.holiday(day)
        if self.calendar.is_weekend(day):
            return "a weekend day" if holiday is None else f"a weekend day and {holiday}"
        return None if holiday is None else f"a {self.holiday_word}, {holiday}"

    def roll(self, day: date, step: int) -> tuple[date, list[date]]:
        """The first open day from `day` on, moving by `step` (+1 forward, -1 back), and the closed days passed."""
        passed: list[date] = []
        while self.why_closed(day) is not None:
            passed.append(day)
            day = add_days(day, step)
        return day, passed

    def describe_closed(self, days: list[date]) -> str:
        """'Friday 2026-07-03 (a legal holiday (Independence Day (observed))) and Saturday 2026-07-04 (...)'."""
        return named_list([f"{named(day)} ({self.why_closed(day)})" for day in days])

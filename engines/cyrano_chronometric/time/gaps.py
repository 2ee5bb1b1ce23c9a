"""Which working days of a timekeeper hold fewer hours than they should.

A working day is one of the profile's weekdays that is neither a holiday of its jurisdiction (observed days and
declared closures included, as `WorkCalendar` gives them) nor one of its leave days. A working day is short when
it holds fewer recorded hours than the profile's minimum, or none; hours recorded on a day off are not counted
against any other day.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from cyrano_chronometric.time.models import WEEKDAYS, Weekday
from cyrano_chronometric.work_calendar import WorkCalendar


@dataclass(frozen=True)
class Profile:
    minimum_tenths: int
    weekdays: frozenset[Weekday]
    leave: frozenset[dt.date]


@dataclass(frozen=True)
class Shortfall:
    day: dt.date
    recorded_tenths: int
    expected_tenths: int

    @property
    def short_tenths(self) -> int:
        return self.expected_tenths - self.recorded_tenths


@dataclass(frozen=True)
class GapReport:
    working_days: int
    short: list[Shortfall]


def is_working_day(day: dt.date, profile: Profile, calendar: WorkCalendar) -> bool:
    return WEEKDAYS[day.weekday()] in profile.weekdays and day not in profile.leave and calendar.holiday(day) is None


def find_gaps(
    start: dt.date, end: dt.date, profile: Profile, calendar: WorkCalendar, recorded: Mapping[dt.date, int]
) -> GapReport:
    """The working days from start to end (inclusive) with fewer recorded tenths than the minimum, oldest first."""
    working = 0
    short: list[Shortfall] = []
    day = start
    while day <= end:
        if is_working_day(day, profile, calendar):
            working += 1
            held = recorded.get(day, 0)
            if held < profile.minimum_tenths:
                short.append(Shortfall(day, held, profile.minimum_tenths))
        day += dt.timedelta(days=1)
    return GapReport(working, short)

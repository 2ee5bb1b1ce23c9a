"""Which working days are short: weekdays of the profile, less the jurisdiction's holidays and leave days."""

import datetime as dt

from cyrano_chronometric.time.gaps import Profile, find_gaps
from cyrano_chronometric.work_calendar import calendar_for

WORKWEEK = frozenset({"mon", "tue", "wed", "thu", "fri"})


def _profile(minimum: int = 60, weekdays: frozenset[str] = WORKWEEK, leave: tuple[dt.date, ...] = ()) -> Profile:
    return Profile(minimum_tenths=minimum, weekdays=weekdays, leave=frozenset(leave))  # type: ignore[arg-type]


def test_july_2026_observed_independence_day_and_leave() -> None:
    # Saturday 4 July 2026 is observed on Friday 3 July; 23 weekdays in July, less the 3rd and two leave days.
    july = {dt.date(2026, 7, day): 60 for day in range(1, 32)}
    july[dt.date(2026, 7, 8)] = 59  # a tenth short
    del july[dt.date(2026, 7, 15)]
    leave = (dt.date(2026, 7, 20), dt.date(2026, 7, 21))
    report = find_gaps(dt.date(2026, 7, 1), dt.date(2026, 7, 31), _profile(leave=leave), calendar_for("US"), july)
    assert report.working_days == 20
    assert [(gap.day.day, gap.recorded_tenths, gap.short_tenths) for gap in report.short] == [(8, 59, 1), (15, 0, 60)]


def test_a_state_holiday_counts_only_in_that_state() -> None:
    # Lincoln's Birthday, Thursday 12 February 2026, is a New York holiday and not a federal one.
    day = dt.date(2026, 2, 12)
    assert [gap.day for gap in find_gaps(day, day, _profile(), calendar_for("US"), {}).short] == [day]
    assert find_gaps(day, day, _profile(), calendar_for("US-NY"), {}).working_days == 0


def test_a_weekend_worker_and_hours_on_days_off() -> None:
    sunday, monday = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    weekend = _profile(weekdays=frozenset({"sat", "sun"}))
    report = find_gaps(sunday, monday, weekend, calendar_for("US"), {monday: 80})
    assert report.working_days == 1 and [gap.day for gap in report.short] == [sunday]
    # Hours on a day off fill no other day.
    workweek = find_gaps(sunday, monday, _profile(), calendar_for("US"), {sunday: 80})
    assert [(gap.day, gap.recorded_tenths) for gap in workweek.short] == [(monday, 0)]

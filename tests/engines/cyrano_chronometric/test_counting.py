"""cyrano_chronometric.counting: calendar days, business days and Rule 6(a), with the steps that explain them.

Every expected date was counted by hand on a printed calendar.
"""

from datetime import date

import pytest
from pydantic import ValidationError

from cyrano_chronometric.counting import Computation, CountingMethod, Direction, Period, Roll, compute
from cyrano_chronometric.work_calendar import WorkCalendar, calendar_for

FEDERAL = calendar_for("US")


def frcp(
    trigger: date,
    count: int,
    unit: str = "day",
    direction: Direction = "after",
    calendar: WorkCalendar = FEDERAL,
    mail: bool = False,
) -> Computation:
    period = Period.model_validate({"count": count, "unit": unit})
    return compute(trigger, period, method="frcp_6a", direction=direction, calendar=calendar, service_by_mail=mail)


def count(
    trigger: date,
    days: int,
    method: CountingMethod,
    direction: Direction = "after",
    calendar: WorkCalendar = FEDERAL,
    roll: Roll | None = None,
) -> Computation:
    period = Period(count=days, unit="day")
    return compute(trigger, period, method=method, direction=direction, calendar=calendar, roll=roll)


def kinds(computation: Computation) -> list[str]:
    return [step.what for step in computation.steps]


# Rule 6(a)


def test_a_21_day_period_ending_on_a_saturday_runs_to_monday() -> None:
    result = frcp(date(2026, 2, 28), 21)
    assert result.due == date(2026, 3, 23)
    assert kinds(result) == ["trigger_excluded", "last_day", "rolled"]
    assert result.steps[0].day == date(2026, 2, 28) and "not counted" in result.steps[0].note
    assert result.steps[1].day == date(2026, 3, 21)
    rolled = result.steps[2]
    assert rolled.day == date(2026, 3, 23)
    assert "Saturday 2026-03-21" in rolled.note and "Sunday 2026-03-22" in rolled.note
    assert "Saturday 2026-03-21" in result.explanation and "Monday 2026-03-23" in result.explanation


def test_a_period_ending_on_the_sunday_before_memorial_day_runs_to_tuesday() -> None:
    result = frcp(date(2026, 5, 3), 21)
    assert result.due == date(2026, 5, 26)
    assert "Memorial Day" in result.steps[-1].note and "Monday 2026-05-25" in result.steps[-1].note


def test_a_14_day_period_before_an_event_landing_on_sunday_moves_back_to_friday() -> None:
    result = frcp(date(2026, 4, 19), 14, direction="before")
    assert result.due == date(2026, 4, 3)
    assert result.steps[-1].what == "rolled"
    assert "preceding" in result.steps[-1].note and "6(a)(5)" in result.steps[-1].note


def test_thanksgiving_juneteenth_and_observed_independence_day_are_legal_holidays() -> None:
    assert frcp(date(2026, 11, 5), 21).due == date(2026, 11, 27)
    assert frcp(date(2026, 5, 29), 21).due == date(2026, 6, 22)
    observed = frcp(date(2026, 6, 12), 21)
    assert observed.due == date(2026, 7, 6)
    assert "Independence Day (observed)" in observed.steps[-1].note
    assert "Independence Day (observed)" in observed.explanation


def test_a_last_day_that_is_open_does_not_move() -> None:
    result = frcp(date(2026, 3, 2), 21)
    assert result.due == date(2026, 3, 23)
    assert kinds(result) == ["trigger_excluded", "last_day"]


def test_a_state_holiday_extends_a_period_after_an_event_only_in_that_state() -> None:
    assert frcp(date(2026, 1, 22), 21).due == date(2026, 2, 12)
    new_york = frcp(date(2026, 1, 22), 21, calendar=calendar_for("US-NY"))
    assert new_york.due == date(2026, 2, 13)
    assert new_york.jurisdiction == "US-NY"
    assert "Lincoln's Birthday" in new_york.steps[-1].note


def test_a_state_holiday_does_not_move_a_period_counted_before_an_event() -> None:
    result = frcp(date(2026, 2, 26), 14, direction="before", calendar=calendar_for("US-NY"))
    assert result.due == date(2026, 2, 12)
    assert "6(a)(6)(C)" in result.steps[-1].note and "Lincoln's Birthday" in result.steps[-1].note


def test_a_run_of_closures_is_crossed_in_one_roll_naming_each_day() -> None:
    result = frcp(date(2025, 12, 3), 21)
    assert result.due == date(2025, 12, 29)
    note = result.steps[-1].note
    for closed in ("2025-12-24", "Christmas Day", "2025-12-26", "Saturday 2025-12-27", "Sunday 2025-12-28"):
        assert closed in note


def test_a_declared_closure_on_the_last_day_extends_the_period() -> None:
    storm = WorkCalendar(closed_days=frozenset({date(2026, 8, 14)}))
    result = frcp(date(2026, 7, 24), 21, calendar=storm)
    assert result.due == date(2026, 8, 17)
    assert "a declared closure" in result.steps[-1].note


def test_months_and_years_are_calendar_months_with_the_day_cut_to_the_months_end() -> None:
    clamped = frcp(date(2026, 5, 31), 3, "month", direction="before")
    assert clamped.steps[1].day == date(2026, 2, 28)
    assert "February 2026 has no 31st day" in clamped.steps[1].note
    assert clamped.due == date(2026, 2, 27)  # Feb 28 is a Saturday; counted backward, Friday
    assert frcp(date(2028, 2, 29), 1, "year").due == date(2029, 2, 28)
    assert frcp(date(2026, 7, 3), 1, "year").due == date(2027, 7, 6)


def test_weeks_are_seven_days() -> None:
    assert frcp(date(2029, 6, 5), 2, "week").due == date(2029, 6, 20)  # Jun 19 is Juneteenth


# Rule 6(d)


def test_mail_adds_three_days_after_the_period_would_otherwise_expire() -> None:
    result = frcp(date(2026, 3, 7), 14, mail=True)  # Mar 21 is a Saturday: Monday 23, then three days
    assert result.due == date(2026, 3, 26)
    assert kinds(result) == ["trigger_excluded", "last_day", "rolled", "added_for_mail"]
    assert result.steps[-1].day == date(2026, 3, 26) and "6(d)" in result.steps[-1].note


def test_a_third_mail_day_on_a_holiday_rolls_again() -> None:
    result = frcp(date(2025, 11, 3), 21, mail=True)
    assert result.due == date(2025, 11, 28)
    assert kinds(result) == ["trigger_excluded", "last_day", "added_for_mail", "rolled"]
    assert result.steps[2].day == date(2025, 11, 27)
    assert "Thanksgiving Day" in result.steps[3].note
    assert "to Thursday 2025-11-27, which is a legal holiday, Thanksgiving Day, so the deadline is Friday" in (
        result.explanation
    )


def test_a_count_told_not_to_roll_adds_mail_days_to_the_weekend_day_and_stops() -> None:
    period = Period(count=14, unit="day")
    result = compute(date(2026, 3, 5), period, method="frcp_6a", calendar=FEDERAL, service_by_mail=True, roll="none")
    assert result.due == date(2026, 3, 22)  # Sunday: roll="none" holds for the mail days too
    assert "does not move" in result.explanation


def test_mail_days_need_rule_6a_and_a_period_after_service() -> None:
    with pytest.raises(ValueError, match="frcp_6a"):
        compute(
            date(2026, 3, 2),
            Period(count=5, unit="day"),
            method="calendar_days",
            calendar=FEDERAL,
            service_by_mail=True,
        )
    with pytest.raises(ValueError, match="after service"):
        frcp(date(2026, 3, 2), 5, direction="before", mail=True)


# Business days


def test_business_days_skip_the_weekends_and_memorial_day() -> None:
    result = count(date(2026, 5, 18), 10, "business_days")
    assert result.due == date(2026, 6, 2)
    assert kinds(result) == ["trigger_excluded", "weekend_skipped", "holiday_skipped", "weekend_skipped", "last_day"]
    assert result.steps[1].day == date(2026, 5, 23) and "Sunday 2026-05-24" in result.steps[1].note
    assert result.steps[2].day == date(2026, 5, 25) and "Memorial Day" in result.steps[2].note
    assert "2 weekends and Memorial Day on 2026-05-25" in result.explanation


def test_business_days_counted_backward_across_independence_day() -> None:
    result = count(date(2026, 7, 8), 5, "business_days", direction="before")
    assert result.due == date(2026, 6, 30)
    weekend = next(step for step in result.steps if step.what == "weekend_skipped")
    assert weekend.day == date(2026, 7, 4) and "Independence Day" in weekend.note
    holiday = next(step for step in result.steps if step.what == "holiday_skipped")
    assert holiday.day == date(2026, 7, 3)


def test_business_days_in_thanksgiving_week_depend_on_the_state() -> None:
    assert count(date(2026, 11, 23), 5, "business_days").due == date(2026, 12, 1)
    assert count(date(2026, 11, 23), 5, "business_days", calendar=calendar_for("US-TX")).due == date(2026, 12, 2)


def test_business_days_follow_the_calendars_country() -> None:
    england = calendar_for("GB-ENG")
    result = count(date(2026, 4, 2), 2, "business_days", calendar=england)
    assert result.due == date(2026, 4, 8)  # Good Friday, the weekend and Easter Monday skipped
    assert [step.day for step in result.steps if step.what == "holiday_skipped"] == [date(2026, 4, 3), date(2026, 4, 6)]


def test_business_days_are_counted_in_days_only() -> None:
    with pytest.raises(ValueError, match="business days are counted in days, not weeks"):
        compute(date(2026, 3, 2), Period(count=2, unit="week"), method="business_days", calendar=FEDERAL)


# Calendar days


def test_calendar_days_keep_a_last_day_on_a_weekend_unless_asked_to_roll() -> None:
    expiry = date(2026, 12, 5)
    kept = count(expiry, 90, "calendar_days", direction="before")
    assert kept.due == date(2026, 9, 6)
    assert "does not move" in kept.explanation
    cautious = count(expiry, 90, "calendar_days", direction="before", roll="backward")
    assert cautious.due == date(2026, 9, 4)
    assert "cautious" in cautious.explanation and cautious.steps[-1].what == "rolled"
    forward = count(expiry, 90, "calendar_days", direction="before", roll="forward")
    assert forward.due == date(2026, 9, 8)  # past Sunday and Labor Day
    assert "Labor Day" in forward.steps[-1].note


def test_calendar_months_clamp_to_the_end_of_a_short_month_and_say_so() -> None:
    period = Period(count=1, unit="month")
    result = compute(date(2026, 1, 31), period, method="calendar_days", calendar=FEDERAL)
    assert result.due == date(2026, 2, 28)
    assert "February 2026 has no 31st day" in result.explanation
    leap = compute(date(2024, 1, 31), period, method="calendar_days", calendar=FEDERAL)
    assert leap.due == date(2024, 2, 29)
    assert "February 2024 has no 31st day" in leap.explanation
    mid_month = compute(date(2026, 1, 15), period, method="calendar_days", calendar=FEDERAL)
    assert mid_month.due == date(2026, 2, 15)
    assert "has no" not in mid_month.explanation


def test_rule_6a_can_be_told_not_to_roll() -> None:
    period = Period(count=21, unit="day")
    result = compute(date(2026, 2, 28), period, method="frcp_6a", calendar=FEDERAL, roll="none")
    assert result.due == date(2026, 3, 21)


# Edges


def test_a_period_of_zero_days_ends_on_the_trigger_then_rolls_by_the_method() -> None:
    saturday = date(2026, 7, 4)
    assert count(saturday, 0, "calendar_days").due == saturday
    assert count(saturday, 0, "frcp_6a").due == date(2026, 7, 6)
    assert count(saturday, 0, "business_days", direction="before").due == date(2026, 7, 2)
    assert count(date(2026, 3, 18), 0, "frcp_6a").due == date(2026, 3, 18)


def test_dates_outside_1900_to_2200_are_refused() -> None:
    with pytest.raises(ValueError, match="2201"):
        frcp(date(2200, 12, 15), 1, "month")
    with pytest.raises(ValueError, match="outside the years 1900-2200"):
        frcp(date(1899, 12, 31), 1)
    with pytest.raises(ValueError, match="outside the years 1900-2200"):
        count(date(2190, 1, 1), 36500, "business_days")
    with pytest.raises(ValueError, match="outside the years 1900-2200"):
        frcp(date(2026, 1, 1), 36500, "week")
    with pytest.raises(ValueError, match="reaches the year 38526"):
        frcp(date(2026, 1, 1), 36500, "year")


def test_a_period_must_be_between_0_and_36500() -> None:
    with pytest.raises(ValidationError):
        Period(count=-1, unit="day")
    with pytest.raises(ValidationError):
        Period(count=36501, unit="day")
    with pytest.raises(ValidationError):
        Period.model_validate({"count": 3, "unit": "fortnight"})


def test_the_computation_records_what_was_asked() -> None:
    result = frcp(date(2026, 2, 26), 14, direction="before", calendar=calendar_for("US-NY"))
    assert (result.trigger, result.period, result.direction, result.method) == (
        date(2026, 2, 26),
        Period(count=14, unit="day"),
        "before",
        "frcp_6a",
    )
    assert "14 days before it" in result.explanation

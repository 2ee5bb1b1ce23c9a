"""cyrano_chronometric.work_calendar: weekends, holidays national and local, declared closures, jurisdictions."""

from datetime import date

import pytest

from cyrano_chronometric.work_calendar import CLOSED_DAY_NAME, WorkCalendar, calendar_for


def test_an_observed_holiday_is_a_holiday_and_the_saturday_it_replaces_is_still_named() -> None:
    federal = calendar_for("US")
    assert federal.holiday(date(2026, 7, 3)) == "Independence Day (observed)"
    assert federal.holiday(date(2026, 7, 4)) == "Independence Day"
    assert not federal.is_business_day(date(2026, 7, 3))


def test_weekends_are_saturday_and_sunday_and_an_ordinary_weekday_is_a_business_day() -> None:
    federal = WorkCalendar()
    assert federal.is_weekend(date(2026, 3, 21)) and federal.is_weekend(date(2026, 3, 22))
    assert not federal.is_weekend(date(2026, 3, 20))
    assert federal.is_business_day(date(2026, 3, 20))
    assert federal.holiday(date(2026, 3, 20)) is None


def test_a_state_holiday_belongs_to_the_state_calendar_only() -> None:
    lincolns_birthday = date(2026, 2, 12)
    assert calendar_for("US").holiday(lincolns_birthday) is None
    new_york = calendar_for("US-NY")
    assert new_york.holiday(lincolns_birthday) == "Lincoln's Birthday"
    assert new_york.subdivision_holiday(lincolns_birthday) == "Lincoln's Birthday"
    assert new_york.national_holiday(lincolns_birthday) is None


def test_a_state_that_drops_a_federal_holiday_still_closes_on_it() -> None:
    texas = calendar_for("US-TX")
    assert texas.holiday(date(2026, 10, 12)) == "Columbus Day"
    assert texas.subdivision_holiday(date(2026, 10, 12)) is None  # it is national, not the state's own
    assert texas.holiday(date(2026, 11, 27)) == "Friday After Thanksgiving"


def test_days_the_president_closed_the_government_are_holidays_but_half_days_are_not() -> None:
    federal = calendar_for(None)
    assert federal.holiday(date(2024, 12, 24)) == "Christmas Eve"
    assert federal.holiday(date(2025, 1, 9)) == "National Day of Mourning for former President Jimmy Carter"
    assert federal.holiday(date(2015, 12, 24)) is None  # a half-day closing
    assert federal.holiday(date(2026, 1, 19)) == "Martin Luther King Jr. Day"  # one name, not two joined


def test_a_declared_closure_is_a_holiday_of_its_own() -> None:
    storm = date(2026, 2, 3)
    closed = WorkCalendar(closed_days=frozenset({storm}))
    assert closed.holiday(storm) == CLOSED_DAY_NAME
    assert closed.national_holiday(storm) == CLOSED_DAY_NAME
    assert not closed.is_business_day(storm)
    assert WorkCalendar().is_business_day(storm)


def test_calendar_for_reads_country_and_subdivision_in_any_case() -> None:
    assert calendar_for("us-ny") == WorkCalendar("US", "NY")
    assert calendar_for(None) == WorkCalendar("US", None)
    assert calendar_for(" ") == WorkCalendar()
    england = calendar_for("GB-ENG")
    assert england.jurisdiction == "GB-ENG"
    assert england.holiday(date(2026, 4, 6)) == "Easter Monday"


def test_an_unknown_country_is_refused_with_what_to_give_instead() -> None:
    with pytest.raises(ValueError, match="unknown country 'XX'.*ISO 3166"):
        calendar_for("XX")


def test_an_unknown_subdivision_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown subdivision 'ZZ' of US.*NY"):
        calendar_for("US-ZZ")
    with pytest.raises(ValueError, match="unknown subdivision"):
        WorkCalendar("GB", "NY")

"""Which days a court or office is open: weekends, public holidays from the `holidays` package, declared closures.

A calendar names a country and, optionally, one of its subdivisions (a US state). Its holidays are the
country's national list together with the subdivision's own, because a court in New York is closed on the
federal holidays and on New York's. The national and the subdivision's holidays are kept apart
(`national_holiday`, `subdivision_holiday`) because Rule 6(a)(6)(C) counts a state's holidays only for periods
measured after an event.

For the United States the national list also holds the days the President closed the federal government by
executive order (Christmas Eve in 2019, 2020 and 2024, the day of mourning for President Carter on 2025-01-09):
Rule 6(a)(6)(B) makes "any day declared a holiday by the President" a legal holiday. Half-day closings are not
whole holidays and are left out. A closure the package does not know (a court shut by weather, a new
proclamation) goes in `closed_days`.

Observed days count as holidays: Independence Day 2026 falls on a Saturday and Friday 2026-07-03 is
"Independence Day (observed)". The lists are built once per (country, subdivision, year).
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays

__all__ = ["CLOSED_DAY_NAME", "WorkCalendar", "calendar_for"]

CLOSED_DAY_NAME = "a declared closure"
SATURDAY = 5  # date.weekday(): Monday is 0
US_PRESIDENTIAL_CLOSURES = "government"  # the `holidays` category holding executive-order closures of the US government


@lru_cache(maxsize=512)
def _holidays_of_year(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    found = dict(holidays.country_holidays(country, subdiv=subdivision, years=year).items())
    if country == "US" and subdivision is None:
        # The closures alone: the category also repeats the public holidays under other names.
        closures = holidays.country_holidays(country, years=year, categories=(US_PRESIDENTIAL_CLOSURES,))
        found |= {day: name for day, name in closures.items() if day not in found and "half-day" not in name}
    return found


@lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    """Each country the package knows, with its subdivisions' codes."""
    return holidays.list_supported_countries()


def _check_known(country: str, subdivision: str | None) -> None:
    supported = _supported()
    if country not in supported:
        raise ValueError(
            f"unknown country {country!r}: give an ISO 3166 alpha-2 code the holidays package supports, "
            f"such as US, GB, CA or AU ({len(supported)} are supported)"
        )
    if subdivision is not None and subdivision not in supported[country]:
        raise ValueError(
            f"unknown subdivision {subdivision!r} of {country}: the holidays package knows "
            + ", ".join(supported[country])
        )


@dataclass(frozen=True)
class WorkCalendar:
    """The working days of one place: Monday to Friday, less its holidays and the days it declared closed."""

    country: str = "US"
    subdivision: str | None = None
    closed_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        _check_known(self.country, self.subdivision)

    @property
    def jurisdiction(self) -> str:
        """The calendar's place as `calendar_for` takes it: "US", "US-NY", "GB-ENG"."""
        return self.country if self.subdivision is None else f"{self.country}-{self.subdivision}"

    def national_holiday(self, day: date) -> str | None:
        """The name of a nationwide holiday (or declared closure) on `day`, or None."""
        if day in self.closed_days:
            return CLOSED_DAY_NAME
        return _holidays_of_year(self.country, None, day.year).get(day)

    def subdivision_holiday(self, day: date) -> str | None:
        """The name of a holiday only the subdivision keeps on `day` (New York's Lincoln's Birthday), or None."""
        if self.subdivision is None or self.national_holiday(day) is not None:
            return None
        return _holidays_of_year(self.country, self.subdivision, day.year).get(day)

    def holiday(self, day: date) -> str | None:
        """The name of the holiday on `day`, national or the subdivision's, or None."""
        return self.national_holiday(day) or self.subdivision_holiday(day)

    def is_weekend(self, day: date) -> bool:
        return day.weekday() >= SATURDAY

    def is_business_day(self, day: date) -> bool:
        return not self.is_weekend(day) and self.holiday(day) is None


def calendar_for(jurisdiction: str | None) -> WorkCalendar:
    """The calendar of "US", "US-NY", "GB-ENG" (country, then an optional subdivision); None is the federal US one.

    Raises:
        ValueError: the country or the subdivision is not one the `holidays` package knows.
    """
    if jurisdiction is None or not jurisdiction.strip():
        return WorkCalendar()
    country, _, subdivision = jurisdiction.strip().upper().partition("-")
    return WorkCalendar(country=country, subdivision=subdivision or None)

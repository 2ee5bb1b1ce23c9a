"""Counting business days: every day that is neither a weekend day nor a holiday counts, the others are skipped.

Each skipped holiday gets a step of its own; a weekend is one step, so a long count stays readable.
"""

from dataclasses import dataclass, field
from datetime import date

from cyrano_chronometric.days import DayRules, add_days, named, named_list
from cyrano_chronometric.steps import CountStep

__all__ = ["BusinessCount", "count_business_days"]

HOLIDAYS_NAMED_IN_SUMMARY = 4


@dataclass
class BusinessCount:
    """Where a count of business days ended and the days it skipped on the way."""

    count: int
    last_day: date
    steps: list[CountStep] = field(default_factory=list)
    weekends: int = 0
    holidays: list[tuple[date, str]] = field(default_factory=list)

    def summary(self, trigger: date, direction: str) -> str:
        """One sentence: what was counted, what skipped, where it ended."""
        skipped = [f"{self.weekends} weekend" + ("" if self.weekends == 1 else "s")] if self.weekends else []
        if len(self.holidays) > HOLIDAYS_NAMED_IN_SUMMARY:
            skipped.append(f"{len(self.holidays)} holidays")
        skipped.extend(f"{name} on {day.isoformat()}" for day, name in self.holidays[:HOLIDAYS_NAMED_IN_SUMMARY])
        skipping = f", skipping {named_list(skipped)}," if skipped else ""
        days = f"{self.count} business day" + ("" if self.count == 1 else "s")
        return (
            f"The day of the event, {named(trigger)}, is not counted and only business days are: "
            f"{days} {direction} it{skipping} end on {named(self.last_day)}."
        )


def count_business_days(trigger: date, count: int, step: int, rules: DayRules) -> BusinessCount:
    """Move from `trigger` by `count` business days (`step` +1 forward, -1 back), noting each skipped day.

    Raises:
        ValueError: the count runs outside the years 1900-2200.
    """
    result = BusinessCount(count=count, last_day=trigger)
    weekend: list[date] = []
    day, counted = trigger, 0
    while counted < count:
        day = add_days(day, step)
        if rules.calendar.is_weekend(day):
            weekend.append(day)
            continue
        if weekend:
            _close_weekend(sorted(weekend), rules, result)
            weekend = []
        holiday = rules.holiday(day)
        if holiday is None:
            counted += 1
        else:
            result.holidays.append((day, holiday))
            result.steps.append(
                CountStep(day=day, what="holiday_skipped", note=f"{named(day)} is a holiday, {holiday}: not counted.")
            )
    result.last_day = day
    return result


def _close_weekend(days: list[date], rules: DayRules, result: BusinessCount) -> None:
    result.weekends += 1
    if any(rules.holiday(day) for day in days):
        note = f"{rules.describe_closed(days)} {'is' if len(days) == 1 else 'are'} not counted."
    elif len(days) == 2:
        note = f"The weekend of {named(days[0])} and {named(days[1])} is not counted."
    else:
        note = f"{named(days[0])} is a weekend day; not counted."
    result.steps.append(CountStep(day=days[0], what="weekend_skipped", note=note))

"""Counting a deadline from a trigger date: calendar days, business days, or Federal Rule of Civil Procedure 6(a).

Every method leaves out the trigger day itself. `calendar_days` counts every day and moves the last day only if
asked (`roll`): a contract's "90 days before expiry" ends where it ends, unless the firm would rather act on the
business day before. `business_days` counts only days that are neither weekends nor holidays.

`frcp_6a` follows Rule 6(a)(1) for periods in days or longer units: exclude the day of the event, count every day
(weekends and legal holidays included), and if the last day is a Saturday, Sunday or legal holiday keep going to
the next day that is none of those - forward for a period after an event, backward for one before it (6(a)(5)).
Legal holidays are the federal ones, days the President declared, the state's own holidays for periods measured
after an event only (6(a)(6)(C)), and the calendar's `closed_days`. Rule 6(d) (`service_by_mail`) adds 3 days
once the period would otherwise have expired, and a third day that falls on a weekend or legal holiday moves on
again under 6(a)(1)(C), as the rule has been read since 2016.

Not covered: periods stated in hours (6(a)(2)), the clerk's office being inaccessible on the last day (6(a)(3)),
and where the last day ends for electronic or in-person filing (6(a)(4)). Months and years are calendar months
and years: 6(a) does not say how to count them, and the date one or twelve months on is how courts read them.
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from cyrano_chronometric.business_days import count_business_days
from cyrano_chronometric.days import DayRules, add_days, add_months, named
from cyrano_chronometric.steps import CountStep
from cyrano_chronometric.work_calendar import WorkCalendar

__all__ = ["Computation", "CountStep", "CountingMethod", "Direction", "Period", "Roll", "compute"]

CountingMethod = Literal["calendar_days", "business_days", "frcp_6a"]
Direction = Literal["after", "before"]
Roll = Literal["none", "forward", "backward"]
MAIL_DAYS = 3  # Rule 6(d)


class Period(BaseModel):
    """A length of time as a rule or contract states it: 21 days, 2 weeks, 1 month."""

    count: int = Field(ge=0, le=36500)
    unit: Literal["day", "week", "month", "year"]

    def phrase(self) -> str:
        return f"{self.count} {self.unit}" + ("" if self.count == 1 else "s")


class Computation(BaseModel):
    """A deadline and how it was reached, step by step, for a lawyer to check."""

    trigger: date
    period: Period
    direction: Direction
    method: CountingMethod
    jurisdiction: str
    due: date = Field(description="the last day to act")
    steps: list[CountStep] = Field(description="the trigger, each skipped day or weekend, the last day, each roll")
    explanation: str = Field(description="how the date was reached, in one to three sentences")


def compute(
    trigger: date,
    period: Period,
    *,
    method: CountingMethod,
    direction: Direction = "after",
    calendar: WorkCalendar,
    service_by_mail: bool = False,
    roll: Roll | None = None,
) -> Computation:
    """The last day to act on a period of `period` counted `direction` the `trigger` date.

    `roll` None takes the method's own: none for calendar days, the direction of the count for business days and
    Rule 6(a). Under Rule 6(a) a state's holidays count only when the period runs after the trigger.

    Raises:
        ValueError: business days asked for in weeks, months or years; mail days without Rule 6(a) or for a
            period before the trigger; a date outside the years 1900-2200.
    """
    _check_request(trigger, period, method, direction, service_by_mail)
    step = 1 if direction == "after" else -1
    chosen_roll = roll or ("none" if method == "calendar_days" else ("forward" if step == 1 else "backward"))
    rules = DayRules(
        calendar,
        with_subdivision=method != "frcp_6a" or direction == "after",
        holiday_word="legal holiday" if method == "frcp_6a" else "holiday",
    )
    steps = [CountStep(day=trigger, what="trigger_excluded", note=_trigger_note(trigger, method))]
    if method == "business_days":
        counted = count_business_days(trigger, period.count, step, rules)
        steps.extend(counted.steps)
        landing, clamped, sentences = counted.last_day, False, [counted.summary(trigger, direction)]
    else:
        landing, clamped = _calendar_landing(trigger, period, step)
        reached = f"counting {period.phrase()} {direction} it reaches {named(landing)}"
        if clamped:
            reached += f", the last day of its month: {landing:%B %Y} has no {_ordinal(trigger.day)} day"
        sentences = [_count_sentence(method, trigger, reached)]
    last_note = _reached_note(landing, rules)
    if clamped:
        last_note += f" {landing:%B %Y} has no {_ordinal(trigger.day)} day, so the period ends on its last day."
    steps.append(CountStep(day=landing, what="last_day", note=last_note))
    due, consequence = _rolled(landing, chosen_roll, rules, method, steps)
    if consequence is not None:
        sentences.append(f"That day is {consequence}.")
    if service_by_mail:
        extended = add_days(due, MAIL_DAYS)
        steps.append(CountStep(day=extended, what="added_for_mail", note=_mail_note(due, extended)))
        mail_roll: Roll = "none" if chosen_roll == "none" else "forward"  # 6(a)(1)(C) again, unless told not to
        due, consequence = _rolled(extended, mail_roll, rules, method, steps)
        then = "" if consequence is None else f", which is {consequence}"
        sentences.append(f"Service by mail adds {MAIL_DAYS} days after that (Rule 6(d)), to {named(extended)}{then}.")
    _note_state_holiday_not_counted(due, calendar, rules, steps)
    return Computation(
        trigger=trigger,
        period=period,
        direction=direction,
        method=method,
        jurisdiction=calendar.jurisdiction,
        due=due,
        steps=steps,
        explanation=" ".join(sentences),
    )


def _check_request(
    trigger: date, period: Period, method: CountingMethod, direction: Direction, service_by_mail: bool
) -> None:
    add_days(trigger, 0)  # the trigger itself must lie in the supported years
    if method == "business_days" and period.unit != "day":
        raise ValueError(f"business days are counted in days, not {period.unit}s: give the period in days")
    if service_by_mail and method != "frcp_6a":
        raise ValueError("service_by_mail adds the 3 days of Rule 6(d): use it with method 'frcp_6a'")
    if service_by_mail and direction == "before":
        raise ValueError("Rule 6(d) adds days only to a period that runs after service, not before an event")


def _calendar_landing(trigger: date, period: Period, step: int) -> tuple[date, bool]:
    if period.unit in ("month", "year"):
        months = period.count * (12 if period.unit == "year" else 1)
        return add_months(trigger, step * months)
    days = period.count * (7 if period.unit == "week" else 1)
    return add_days(trigger, step * days), False


def _trigger_note(trigger: date, method: CountingMethod) -> str:
    rule = " (Rule 6(a)(1)(A))" if method == "frcp_6a" else ""
    return f"{named(trigger)} is the day of the event that starts the period; it is not counted{rule}."


def _count_sentence(method: CountingMethod, trigger: date, reached: str) -> str:
    if method == "frcp_6a":
        return (
            f"Under Rule 6(a)(1) the day of the event, {named(trigger)}, is excluded and every day is counted, "
            f"weekends and legal holidays included: {reached}."
        )
    return f"The day of the event, {named(trigger)}, is not counted and every calendar day is: {reached}."


def _ordinal(day_of_month: int) -> str:
    """29th, 30th, 31st: the only days a month can lack."""
    return f"{day_of_month}st" if day_of_month == 31 else f"{day_of_month}th"


def _reached_note(landing: date, rules: DayRules) -> str:
    why = rules.why_closed(landing)
    return f"The count ends on {named(landing)}" + ("." if why is None else f", {why}.")


def _rolled(
    day: date, roll: Roll, rules: DayRules, method: CountingMethod, steps: list[CountStep]
) -> tuple[date, str | None]:
    """`day` moved off weekends and holidays as `roll` says, with its step, and what it is and what that changed.

    The second value reads after "That day is": "a weekend day, so the deadline is ..."; None for an open day.
    """
    why = rules.why_closed(day)
    if why is None:
        return day, None
    if roll == "none":
        return day, f"{why}, but this count does not move its last day"
    moved, passed = rules.roll(day, 1 if roll == "forward" else -1)
    where = _roll_phrase(roll, method, rules)
    verb = "is not a day" if len(passed) == 1 else "are not days"
    note = f"{rules.describe_closed(passed)} {verb} to act on: the deadline is {named(moved)}, {where}."
    steps.append(CountStep(day=moved, what="rolled", note=note))
    return moved, f"{why}, so the deadline is {named(moved)}, {where}"


def _roll_phrase(roll: Roll, method: CountingMethod, rules: DayRules) -> str:
    closed = f"a Saturday, Sunday or {rules.holiday_word}"
    if method == "frcp_6a":
        which = "next" if roll == "forward" else "preceding"
        rule = "6(a)(1)(C)" if roll == "forward" else "6(a)(1)(C) and 6(a)(5)"
        return f"the {which} day that is not {closed} (Rule {rule})"
    if roll == "forward":
        return f"the next day that is not {closed}"
    return f"the preceding day that is not {closed}, the cautious choice"


def _mail_note(expiry: date, extended: date) -> str:
    return (
        f"Service was by mail, so Rule 6(d) adds {MAIL_DAYS} days after the period would otherwise expire on "
        f"{named(expiry)}: {named(extended)}."
    )


def _note_state_holiday_not_counted(due: date, calendar: WorkCalendar, rules: DayRules, steps: list[CountStep]) -> None:
    """Say so when Rule 6(a)(6)(C) leaves a state holiday as the last day of a period counted backward."""
    state_holiday = calendar.subdivision_holiday(due)
    if rules.with_subdivision or state_holiday is None:
        return
    last = steps[-1]
    steps[-1] = last.model_copy(
        update={
            "note": f"{last.note} {due.isoformat()} is {state_holiday}, a holiday in {calendar.jurisdiction}, but "
            "Rule 6(a)(6)(C) counts a state's holidays only for periods measured after an event."
        }
    )

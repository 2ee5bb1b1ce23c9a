"""One step of a deadline count: a day that matters to the result, and a sentence saying why."""

from datetime import date
from typing import Literal

from pydantic import BaseModel

__all__ = ["CountStep", "StepKind"]

StepKind = Literal["trigger_excluded", "weekend_skipped", "holiday_skipped", "last_day", "rolled", "added_for_mail"]


class CountStep(BaseModel):
    """A day that shaped the deadline: the trigger, a skipped weekend or holiday, the last day, a roll."""

    day: date
    what: StepKind
    note: str

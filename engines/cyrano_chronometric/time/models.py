"""What Chronometric's time tools take and answer."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from cyrano_chronometric.models import Cursor, Jurisdiction
from cyrano_chronometric.settings import known_zone
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import ToolInput, ToolOutput, UuidText

MAX_TENTHS = 240
MAX_IMPORT_BYTES = 2_000_000
EVERYONE = "*"
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def tenths_of(hours: float) -> int:
    """Hours as whole tenths; ValueError for anything else (0.25 is not a tenth)."""
    tenths = round(hours * 10)
    if abs(hours * 10 - tenths) > 1e-6:
        raise ValueError("hours are recorded in tenths of an hour (6 minutes): give e.g. 0.2 or 0.3, not 0.25")
    if not 1 <= tenths <= MAX_TENTHS:
        raise ValueError("hours must be from 0.1 to 24.0")
    return tenths


def _in_tenths(hours: float) -> float:
    return tenths_of(hours) / 10


Hours = Annotated[float, AfterValidator(_in_tenths)]
UserName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Narrative = Annotated[str, StringConstraints(min_length=1, max_length=2_000)]
_USER = "The timekeeper's user name (default: you)."
_PERIOD_START = "From this day (default: 29 days before end)."
_PERIOD_END = "To this day, inclusive (default: today)."


class EntryCreate(ToolInput):
    matter_id: MatterId
    date: dt.date = Field(description="The day the work was done.")
    hours: Hours = Field(description="In tenths of an hour: 0.1 to 24.0 (0.25 is refused: give 0.2 or 0.3).")
    narrative: Narrative = Field(description="What was done, as the bill will say it.")
    billable: bool = True
    user: UserName | None = Field(default=None, description=_USER)


class Entry(ToolOutput):
    id: str = Field(description="Give it to chronometric_entries_update or _delete.")
    user: str
    matter_id: str
    date: dt.date
    hours: float
    billable: bool
    narrative: str
    source: Literal["manual", "import", "reconstructed"]
    proposal_id: str | None = Field(default=None, description="A reconstructed entry's proposal.")


class EntryListRequest(ToolInput):
    user: UserName | None = Field(default=None, description='Whose entries (default: yours; "*" for everyone\'s).')
    matter_id: MatterId | None = None
    start: dt.date | None = Field(default=None, description=_PERIOD_START)
    end: dt.date | None = Field(default=None, description=_PERIOD_END)
    billable: bool | None = Field(default=None, description="Only billable (true) or non-billable (false) entries.")
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None


class EntryList(ToolOutput):
    start: dt.date
    end: dt.date
    entries: list[Entry] = Field(description="By day, then as recorded.")
    total: int = Field(description="Entries in the period over all pages.")
    hours: float = Field(description="Their hours over all pages.")
    billable_hours: float
    next_cursor: str | None = None


class EntryUpdate(ToolInput):
    entry_id: UuidText
    matter_id: MatterId | None = None
    date: dt.date | None = None
    hours: Hours | None = None
    narrative: Narrative | None = None
    billable: bool | None = None
    user: UserName | None = Field(default=None, description="Move the entry to another timekeeper.")


class EntryDelete(ToolInput):
    entry_id: UuidText


class EntryDeleted(ToolOutput):
    entry_id: str
    deleted: bool = Field(description="False: there was no such entry (already deleted).")


class ImportRequest(ToolInput):
    csv: Annotated[str, StringConstraints(min_length=1, max_length=MAX_IMPORT_BYTES)] = Field(
        description="The CSV text, header first (at most 2 MB)."
    )


class RowError(ToolOutput):
    line: int = Field(description="The line of the file (the header is line 1).")
    reason: str


class ImportAnswer(ToolOutput):
    rows: int = Field(description="Data rows read.")
    stored: int
    hours_stored: float
    skipped: int = Field(description="Rows already stored (same user, matter, day, hours and narrative).")
    skipped_lines: list[int] = Field(description="Their lines (the first 50).")
    errors: list[RowError] = Field(description="Rows refused, nothing of them stored (the first 50).")
    errors_total: int
    columns: dict[str, str] = Field(description="Which header gave each field.")
    ignored_columns: list[str]


class ExportRequest(ToolInput):
    user: UserName | None = Field(default=None, description='Whose entries (default: yours; "*" for everyone\'s).')
    matter_id: MatterId | None = None
    start: dt.date | None = Field(default=None, description=_PERIOD_START)
    end: dt.date | None = Field(default=None, description=_PERIOD_END)
    cursor: Cursor | None = None


class ExportAnswer(ToolOutput):
    csv: str = Field(description="date,user,matter,hours,billable,narrative; chronometric_entries_import reads it.")
    rows: int
    total: int = Field(description="Entries in the period over all pages.")
    next_cursor: str | None = Field(description="The rest, as another CSV with its own header.")


EmailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+$")
]


TimeZoneName = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(known_zone)]


class WorkProfileSet(ToolInput):
    user: UserName | None = Field(default=None, description=_USER)
    minimum_hours: Hours | None = Field(default=None, description="Hours a working day should hold.")
    working_weekdays: list[Weekday] | None = Field(default=None, min_length=1, max_length=7)
    jurisdiction: Jurisdiction | None = Field(default=None, description='Whose holidays are days off: "US-NY"...')
    leave_days: list[dt.date] | None = Field(
        default=None, max_length=1_000, description="Replaces the leave days (vacation, sick days)."
    )
    add_leave_days: list[dt.date] = Field(default_factory=list, max_length=366, description="Adds leave days.")
    emails: list[EmailAddress] | None = Field(
        default=None, max_length=20, description="Replaces their e-mail addresses (what they send is their work)."
    )
    timezone: TimeZoneName | None = Field(
        default=None, description='Their time zone (IANA: "America/New_York"): the day an e-mail falls on.'
    )


class WorkProfile(ToolOutput):
    user: str
    minimum_hours: float
    working_weekdays: list[Weekday]
    jurisdiction: str
    leave_days: list[dt.date]
    emails: list[str]
    timezone: str


class GapsRequest(ToolInput):
    user: UserName | None = Field(default=None, description=_USER)
    start: dt.date | None = Field(default=None, description=_PERIOD_START)
    end: dt.date | None = Field(default=None, description=_PERIOD_END + " At most 366 days.")
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None


class GapDay(ToolOutput):
    date: dt.date
    recorded: float
    expected: float
    shortfall: float


class GapsAnswer(ToolOutput):
    user: str
    start: dt.date
    end: dt.date = Field(description="The last day counted (days after today are not).")
    jurisdiction: str
    minimum_hours: float
    working_days: int = Field(description="Working days in the period: no weekend, holiday or leave.")
    days_short: int = Field(description="Of them, days with no entry or fewer hours than the minimum.")
    shortfall_hours: float
    gaps: list[GapDay] = Field(description="The days short, oldest first.")
    next_cursor: str | None = None


class DuplicatesRequest(ToolInput):
    user: UserName | None = Field(default=None, description='Whose entries (default: yours; "*" for everyone\'s).')
    matter_id: MatterId | None = None
    start: dt.date | None = Field(default=None, description=_PERIOD_START)
    end: dt.date | None = Field(default=None, description=_PERIOD_END + " At most 366 days.")
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None


class EntryBrief(ToolOutput):
    id: str
    date: dt.date
    hours: float
    narrative: str = Field(description="Its first 160 characters.")


class DuplicatePair(ToolOutput):
    user: str
    matter_id: str
    first: EntryBrief
    second: EntryBrief
    score: float = Field(description="0 to 1: how likely the second records the same work again.")
    reason: str


class DuplicatesAnswer(ToolOutput):
    start: dt.date
    end: dt.date
    entries_read: int
    pairs: list[DuplicatePair] = Field(description="Likeliest first.")
    total: int
    next_cursor: str | None = None

"""What Chronometric's deadline tools take and answer."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from cyrano_arkiver.api import DocumentId
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import ToolInput, ToolOutput, UuidText

Unit = Literal["day", "week", "month", "year"]
Method = Literal["calendar_days", "business_days", "frcp_6a"]
DirectionName = Literal["after", "before"]
Status = Literal["proposed", "open", "completed", "dismissed"]
Source = Literal["document", "manual", "rule"]
DeadlineKind = Literal["non_renewal_notice", "expiry", "stated_deadline", "court_rule", "manual"]
Jurisdiction = Annotated[
    str, StringConstraints(min_length=2, max_length=12, pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,6})?$")
]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Note = Annotated[str, StringConstraints(max_length=2_000)]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class ComputeRequest(ToolInput):
    trigger: dt.date = Field(description="The date of the event the period runs from (or to, with direction before).")
    count: int = Field(ge=0, le=3_650, description="The period's length in `unit`s.")
    unit: Unit = "day"
    method: Method = Field(
        default="frcp_6a",
        description="calendar_days (every day, no roll), business_days (weekends and holidays skipped), or frcp_6a "
        "(Fed. R. Civ. P. 6(a): exclude the trigger day, count every day, roll a last day on a weekend or legal "
        "holiday to the next day that is not).",
    )
    direction: DirectionName = Field(default="after", description='"after" the trigger, or "before" it.')
    jurisdiction: Jurisdiction | None = Field(
        default=None, description='Whose holidays count: "US", "US-NY", "GB-ENG"...; default: the server\'s setting.'
    )
    service_by_mail: bool = Field(default=False, description="Fed. R. Civ. P. 6(d): 3 days more after service by mail.")


class CountedDay(ToolOutput):
    day: dt.date
    what: str
    note: str


class Computed(ToolOutput):
    """One deadline counted from its trigger, with the days that moved it."""

    due: dt.date = Field(description="The last day to act.")
    trigger: dt.date
    period: str = Field(description='The period as counted, e.g. "21 days after".')
    method: Method
    jurisdiction: str
    explanation: str
    steps: list[CountedDay] = Field(description="The trigger, each skipped or rolled day, and the last day.")


class Quote(ToolOutput):
    document_id: str
    page: int
    quote: str | None = Field(description="The words, as the page has them; null: quoted above in this answer.")
    role: str = Field(description='What it gives the deadline: "term end", "notice period", "renewal", "deadline".')


class Deadline(ToolOutput):
    id: str = Field(description="Give it to chronometric_deadline_add (to docket a proposed one) or _complete.")
    title: str
    due: dt.date
    kind: DeadlineKind
    status: Status = Field(description="proposed: computed from a document, not yet docketed; open: docketed.")
    source: Source
    matter_id: str
    matter: str | None = Field(default=None, description="The matter's title.")
    document_id: str | None = None
    trigger: dt.date | None = Field(default=None, description="The date it is counted from.")
    how: str | None = Field(default=None, description="How it was counted: the period, the method, any roll.")
    caution: str | None = Field(default=None, description="Something to act on early: a weekend, a past cycle.")
    evidence: list[Quote] = Field(default_factory=list, description="The clauses it comes from, quoted with pages.")
    note: str | None = None


class ConditionalDeadline(ToolOutput):
    """A time limit that runs from an event with no date yet ("within 30 days after receipt of an invoice")."""

    document_id: str
    obligor: str | None
    limit: str = Field(description='The limit as written, e.g. "within thirty (30) days".')
    page: int
    quote: str


class DeadlinesRequest(ToolInput):
    matter_id: MatterId | None = Field(default=None, description="Every document of this matter (or document_id).")
    document_id: DocumentId | None = Field(default=None, description="Only this document.")
    start: dt.date | None = Field(default=None, description="Deadlines due on or after this day (default: today).")
    end: dt.date | None = Field(default=None, description="... and on or before this day (default: a year on).")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: Cursor | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> "DeadlinesRequest":
        if (self.matter_id is None) == (self.document_id is None):
            raise ValueError(
                "give matter_id or document_id (one of them); for every matter use chronometric_deadline_list"
            )
        return self


class DeadlinesAnswer(ToolOutput):
    matter_id: str
    start: dt.date
    end: dt.date
    documents_read: int
    deadlines: list[Deadline] = Field(description="Due in the period, soonest first: docketed and proposed alike.")
    proposed: int = Field(description="How many of the period's deadlines are computed but not docketed yet.")
    total: int = Field(description="Deadlines in the period over all pages.")
    conditional: list[ConditionalDeadline] = Field(
        default_factory=list,
        description="Limits that run from an event with no date (first page only, the first that fit, at most 10).",
    )
    conditional_total: int = 0
    next_cursor: str | None = None


class DeadlineAddRequest(ToolInput):
    deadline_id: UuidText | None = Field(
        default=None, description="Docket this proposed deadline (computed from a document) as it is."
    )
    matter_id: MatterId | None = Field(default=None, description="The matter of a new deadline.")
    title: Title | None = None
    due: dt.date | None = Field(default=None, description="The day it is due; or give a trigger and a rule.")
    trigger: dt.date | None = Field(default=None, description="The event's date a rule counts from.")
    rule: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = Field(
        default=None, description="A rule's name (chronometric_rules), e.g. frcp_12a_answer."
    )
    note: Note | None = None

    @model_validator(mode="after")
    def _what(self) -> "DeadlineAddRequest":
        if self.deadline_id is not None:
            if any(value is not None for value in (self.matter_id, self.title, self.due, self.trigger, self.rule)):
                raise ValueError("deadline_id docket a proposed deadline as it is: give nothing else but a note")
            return self
        if self.matter_id is None:
            raise ValueError("give deadline_id (a proposed deadline), or matter_id with due or trigger and rule")
        if (self.due is None) == (self.trigger is None and self.rule is None):
            raise ValueError("give either due, or trigger and rule")
        if self.due is None and (self.trigger is None or self.rule is None):
            raise ValueError("a rule needs its trigger date, and a trigger needs a rule")
        if self.due is not None and self.title is None:
            raise ValueError("title: a deadline given by its date needs a title")
        return self


class DeadlineCompleteRequest(ToolInput):
    deadline_id: UuidText
    status: Literal["completed", "dismissed", "open"] = Field(
        default="completed",
        description="completed: done; dismissed: a proposed deadline that does not apply (it is not proposed "
        "again); open: undo either.",
    )
    note: Note | None = None


class DeadlineListRequest(ToolInput):
    within_days: int | None = Field(
        default=None, ge=0, le=36_600, description="Due from today to this many days on (default 14)."
    )
    start: dt.date | None = Field(default=None, description="Or a period: due on or after this day ...")
    end: dt.date | None = Field(default=None, description="... and on or before this one.")
    matter_id: MatterId | None = None
    status: list[Status] = Field(
        default_factory=lambda: _not_done(), min_length=1, description="Which deadlines (default: not done)."
    )
    overdue: bool = Field(default=True, description="Also list open deadlines already past (first).")
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None

    @model_validator(mode="after")
    def _period(self) -> "DeadlineListRequest":
        if self.within_days is not None and (self.start is not None or self.end is not None):
            raise ValueError("give within_days, or start and end, not both")
        return self


def _not_done() -> list[Status]:
    return ["open", "proposed"]


class DeadlineList(ToolOutput):
    start: dt.date
    end: dt.date
    deadlines: list[Deadline]
    overdue: int = Field(description="Open deadlines past their day (listed first when asked).")
    total: int
    next_cursor: str | None = None


class Rule(ToolOutput):
    name: str
    title: str
    count: int
    unit: Unit
    method: Method
    direction: DirectionName
    trigger: str = Field(description='The event it counts from, e.g. "service of the summons and complaint".')
    jurisdiction: str | None
    builtin: bool


class RuleSetRequest(ToolInput):
    name: Annotated[str, StringConstraints(min_length=3, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]
    title: Title
    count: int = Field(ge=0, le=3_650)
    unit: Unit = "day"
    method: Method = "frcp_6a"
    direction: DirectionName = "after"
    trigger: Annotated[str, StringConstraints(min_length=3, max_length=200)]
    jurisdiction: Jurisdiction | None = None


class RuleNameRequest(ToolInput):
    name: Annotated[str, StringConstraints(min_length=3, max_length=80)]


class RuleList(ToolOutput):
    rules: list[Rule]


class RuleRemoved(ToolOutput):
    name: str
    removed: bool


class ExportRequest(ToolInput):
    matter_id: MatterId | None = Field(default=None, description="Only this matter's deadlines (default: the firm's).")
    include_done: bool = Field(default=False, description="Also completed deadlines (marked done).")


class ExportAnswer(ToolOutput):
    uri: str = Field(description="The calendar as an MCP resource (text/calendar); read it to save the .ics file.")
    events: int
    first_due: dt.date | None
    last_due: dt.date | None
    ics: str | None = Field(description="The file itself when short (under 6,000 characters); else read the uri.")


class TimelineRequest(ToolInput):
    matter_id: MatterId | None = Field(default=None, description="Every document of this matter (or document_ids).")
    document_ids: list[DocumentId] | None = Field(default=None, min_length=1, max_length=100)
    start: dt.date | None = Field(default=None, description="Events on or after this day.")
    end: dt.date | None = Field(default=None, description="... and on or before this one.")
    party: Annotated[str, StringConstraints(min_length=2, max_length=200)] | None = Field(
        default=None, description="Only events whose sentence names this party (any case, suffixes aside)."
    )
    kinds: list[str] | None = Field(
        default=None, description="Only these kinds: agreement, effective, expiration, deadline, renewal, other."
    )
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> "TimelineRequest":
        if (self.matter_id is None) == (self.document_ids is None):
            raise ValueError("give matter_id or document_ids (one of them)")
        return self


class TimelineEvent(ToolOutput):
    date: dt.date
    precision: Literal["day"] = "day"
    approximate: bool = Field(description='Written "on or about" the date.')
    event: str = Field(description="What happens on the date, in the document's words.")
    kind: str
    computed: str | None = Field(default=None, description="How a date the document does not write was counted.")
    document_id: str
    document: str
    page: int
    quote: str | None = Field(description="The sentence; null: quoted above in this answer.")
    conflict: bool = Field(default=False, description="Another document gives this event another date.")


class ConflictDate(ToolOutput):
    date: dt.date
    document_id: str
    page: int


class TimelineConflict(ToolOutput):
    event: str
    dates: list[ConflictDate]


class Timeline(ToolOutput):
    documents_read: int
    events: list[TimelineEvent] = Field(description="In date order; filter by period, party and kind.")
    total: int
    conflicts: list[TimelineConflict] = Field(
        default_factory=list, description="Events two documents date differently (first page only, at most 10)."
    )
    conflicts_total: int = 0
    next_cursor: str | None = None

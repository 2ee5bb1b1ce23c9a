"""What `chronometric_reconstruct` and `chronometric_accept` take and answer."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from cyrano_chronometric.models import Cursor
from cyrano_chronometric.time.models import Entry, Hours, Narrative, UserName
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import ToolInput, ToolOutput

MAX_RECONSTRUCT_DAYS = 31
EvidenceKind = Literal["email_sent", "email_received", "calendar_event", "document_filed", "deadline_completed"]
EvidenceClass = Literal["direct", "circumstantial"]
ProposalId = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}\.[0-9a-f]{24}$")]


class ReconstructRequest(ToolInput):
    user: UserName | None = Field(default=None, description="The timekeeper's user name (default: you).")
    start: dt.date | None = Field(default=None, description="From this day (default: 29 days before end).")
    end: dt.date | None = Field(default=None, description="To this day, inclusive (default: today); at most 31 days.")
    matter_id: MatterId | None = Field(
        default=None, description="Only this matter's evidence (default: every open one)."
    )
    direct_only: bool = Field(
        default=False,
        description="Only proposals with direct evidence (fewer, surer: received mail alone is left out).",
    )
    limit: int = Field(default=10, ge=1, le=50)
    cursor: Cursor | None = None


class EvidenceView(ToolOutput):
    kind: EvidenceKind
    evidence_class: EvidenceClass = Field(
        description="direct: sent, completed or attended; circumstantial: read or filed."
    )
    at: dt.datetime = Field(description="When, in UTC.")
    what: str
    ref: str = Field(description="The document (e-mail, calendar file, document) or deadline it comes from.")
    hours: float = Field(description="What this evidence suggests by the documented rules.")


class ProposalView(ToolOutput):
    proposal_id: str = Field(description="Give it to chronometric_accept after review.")
    date: dt.date
    matter_id: str
    hours: float = Field(description="Suggested: the evidence's hours, cut to what the day still lacks.")
    capped: bool = Field(description="True: the evidence suggested more than the day's shortfall left.")
    strength: EvidenceClass = Field(description="direct when any of its evidence is direct.")
    narrative: str
    evidence: list[EvidenceView] = Field(description="The first 5, oldest first.")
    evidence_total: int


class ReconstructAnswer(ToolOutput):
    user: str
    start: dt.date
    end: dt.date = Field(description="The last day read (days after today are not).")
    timezone: str = Field(description="The work profile's zone: what day a timed piece of evidence falls on.")
    days_short: int = Field(description="Working days short of the minimum (chronometric_gaps).")
    shortfall_hours: float
    proposals_total: int = Field(description="Over all pages.")
    proposed_hours: float = Field(description="Over all pages.")
    proposals: list[ProposalView] = Field(description="By day, most direct evidence first within a day.")
    notes: list[str] = Field(description="What the reconstruction could not read, and why.")
    next_cursor: str | None = None


class AcceptRequest(ToolInput):
    proposal_id: ProposalId = Field(description="From chronometric_reconstruct.")
    user: UserName | None = Field(default=None, description="The timekeeper it was proposed for (default: you).")
    hours: Hours | None = Field(default=None, description="The hours reviewed (default: as proposed).")
    narrative: Narrative | None = Field(default=None, description="The narrative reviewed (default: as proposed).")
    billable: bool = True


class AcceptAnswer(ToolOutput):
    entry: Entry = Field(description="The time entry made (source reconstructed).")
    evidence: list[EvidenceView] = Field(description="Its provenance, kept with the entry.")

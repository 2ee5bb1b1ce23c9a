"""The inputs and answers of potemkin_citations and of the authorities library's tools."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from cyrano_matters.api import MatterId
from cyrano_mcp.kit import ToolInput, ToolOutput
from cyrano_potemkin.citations.reading import CitationKind

# The schema's own ceiling; the setting potemkin_max_text_chars (lower) is what a call is held to.
TEXT_CEILING = 5_000_000

Status = Literal["malformed", "impossible", "found", "unverified"]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class CitationsRequest(ToolInput):
    text: Annotated[str, StringConstraints(min_length=1, max_length=TEXT_CEILING)] = Field(
        description="The text whose citations to check."
    )
    matter_id: MatterId | None = Field(default=None, description="Also look in this matter's documents.")
    cursor: Cursor | None = Field(default=None, description="next_cursor from the previous answer (same text).")


class CitationCheck(ToolOutput):
    index: int = Field(description="1-based, in the text's order.")
    kind: CitationKind
    status: Status
    text: str = Field(description="The citation as written.")
    normalized: str
    start: int = Field(description="Offset of the citation in the text; end is just after it.")
    end: int
    case_name: str | None = Field(description="The case name the text gives, if any.")
    reason: str
    method: str = Field(description="What decided it: reporters-db, courts-db, library, document, online, none.")
    detail: Literal["name_mismatch", "not_found_online"] | None = Field(
        default=None,
        description="name_mismatch: an authority has this citation under another case name; not_found_online: "
        "the online lookup has no case at it.",
    )
    authority_name: str | None = Field(default=None, description="The case name the known authority has.")
    found_in: str | None = Field(default=None, description="Where it was found: the library or a document's page.")


class StatusCounts(ToolOutput):
    citations: int
    malformed: int
    impossible: int
    found: int
    unverified: int
    name_mismatches: int
    not_found_online: int


class CitationsAnswer(ToolOutput):
    summary: StatusCounts
    problems: list[int] = Field(
        description="Indexes of the citations malformed, impossible, under another case name or not found online "
        "(the first 100)."
    )
    online: str = Field(description="What was checked online (by default nothing).")
    checked_against: str
    citations: list[CitationCheck]
    next_cursor: str | None
    alert_id: str | None = Field(default=None, description="The alert this check raised (potemkin_alerts), if any.")


class AuthorityAdd(ToolInput):
    citation: Annotated[str, StringConstraints(min_length=3, max_length=200)] = Field(
        description='The citation, e.g. "347 U.S. 483".'
    )
    case_name: Annotated[str, StringConstraints(min_length=3, max_length=300)] = Field(
        description='e.g. "Brown v. Board of Education".'
    )
    court: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    year: int | None = Field(default=None, ge=1600, le=2100)
    note: Annotated[str, StringConstraints(min_length=1, max_length=2_000)] | None = Field(
        default=None, description="Stored encrypted."
    )


class Authority(ToolOutput):
    id: str
    citation: str = Field(description="Normalised, e.g. 347 U.S. 483.")
    case_name: str
    court: str | None
    year: int | None
    note: str | None
    added_at: datetime


class AuthorityAdded(ToolOutput):
    authority: Authority
    already_stored: bool = Field(description="True when this citation was already stored under this case name.")


class AuthorityListRequest(ToolInput):
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = Field(default=None, description="next_cursor from the previous page.")


class AuthorityPage(ToolOutput):
    authorities: list[Authority]
    total: int
    next_cursor: str | None


class AuthorityRemove(ToolInput):
    authority_id: Annotated[str, StringConstraints(min_length=36, max_length=36)]


class AuthorityRemoved(ToolOutput):
    removed: Authority

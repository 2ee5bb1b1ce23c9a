"""What `clauses_find` takes and returns."""

from typing import Literal

from pydantic import Field

from cyrano_mcp.kit import ToolInput, ToolOutput, UuidText

Topic = Literal[
    "termination",
    "confidentiality",
    "governing_law",
    "assignment",
    "indemnification",
    "limitation_of_liability",
    "non_compete",
    "renewal",
]


class FindClauses(ToolInput):
    topic: Topic = Field(description="The kind of clause to find.")
    matter_id: UuidText | None = Field(default=None, description="Only this matter's documents.")


class ClausePlace(ToolOutput):
    document_id: str
    filename: str | None
    page: int
    phrase: str = Field(description="The phrasing that matched on this page.")
    snippet: str = Field(description="The words around it; matched words are marked «like this».")


class ClausesFound(ToolOutput):
    topic: str
    places: list[ClausePlace] = Field(description="Best first; one entry per page.")
    searched: list[str] = Field(description="The phrasings searched for.")

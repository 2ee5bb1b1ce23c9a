"""Resource listings: the concrete resources an engine offers in `resources/list` (a matter, a document), so a
host's attach menu can show them. Templates (`ResourceTemplate`) say how to read one; a listing says which exist.

Each listing pages with its own cursor; the server chains the engines' listings into one paged answer, and
lists a caller only what their role may read (`permission`).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, StringConstraints

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.names import OPERATION_NAME
from cyrano_mcp.models import ToolInput, ToolOutput


class ListingRequest(ToolInput):
    cursor: Annotated[str, StringConstraints(max_length=512)] | None = None
    limit: int = Field(default=50, ge=1, le=100)


class ListedResource(ToolOutput):
    uri: str
    name: str
    title: str | None = None
    description: str | None = None
    mime_type: str = "application/json"


class ListingPage(ToolOutput):
    resources: list[ListedResource]
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class ResourceListing:
    name: str
    description: str
    handler: Callable[[ListingRequest], Awaitable[ListingPage]]
    permission: str

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.name):
            raise ConfigError(f"resource listing name {self.name!r} must match {OPERATION_NAME.pattern}")

"""Operations calling operations: another engine's tool, through the same call path as a client's call.

    results = await context.operations.run(SEARCH, SearchRequest(query="governing law"))   # typed
    answer = await context.operations.call("arkiver_search", {"query": "governing law"})  # by name, JSON in and out

The call runs as the current caller (their role is checked against the operation's permission), is audited
and counted under the caller's correlation id, and is not charged to the caller's rate limit: the client's
own call that led to it was. It must happen inside a tool call; outside one there is nobody to act for.
A provider engine publishes `OperationRef`s for its operations in its `api` module.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

InT = TypeVar("InT", bound=BaseModel)
OutT = TypeVar("OutT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class OperationRef(Generic[InT, OutT]):
    """A typed handle on a tool another engine declares: its name, and its input and output models."""

    tool: str
    input_model: type[InT]
    output_model: type[OutT]


class OperationCaller(Protocol):
    """`context.operations`: run a registered tool on behalf of the current caller."""

    async def run(self, operation: OperationRef[InT, OutT], params: InT) -> OutT:
        """Run the tool with typed input; its typed output, or the `DomainError` it (or the call path) raised."""
        ...

    async def call(self, tool: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """Run the tool by name with JSON arguments, validated as a client's are; its output as JSON."""
        ...

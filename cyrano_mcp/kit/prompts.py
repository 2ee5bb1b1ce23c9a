"""Prompts: the jobs lawyers come to an engine for, offered to the host as MCP prompts (a slash command or a
menu entry), each rendered from its arguments into the messages that start the conversation.

    Prompt("summarise_contract", "Summarise a contract with its sources", "...", SummariseArguments, render,
           permission="documents:read")

The arguments model's fields must all be strings (MCP sends prompt arguments as strings). Rendering goes
through the call path like a tool call: the caller is authenticated, their role must grant `permission`, and
the rendering is audited, so a prompt may read the caller's data.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.names import OPERATION_NAME
from cyrano_mcp.models import ToolOutput

ArgumentsT = TypeVar("ArgumentsT", bound=BaseModel)


class PromptMessage(ToolOutput):
    """One message of a rendered prompt."""

    role: Literal["user", "assistant"] = "user"
    text: str


@dataclass(frozen=True, slots=True)
class Prompt(Generic[ArgumentsT]):
    name: str
    title: str
    description: str
    arguments: type[ArgumentsT]
    render: Callable[[ArgumentsT], Awaitable[Sequence[PromptMessage]]]
    permission: str
    toolset: str | None = None

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.name):
            raise ConfigError(f"prompt name {self.name!r} must match {OPERATION_NAME.pattern}")
        if not self.description.strip():
            raise ConfigError(f"prompt {self.name!r} needs a description")
        properties: dict[str, Any] = self.arguments.model_json_schema().get("properties", {})
        for field_name, schema in properties.items():
            if not _is_string(schema):
                raise ConfigError(f"prompt {self.name!r}: argument {field_name!r} must be a string (MCP sends strings)")


def _is_string(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "string":
        return True
    options = schema.get("anyOf", [])
    return bool(options) and all(option.get("type") in ("string", "null") for option in options)

"""Base classes for the pydantic models engines take in and give out."""

from pydantic import BaseModel, ConfigDict


class ToolInput(BaseModel):
    """Arguments of a tool: unknown fields are an error, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ToolOutput(BaseModel):
    """What a tool returns (its JSON schema is the tool's output schema)."""

    model_config = ConfigDict(extra="forbid")


class NoArguments(ToolInput):
    """A tool that takes no arguments."""

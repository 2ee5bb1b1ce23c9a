"""Base classes for the pydantic models engines take in and give out."""

import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


class ToolInput(BaseModel):
    """Arguments of a tool: unknown fields are an error, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ToolOutput(BaseModel):
    """What a tool returns (its JSON schema is the tool's output schema)."""

    model_config = ConfigDict(extra="forbid")


class NoArguments(ToolInput):
    """A tool that takes no arguments."""


def uuid_of(kind: str, source: str) -> AfterValidator:
    """Validates a `kind` id (a UUID) and normalises it; the error says what such an id looks like."""

    def validate(value: str) -> str:
        try:
            return str(uuid.UUID(value.strip()))
        except ValueError:
            raise ValueError(f"not a {kind} id ({kind} ids are UUIDs, as {source} return them)") from None

    return AfterValidator(validate)


def id_field(kind: str, source: str) -> Any:
    return Field(description=f"The {kind}'s id (a UUID, as {source} return it).", json_schema_extra={"format": "uuid"})


UuidText = Annotated[str, StringConstraints(max_length=64)]

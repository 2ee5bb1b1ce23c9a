"""Base classes for the pydantic models engines take in and give out."""

import uuid
from typing import Annotated, Any, ClassVar, Self, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

# C0 control characters but tab, line feed and carriage return (CR ends lines in text pasted from Windows). NUL
# ends C strings (SQLite's LIKE pattern stopped there) and PostgreSQL refuses it in text; the others have no
# place in a name, a title or a filter, and escape sequences rewrite what a terminal shows.
_CONTROLS = bytes(code for code in range(32) if chr(code) not in "\t\n\r")
_NUL = b"\x00"
_COLLECTIONS = (list, tuple, set, frozenset)


# An optional argument whose null means something (clear the field), unlike leaving it out:
# `Field(default=None, json_schema_extra=NULL_CLEARS)`. Tool schemas keep its null alternative, which they drop
# from other optional arguments (callpath.schemas).
NULL_CLEARS_KEY = "x-null-clears"
NULL_CLEARS: dict[str, Any] = {NULL_CLEARS_KEY: True}


class DocumentText:
    """Marks a field that holds a document's own text (`Annotated[str, DOCUMENT_TEXT]`): its form feeds (page
    breaks), vertical tabs and other controls are kept; only NUL, which no store can hold, is refused."""


DOCUMENT_TEXT = DocumentText()


def _has_control(value: object, controls: bytes) -> bool:
    """Whether a string in `value` (a string, or one inside a list, set, tuple or dict) holds one of `controls`.
    Nested `ToolInput` models check their own fields."""
    if isinstance(value, str):
        if value.isprintable():  # no controls at all: most names, titles and filters
            return False
        # Deleting the controls from the UTF-8 bytes and comparing lengths: ~1 ns a character, where a regular
        # expression took 5 (20,000 characters of notes cost 100 µs).
        encoded = value.encode("utf-8", "surrogatepass")
        return len(encoded.translate(None, controls)) != len(encoded)
    if isinstance(value, _COLLECTIONS):
        return any(_has_control(item, controls) for item in value)
    if isinstance(value, dict):  # validated input: plain dicts (an ABC check would cost more than the rest)
        return any(_has_control(key, controls) or _has_control(item, controls) for key, item in value.items())
    return False


def _marked(annotation: Any) -> bool:
    """Whether `DOCUMENT_TEXT` annotates the type or a member of it (`Annotated[str, ..., DOCUMENT_TEXT] | None`)."""
    if get_origin(annotation) is Annotated and any(isinstance(m, DocumentText) for m in annotation.__metadata__):
        return True
    return any(_marked(argument) for argument in get_args(annotation))


class ToolInput(BaseModel):
    """Arguments of a tool: unknown fields are an error, strings are trimmed, control characters refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    _document_text_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._document_text_fields = frozenset(
            name
            for name, field in cls.model_fields.items()
            if any(isinstance(m, DocumentText) for m in field.metadata) or _marked(field.annotation)
        )

    @model_validator(mode="after")
    def _no_control_characters(self) -> Self:
        # One check per model, not one per field: a field validator costs a call per field on every tool call.
        # Secrets are `SecretStr`: never stored or shown, so they may hold any character. The error names the
        # field, never the value (nested models check their own fields and the location is prefixed).
        document_text = type(self)._document_text_fields
        for name, value in self.__dict__.items():
            document = name in document_text
            if value is not None and _has_control(value, _NUL if document else _CONTROLS):
                message = (
                    "contains a NUL control character"
                    if document
                    else "contains a control character (only tab, line feed and carriage return are allowed)"
                )
                error = InitErrorDetails(type=PydanticCustomError("control_character", message), loc=(name,), input="")
                raise ValidationError.from_exception_data(type(self).__name__, [error])
        return self


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

"""The JSON schemas a tool is listed with, without what costs a host's context and tells its model nothing.

Pydantic titles every field and model after its own name ("document_id" gets "title": "Document Id"): a
third of an input schema's characters, paid on every turn of every conversation. And an optional argument
comes as `{"anyOf": [{"type": "string"}, {"type": "null"}], "default": null}`, where leaving the argument out
says the same: input schemas give the type alone (an explicit null is still accepted). Output schemas keep
their nulls, since clients validate results against them.
"""

from typing import Any

from cyrano_mcp.models import NULL_CLEARS_KEY

# Keywords whose value maps names to schemas: the names are properties, not keywords, and stay.
_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas")


def compact_schema(schema: Any, *, optional_as_omitted: bool = False) -> Any:
    """`schema` without its generated `title` keywords (a property named `title` stays); with
    `optional_as_omitted`, an optional argument's `null` alternative and `null` default dropped too."""
    if isinstance(schema, list):
        return [compact_schema(item, optional_as_omitted=optional_as_omitted) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if optional_as_omitted:
        schema = _without_null_alternative(schema)
    compacted: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            compacted[key] = {
                name: compact_schema(item, optional_as_omitted=optional_as_omitted) for name, item in value.items()
            }
        else:
            compacted[key] = compact_schema(value, optional_as_omitted=optional_as_omitted)
    return compacted


def _without_null_alternative(schema: dict[str, Any]) -> dict[str, Any]:
    """`{"anyOf": [X, {"type": "null"}], "default": null, ...}` as `{**X, ...}`; anything else unchanged, and an
    argument whose null means something (`NULL_CLEARS`) keeps it, without the marker."""
    if NULL_CLEARS_KEY in schema:
        return {key: value for key, value in schema.items() if key != NULL_CLEARS_KEY}
    options = schema.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and "default" in schema and schema["default"] is None):
        return schema
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) != 1 or not isinstance(kept[0], dict):
        return schema
    rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
    return {**kept[0], **rest}

"""The JSON schemas a tool is listed with, without what costs a host's context and tells its model nothing.

Pydantic titles every field and model after its own name ("document_id" gets "title": "Document Id"): a
third of an input schema's characters, paid on every turn of every conversation.
"""

from typing import Any

# Keywords whose value maps names to schemas: the names are properties, not keywords, and stay.
_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas")


def compact_schema(schema: Any) -> Any:
    """`schema` without its generated `title` keywords (a property named `title` stays)."""
    if isinstance(schema, list):
        return [compact_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    compacted: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            compacted[key] = {name: compact_schema(item) for name, item in value.items()}
        else:
            compacted[key] = compact_schema(value)
    return compacted

"""Helpers for tests that talk to Cyrano the way a client does."""

from typing import Any

from mcp_types import CallToolResult, TextContent

MODES = ["auto", "legacy"]  # 2026-07-28 and 2025-11-25


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent), block
    return block.text


def ok(result: CallToolResult) -> dict[str, Any]:
    """The structured content of a successful call (fails the test with the error text otherwise)."""
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    return result.structured_content


def error(result: CallToolResult, code: str) -> str:
    """The message of a failed call, after checking its error code."""
    assert result.is_error, f"expected {code}, got success: {result.structured_content}"
    message = text_of(result)
    assert message.startswith(f"{code}: "), message
    return message

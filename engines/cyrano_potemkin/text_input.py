"""What every Potemkin check asks of the text it is given, and where a paged answer resumes."""

from cyrano_mcp.kit import InvalidInputError, TooLargeError, cursor_index, read_cursor, require_bound


def require_checkable(text: str, limit: int, tool: str) -> None:
    """A typed error for a text over `limit` characters or one without a word in it."""
    if len(text) > limit:
        raise TooLargeError(f"text: {len(text):,} characters; {tool} reads at most {limit:,}")
    if not any(character.isalnum() for character in text):
        raise InvalidInputError("text: it has no words to check")


def resume_at(cursor: str | None, bound: str, key: str, mismatch: str) -> int:
    """The position a cursor issued for the same arguments (`bound`) carries under `key`; 0 without one."""
    if cursor is None:
        return 0
    position = read_cursor(cursor)
    require_bound(position, bound, mismatch=mismatch)
    return cursor_index(position, key)

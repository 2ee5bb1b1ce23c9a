"""What every Potemkin check asks of the text it is given."""

from cyrano_mcp.kit import InvalidInputError, TooLargeError


def require_checkable(text: str, limit: int, tool: str) -> None:
    """A typed error for a text over `limit` characters or one without a word in it."""
    if len(text) > limit:
        raise TooLargeError(f"text: {len(text):,} characters; {tool} reads at most {limit:,}")
    if not any(character.isalnum() for character in text):
        raise InvalidInputError("text: it has no words to check")

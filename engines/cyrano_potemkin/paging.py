"""Cursors of Potemkin's paged answers, bound to the arguments that produced them."""

from cyrano_mcp.kit import cursor_index, issue_cursor, read_cursor, require_bound


def resume_at(cursor: str | None, bound: str, key: str, mismatch: str) -> int:
    """The position a cursor issued for the same arguments (`bound`) carries under `key`; 0 without one."""
    if cursor is None:
        return 0
    position = read_cursor(cursor)
    require_bound(position, bound, mismatch=mismatch)
    return cursor_index(position, key)


def page_offset(cursor: str | None, bound: str, mismatch: str) -> int:
    """Where a listing's page starts: 0, or the offset a cursor issued for the same filters carries."""
    return resume_at(cursor, bound, "offset", mismatch)


def next_cursor(found: int, limit: int, offset: int, bound: str) -> str | None:
    """The cursor of the next page when the query (asked for limit + 1 rows) found more than a page."""
    return issue_cursor({"offset": offset + limit}, bound) if found > limit else None

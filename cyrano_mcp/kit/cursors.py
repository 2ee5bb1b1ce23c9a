"""Opaque page cursors: a small JSON object, base64url without padding, optionally bound to the call's arguments.

A bound cursor carries a fingerprint of the arguments that produced its page; given back with other arguments it
is refused, so a client cannot page through one selection with another's position.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cyrano_mcp.errors import InvalidInputError

NOT_ISSUED = "cursor: not a cursor this server issued"
_BOUND_KEY = "f"


def arguments_fingerprint(*parts: object) -> str:
    """A short digest of the arguments a cursor is bound to (their order matters; normalise sets before)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12]


def issue_cursor(position: Mapping[str, Any], bound: str | None = None) -> str:
    payload = dict(position)
    if bound is not None:
        payload[_BOUND_KEY] = bound
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def read_cursor(cursor: str) -> dict[str, Any]:
    """The position a cursor carries; a typed error for anything this server did not issue."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise InvalidInputError(NOT_ISSUED) from None
    if not isinstance(payload, dict):
        raise InvalidInputError(NOT_ISSUED)
    return payload


def require_bound(position: Mapping[str, Any], bound: str, *, mismatch: str | None = None) -> None:
    """Refuse a cursor issued for other arguments (`mismatch` says which), after its position was read."""
    given = position.get(_BOUND_KEY)
    if not isinstance(given, str):
        raise InvalidInputError(NOT_ISSUED)
    if given != bound:
        raise InvalidInputError(
            mismatch or "cursor: it belongs to other arguments; give the same ones, or start without it"
        )


def cursor_index(position: Mapping[str, Any], key: str) -> int:
    """A non-negative integer field of a cursor's position (booleans are not integers here)."""
    value = position.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInputError(NOT_ISSUED)
    return value


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


def next_page_cursor(found: int, limit: int, offset: int, bound: str) -> str | None:
    """The cursor of the next page when the query (asked for limit + 1 rows) found more than a page."""
    return issue_cursor({"offset": offset + limit}, bound) if found > limit else None

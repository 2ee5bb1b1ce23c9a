"""The kit's page cursors: what one carries comes back, and anything else is a typed error."""

import pytest

from cyrano_mcp.kit import (
    InvalidInputError,
    arguments_fingerprint,
    cursor_index,
    issue_cursor,
    read_cursor,
    require_bound,
)


def test_a_cursor_carries_its_position_and_its_binding() -> None:
    bound = arguments_fingerprint("doc-1", "a,b", True)
    cursor = issue_cursor({"o": 12}, bound)
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor
    position = read_cursor(cursor)
    assert cursor_index(position, "o") == 12
    require_bound(position, bound)


def test_the_fingerprint_depends_on_every_argument_and_their_order() -> None:
    prints = {
        arguments_fingerprint("doc-1", "a,b", True),
        arguments_fingerprint("doc-1", "a,b", False),
        arguments_fingerprint("doc-2", "a,b", True),
        arguments_fingerprint("a,b", "doc-1", True),
    }
    assert len(prints) == 4


def test_a_cursor_for_other_arguments_is_refused_with_the_callers_words() -> None:
    position = read_cursor(issue_cursor({"o": 1}, arguments_fingerprint("doc-1")))
    with pytest.raises(InvalidInputError, match="other arguments"):
        require_bound(position, arguments_fingerprint("doc-2"))
    with pytest.raises(InvalidInputError, match="another document"):
        require_bound(position, arguments_fingerprint("doc-2"), mismatch="cursor: another document")


@pytest.mark.parametrize("forged", ["not a cursor", "!!!", "bnVsbA", "WzFd", "e30"])
def test_anything_this_server_did_not_issue_is_a_typed_error(forged: str) -> None:
    with pytest.raises(InvalidInputError, match="not a cursor this server issued"):
        position = read_cursor(forged)
        require_bound(position, "x")


@pytest.mark.parametrize("value", [-1, True, "3", 1.5, None])
def test_a_position_must_be_a_non_negative_integer(value: object) -> None:
    with pytest.raises(InvalidInputError, match="not a cursor this server issued"):
        cursor_index(read_cursor(issue_cursor({"o": value})), "o")

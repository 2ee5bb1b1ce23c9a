"""A page of deadlines sized for a model's context: each clause quoted once, and the page cut short before it
passes about 7,000 characters with whatever else the answer holds (the cursor then continues where it stopped)."""

from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel

from cyrano_chronometric.models import Deadline
from cyrano_mcp.kit import issue_cursor

ItemT = TypeVar("ItemT", bound=BaseModel)

PAGE_CHARS = 7_000


def fit_page(deadlines: Sequence[Deadline], room: int = PAGE_CHARS) -> list[Deadline]:
    """The first deadlines that fit in `room` characters, at least one; a quote already on the page is given as
    null ("quoted above")."""
    seen: set[tuple[str, int, str]] = set()
    fitted: list[Deadline] = []
    used = 0
    for deadline in deadlines:
        quotes = []
        for quote in deadline.evidence:
            key = (quote.document_id, quote.page, quote.quote or "")
            quotes.append(quote.model_copy(update={"quote": None}) if key in seen else quote)
            seen.add(key)
        shown = deadline.model_copy(update={"evidence": quotes})
        size = len(shown.model_dump_json(exclude_none=True))
        if fitted and used + size > room:
            break
        fitted.append(shown)
        used += size
    return fitted


def fit_items(items: Sequence[ItemT], room: int, most: int) -> list[ItemT]:
    """The first `most` items that fit in `room` characters (none if even the first does not)."""
    fitted: list[ItemT] = []
    used = 0
    for item in items[:most]:
        used += len(item.model_dump_json(exclude_none=True))
        if used > room:
            break
        fitted.append(item)
    return fitted


def cursor_after(shown: int, found: int, offset: int, bound: str) -> str | None:
    """The cursor of the rest: after the deadlines shown, when the query found more (it asks for limit + 1)."""
    return issue_cursor({"offset": offset + shown}, bound) if found > shown else None

"""A page of deadlines fits a model's context: quotes given once, the page cut where it would grow too long."""

import datetime as dt

from cyrano_chronometric.answer_fit import PAGE_CHARS, cursor_after, fit_page
from cyrano_chronometric.models import Deadline, Quote
from cyrano_mcp.kit import read_cursor


def deadline(number: int, quote: str) -> Deadline:
    return Deadline(
        id=f"{number:08d}-0000-4000-8000-000000000000", title=f"Deadline {number}",
        due=dt.date(2026, 1, number % 28 + 1), kind="non_renewal_notice", status="proposed", source="document",
        matter_id="m",
        evidence=[Quote(document_id="d", page=2, quote=quote, role="term end")],
    )  # fmt: skip


def test_a_clause_is_quoted_once_per_page() -> None:
    shared = "This Agreement begins on the Effective Date and continues for five (5) years."
    fitted = fit_page([deadline(1, shared), deadline(2, shared), deadline(3, "Another clause.")])
    assert [item.evidence[0].quote for item in fitted] == [shared, None, "Another clause."]


def test_the_page_stops_before_it_outgrows_its_room_and_the_cursor_resumes_there() -> None:
    long = [deadline(number, f"clause {number} " + "x" * 900) for number in range(20)]
    fitted = fit_page(long)
    assert 1 < len(fitted) < 20
    assert sum(len(item.model_dump_json(exclude_none=True)) for item in fitted) <= PAGE_CHARS
    cursor = cursor_after(len(fitted), found=21, offset=40, bound="b")
    assert cursor is not None and read_cursor(cursor)["offset"] == 40 + len(fitted)
    assert cursor_after(5, found=5, offset=0, bound="b") is None
    # One deadline alone is always shown, however long.
    assert len(fit_page([deadline(1, "y" * 20_000)])) == 1

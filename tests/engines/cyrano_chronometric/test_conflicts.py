"""Which differing dates are conflicts: one event dated differently by two documents, not each document's own
dates, not an event a document gives many times."""

import datetime as dt

from cyrano_chronometric.documents import DocumentRef
from cyrano_chronometric.events import DatedEvent
from cyrano_chronometric.timeline import _conflicts

CONTRACT, LETTER = DocumentRef("a", "contract", "m"), DocumentRef("b", "letter", "m")


def event(label: str, day: int, kind: str = "other") -> DatedEvent:
    return DatedEvent(dt.date(2020, 3, day), label.lower(), label, kind, False, None, 1, f"{label} on March {day}.")


def test_one_event_two_dates_in_two_documents_is_a_conflict() -> None:
    found = [(CONTRACT, event("Closing", 3)), (LETTER, event("Closing", 5)), (LETTER, event("Board meeting", 10))]
    assert [(label, [e.date.day for _, e in items]) for label, items in _conflicts(found)] == [("closing", [3, 5])]


def test_the_same_date_in_both_documents_is_no_conflict() -> None:
    assert _conflicts([(CONTRACT, event("Closing", 3)), (LETTER, event("Closing", 3))]) == []


def test_each_documents_own_dates_and_recurring_events_are_no_conflict() -> None:
    found = [
        (CONTRACT, event("agreement made", 1, kind="agreement")),
        (LETTER, event("agreement made", 2, kind="agreement")),
        (CONTRACT, event("Supply Agreement", 4)),  # a document's name
        (LETTER, event("Supply Agreement", 6)),
        (CONTRACT, event("Initial Term", 7)),
        (LETTER, event("Initial Term", 8)),
        (CONTRACT, event("Payment", 9)),  # paid monthly: the contract gives two dates
        (CONTRACT, event("Payment", 19)),
        (LETTER, event("Payment", 20)),
    ]
    assert _conflicts(found) == []

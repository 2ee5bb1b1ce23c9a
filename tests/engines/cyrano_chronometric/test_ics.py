"""The deadlines calendar: read back by the icalendar package and by Arkiver's reader, and checked octet by octet."""

from datetime import UTC, date, datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyrano_arkiver.parsing.calendar import parse_calendar_events
from cyrano_chronometric.ics import CalendarEntry, content_line, deadlines_calendar

PRODUCED_AT = datetime(2026, 12, 6, 4, 30, tzinfo=UTC)
LONG_DESCRIPTION = (
    "Computed from clause 14.2, page 7: “Either party may terminate this Agreement by giving not less than ninety "
    "(90) days’ written notice before the end of the Initial Term; otherwise it renews for twelve months.”\n"
    "Counted back from 31 March 2027 — the end of the Initial Term — and moved to the previous business day.\n"
) * 8
NOTICE = CalendarEntry(
    uid="deadline-5f0c8a2e-7d1b-4c39-9a51-0e6f3b2d8c41@cyrano",
    title="Notice of non-renewal due: Supply Agreement (Acme) — “Schedule 2”",
    due=date(2026, 12, 31),
    description="Clause 14.2, page 7; quoted:\n“ninety (90) days’ written notice”, counted back.",
    matter="Acme Ltd, supply dispute",
    last_modified=datetime(2026, 11, 2, 9, 15, 30, tzinfo=UTC),
)
FILING = CalendarEntry(
    uid="deadline-filing@cyrano", title="Défense à déposer", due=date(2026, 12, 14), description=LONG_DESCRIPTION
)
PAID = CalendarEntry(uid="deadline-paid@cyrano", title="Invoice 42 payable", due=date(2027, 1, 8), completed=True)


def write(*entries: CalendarEntry, name: str = "Acme — deadlines") -> str:
    return deadlines_calendar(list(entries), name=name, produced_at=PRODUCED_AT)


def read_events(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    assert isinstance(calendar, icalendar.Calendar)
    return {event.uid: event for event in calendar.events}


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_calendar_header_names_the_product_and_the_calendar() -> None:
    calendar = icalendar.Calendar.from_ical(write(NOTICE, name="Acme; deadlines, all"))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Cyrano//Chronometric//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    # RFC 5545 3.8.8.2: an X- property's value is TEXT unless it says otherwise; icalendar hands it back as written.
    assert str(calendar["X-WR-CALNAME"]) == "Acme\\; deadlines\\, all"


def test_every_event_reads_back_with_its_title_description_and_all_day_dates() -> None:
    events = read_events(write(NOTICE, FILING, PAID))

    assert set(events) == {NOTICE.uid, FILING.uid, PAID.uid}
    notice = events[NOTICE.uid]
    assert str(notice["SUMMARY"]) == NOTICE.title
    assert str(notice["DESCRIPTION"]) == f"Matter: {NOTICE.matter}\n\n{NOTICE.description}"
    assert notice.decoded("DTSTART") == date(2026, 12, 31)
    assert not isinstance(notice.decoded("DTSTART"), datetime)
    assert notice.decoded("DTEND") == date(2027, 1, 1)
    assert notice.decoded("DTSTAMP") == PRODUCED_AT
    assert notice.decoded("LAST-MODIFIED") == NOTICE.last_modified
    assert notice.categories == ["Acme Ltd, supply dispute"]
    assert str(events[FILING.uid]["DESCRIPTION"]) == LONG_DESCRIPTION
    assert str(events[FILING.uid]["SUMMARY"]) == "Défense à déposer"
    assert "CATEGORIES" not in events[FILING.uid]
    assert "DESCRIPTION" not in events[PAID.uid]


def test_open_deadlines_carry_one_display_alarm_per_reminder_day() -> None:
    events = read_events(write(NOTICE, FILING.model_copy(update={"reminders_days_before": (0, 14, 14)})))

    notice_alarms = events[NOTICE.uid].walk("VALARM")
    assert [alarm.decoded("TRIGGER") for alarm in notice_alarms] == [timedelta(days=-7), timedelta(days=-1)]
    assert {str(alarm["ACTION"]) for alarm in notice_alarms} == {"DISPLAY"}
    assert str(notice_alarms[1]["DESCRIPTION"]) == f"Due tomorrow: {NOTICE.title}"
    filing_alarms = events[FILING.uid].walk("VALARM")
    assert [alarm.decoded("TRIGGER") for alarm in filing_alarms] == [timedelta(days=-14), timedelta(0)]


def test_a_completed_deadline_keeps_its_day_marked_done_free_and_silent() -> None:
    paid = read_events(write(PAID))[PAID.uid]

    assert str(paid["SUMMARY"]) == "Done: Invoice 42 payable"
    assert str(paid["TRANSP"]) == "TRANSPARENT"
    assert "STATUS" not in paid
    assert paid.walk("VALARM") == []
    assert paid.decoded("DTSTART") == date(2027, 1, 8)
    assert "TRANSP" not in read_events(write(NOTICE))[NOTICE.uid]


def test_sequence_grows_with_the_last_modification() -> None:
    later = NOTICE.model_copy(update={"last_modified": NOTICE.last_modified + timedelta(seconds=1)})  # type: ignore[operator]

    before = read_events(write(NOTICE))[NOTICE.uid].sequence
    after = read_events(write(later))[NOTICE.uid].sequence

    assert 0 < before < after < 2**31
    assert "SEQUENCE" not in read_events(write(FILING))[FILING.uid]


def test_every_physical_line_is_at_most_75_octets_and_ends_with_crlf() -> None:
    text = write(NOTICE, FILING, PAID)

    assert text.endswith("END:VCALENDAR\r\n")
    physical = text.split("\r\n")
    assert physical[-1] == ""
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(len(line.encode("utf-8")) == 75 for line in physical), "the long description should fill lines"


def test_unfolding_restores_the_long_description_exactly() -> None:
    lines = unfold(write(FILING))

    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    escaped = LONG_DESCRIPTION.replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")
    assert description == "DESCRIPTION:" + escaped
    assert len(LONG_DESCRIPTION) > 2000


@pytest.mark.parametrize("ascii_prefix", range(60, 80))
def test_a_fold_never_splits_a_multi_byte_character(ascii_prefix: int) -> None:
    # "SUMMARY:" is 8 octets; the prefix walks the three-byte em dash across the 75-octet boundary.
    title = "x" * (ascii_prefix - 8) + "—" * 3 + "y" * 80
    text = write(NOTICE.model_copy(update={"title": title}))

    physical = text.encode("utf-8").split(b"\r\n")
    assert all(len(line) <= 75 for line in physical)
    for line in physical:
        line.decode("utf-8")  # a split character would fail here
    assert str(read_events(text)[NOTICE.uid]["SUMMARY"]) == title


# Any text a title or description may hold: every character but the control characters TEXT cannot carry.
_WRITABLE_TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from('\n\t,;\\:"'))


@settings(max_examples=200, deadline=None)
@given(title=_WRITABLE_TEXT.filter(str.strip), description=_WRITABLE_TEXT)
def test_any_title_and_description_survive_folding_and_escaping(title: str, description: str) -> None:
    text = write(NOTICE.model_copy(update={"title": title, "description": description, "matter": None}))

    physical = text.encode("utf-8").split(b"\r\n")
    assert all(len(line) <= 75 for line in physical)
    assert all(line.decode("utf-8") for line in physical[:-1])
    event = read_events(text)[NOTICE.uid]
    assert str(event["SUMMARY"]) == title
    assert str(event.get("DESCRIPTION", "")) == description


def test_the_fold_fills_each_line_to_the_last_whole_character() -> None:
    line = content_line("SUMMARY", "x" * 66 + "—" * 2)  # 8 + 66 = 74 octets: the first dash no longer fits

    assert line == "SUMMARY:" + "x" * 66 + "\r\n " + "—" * 2 + "\r\n"
    assert content_line("SUMMARY", "x" * 67) == "SUMMARY:" + "x" * 67 + "\r\n"
    assert content_line("SUMMARY", "x" * 68) == "SUMMARY:" + "x" * 67 + "\r\n x\r\n"


def test_text_values_escape_backslash_semicolon_comma_and_line_breaks() -> None:
    entry = NOTICE.model_copy(update={"title": r"A\B; C, D", "description": "one\r\ntwo\rthree\nfour\x0cfive"})
    lines = unfold(write(entry))

    assert "SUMMARY:A\\\\B\\; C\\, D" in lines
    assert "DESCRIPTION:Matter: Acme Ltd\\, supply dispute\\n\\none\\ntwo\\nthree\\nfour five" in lines
    event = read_events(write(entry))[NOTICE.uid]
    assert str(event["SUMMARY"]) == r"A\B; C, D"


def test_parameter_values_with_separators_are_quoted_and_quotes_are_refused() -> None:
    assert (
        content_line("X-NOTE", "v", [("X-WHERE", "Room 2: east, upper")])
        == 'X-NOTE;X-WHERE="Room 2: east, upper":v\r\n'
    )
    assert content_line("DTSTART", "20261231", [("VALUE", "DATE")]) == "DTSTART;VALUE=DATE:20261231\r\n"
    with pytest.raises(ValueError, match="double quote"):
        content_line("X-NOTE", "v", [("X-WHERE", 'the "east" room')])


def test_the_same_entries_in_any_order_give_the_same_text() -> None:
    first = write(NOTICE, FILING, PAID)

    assert write(PAID, NOTICE, FILING) == first
    assert write(FILING, PAID, NOTICE) == first
    uids = [line for line in unfold(first) if line.startswith("UID:")]
    assert uids == [f"UID:{FILING.uid}", f"UID:{NOTICE.uid}", f"UID:{PAID.uid}"]


def test_deadlines_due_the_same_day_are_ordered_by_uid() -> None:
    second = FILING.model_copy(update={"uid": "deadline-a@cyrano"})

    uids = [line for line in unfold(write(FILING, second)) if line.startswith("UID:")]

    assert uids == ["UID:deadline-a@cyrano", f"UID:{FILING.uid}"]


def test_an_empty_calendar_is_a_valid_calendar() -> None:
    text = write()

    assert icalendar.Calendar.from_ical(text).walk("VEVENT") == []
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_a_produced_at_in_another_zone_is_stamped_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    text = deadlines_calendar([NOTICE], name="x", produced_at=datetime(2026, 12, 6, 5, 30, tzinfo=paris))

    assert "DTSTAMP:20261206T043000Z" in unfold(text)


@pytest.mark.parametrize("name", ["", "   "])
def test_a_calendar_without_a_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="needs a name"):
        write(NOTICE, name=name)


def test_a_naive_produced_at_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        deadlines_calendar([NOTICE], name="x", produced_at=datetime(2026, 12, 6, 4, 30))


def test_two_deadlines_with_one_uid_are_refused() -> None:
    with pytest.raises(ValueError, match="share the UID"):
        write(NOTICE, FILING.model_copy(update={"uid": NOTICE.uid}))


@pytest.mark.parametrize(
    ("uid", "reason"),
    [
        ("", "empty"),
        ("deadline-é@cyrano", "printable ASCII"),
        ("deadline-\t@cyrano", "printable ASCII"),
        ("d" * 256, "at most 255"),
    ],
)
def test_a_bad_uid_is_refused(uid: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        CalendarEntry(uid=uid, title="t", due=date(2026, 1, 1))


def test_a_uid_of_255_printable_characters_is_accepted() -> None:
    uid = ("d~ " * 85)[:255]

    assert str(read_events(write(CalendarEntry(uid=uid, title="t", due=date(2026, 1, 1))))[uid]["UID"]) == uid


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("title", "  ", "title is empty"),
        ("reminders_days_before", (7, -1), "days before"),
        ("last_modified", datetime(2026, 1, 1), "time zone"),
    ],
)
def test_a_bad_entry_is_refused(field: str, value: object, reason: str) -> None:
    fields: dict[str, object] = {"uid": "u", "title": "t", "due": date(2026, 1, 1), field: value}
    with pytest.raises(ValueError, match=reason):
        CalendarEntry.model_validate(fields)


def test_our_own_export_reads_back_as_all_day_deadlines() -> None:
    entries = [
        CalendarEntry(
            uid="deadline-1@cyrano",
            title="Notice of non-renewal due: Supply Agreement (Acme) — “Schedule 2”",
            due=date(2026, 12, 31),
            description="Clause 14.2, page 7:\n“ninety (90) days’ written notice”; counted back. " * 30,
            matter="Acme Ltd",
        ),
        CalendarEntry(uid="deadline-2@cyrano", title="Invoice 42 payable", due=date(2027, 1, 8), completed=True),
    ]
    text = deadlines_calendar(entries, name="Acme", produced_at=datetime(2026, 12, 6, tzinfo=UTC))

    events = parse_calendar_events(text)

    assert [event.uid for event in events] == ["deadline-1@cyrano", "deadline-2@cyrano"]
    first, second = events
    assert first.summary == entries[0].title
    assert first.description == f"Matter: Acme Ltd\n\n{entries[0].description}"
    assert (first.start, first.end) == (date(2026, 12, 31), date(2027, 1, 1))
    assert (first.location, first.organizer, first.attendees) == (None, None, [])
    assert second.summary == "Done: Invoice 42 payable"
    assert second.description == ""

"""Reading uploaded calendar files: Google- and Outlook-style files, and files that are not calendars.

The two samples are written for these tests in the shape those programs export (zones by TZID with a VTIMEZONE,
UTC times, all-day events, organizers and attendees with display names); they are not copies of real exports.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from cyrano_arkiver.parsing.calendar import CalendarAddress, ParsedEvent, parse_calendar_events

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")

GOOGLE_STYLE = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:Litigation - Acme
X-WR-TIMEZONE:America/New_York
BEGIN:VTIMEZONE
TZID:America/New_York
X-LIC-LOCATION:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20260714T093000
DTEND;TZID=America/New_York:20260714T110000
DTSTAMP:20261201T120000Z
ORGANIZER;CN=Jane Smith:mailto:jane.smith@example.com
UID:7kq3c2m1b0v9x8z7@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Jane Smi
 th;X-NUM-GUESTS=0:mailto:jane.smith@example.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN="Doe
 , John";X-NUM-GUESTS=0:mailto:john.doe@example.org
CREATED:20260601T150000Z
DESCRIPTION:Mediation session.\\nBring the exhibits\\, the timeline and the
  signed NDA.
LOCATION:Suite 400\\, 1 Main Street\\, Springfield
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Mediation – Acme v. Beta
TRANSP:OPAQUE
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261103
DTEND;VALUE=DATE:20261104
DTSTAMP:20261201T120000Z
UID:0a1b2c3d4e5f@google.com
SUMMARY:Discovery cut-off
END:VEVENT
BEGIN:VEVENT
DTSTART:20261110T150000Z
DTEND:20261110T153000Z
DTSTAMP:20261201T120000Z
UID:utc-call@google.com
SUMMARY:Call with opposing counsel
END:VEVENT
BEGIN:VEVENT
DTSTART:20261112T090000
DURATION:PT45M
DTSTAMP:20261201T120000Z
UID:floating@google.com
SUMMARY:Floating reminder
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")

OUTLOOK_STYLE = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-MS-OLK-FORCEINSPECTOROPEN:TRUE
BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16011028T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0100
TZOFFSETTO:-0000
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T010000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:-0000
TZOFFSETTO:+0100
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:Customized Time Zone
BEGIN:STANDARD
DTSTART:16010101T000000
TZOFFSETFROM:+0530
TZOFFSETTO:+0530
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
CLASS:PUBLIC
CREATED:20260301T101500Z
DESCRIPTION:Hearing on the application for summary judgment.\\n\\nCourt 4
 \\, 2nd floor.
DTEND;TZID="GMT Standard Time":20260612T123000
DTSTAMP:20260301T101500Z
DTSTART;TZID="GMT Standard Time":20260612T100000
LAST-MODIFIED:20260301T101500Z
LOCATION:Royal Courts of Justice
ORGANIZER;CN="Clerk, Listing Office":MAILTO:listing@courts.example
PRIORITY:5
SEQUENCE:0
SUMMARY;LANGUAGE=en-gb:Hearing: Acme Ltd v Beta plc
TRANSP:OPAQUE
UID:040000008200E00074C5B7101A82E00800000000D0B4C2A1B2C3D401000000000000000
 010000000A1B2C3D4E5F60718293A4B5C6D7E8F90
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
X-MICROSOFT-CDO-IMPORTANCE:1
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20260620
DTSTAMP:20260301T101500Z
SUMMARY;LANGUAGE=en-gb:Skeleton argument due
UID:040000008200E00074C5B7101A82E00800000000skeleton
X-MICROSOFT-CDO-ALLDAYEVENT:TRUE
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Customized Time Zone:20260615T090000
DTSTAMP:20260301T101500Z
SUMMARY:Call with Mumbai office
UID:custom-zone-event
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


def offset(moment: date | datetime) -> timedelta | None:
    assert isinstance(moment, datetime), "a timed event was read as all-day"
    return moment.utcoffset()


def events_by_uid(text: str) -> dict[str | None, ParsedEvent]:
    return {event.uid: event for event in parse_calendar_events(text)}


def test_a_google_style_file_gives_aware_times_in_its_zone() -> None:
    events = parse_calendar_events(GOOGLE_STYLE)

    mediation = events[0]
    assert mediation.uid == "7kq3c2m1b0v9x8z7@google.com"
    assert mediation.summary == "Mediation – Acme v. Beta"
    assert mediation.description == "Mediation session.\nBring the exhibits, the timeline and the signed NDA."
    assert mediation.location == "Suite 400, 1 Main Street, Springfield"
    assert mediation.start == datetime(2026, 7, 14, 9, 30, tzinfo=NEW_YORK)
    assert offset(mediation.start) == timedelta(hours=-4)
    assert mediation.end == datetime(2026, 7, 14, 15, 0, tzinfo=UTC)
    assert mediation.organizer == CalendarAddress(address="jane.smith@example.com", name="Jane Smith")
    assert mediation.attendees == [
        CalendarAddress(address="jane.smith@example.com", name="Jane Smith"),
        CalendarAddress(address="john.doe@example.org", name="Doe, John"),
    ]


def test_a_google_style_file_keeps_all_day_events_as_dates_and_utc_times_as_utc() -> None:
    events = events_by_uid(GOOGLE_STYLE)

    cut_off = events["0a1b2c3d4e5f@google.com"]
    assert (cut_off.start, cut_off.end) == (date(2026, 11, 3), date(2026, 11, 4))
    assert not isinstance(cut_off.start, datetime)
    call = events["utc-call@google.com"]
    assert call.start == datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    assert offset(call.start) == timedelta(0)


def test_a_floating_time_is_read_in_the_calendars_x_wr_timezone() -> None:
    floating = events_by_uid(GOOGLE_STYLE)["floating@google.com"]

    assert floating.start == datetime(2026, 11, 12, 9, 0, tzinfo=NEW_YORK)
    assert offset(floating.start) == timedelta(hours=-5)
    assert floating.end == datetime(2026, 11, 12, 9, 45, tzinfo=NEW_YORK)


def test_a_floating_time_without_a_calendar_zone_is_read_in_the_zone_given() -> None:
    text = GOOGLE_STYLE.replace("X-WR-TIMEZONE:America/New_York\r\n", "")
    tokyo = timezone(timedelta(hours=9))

    default = events_by_uid(text)["floating@google.com"]
    chosen = {event.uid: event for event in parse_calendar_events(text, floating_timezone=tokyo)}

    assert default.start == datetime(2026, 11, 12, 9, 0, tzinfo=UTC)
    assert chosen["floating@google.com"].start == datetime(2026, 11, 12, 9, 0, tzinfo=tokyo)


def test_an_outlook_style_file_resolves_windows_zone_names_and_file_defined_zones() -> None:
    events = parse_calendar_events(OUTLOOK_STYLE)

    hearing, skeleton, call = events
    assert hearing.uid is not None and hearing.uid.startswith("040000008200E000") and hearing.uid.endswith("8F90")
    assert hearing.summary == "Hearing: Acme Ltd v Beta plc"
    assert hearing.description == "Hearing on the application for summary judgment.\n\nCourt 4, 2nd floor."
    assert hearing.start == datetime(2026, 6, 12, 10, 0, tzinfo=LONDON)
    assert offset(hearing.start) == timedelta(hours=1)
    assert hearing.end == datetime(2026, 6, 12, 11, 30, tzinfo=UTC)
    assert hearing.organizer == CalendarAddress(address="listing@courts.example", name="Clerk, Listing Office")
    assert hearing.location == "Royal Courts of Justice"
    assert call.start == datetime(2026, 6, 15, 3, 30, tzinfo=UTC)
    assert offset(call.start) == timedelta(hours=5, minutes=30)
    assert skeleton.summary == "Skeleton argument due"


def test_a_windows_zone_name_is_resolved_without_the_files_definition() -> None:
    start = OUTLOOK_STYLE.index("BEGIN:VTIMEZONE\r\nTZID:GMT Standard Time")
    end = OUTLOOK_STYLE.index("END:VTIMEZONE\r\n", start) + len("END:VTIMEZONE\r\n")
    text = OUTLOOK_STYLE[:start] + OUTLOOK_STYLE[end:]
    assert "TZID:GMT Standard Time" not in text

    hearing = parse_calendar_events(text)[0]

    assert hearing.start == datetime(2026, 6, 12, 10, 0, tzinfo=LONDON)
    assert offset(hearing.start) == timedelta(hours=1)


def test_a_missing_dtend_follows_rfc_5545() -> None:
    _hearing, skeleton, call = parse_calendar_events(OUTLOOK_STYLE)

    assert (skeleton.start, skeleton.end) == (date(2026, 6, 20), date(2026, 6, 21))
    assert call.end == call.start


def test_a_tzid_nobody_defines_is_read_as_floating() -> None:
    text = OUTLOOK_STYLE.replace("TZID=Customized Time Zone", "TZID=Atlantis Standard Time")

    call = parse_calendar_events(text)[2]

    assert call.start == datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def test_line_feeds_alone_and_a_byte_order_mark_are_tolerated() -> None:
    text = "\ufeff" + OUTLOOK_STYLE.replace("\r\n", "\n")

    assert [event.summary for event in parse_calendar_events(text)] == [
        event.summary for event in parse_calendar_events(OUTLOOK_STYLE)
    ]


def test_every_calendar_in_a_file_of_several_is_read() -> None:
    events = parse_calendar_events(GOOGLE_STYLE + OUTLOOK_STYLE)

    assert len(events) == 7
    assert events[4].summary == "Hearing: Acme Ltd v Beta plc"


def test_an_empty_calendar_has_no_events() -> None:
    assert parse_calendar_events("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n") == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "does not start with BEGIN:VCALENDAR"),
        ("Dear Sir, please find the hearing dates below.", "does not start with BEGIN:VCALENDAR"),
        ("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", "does not start with BEGIN:VCALENDAR"),
        ("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "does not start with BEGIN:VCALENDAR"),
        (GOOGLE_STYLE[: GOOGLE_STYLE.index("END:VEVENT")], "BEGIN:VEVENT on line 26 is never ended"),
        (GOOGLE_STYLE.replace("END:VCALENDAR\r\n", ""), "BEGIN:VCALENDAR on line 1 is never ended"),
        (GOOGLE_STYLE.replace("END:VEVENT", "END:VTODO", 1), "line 44 ends VTODO where END:VEVENT was due"),
        (GOOGLE_STYLE + "END:VEVENT\r\n", "ends VEVENT where nothing more was due"),
        (GOOGLE_STYLE + "BEGIN:VEVENT\r\nEND:VEVENT\r\n", "opens VEVENT outside a VCALENDAR"),
        (GOOGLE_STYLE.replace("SUMMARY:Discovery", "\x00\xff\xfe garbage\r\nSUMMARY:Discovery"), "is not a property"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n:no name\r\nEND:VCALENDAR\r\n", "line 3 is not a property line"),
    ],
)
def test_a_file_that_is_not_a_calendar_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match="^not an iCalendar file: ") as raised:
        parse_calendar_events(text)

    assert reason in str(raised.value)


@pytest.mark.parametrize(
    ("original", "broken"),
    [
        ("X-LIC-LOCATION:America", "X-LIC-LOCATION;N:America"),  # a parameter without a value
        ("DTSTART:19701101T020000", "DTSTART:19701101:020000"),  # a zone's rule starting at no time
        ("DTSTART;VALUE=DATE:20261103", "DTSTART;VALUE=DATE,TEXT:20261103"),  # two value types
    ],
)
def test_a_line_icalendar_cannot_parse_is_refused_without_echoing_it(original: str, broken: str) -> None:
    assert original in GOOGLE_STYLE
    text = GOOGLE_STYLE.replace(original, broken)

    with pytest.raises(ValueError, match="^not an iCalendar file: a line could not be read") as raised:
        parse_calendar_events(text)

    assert broken not in str(raised.value)


def test_a_zone_defined_by_a_rule_without_frequency_is_refused() -> None:
    broken = OUTLOOK_STYLE.replace("TZOFFSETFROM:+0530", "RRULE:BYMONTH=10\r\nTZOFFSETFROM:+0530")
    unseen_name = broken.replace("Customized Time Zone", "Zone Named Only In This Test")

    # A zone name icalendar has not met is built, and fails, while the file is read; one it has met (and cached)
    # fails when this file's own zones are built.
    with pytest.raises(ValueError, match="^not an iCalendar file: a line could not be read"):
        parse_calendar_events(unseen_name)
    parse_calendar_events(OUTLOOK_STYLE)
    with pytest.raises(ValueError, match="^not an iCalendar file: the time zone 'Customized Time Zone' is not"):
        parse_calendar_events(broken)


def test_a_zone_name_defined_by_two_files_means_each_files_own_zone() -> None:
    elsewhere = OUTLOOK_STYLE.replace("+0530", "+0100")

    first = parse_calendar_events(OUTLOOK_STYLE)[2].start
    second = parse_calendar_events(elsewhere)[2].start
    first_again = parse_calendar_events(OUTLOOK_STYLE)[2].start

    assert first == first_again == datetime(2026, 6, 15, 3, 30, tzinfo=UTC)
    assert second == datetime(2026, 6, 15, 8, 0, tzinfo=UTC)


def test_a_known_zone_name_is_read_from_the_zone_database_and_not_the_files_definition() -> None:
    text = GOOGLE_STYLE.replace("TZOFFSETTO:-0400", "TZOFFSETTO:+0900")

    mediation = parse_calendar_events(text)[0]

    assert mediation.start == datetime(2026, 7, 14, 9, 30, tzinfo=NEW_YORK)


def test_an_event_without_a_readable_start_is_refused() -> None:
    missing = GOOGLE_STYLE.replace("DTSTART;VALUE=DATE:20261103\r\n", "")
    broken = GOOGLE_STYLE.replace("DTSTART;VALUE=DATE:20261103", "DTSTART;VALUE=DATE:someday")

    for text in (missing, broken):
        with pytest.raises(ValueError, match="'Discovery cut-off' has no readable start"):
            parse_calendar_events(text)

"""Deadlines as an iCalendar file (RFC 5545) that a practice imports into, or subscribes from, its own calendar.

The text is written here rather than through the icalendar package so that every octet is ours to answer for:
folding, escaping and order are fixed, and the same deadlines always give the same file.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, field_validator

__all__ = ["CalendarEntry", "content_line", "deadlines_calendar", "escape_text"]

PRODUCT_ID = "-//Cyrano//Chronometric//EN"
MAX_UID_LENGTH = 255
# RFC 5545 3.1: a content line is at most 75 octets before its CRLF; a continuation line spends one on its space.
MAX_LINE_OCTETS = 75
CRLF = "\r\n"
# SEQUENCE counts seconds from here, so that it stays within a signed 32-bit integer (some calendars store it so)
# until 2088 while still growing with every later edit.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


class CalendarEntry(BaseModel):
    """One deadline as a calendar shows it: an all-day event on the day it falls due."""

    model_config = ConfigDict(frozen=True)

    uid: str
    """Stable across exports (e.g. ``deadline-<uuid>@cyrano``): a calendar updates the event instead of adding
    a second one."""
    title: str
    due: date
    description: str = ""
    """How the date was computed: the clause quoted, its page."""
    matter: str | None = None
    completed: bool = False
    reminders_days_before: tuple[int, ...] = (7, 1)
    """Display alarms, for open deadlines only."""
    last_modified: datetime | None = None

    @field_validator("uid")
    @classmethod
    def _uid_is_printable_ascii(cls, uid: str) -> str:
        if not uid:
            raise ValueError("the UID is empty")
        if len(uid) > MAX_UID_LENGTH:
            raise ValueError(f"the UID is {len(uid)} characters long; at most {MAX_UID_LENGTH} are allowed")
        if not all(" " <= character <= "~" for character in uid):
            raise ValueError("the UID may hold printable ASCII characters only")
        return uid

    @field_validator("title")
    @classmethod
    def _title_is_not_blank(cls, title: str) -> str:
        if not title.strip():
            raise ValueError("the title is empty")
        return title

    @field_validator("reminders_days_before")
    @classmethod
    def _reminders_are_before_the_day(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        if any(day < 0 for day in days):
            raise ValueError("a reminder is given as a number of days before the deadline, 0 or more")
        return days

    @field_validator("last_modified")
    @classmethod
    def _last_modified_is_aware(cls, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        return _as_utc(moment, "last_modified")


def deadlines_calendar(entries: Sequence[CalendarEntry], *, name: str, produced_at: datetime) -> str:
    """The deadlines as the text of one VCALENDAR, CRLF line endings and folded lines included.

    Events come in order of due date, then UID, so the same entries always give the same text.

    Raises:
        ValueError: the name is empty, ``produced_at`` has no time zone, or two entries share a UID.
    """
    if not name.strip():
        raise ValueError("the calendar needs a name")
    stamp = _as_utc(produced_at, "produced_at")
    ordered = sorted(entries, key=lambda entry: (entry.due, entry.uid))
    shared = [uid for uid, count in Counter(entry.uid for entry in ordered).items() if count > 1]
    if shared:
        raise ValueError(f"two deadlines share the UID {shared[0]!r}; a calendar would keep only one of them")
    lines = [
        content_line("BEGIN", "VCALENDAR"),
        content_line("VERSION", "2.0"),
        content_line("PRODID", PRODUCT_ID),
        content_line("CALSCALE", "GREGORIAN"),
        content_line("METHOD", "PUBLISH"),
        content_line("X-WR-CALNAME", escape_text(name)),
    ]
    for entry in ordered:
        lines.extend(_event_lines(entry, stamp))
    lines.append(content_line("END", "VCALENDAR"))
    return "".join(lines)


def _event_lines(entry: CalendarEntry, stamp: datetime) -> list[str]:
    # A completed deadline stays in the calendar, as the record that it was met: STATUS:CANCELLED would say the
    # deadline was called off, and some calendars hide or strike out cancelled events. So it keeps its day under a
    # "Done: " title, marked TRANSPARENT (it no longer holds the day as busy), and loses its alarms.
    summary = f"Done: {entry.title}" if entry.completed else entry.title
    lines = [
        content_line("BEGIN", "VEVENT"),
        content_line("UID", escape_text(entry.uid)),
        content_line("DTSTAMP", _utc_text(stamp)),
        content_line("DTSTART", _date_text(entry.due), [("VALUE", "DATE")]),
        # All-day events end exclusively: the day after the one they fill.
        content_line("DTEND", _date_text(entry.due + timedelta(days=1)), [("VALUE", "DATE")]),
        content_line("SUMMARY", escape_text(summary)),
    ]
    description = _description(entry)
    if description:
        lines.append(content_line("DESCRIPTION", escape_text(description)))
    if entry.matter:
        lines.append(content_line("CATEGORIES", escape_text(entry.matter)))
    if entry.last_modified is not None:
        lines.append(content_line("LAST-MODIFIED", _utc_text(entry.last_modified)))
        # RFC 5546 orders the revisions of one UID by SEQUENCE, and calendars that follow it keep the copy they
        # hold unless SEQUENCE has grown; counting from the last change makes every later edit win.
        seconds = int((entry.last_modified - SEQUENCE_EPOCH).total_seconds())
        lines.append(content_line("SEQUENCE", str(max(seconds, 0))))
    if entry.completed:
        lines.append(content_line("TRANSP", "TRANSPARENT"))
    else:
        for days in sorted(set(entry.reminders_days_before), reverse=True):
            lines.extend(_alarm_lines(days, summary))
    lines.append(content_line("END", "VEVENT"))
    return lines


def _alarm_lines(days_before: int, summary: str) -> list[str]:
    # A DISPLAY alarm must carry a DESCRIPTION (RFC 5545 3.6.6): the text the reminder shows.
    when = "today" if days_before == 0 else "tomorrow" if days_before == 1 else f"in {days_before} days"
    return [
        content_line("BEGIN", "VALARM"),
        content_line("ACTION", "DISPLAY"),
        content_line("TRIGGER", f"-P{days_before}D"),
        content_line("DESCRIPTION", escape_text(f"Due {when}: {summary}")),
        content_line("END", "VALARM"),
    ]


def _description(entry: CalendarEntry) -> str:
    if entry.matter and entry.description:
        return f"Matter: {entry.matter}\n\n{entry.description}"
    if entry.matter:
        return f"Matter: {entry.matter}"
    return entry.description


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks written as ``\\n``.

    Other control characters are not allowed in TEXT at all; text pasted from a document can hold them (a form
    feed between pages), so they become spaces rather than failing the export.
    """
    unified = value.replace("\r\n", "\n").replace("\r", "\n")
    escaped = unified.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return "".join(" " if _is_disallowed_control(character) else character for character in escaped)


def _is_disallowed_control(character: str) -> bool:
    return (character < " " and character != "\t") or character == "\x7f"


def content_line(name: str, value: str, parameters: Sequence[tuple[str, str]] = ()) -> str:
    """One content line, folded to 75 octets and ended with CRLF; ``value`` must already be escaped for its type.

    A parameter value holding a colon, semicolon or comma is put in double quotes (RFC 5545 3.2); one holding a
    double quote or a control character cannot be written at all.
    """
    written = [name]
    for parameter, parameter_value in parameters:
        if '"' in parameter_value or any(_is_disallowed_control(character) for character in parameter_value):
            raise ValueError(f"the {parameter} parameter cannot hold a double quote or a control character")
        needs_quotes = any(character in parameter_value for character in ":;,")
        written.append(f'{parameter}="{parameter_value}"' if needs_quotes else f"{parameter}={parameter_value}")
    return _fold(";".join(written) + ":" + value)


def _fold(line: str) -> str:
    """The line cut into pieces of at most 75 octets, each continuation opened by one space.

    Cuts fall between characters, never inside a character's UTF-8 bytes, so every piece is valid UTF-8 on its own.
    """
    pieces: list[str] = []
    piece: list[str] = []
    octets = 0
    room = MAX_LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if octets + width > room:
            pieces.append("".join(piece))
            piece, octets, room = [], 0, MAX_LINE_OCTETS - 1
        piece.append(character)
        octets += width
    pieces.append("".join(piece))
    return (CRLF + " ").join(pieces) + CRLF


def _as_utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} needs a time zone (a naive datetime could be any hour of the day)")
    return moment.astimezone(UTC)


def _utc_text(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _date_text(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"

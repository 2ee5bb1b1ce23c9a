"""The events of a calendar file (.ics): what Arkiver files as a document and a chronology places in time.

Real files vary: all-day events (DATE) beside timed ones (DATE-TIME), times in a zone named by TZID (an IANA
name, a Windows name from Outlook, or one defined only by the file's own VTIMEZONE), events without DTEND. Every
timed value comes back aware, so events from different files can be put in one order.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Component, Timezone
from icalendar.prop import vCalAddress
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
from pydantic import BaseModel

__all__ = ["CalendarAddress", "ParsedEvent", "parse_calendar_events"]

# A content line opens with a property name (letters, digits, hyphens) and then its parameters or its value.
_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")
_BEGIN_OR_END = re.compile(r"(BEGIN|END):(.*)", re.IGNORECASE)


class CalendarAddress(BaseModel):
    """An organizer or attendee: the address (``mailto:`` taken off) and the display name when the file gives one."""

    address: str
    name: str | None = None


class ParsedEvent(BaseModel):
    """One VEVENT. ``start`` and ``end`` are both dates (an all-day event, ``end`` exclusive) or aware datetimes."""

    uid: str | None
    summary: str
    description: str
    start: date | datetime
    end: date | datetime
    location: str | None
    organizer: CalendarAddress | None
    attendees: list[CalendarAddress]


def parse_calendar_events(text: str, *, floating_timezone: tzinfo = UTC) -> list[ParsedEvent]:
    """The VEVENTs of every VCALENDAR in ``text``, in the file's order.

    A time without a zone ("floating") is read in the calendar's X-WR-TIMEZONE when it names a known zone (Google
    writes one), else in ``floating_timezone``; so is a time whose TZID neither the file nor the zone database knows.
    Without DTEND the end follows RFC 5545 3.6.1: start plus DURATION, else the next day for an all-day event, else
    the start itself.

    Raises:
        ValueError: the text is not an iCalendar file (its message says why), or an event has no readable start.
    """
    cleaned = text.removeprefix("\ufeff")
    _check_structure(cleaned)
    try:
        calendars = Calendar.from_ical(cleaned, multiple=True)
    except (ValueError, TypeError, AttributeError) as error:
        # icalendar's own message quotes the offending text; ours says what is wrong without echoing the upload.
        # Some malformed values escape it as other errors: a list where one value is due (VALUE=DATE,TEXT) as an
        # AttributeError, a VTIMEZONE rule without FREQ as dateutil's TypeError.
        raise ValueError("not an iCalendar file: a line could not be read as a property") from error
    events: list[ParsedEvent] = []
    for calendar in calendars:
        zones = _Zones(_file_zones(calendar), _calendar_zone(calendar) or floating_timezone)
        events.extend(_event(component, zones) for component in calendar.walk("VEVENT"))
    return events


@dataclass(frozen=True)
class _Zones:
    """How one calendar's times are read: the zones its VTIMEZONEs define, and the zone for floating times."""

    defined: dict[str, tzinfo]
    floating: tzinfo

    def resolve(self, tzid: str) -> tzinfo:
        return _named_zone(tzid) or self.defined.get(tzid) or self.floating


def _file_zones(calendar: Component) -> dict[str, tzinfo]:
    """The zones this file defines under names no zone database knows ("Customized Time Zone").

    icalendar keeps such zones in one cache for the whole process, by name alone: the next file's "Customized Time
    Zone" would get this file's offsets. So each file's zones are built afresh from its own VTIMEZONEs, here.
    """
    zones: dict[str, tzinfo] = {}
    for component in calendar.walk("VTIMEZONE"):
        tzid = str(component.get("TZID", ""))
        if not isinstance(component, Timezone) or not tzid or _named_zone(tzid):
            continue
        try:
            zone = component.to_tz(lookup_tzid=False)
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(f"not an iCalendar file: the time zone {tzid!r} is not defined correctly") from error
        if isinstance(zone, tzinfo):
            zones[tzid] = zone
    return zones


def _named_zone(tzid: str) -> tzinfo | None:
    """The zone an IANA name or a Windows name (Outlook's "GMT Standard Time") stands for, if it stands for one."""
    cleaned = tzid.strip().strip("/")
    for name in (cleaned, WINDOWS_TO_OLSON.get(cleaned)):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return None


def _check_structure(text: str) -> None:
    """Fail with a plain reason when the text is not a calendar, or its BEGIN and END lines do not pair up."""
    lines = _unfolded_lines(text)
    if not lines or lines[0][1].upper() != "BEGIN:VCALENDAR":
        raise ValueError("not an iCalendar file: it does not start with BEGIN:VCALENDAR")
    open_components: list[tuple[int, str]] = []
    for number, line in lines:
        if not _CONTENT_LINE.match(line):
            raise ValueError(f"not an iCalendar file: line {number} is not a property line")
        marker = _BEGIN_OR_END.fullmatch(line)
        if marker is None:
            continue
        kind, component = marker.group(1).upper(), marker.group(2).strip().upper()
        if kind == "BEGIN":
            if not open_components and component != "VCALENDAR":
                raise ValueError(f"not an iCalendar file: line {number} opens {component} outside a VCALENDAR")
            open_components.append((number, component))
        elif not open_components or open_components[-1][1] != component:
            expected = f"END:{open_components[-1][1]}" if open_components else "nothing more"
            raise ValueError(f"not an iCalendar file: line {number} ends {component} where {expected} was due")
        else:
            open_components.pop()
    if open_components:
        number, component = open_components[-1]
        raise ValueError(
            f"not an iCalendar file: BEGIN:{component} on line {number} is never ended (is the file cut short?)"
        )


def _unfolded_lines(text: str) -> list[tuple[int, str]]:
    """The non-empty logical lines with the number of the physical line each starts on."""
    lines: list[tuple[int, str]] = []
    for number, physical in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if physical[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + physical[1:])
        elif physical.strip():
            lines.append((number, physical))
    return lines


def _calendar_zone(calendar: Component) -> tzinfo | None:
    name = calendar.get("X-WR-TIMEZONE")
    if name is None:
        return None
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _event(event: Component, zones: _Zones) -> ParsedEvent:
    uid = _text(event, "UID")
    summary = _text(event, "SUMMARY") or ""
    start = _moment(event, "DTSTART", zones)
    if start is None:
        raise ValueError(f"the event {summary or uid or '(untitled)'!r} has no readable start (DTSTART)")
    return ParsedEvent(
        uid=uid,
        summary=summary,
        description=_text(event, "DESCRIPTION") or "",
        start=start,
        end=_end(event, start, zones),
        location=_text(event, "LOCATION"),
        organizer=_address(event.get("ORGANIZER")),
        attendees=[address for value in _as_list(event.get("ATTENDEE")) if (address := _address(value))],
    )


def _end(event: Component, start: date | datetime, zones: _Zones) -> date | datetime:
    end = _moment(event, "DTEND", zones)
    if end is not None:
        return end
    duration = _decoded(event, "DURATION")
    if isinstance(duration, timedelta):
        return start + duration
    if isinstance(start, datetime):
        return start
    return start + timedelta(days=1)


def _moment(event: Component, name: str, zones: _Zones) -> date | datetime | None:
    value = _decoded(event, name)
    if isinstance(value, datetime):
        tzid = event[name].params.get("TZID")
        if tzid:
            # The wall time as written, read in the zone this file means (see _file_zones for why not icalendar's).
            return value.replace(tzinfo=zones.resolve(str(tzid)))
        return value if value.tzinfo is not None else value.replace(tzinfo=zones.floating)
    if isinstance(value, date):
        return value
    return None


def _decoded(event: Component, name: str) -> object:
    if name not in event:
        return None
    try:
        decoded: object = event.decoded(name)
    except (ValueError, TypeError, KeyError):
        # icalendar keeps a property it could not parse as a "broken" value; decoding it fails.
        return None
    return decoded


def _text(event: Component, name: str) -> str | None:
    value = event.get(name)
    return None if value is None else str(value)


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _address(value: object) -> CalendarAddress | None:
    if not isinstance(value, vCalAddress):
        return None
    address = str(value)
    if address[:7].lower() == "mailto:":
        address = address[7:]
    name = value.params.get("CN")
    return CalendarAddress(address=address, name=str(name) if name else None)

"""Chronometric's time service: entries recorded, listed, changed, deleted and exported; days short of hours;
likely double entries; work profiles. Imports are `importer.py`'s."""

import datetime as dt

from cyrano_chronometric.answer_fit import PAGE_CHARS, cursor_after, fit_items
from cyrano_chronometric.docket import caller
from cyrano_chronometric.time.csv_io import write_time_csv
from cyrano_chronometric.time.duplicates import LikelyDouble, TimedWork, likely_doubles
from cyrano_chronometric.time.entries import EntryStore, NewEntry, Scope
from cyrano_chronometric.time.gaps import find_gaps
from cyrano_chronometric.time.models import (
    EVERYONE,
    DuplicatePair,
    DuplicatesAnswer,
    DuplicatesRequest,
    Entry,
    EntryBrief,
    EntryCreate,
    EntryDelete,
    EntryDeleted,
    EntryList,
    EntryListRequest,
    EntryUpdate,
    ExportAnswer,
    ExportRequest,
    GapDay,
    GapsAnswer,
    GapsRequest,
    WorkProfile,
    WorkProfileSet,
    tenths_of,
)
from cyrano_chronometric.time.profiles import ProfileStore, profile_of
from cyrano_chronometric.work_calendar import calendar_for
from cyrano_mcp.kit import InvalidInputError, arguments_fingerprint, issue_cursor, page_offset

DEFAULT_DAYS = 30
MAX_ANALYSIS_DAYS = 366
EXPORT_CHARS = 6_000
_EXPORT_ROWS = 200
_BRIEF_CHARS = 160
_OTHER_ARGUMENTS = "cursor: it was given for other arguments; give the same ones, or start without it"


class TimeService:
    def __init__(self, store: EntryStore, profiles: ProfileStore, max_window_days: int) -> None:
        self._store = store
        self._profiles = profiles
        self._max_window_days = max_window_days

    async def create(self, request: EntryCreate) -> Entry:
        new = NewEntry(
            timekeeper(request.user), request.matter_id, request.date, tenths_of(request.hours), request.narrative,
            request.billable, "manual",
        )  # fmt: skip
        (row,) = await self._store.add([new])
        return await self._store.view(row)

    async def update(self, request: EntryUpdate) -> Entry:
        given = request.model_fields_set - {"entry_id", "narrative"}
        if not given and request.narrative is None:
            raise InvalidInputError("give at least one field to change")
        renamed = {"date": "day", "hours": "tenths", "user": "username"}
        changes: dict[str, object] = {}
        for name in given:
            value = getattr(request, name)
            if value is None:
                raise InvalidInputError(f"{name}: give a value (it cannot be cleared)")
            if name == "user":
                value = timekeeper(value)
            changes[renamed.get(name, name)] = tenths_of(value) if name == "hours" else value
        row = await self._store.change(request.entry_id, changes, request.narrative)
        return await self._store.view(row)

    async def delete(self, request: EntryDelete) -> EntryDeleted:
        return EntryDeleted(entry_id=request.entry_id, deleted=await self._store.remove(request.entry_id))

    async def list_entries(self, request: EntryListRequest) -> EntryList:
        scope = Scope(*self._period(request.start, request.end, self._max_window_days), _whose(request.user),
                      request.matter_id, request.billable)  # fmt: skip
        bound = arguments_fingerprint(scope, request.limit)
        offset = page_offset(request.cursor, bound, _OTHER_ARGUMENTS)
        rows, total, tenths, billable = await self._store.page(scope, offset, request.limit + 1)
        shown = fit_items([await self._store.view(row) for row in rows[: request.limit]], PAGE_CHARS, request.limit)
        return EntryList(
            start=scope.start, end=scope.end, entries=shown, total=total, hours=tenths / 10,
            billable_hours=billable / 10, next_cursor=cursor_after(len(shown), len(rows), offset, bound),
        )  # fmt: skip

    async def export(self, request: ExportRequest) -> ExportAnswer:
        scope = Scope(*self._period(request.start, request.end, self._max_window_days), _whose(request.user),
                      request.matter_id)  # fmt: skip
        bound = arguments_fingerprint(scope, "csv")
        offset = page_offset(request.cursor, bound, _OTHER_ARGUMENTS)
        rows, total, _, _ = await self._store.page(scope, offset, _EXPORT_ROWS)
        lines: list[tuple[dt.date, str, str, int, bool, str]] = []
        for row in rows:
            line = (row.day, row.username, row.matter_id, row.tenths, row.billable, await self._store.narrative(row))
            if lines and len(write_time_csv([*lines, line])) > EXPORT_CHARS:
                break
            lines.append(line)
        end = offset + len(lines)
        return ExportAnswer(
            csv=write_time_csv(lines), rows=len(lines), total=total,
            next_cursor=issue_cursor({"offset": end}, bound) if end < total else None,
        )  # fmt: skip

    async def set_profile(self, request: WorkProfileSet) -> WorkProfile:
        return await self._profiles.set(timekeeper(request.user), request)

    async def gaps(self, request: GapsRequest) -> GapsAnswer:
        user = timekeeper(request.user)
        start, end = self._period(request.start, request.end, MAX_ANALYSIS_DAYS)
        end = min(end, dt.date.today())
        profile = await self._profiles.get(user)
        calendar = calendar_for(profile.jurisdiction)
        report = find_gaps(start, end, profile_of(profile), calendar, await self._store.tenths_by_day(user, start, end))
        bound = arguments_fingerprint(user, start, end, request.limit)
        offset = page_offset(request.cursor, bound, _OTHER_ARGUMENTS)
        page = report.short[offset : offset + request.limit]
        return GapsAnswer(
            user=user, start=start, end=end, jurisdiction=calendar.jurisdiction, minimum_hours=profile.minimum_hours,
            working_days=report.working_days, days_short=len(report.short),
            shortfall_hours=sum(item.short_tenths for item in report.short) / 10,
            gaps=[GapDay(date=item.day, recorded=item.recorded_tenths / 10, expected=item.expected_tenths / 10,
                         shortfall=item.short_tenths / 10) for item in page],
            next_cursor=cursor_after(len(page), len(report.short) - offset, offset, bound),
        )  # fmt: skip

    async def duplicates(self, request: DuplicatesRequest) -> DuplicatesAnswer:
        start, end = self._period(request.start, request.end, MAX_ANALYSIS_DAYS)
        scope = Scope(start, end, None if request.matter_id and request.user is None else _whose(request.user),
                      request.matter_id)  # fmt: skip
        rows = await self._store.all_of(scope)
        work = [
            TimedWork(row.id, row.username, row.matter_id, row.day, row.tenths, await self._store.narrative(row))
            for row in rows
        ]
        pairs = likely_doubles(work)
        bound = arguments_fingerprint(scope, request.limit)
        offset = page_offset(request.cursor, bound, _OTHER_ARGUMENTS)
        shown = fit_items([_pair(pair) for pair in pairs[offset : offset + request.limit]], PAGE_CHARS, request.limit)
        return DuplicatesAnswer(
            start=start, end=end, entries_read=len(rows), pairs=shown, total=len(pairs),
            next_cursor=cursor_after(len(shown), len(pairs) - offset, offset, bound),
        )  # fmt: skip

    @staticmethod
    def _period(start: dt.date | None, end: dt.date | None, most_days: int) -> tuple[dt.date, dt.date]:
        return period_of(start, end, most_days)


def period_of(start: dt.date | None, end: dt.date | None, most_days: int) -> tuple[dt.date, dt.date]:
    """The days asked (default the last 30 to today), refused when reversed or longer than `most_days`."""
    end = end or dt.date.today()
    start = start or end - dt.timedelta(days=min(DEFAULT_DAYS, most_days) - 1)
    if end < start:
        raise InvalidInputError("end: it is before start")
    if (end - start).days + 1 > most_days:
        raise InvalidInputError(f"end: the period spans {(end - start).days + 1:,} days; at most {most_days:,}")
    return start, end


def timekeeper(given: str | None) -> str:
    """The timekeeper named, or the caller."""
    if given == EVERYONE:
        raise InvalidInputError('user: "*" (everyone) is for listings; name one timekeeper')
    user = given or caller()
    if user is None:
        raise InvalidInputError("user: name the timekeeper")
    return user


def _whose(given: str | None) -> str | None:
    """The timekeeper a listing reads, None for everyone ("*")."""
    return None if given == EVERYONE else timekeeper(given)


def _pair(pair: LikelyDouble) -> DuplicatePair:
    return DuplicatePair(
        user=pair.first.user, matter_id=pair.first.matter_id, first=_brief(pair.first), second=_brief(pair.second),
        score=pair.score, reason=pair.reason,
    )  # fmt: skip


def _brief(work: TimedWork) -> EntryBrief:
    return EntryBrief(id=work.id, date=work.day, hours=work.tenths / 10, narrative=work.narrative[:_BRIEF_CHARS])

"""Each timekeeper's work profile: the hours a working day should hold, their working weekdays, whose holidays
they keep, and their leave days. A timekeeper without one works Monday to Friday, the engine's jurisdiction, for
CYRANO_CHRONOMETRIC_MINIMUM_HOURS a day."""

import datetime as dt
import json

from cyrano_chronometric.docket import caller
from cyrano_chronometric.time.gaps import Profile
from cyrano_chronometric.time.models import WEEKDAYS, Weekday, WorkProfile, WorkProfileSet, tenths_of
from cyrano_chronometric.time.tables import WorkProfileRow
from cyrano_chronometric.work_calendar import calendar_for
from cyrano_mcp.kit import Database, InvalidInputError, utc_now

_WORKWEEK: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")


class ProfileStore:
    def __init__(self, database: Database, minimum_hours: float, jurisdiction: str, timezone: str) -> None:
        self._database = database
        self._minimum_tenths = tenths_of(minimum_hours)
        self._jurisdiction = jurisdiction
        self._timezone = timezone

    async def get(self, user: str) -> WorkProfile:
        async with self._database.session() as session:
            row = await session.get(WorkProfileRow, user)
        if row is None:
            return WorkProfile(
                user=user, minimum_hours=self._minimum_tenths / 10, working_weekdays=list(_WORKWEEK),
                jurisdiction=self._jurisdiction, leave_days=[], emails=[], timezone=self._timezone,
            )  # fmt: skip
        return _view(row, self._jurisdiction, self._timezone)

    async def set(self, user: str, request: WorkProfileSet) -> WorkProfile:
        current = await self.get(user)
        jurisdiction = request.jurisdiction.upper() if request.jurisdiction else current.jurisdiction
        try:
            calendar_for(jurisdiction)
        except ValueError as error:
            raise InvalidInputError(f"jurisdiction: {error}") from None
        leave = set(current.leave_days if request.leave_days is None else request.leave_days)
        leave |= set(request.add_leave_days)
        emails = current.emails if request.emails is None else sorted(set(request.emails))
        weekdays = current.working_weekdays if request.working_weekdays is None else request.working_weekdays
        row = WorkProfileRow(
            username=user,
            minimum_tenths=tenths_of(request.minimum_hours or current.minimum_hours),
            weekdays=",".join(day for day in WEEKDAYS if day in set(weekdays)),
            jurisdiction=None if jurisdiction == self._jurisdiction else jurisdiction,
            leave_days=json.dumps(sorted(day.isoformat() for day in leave)),
            emails=json.dumps(emails) if emails else None,
            timezone=None
            if (request.timezone or current.timezone) == self._timezone
            else request.timezone or current.timezone,
            updated_at=utc_now(),
            updated_by=caller(),
        )
        async with self._database.transaction() as session:
            await session.merge(row)
        return _view(row, self._jurisdiction, self._timezone)


def _view(row: WorkProfileRow, jurisdiction: str, timezone: str) -> WorkProfile:
    return WorkProfile(
        user=row.username,
        minimum_hours=row.minimum_tenths / 10,
        working_weekdays=[day for day in WEEKDAYS if day in row.weekdays.split(",")],
        jurisdiction=row.jurisdiction or jurisdiction,
        leave_days=[dt.date.fromisoformat(day) for day in json.loads(row.leave_days)],
        emails=json.loads(row.emails) if row.emails else [],
        timezone=row.timezone or timezone,
    )


def profile_of(profile: WorkProfile) -> Profile:
    return Profile(
        minimum_tenths=tenths_of(profile.minimum_hours),
        weekdays=frozenset(profile.working_weekdays),
        leave=frozenset(profile.leave_days),
    )

"""The evidence of a timekeeper's work over some days, gathered as the caller may read it.

E-mails are read through Arkiver's `arkiver_messages` (so only what the caller may read), one open matter at a
time; completed deadlines from Chronometric's own docket. Each timed piece falls on the day its moment has in the
timekeeper's zone: an e-mail sent at 23:30 in New York is work of that day, not of the next one in UTC.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cyrano_arkiver.api import MESSAGES, MessagesRequest
from cyrano_chronometric.docket import Docket
from cyrano_chronometric.time.reconstruction import Evidence, completed_deadline, message_evidence
from cyrano_mcp.kit import OperationCaller

EvidenceByDay = dict[dt.date, dict[str, list[Evidence]]]


@dataclass(frozen=True)
class LocalDays:
    """Days from `first` to `last` (inclusive) in `zone`."""

    first: dt.date
    last: dt.date
    zone: ZoneInfo

    def utc_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The instants the days begin and end, in UTC: [begin, end)."""
        begin = dt.datetime.combine(self.first, dt.time(), self.zone)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), self.zone)
        return begin.astimezone(dt.UTC), end.astimezone(dt.UTC)

    def day_of(self, moment: dt.datetime) -> dt.date | None:
        """The local day of an instant when it falls within the days, else None."""
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
        day = aware.astimezone(self.zone).date()
        return day if self.first <= day <= self.last else None


@dataclass(frozen=True)
class EvidenceSources:
    operations: OperationCaller
    docket: Docket


async def gather(
    sources: EvidenceSources, user: str, addresses: frozenset[str], days: LocalDays, matter_ids: Sequence[str]
) -> EvidenceByDay:
    """Every piece of evidence of `user`'s work on the matters over the days, by day and matter."""
    found: EvidenceByDay = defaultdict(lambda: defaultdict(list))
    begin, end = days.utc_bounds()
    wanted = set(matter_ids)
    if addresses:
        for matter_id in matter_ids:
            for item in await _matter_mail(sources.operations, matter_id, addresses, begin, end):
                _place(found, days, matter_id, item)
    for row, title in await sources.docket.completed_by(user, begin, end):
        if row.matter_id in wanted:
            _place(found, days, row.matter_id, completed_deadline(row.id, row.updated_at, title))
    return found


def _place(found: EvidenceByDay, days: LocalDays, matter_id: str, item: Evidence) -> None:
    day = days.day_of(item.when)
    if day is not None:
        found[day][matter_id].append(item)


async def _matter_mail(
    operations: OperationCaller, matter_id: str, addresses: frozenset[str], begin: dt.datetime, end: dt.datetime
) -> list[Evidence]:
    """The matter's e-mails sent within [begin, end) that were the user's work."""
    found: list[Evidence] = []
    cursor: str | None = None
    while True:
        request = MessagesRequest(matter_id=matter_id, since=begin.date(), until=end.date(), limit=100, cursor=cursor)
        listed = await operations.run(MESSAGES, request)
        for message in listed.items:
            evidence = message_evidence(message, addresses)
            if evidence is not None:
                found.append(evidence)
        cursor = listed.next_cursor
        if cursor is None:
            return found

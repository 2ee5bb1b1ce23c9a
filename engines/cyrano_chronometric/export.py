"""The docket as a calendar file (.ics): a matter's deadlines, or the firm's, for Outlook or Google Calendar.

Each deadline keeps its id as the event's UID, so importing the file again updates events instead of adding
copies. Proposed deadlines are left out: only what a lawyer docketed goes on the calendar.
"""

from cyrano_chronometric.docket import Docket
from cyrano_chronometric.ics import CalendarEntry, deadlines_calendar
from cyrano_chronometric.models import Deadline, ExportAnswer, ExportRequest
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import utc_now

CALENDAR_URI = "cyrano://chronometric/deadlines/{scope}.ics"  # scope: "firm", or a matter's id
FIRM = "firm"
_INLINE_CHARS = 6_000


class CalendarExport:
    def __init__(self, docket: Docket, matters: MattersReader, reminders: tuple[int, ...]) -> None:
        self._docket = docket
        self._matters = matters
        self._reminders = reminders

    async def export(self, request: ExportRequest) -> ExportAnswer:
        text, deadlines = await self._calendar(request.matter_id, include_done=request.include_done)
        uri = CALENDAR_URI.format(scope=request.matter_id or FIRM)
        return ExportAnswer(
            uri=uri,
            events=len(deadlines),
            first_due=deadlines[0].due if deadlines else None,
            last_due=deadlines[-1].due if deadlines else None,
            ics=text if len(text) <= _INLINE_CHARS else None,
        )

    async def calendar_file(self, scope: str) -> str:
        """The .ics text of the firm's docket (scope "firm") or a matter's (its id)."""
        return (await self._calendar(None if scope == FIRM else scope, include_done=False))[0]

    async def _calendar(self, matter_id: str | None, *, include_done: bool) -> tuple[str, list[Deadline]]:
        name = "Cyrano deadlines"
        if matter_id is not None:
            name = f"Deadlines: {(await self._matters.find(matter_id)).title}"
        rows = await self._docket.matter_rows(matter_id, ("open", "completed") if include_done else ("open",))
        titles: dict[str, str] = {}
        deadlines: list[Deadline] = []
        for row in rows:
            if row.matter_id not in titles:
                titles[row.matter_id] = (await self._matters.find(row.matter_id)).title
            deadlines.append(await self._docket.view(row, titles[row.matter_id]))
        entries = [self._entry(deadline) for deadline in deadlines]
        return deadlines_calendar(entries, name=name, produced_at=utc_now()), deadlines

    def _entry(self, deadline: Deadline) -> CalendarEntry:
        lines = [line for line in (deadline.how, deadline.caution, deadline.note) if line]
        lines += [f'p. {quote.page}: "{quote.quote}"' for quote in deadline.evidence]
        return CalendarEntry(
            uid=f"deadline-{deadline.id}@cyrano",
            title=deadline.title,
            due=deadline.due,
            description="\n".join(lines),
            matter=deadline.matter,
            completed=deadline.status == "completed",
            reminders_days_before=self._reminders,
            last_modified=None,
        )

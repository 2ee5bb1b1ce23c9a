"""Chronometric's deadline service: one deadline counted, a matter's deadlines read from its documents and
docketed, deadlines added by hand or by a rule, completed, and listed firm-wide.

Documents are read through Arkiver's tools as the caller, so a matter's deadlines hold only what the caller may
read; the docket itself is Chronometric's own table.
"""

import datetime as dt
from collections.abc import Callable

from cyrano_chronometric.answer_fit import PAGE_CHARS, cursor_after, fit_items, fit_page
from cyrano_chronometric.counting import Computation, Period, compute
from cyrano_chronometric.docket import Docket, NewDeadline, Window
from cyrano_chronometric.document_deadlines import Conditional, deadlines_of
from cyrano_chronometric.documents import DocumentRef, all_insights, matter_documents, one_document
from cyrano_chronometric.models import (
    Computed,
    ComputeRequest,
    ConditionalDeadline,
    CountedDay,
    Deadline,
    DeadlineAddRequest,
    DeadlineCompleteRequest,
    DeadlineList,
    DeadlineListRequest,
    DeadlinesAnswer,
    DeadlinesRequest,
)
from cyrano_chronometric.rules import RuleBook
from cyrano_chronometric.settings import ChronometricSettings
from cyrano_chronometric.work_calendar import WorkCalendar, calendar_for
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import InvalidInputError, OperationCaller, arguments_fingerprint, page_offset

_CONDITIONAL_SHOWN = 10
_CONDITIONAL_CHARS = 2_000  # of the answer's room, at most this for limits running from undated events
_DEFAULT_LIST_DAYS = 14


class DeadlineService:
    def __init__(
        self,
        operations: OperationCaller,
        matters: MattersReader,
        docket: Docket,
        rules: RuleBook,
        settings: ChronometricSettings,
    ) -> None:
        self._operations = operations
        self._matters = matters
        self._docket = docket
        self._rules = rules
        self._settings = settings

    # --- one deadline ------------------------------------------------------------------------------------------
    async def compute(self, request: ComputeRequest) -> Computed:
        calendar = self._calendar(request.jurisdiction)
        counted = _count(
            lambda: compute(
                request.trigger, Period(count=request.count, unit=request.unit), method=request.method,
                direction=request.direction, calendar=calendar, service_by_mail=request.service_by_mail,
            )
        )  # fmt: skip
        return computed_view(counted)

    # --- a matter's or a document's deadlines ------------------------------------------------------------------
    async def deadlines(self, request: DeadlinesRequest) -> DeadlinesAnswer:
        start = request.start or dt.date.today()
        end = request.end or start + dt.timedelta(days=365)
        self._check_window(start, end)
        matter_id, documents = await self._documents(request)
        calendar = self._calendar(None)
        conditional: list[tuple[Conditional, str]] = []
        for document in documents:
            insights = await all_insights(self._operations, document.id, ["dates", "term", "obligations"])
            found = deadlines_of(document.id, document.name, insights, as_of=start, calendar=calendar)
            await self._docket.propose(matter_id, document.id, found.proposals)
            conditional += [(item, document.id) for item in found.conditional]
        bound = arguments_fingerprint(matter_id, request.document_id or "", start, end)
        offset = page_offset(request.cursor, bound, "cursor: it was given for another matter, document or period")
        window = Window(start, end, ("proposed", "open", "completed"), matter_id, request.document_id)
        rows, total, _ = await self._docket.page(window, offset, request.limit + 1)
        title = (await self._matters.find(matter_id)).title
        undated = [_conditional(*pair) for pair in conditional] if offset == 0 else []
        listed = fit_items(undated, _CONDITIONAL_CHARS, _CONDITIONAL_SHOWN)
        room = PAGE_CHARS - sum(len(item.model_dump_json(exclude_none=True)) for item in listed)
        shown = fit_page([await self._docket.view(row, title) for row in rows[: request.limit]], room)
        _, proposed, _ = await self._docket.page(
            Window(start, end, ("proposed",), matter_id, request.document_id), 0, 1
        )
        return DeadlinesAnswer(
            matter_id=matter_id,
            start=start,
            end=end,
            documents_read=len(documents),
            deadlines=shown,
            proposed=proposed,
            total=total,
            conditional=listed,
            conditional_total=len(conditional),
            next_cursor=cursor_after(len(shown), len(rows), offset, bound),
        )

    async def _documents(self, request: DeadlinesRequest) -> tuple[str, list[DocumentRef]]:
        if request.document_id is not None:
            document = await one_document(self._operations, request.document_id)
            if document.matter_id is None:
                raise InvalidInputError(
                    "document_id: the document belongs to no matter, and deadlines are docketed per matter; "
                    "file it in a matter first (arkiver_ingest with matter_id)"
                )
            return document.matter_id, [document]
        assert request.matter_id is not None  # the request's validator asks for one of the two
        await self._matters.find(request.matter_id)  # not_found before any document is read
        return request.matter_id, await matter_documents(self._operations, request.matter_id)

    # --- the docket ------------------------------------------------------------------------------------------
    async def add(self, request: DeadlineAddRequest) -> Deadline:
        if request.deadline_id is not None:
            return await self._docket.set_status(request.deadline_id, "open", request.note, only_from="proposed")
        assert request.matter_id is not None  # the request's validator asks for it
        await self._matters.ensure_open(request.matter_id)
        if request.due is not None:
            assert request.title is not None
            new = NewDeadline(request.matter_id, request.title, request.due, "manual", "manual", note=request.note)
            return await self._docket.add(new)
        assert request.trigger is not None and request.rule is not None
        rule = await self._rules.rule(request.rule)
        counted = _count(
            lambda: compute(
                request.trigger, Period(count=rule.count, unit=rule.unit), method=rule.method,  # type: ignore[arg-type]
                direction=rule.direction, calendar=self._calendar(rule.jurisdiction),
            )
        )  # fmt: skip
        new = NewDeadline(
            request.matter_id, request.title or rule.title, counted.due, "court_rule", "rule", trigger=request.trigger,
            how=f"{rule.name}: {counted.explanation}"[:500], note=request.note,
        )  # fmt: skip
        return await self._docket.add(new)

    async def complete(self, request: DeadlineCompleteRequest) -> Deadline:
        return await self._docket.set_status(request.deadline_id, request.status, request.note)

    async def list_deadlines(self, request: DeadlineListRequest) -> DeadlineList:
        today = dt.date.today()
        start = request.start or today
        end = request.end or (start + dt.timedelta(days=request.within_days or _DEFAULT_LIST_DAYS))
        self._check_window(start, end)
        statuses = sorted(set(request.status))
        bound = arguments_fingerprint(start, end, request.matter_id or "", ",".join(statuses), request.overdue)
        offset = page_offset(request.cursor, bound, "cursor: it was given for another period or filter")
        overdue_before = min(start, today) if request.overdue and "open" in statuses else None
        window = Window(start, end, statuses, request.matter_id, overdue_before=overdue_before)
        rows, total, overdue = await self._docket.page(window, offset, request.limit + 1)
        titles: dict[str, str] = {}
        views = []
        for row in rows[: request.limit]:
            if row.matter_id not in titles:
                titles[row.matter_id] = (await self._matters.find(row.matter_id)).title
            views.append(await self._docket.view(row, titles[row.matter_id]))
        shown = fit_page(views)
        return DeadlineList(
            start=start, end=end, deadlines=shown, overdue=overdue, total=total,
            next_cursor=cursor_after(len(shown), len(rows), offset, bound),
        )  # fmt: skip

    def _check_window(self, start: dt.date, end: dt.date) -> None:
        if end < start:
            raise InvalidInputError("end: it is before start")
        if (end - start).days > self._settings.chronometric_max_window_days:
            raise InvalidInputError(
                f"end: the period spans {(end - start).days:,} days; at most "
                f"{self._settings.chronometric_max_window_days:,} (CYRANO_CHRONOMETRIC_MAX_WINDOW_DAYS)"
            )

    def _calendar(self, jurisdiction: str | None) -> WorkCalendar:
        try:
            return calendar_for(jurisdiction or self._settings.chronometric_jurisdiction)
        except ValueError as error:
            raise InvalidInputError(f"jurisdiction: {error}") from None


def _count(counting: Callable[[], Computation]) -> Computation:
    try:
        return counting()
    except ValueError as error:
        raise InvalidInputError(str(error)) from None


def computed_view(counted: Computation) -> Computed:
    period = counted.period
    return Computed(
        due=counted.due,
        trigger=counted.trigger,
        period=f"{period.count} {period.unit}{'' if period.count == 1 else 's'} {counted.direction}",
        method=counted.method,
        jurisdiction=counted.jurisdiction,
        explanation=counted.explanation,
        steps=[CountedDay(day=step.day, what=step.what, note=step.note) for step in counted.steps],
    )


def _conditional(item: Conditional, document_id: str) -> ConditionalDeadline:
    return ConditionalDeadline(
        document_id=document_id, obligor=item.obligor, limit=item.limit, page=item.page, quote=item.quote
    )

"""The archive of model answers: `potemkin_record`, `potemkin_import` and `potemkin_records`.

Each answer is one row; what was asked, what was answered and the topic are sealed before they are written and
opened only to answer a tool. An imported export is stored in one unit of work: all its answers or none. An
answer already archived (same model, same time, same words) is not stored twice, so an export can be imported
again after it grew.
"""

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_mcp.kit import (
    Database,
    InvalidInputError,
    NotFoundError,
    TooLargeError,
    arguments_fingerprint,
    next_page_cursor,
    page_offset,
    utc_now,
)
from cyrano_potemkin.archive_models import (
    ArchivedRecord,
    Imported,
    ImportRequest,
    RecordRef,
    RecordRequest,
    Records,
    RecordsRequest,
    RecordSummary,
)
from cyrano_potemkin.archive_seals import ArchiveSeals
from cyrano_potemkin.archive_tables import ArchivedAnswer
from cyrano_potemkin.exports import ExportedAnswer, read_export
from cyrano_potemkin.settings import PotemkinSettings

_PREVIEW_PROMPT = 120
_PREVIEW_OUTPUT = 240
_IMPORT_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Answer:
    """An archived answer, opened (or about to be stored)."""

    id: str
    model: str
    prompt: str
    output: str
    topic: str | None
    answered_at: datetime
    source: str
    probe_id: str | None = None
    variant: str | None = None


def new_id() -> str:
    return str(uuid.uuid4())


class Archive:
    def __init__(self, database: Database, seals: ArchiveSeals, settings: PotemkinSettings) -> None:
        self._database = database
        self._seals = seals
        self._settings = settings

    # --- tools ------------------------------------------------------------------------------------
    async def record(self, request: RecordRequest) -> RecordSummary:
        answer = Answer(
            id=new_id(),
            model=request.model,
            prompt=request.prompt or "",
            output=request.output,
            topic=request.topic,
            answered_at=request.answered_at or utc_now(),
            source=request.source,
        )
        async with self._database.transaction() as session:
            row = await self._row(answer)
            session.add(row)
        return summary_of(answer)

    async def import_export(self, request: ImportRequest) -> Imported:
        text = _export_text(request.content, self._settings.potemkin_max_import_bytes)
        chosen, exported = read_export(text, request.format)
        now = utc_now()
        answers = [_new_answer(item, request, chosen, now) for item in exported]
        stored: list[Answer] = []
        async with self._database.transaction() as session:
            for answer in answers:
                if await self._archived(session, answer) or any(_same(answer, kept) for kept in stored):
                    continue
                session.add(await self._row(answer))
                stored.append(answer)
        return Imported(
            format=chosen,
            recorded=len(stored),
            already_archived=len(answers) - len(stored),
            models=sorted({answer.model for answer in stored}),
            first=[summary_of(answer) for answer in stored[:_IMPORT_SHOWN]],
        )

    async def records(self, request: RecordsRequest) -> Records:
        bound = arguments_fingerprint(
            request.model or "",
            request.topic or "",
            request.probe_id or "",
            request.since or "",
            request.until or "",
        )
        offset = page_offset(request.cursor, bound, "cursor: it was given for other filters")
        async with self._database.session() as session:
            filters = await self._filters(session, request.model, request.topic, request.since, request.until)
            if request.probe_id is not None:
                filters.append(col(ArchivedAnswer.probe_id) == request.probe_id)
            statement = (
                select(ArchivedAnswer)
                .where(*filters)
                .order_by(col(ArchivedAnswer.answered_at).desc(), col(ArchivedAnswer.id).desc())
                .offset(offset)
                .limit(request.limit + 1)
            )
            rows = list((await session.exec(statement)).all())
        page = [summary_of(await self.open(row)) for row in rows[: request.limit]]
        return Records(items=page, next_cursor=next_page_cursor(len(rows), request.limit, offset, bound))

    async def record_in_full(self, request: RecordRef) -> ArchivedRecord:
        async with self._database.session() as session:
            row = await session.get(ArchivedAnswer, request.record_id)
        if row is None:
            raise NotFoundError(f"no archived answer has id {request.record_id}")
        return ArchivedRecord(**asdict(await self.open(row)))

    # --- for probes, drift and bias -------------------------------------------------------------------
    async def store(self, answers: Sequence[Answer]) -> None:
        """Store answers in one unit of work; one whose id is already stored is left as it is (a job item rerun)."""
        async with self._database.transaction() as session:
            for answer in answers:
                if await session.get(ArchivedAnswer, answer.id) is None:
                    session.add(await self._row(answer))

    async def answers(
        self,
        *,
        model: str | None = None,
        topic: str | None = None,
        probe_ids: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Answer]:
        """The archived answers that match, oldest first, opened; at most potemkin_max_compared_answers."""
        limit = self._settings.potemkin_max_compared_answers
        async with self._database.session() as session:
            filters = await self._filters(session, model, topic, since, until)
            if probe_ids is not None:
                filters.append(col(ArchivedAnswer.probe_id).in_(list(probe_ids)))
            statement = (
                select(ArchivedAnswer)
                .where(*filters)
                .order_by(col(ArchivedAnswer.answered_at), col(ArchivedAnswer.id))
                .limit(limit + 1)
            )
            rows = list((await session.exec(statement)).all())
        if len(rows) > limit:
            raise TooLargeError(
                f"more than {limit:,} archived answers match; narrow the period, the model or the topic"
            )
        return [await self.open(row) for row in rows]

    async def open(self, row: ArchivedAnswer) -> Answer:
        return Answer(
            id=row.id,
            model=row.model,
            prompt=await self._seals.prompt.open(row.id, row.prompt),
            output=await self._seals.output.open(row.id, row.output),
            topic=await self._seals.topic.open(row.id, row.topic),
            answered_at=row.answered_at,
            source=row.source,
            probe_id=row.probe_id,
            variant=row.variant,
        )

    # --- rows -----------------------------------------------------------------------------------------
    async def _row(self, answer: Answer) -> ArchivedAnswer:
        return ArchivedAnswer(
            id=answer.id,
            model=answer.model,
            source=answer.source,
            answered_at=answer.answered_at,
            created_at=utc_now(),
            probe_id=answer.probe_id,
            variant=answer.variant,
            prompt=await self._seals.prompt.seal(answer.id, answer.prompt),
            output=await self._seals.output.seal(answer.id, answer.output),
            **await self._seals.topic.store(answer.id, answer.topic),
        )

    async def _filters(
        self,
        session: AsyncSession,
        model: str | None,
        topic: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> list[sa.ColumnElement[bool]]:
        filters: list[sa.ColumnElement[bool]] = []
        if model is not None:
            filters.append(col(ArchivedAnswer.model) == model)
        if topic is not None:
            filters.append(await self._seals.topic.matching(session, topic))
        if since is not None:
            filters.append(col(ArchivedAnswer.answered_at) >= since)
        if until is not None:
            filters.append(col(ArchivedAnswer.answered_at) < until)
        return filters

    async def _archived(self, session: AsyncSession, answer: Answer) -> bool:
        """Is this answer already archived: same model and time (in clear), then the same words (opened)?"""
        statement = select(ArchivedAnswer).where(
            col(ArchivedAnswer.model) == answer.model, col(ArchivedAnswer.answered_at) == answer.answered_at
        )
        for row in (await session.exec(statement)).all():
            opened = await self.open(row)
            if opened.prompt == answer.prompt and opened.output == answer.output:
                return True
        return False


def summary_of(answer: Answer) -> RecordSummary:
    shortened = {"prompt": preview(answer.prompt, _PREVIEW_PROMPT), "output": preview(answer.output, _PREVIEW_OUTPUT)}
    return RecordSummary(**{**asdict(answer), **shortened})


def preview(text: str, chars: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[: chars - 1].rstrip() + "…"


def _same(first: Answer, second: Answer) -> bool:
    return (first.model, first.answered_at, first.prompt, first.output) == (
        second.model,
        second.answered_at,
        second.prompt,
        second.output,
    )


def _new_answer(item: ExportedAnswer, request: ImportRequest, chosen: str, now: datetime) -> Answer:
    return Answer(
        id=new_id(),
        model=(item.model or request.model or ("chatgpt" if chosen == "chatgpt" else "claude"))[:120],
        prompt=item.prompt[:20_000],
        output=item.output,
        topic=(request.topic or item.conversation or None) and (request.topic or item.conversation or "")[:200],
        answered_at=item.answered_at or now,
        source=f"{chosen}-export",
    )


def _export_text(content: str, limit: int) -> str:
    """The export's JSON text: as given, or decoded from base64."""
    stripped = content.strip()
    if stripped[:1] in ("[", "{"):
        text = stripped
    else:
        try:
            raw = base64.b64decode(stripped, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInputError("content: neither JSON text nor base64") from None
        if len(raw) > limit:
            raise TooLargeError(f"content: {len(raw):,} bytes; potemkin_import takes at most {limit:,}")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInputError("content: the decoded bytes are not UTF-8 text") from None
    if len(text.encode()) > limit:
        raise TooLargeError(f"content: more than {limit:,} bytes; potemkin_import takes at most {limit:,}")
    return text

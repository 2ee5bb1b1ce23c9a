"""`arkiver_clauses`: the clause review grid of a document or of every document of a matter.

Clauses are detected at ingest and stored with the insights. A document stored before detection existed, or
judged by an older classifier, is (re)detected when a review first needs it: at most DETECT_PER_CALL documents per
call, the answer saying how many are left.
"""

import functools
from collections.abc import Sequence

import anyio.to_thread
from sqlalchemy import func
from sqlmodel import col, select

from cyrano_arkiver.clause_answers import (
    RESERVE,
    Row,
    decode_cursor,
    document_rows,
    encode_cursor,
    fingerprint,
    fit_rows,
    grid_row,
)
from cyrano_arkiver.clause_rows import KIND, clauses_to_rows
from cyrano_arkiver.clause_store import load_clauses, replace_detected
from cyrano_arkiver.clause_views import ClauseReview, ClausesRequest
from cyrano_arkiver.clauses import MODEL_VERSION
from cyrano_arkiver.clauses.categories import CATEGORY_KEYS
from cyrano_arkiver.clauses.review import review_clauses
from cyrano_arkiver.insight_service import InsightService, load_document
from cyrano_arkiver.models import Document, Insight
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import Database, SealedColumnIndex, SealedField

DETECT_PER_CALL = 100


class ClauseService:
    def __init__(
        self,
        *,
        database: Database,
        insights: InsightService,
        insight_data: SealedField,
        filename: SealedColumnIndex,
        matters: MattersReader,
    ) -> None:
        self._database = database
        self._insights = insights
        self._data = insight_data
        self._filename = filename
        self._matters = matters

    async def clauses(self, request: ClausesRequest) -> ClauseReview:
        columns = [key for key in CATEGORY_KEYS if request.categories is None or key in request.categories]
        if request.document_id is not None:
            return await self._document_review(request, columns)
        return await self._matter_review(request, columns)

    async def _document_review(self, request: ClausesRequest, columns: list[str]) -> ClauseReview:
        assert request.document_id is not None
        async with self._database.session() as session:
            document = await load_document(session, request.document_id)
        await self.detect([document])
        async with self._database.session() as session:
            stored = (await load_clauses(session, self._data, [document.id]))[document.id]
        present = sum(clause.category in columns for clause in stored)
        review = ClauseReview(
            scope="document",
            matter_id=document.matter_id,
            model_version=MODEL_VERSION,
            columns=columns if request.categories else None,
            summary={"present": present, "absent": len(columns) - present},
            documents_total=1,
            documents=[],
            next_cursor=None,
            more=None,
        )
        row = Row(document.id, await self._filename.open(document.id, document.filename), stored)
        answer, position = document_rows(row, columns, request, len(review.model_dump_json()))
        review.documents = [answer]
        if position is not None:
            review.next_cursor = encode_cursor(position, fingerprint(request))
            review.more = (
                f"This answer: {len(answer.present)} of the {present} present categories. For the rest call "
                "arkiver_clauses again with cursor=next_cursor and the same arguments; categories narrows, "
                "quotes=false shortens."
            )
        return review

    async def _matter_review(self, request: ClausesRequest, columns: list[str]) -> ClauseReview:
        assert request.matter_id is not None
        await self._matters.find(request.matter_id)  # not_found for an unknown matter
        offset = decode_cursor(request.cursor, fingerprint(request)) if request.cursor else 0
        in_matter = col(Document.matter_id) == request.matter_id
        async with self._database.session() as session:
            stale = (
                await session.exec(
                    select(Document)
                    .where(
                        in_matter,
                        (col(Document.clauses_version).is_(None)) | (Document.clauses_version != MODEL_VERSION),
                    )
                    .limit(DETECT_PER_CALL + 1)
                )
            ).all()
        await self.detect(stale[:DETECT_PER_CALL])
        left = len(stale) - DETECT_PER_CALL
        async with self._database.session() as session:
            total = (await session.exec(select(func.count()).select_from(Document).where(in_matter))).one()
            counted = (
                await session.exec(
                    select(Insight.subkind, func.count(func.distinct(Insight.document_id)))
                    .join(Document, col(Document.id) == Insight.document_id)
                    .where(in_matter, Insight.kind == KIND, col(Insight.subkind).in_(columns))
                    .group_by(col(Insight.subkind))
                )
            ).all()
            documents = (
                await session.exec(
                    select(Document)
                    .where(in_matter)
                    .order_by(col(Document.created_at).desc(), col(Document.id))
                    .offset(offset)
                    .limit(request.limit)
                )
            ).all()
            stored = await load_clauses(session, self._data, [document.id for document in documents])
        counts = {key: count for key, count in counted if key is not None}
        summary = {key: counts.get(key, 0) for key in sorted(columns, key=lambda key: -counts.get(key, 0))}
        rows = [
            grid_row(
                Row(document.id, await self._filename.open(document.id, document.filename), stored[document.id]),
                columns,
                request,
            )
            for document in documents
        ]
        head = ClauseReview(
            scope="matter",
            matter_id=request.matter_id,
            model_version=MODEL_VERSION,
            columns=columns if request.categories else None,
            summary=summary,
            documents_total=total,
            documents=[],
            next_cursor=None,
            more=None,
        )
        kept = fit_rows(rows, len(head.model_dump_json()) + RESERVE)
        end = offset + len(kept)
        head.documents = kept
        if end < total:
            head.next_cursor = encode_cursor(end, fingerprint(request))
            head.more = (
                f"This answer: documents {offset + 1}-{end} of {total}. For the rest call arkiver_clauses again with "
                "cursor=next_cursor and the same arguments; fewer categories or quotes=false fit more per answer."
            )
        if left > 0:
            note = f"{left}+ documents stored before clause detection are not judged yet: call again to judge them."
            head.more = f"{head.more} {note}" if head.more else note
        return head

    async def detect(self, documents: Sequence[Document]) -> None:
        """Judge the documents not judged by the current classifier, and store what it found."""
        for document in documents:
            if document.clauses_version == MODEL_VERSION:
                continue
            pages = await self._insights.page_texts(document.id)
            insights = await self._insights.load(document.id, None)
            found = await anyio.to_thread.run_sync(functools.partial(review_clauses, pages, insights))
            rows = await self._insights.sealed(clauses_to_rows(document.id, found))
            async with self._database.transaction() as session:
                current = await load_document(session, document.id, for_update=True)
                if current.clauses_version == MODEL_VERSION:  # another call judged it meanwhile
                    continue
                await replace_detected(session, document.id, rows)
                current.clauses_version = MODEL_VERSION
                session.add(current)

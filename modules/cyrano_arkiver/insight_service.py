"""Arkiver's insights once stored: read a page of them (`arkiver_insights`), add a model's grounded proposals
(`arkiver_refine`), and the rows behind both, sealed."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_arkiver.assist import SYSTEM_PROMPT, Proposals, clause_request, excerpt, merge
from cyrano_arkiver.clause_rows import KIND as CLAUSES
from cyrano_arkiver.clause_rows import clauses_to_rows
from cyrano_arkiver.clauses.categories import CATEGORY_KEYS
from cyrano_arkiver.clauses.review import INSIGHT_CATEGORIES
from cyrano_arkiver.extraction.models import Insights
from cyrano_arkiver.insight_pages import KINDS, Selection, insights_answer
from cyrano_arkiver.insight_rows import insights_to_rows, rows_to_insights
from cyrano_arkiver.insight_views import DocumentInsights
from cyrano_arkiver.models import Document, DocumentPage, DocumentRef, Insight, InsightsRequest, RefineResult
from cyrano_mcp.kit import RULES, Database, LLMError, LLMRequest, Message, ModelGateway, NotFoundError, SealedField


async def load_document(session: AsyncSession, document_id: str, *, for_update: bool = False) -> Document:
    statement = select(Document).where(Document.id == document_id)
    if for_update:
        statement = statement.with_for_update()
    document = (await session.exec(statement)).first()
    if document is None:
        raise NotFoundError(f"no document has id {document_id}")
    return document


class InsightService:
    def __init__(
        self,
        *,
        database: Database,
        llm: ModelGateway,
        page_text: SealedField,
        insight_quote: SealedField,
        insight_data: SealedField,
    ) -> None:
        self._database = database
        self._llm = llm
        self._page_text = page_text
        self._quote = insight_quote
        self._data = insight_data

    async def insights(self, request: InsightsRequest) -> DocumentInsights:
        kinds = Selection.of(request).stored_kinds()
        everything = set(kinds) >= set(KINDS)
        async with self._database.session() as session:  # one session: each round trip costs under load
            document = await load_document(session, request.document_id)
            rows = await _rows(session, document.id, None if everything else kinds)
            if everything:
                counts = _tally((kind, subkind, 1) for _, kind, subkind, _ in rows)
            else:
                statement = (
                    select(Insight.kind, Insight.subkind, func.count())
                    .where(Insight.document_id == document.id, Insight.kind != CLAUSES)
                    .group_by(col(Insight.kind), col(Insight.subkind))
                )
                counts = _tally((await session.exec(statement)).all())
        return insights_answer(
            document_id=document.id,
            method=document.insights_method,
            insights=await self._opened(rows),
            counts=counts,
            request=request,
        )

    async def refine(self, request: DocumentRef) -> RefineResult:
        """Ask the model for what the rules may have missed; store only grounded, new items; say what changed."""
        document = await self._document(request.document_id)
        pages = await self.page_texts(document.id)
        rules = await self.load(document.id, None)
        absent = await self._absent_clauses(document.id)
        llm_request = LLMRequest(
            system=SYSTEM_PROMPT,
            messages=(Message.user(f"{clause_request(absent)}Contract text:\n\n{excerpt(pages)}"),),
            max_tokens=2048,
        )
        try:
            completion = await self._llm.complete(llm_request, Proposals)
        except LLMError as exc:
            return RefineResult(
                document_id=document.id,
                method=document.insights_method,
                model=RULES,
                kept=[],
                dropped=[],
                redacted=False,
                fallback_reason=exc.message,
            )
        outcome = merge(rules, completion.output, pages, absent)
        method = document.insights_method
        if outcome.kept:
            stored_rows = insights_to_rows(document.id, rules)
            known = {row["data"] for row in stored_rows}
            # Numbered after every stored row, so the new refs are unused.
            merged = insights_to_rows(document.id, outcome.insights, first=len(stored_rows))
            added = [row for row in merged if row["data"] not in known] + clauses_to_rows(document.id, outcome.clauses)
            added = await self.sealed(added)
            async with self._database.transaction() as session:
                await session.exec(insert(Insight), params=added)
                stored = await load_document(session, document.id, for_update=True)
                stored.insights_method = method = f"{RULES}+{completion.method}"[:64]
                session.add(stored)
        return RefineResult(
            document_id=document.id,
            method=method,
            model=completion.method,
            kept=outcome.kept,
            dropped=outcome.rejected,
            redacted=completion.redacted,
        )

    async def _absent_clauses(self, document_id: str) -> list[str]:
        """The clause categories a model is asked about: those not stored for the document, other than the ones
        the parties, dates and law proposals cover."""
        async with self._database.session() as session:
            stored = set(
                (
                    await session.exec(
                        select(Insight.subkind).where(Insight.document_id == document_id, col(Insight.kind) == CLAUSES)
                    )
                ).all()
            )
        return [key for key in CATEGORY_KEYS if key not in stored and key not in INSIGHT_CATEGORIES]

    async def load(self, document_id: str, kinds: Sequence[str] | None) -> Insights:
        async with self._database.session() as session:
            rows = await _rows(session, document_id, kinds)
        return await self._opened(rows)

    async def _opened(self, rows: Sequence[tuple[str, str, str | None, str]]) -> Insights:
        opened = [(kind, subkind, await self._data.open(ref, data)) for ref, kind, subkind, data in rows]
        return rows_to_insights(opened)

    async def sealed(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Insight rows with their quote and data sealed, ready to insert."""
        for row in rows:
            row["quote"] = await self._quote.seal(row["ref"], row["quote"])
            row["data"] = await self._data.seal(row["ref"], row["data"])
        return rows

    async def page_texts(self, document_id: str) -> list[str]:
        """The text of every page of a document, in page order, opened."""
        async with self._database.session() as session:
            rows = (
                await session.exec(
                    select(DocumentPage.ref, DocumentPage.text)
                    .where(DocumentPage.document_id == document_id)
                    .order_by(col(DocumentPage.page_no))
                )
            ).all()
        return [await self._page_text.open(ref, text) for ref, text in rows]

    async def _document(self, document_id: str) -> Document:
        async with self._database.session() as session:
            return await load_document(session, document_id)


async def _rows(
    session: AsyncSession, document_id: str, kinds: Sequence[str] | None
) -> Sequence[tuple[str, str, str | None, str]]:
    """(ref, kind, subkind, sealed data) of a document's insights of `kinds` (all when None), in stored order."""
    statement = select(Insight.ref, Insight.kind, Insight.subkind, Insight.data).where(
        Insight.document_id == document_id
    )
    # Without kinds: every kind but the clause review, which arkiver_clauses shows.
    statement = statement.where(col(Insight.kind).in_(kinds) if kinds else col(Insight.kind) != CLAUSES)
    return (await session.exec(statement.order_by(col(Insight.id)))).all()


def _tally(groups: Iterable[tuple[str, str | None, int]]) -> dict[str, int]:
    """Counts per kind, and per kind of date (`dates.effective`), from (kind, subkind, count) groups."""
    counts = dict.fromkeys(KINDS, 0)
    for kind, subkind, count in groups:
        counts[kind] = counts.get(kind, 0) + count
        if kind == "dates" and subkind:
            counts[f"dates.{subkind}"] = counts.get(f"dates.{subkind}", 0) + count
    return counts

"""One parsed document made ready to store (insights, clauses, search tokens; all outside any transaction),
then written inside the caller's unit of work: its row, sealed pages, blind index entries and insights."""

import functools
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import anyio.to_thread
from sqlalchemy import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_arkiver.clause_rows import clauses_to_rows
from cyrano_arkiver.clauses import MODEL_VERSION
from cyrano_arkiver.clauses.review import StoredClause, read_contract
from cyrano_arkiver.extraction.models import Insights
from cyrano_arkiver.insight_rows import insights_to_rows
from cyrano_arkiver.insight_service import InsightService
from cyrano_arkiver.models import Document, DocumentPage, Insight
from cyrano_arkiver.page_index import keyed
from cyrano_arkiver.parsing import ParsedDocument, ParseLimits, parse_document
from cyrano_arkiver.search import PageEntry, index_pages
from cyrano_arkiver.search_service import PageSearch
from cyrano_mcp.kit import RULES, Database, SealedColumnIndex, SealedField, TokenKey, utc_now


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """Everything about a document that can be worked out before the transaction that stores it."""

    document: Document
    filename: str | None
    parsed: ParsedDocument
    insights: Insights
    clauses: list[StoredClause]
    page_tokens: list[str]
    search_key: TokenKey

    def insight_counts(self) -> dict[str, int]:
        return self.insights.counts() | {"clauses": len(self.clauses)}


def dedup_key(matter_id: str | None, data: bytes) -> str:
    """One copy of the same content per matter (documents outside any matter share the key "-")."""
    return f"{matter_id or '-'}:{hashlib.sha256(data).hexdigest()}"


class DocumentWriter:
    def __init__(
        self,
        *,
        database: Database,
        page_text: SealedField,
        filename: SealedColumnIndex,
        search: PageSearch,
        insights: InsightService,
        limits: ParseLimits,
    ) -> None:
        self._database = database
        self._page_text = page_text
        self._filename = filename
        self._search = search
        self._insights = insights
        self.limits = limits

    async def find(self, key: str, session: AsyncSession | None = None) -> Document | None:
        """The document already stored under a dedup key (in `session` when given), if any."""
        statement = select(Document).where(Document.dedup_key == key)
        if session is not None:
            return (await session.exec(statement)).first()
        async with self._database.session() as own:
            return (await own.exec(statement)).first()

    async def parse(
        self, data: bytes, filename: str | None, progress: Callable[[int, int], None] | None = None
    ) -> ParsedDocument:
        """Blocking work, in a worker thread."""
        read = functools.partial(parse_document, data, filename=filename, limits=self.limits, progress=progress)
        return await anyio.to_thread.run_sync(read)

    async def prepare(
        self, parsed: ParsedDocument, *, data: bytes, filename: str | None, matter_id: str | None
    ) -> PreparedDocument:
        insights, clauses = await anyio.to_thread.run_sync(read_contract, parsed.pages)
        search_key = await self._search.current_key()
        page_tokens = await keyed([(body, search_key) for body in parsed.pages])
        document_id = str(uuid.uuid4())
        document = Document(
            id=document_id,
            matter_id=matter_id,
            **await self._filename.store(document_id, filename),
            format=parsed.format,
            sha256=parsed.sha256,
            dedup_key=dedup_key(matter_id, data),
            size_bytes=len(data),
            page_count=parsed.page_count,
            char_count=parsed.char_count,
            method=parsed.method,
            insights_method=RULES,
            created_at=utc_now(),
            clauses_version=MODEL_VERSION,
        )
        return PreparedDocument(document, filename, parsed, insights, clauses, page_tokens, search_key)

    async def store(self, session: AsyncSession, prepared: PreparedDocument) -> None:
        """Write the document, its sealed pages, their blind index entries and its insights in `session`."""
        document, parsed, search_key = prepared.document, prepared.parsed, prepared.search_key
        session.add(document)
        await session.flush()
        page_rows = [
            {
                "ref": f"{document.id}:{number}",
                "document_id": document.id,
                "page_no": number,
                "method": method,
                "char_count": len(body),
                "text": await self._page_text.seal(f"{document.id}:{number}", body),
                "search_key_version": search_key.version if tokens else None,
            }
            for number, (body, method, tokens) in enumerate(
                zip(parsed.pages, parsed.page_methods, prepared.page_tokens, strict=True), 1
            )
        ]
        await session.exec(insert(DocumentPage), params=page_rows)
        stored = await session.exec(
            select(DocumentPage.id, DocumentPage.page_no).where(DocumentPage.document_id == document.id)
        )
        page_ids = {page_no: page_id for page_id, page_no in stored if page_id is not None}
        await index_pages(
            session,
            self._database.kind,
            [PageEntry(page_ids[number], tokens) for number, tokens in enumerate(prepared.page_tokens, 1)],
        )
        insight_rows = await self._insights.sealed(
            insights_to_rows(document.id, prepared.insights) + clauses_to_rows(document.id, prepared.clauses)
        )
        if insight_rows:
            await session.exec(insert(Insight), params=insight_rows)

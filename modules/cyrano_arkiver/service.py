"""Arkiver's service: ingest a document in one unit of work, then read, list and delete what was stored."""

import base64
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.from_thread
import anyio.to_thread
from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_arkiver.clause_store import clause_filters, count_clauses
from cyrano_arkiver.document_writer import DocumentWriter, PreparedDocument, dedup_key
from cyrano_arkiver.insight_service import InsightService, load_document
from cyrano_arkiver.mail_ingest import MailIngest
from cyrano_arkiver.message_models import SkippedAttachment
from cyrano_arkiver.message_store import forget_message, links_of
from cyrano_arkiver.metrics import record_ingested
from cyrano_arkiver.models import (
    DeleteResult,
    Document,
    DocumentListRequest,
    DocumentPage,
    DocumentPageList,
    DocumentRecord,
    DocumentRef,
    DocumentText,
    IngestRequest,
    IngestResult,
    Insight,
    PageRangeRequest,
    PageText,
)
from cyrano_arkiver.page_index import keyed
from cyrano_arkiver.parsing import read_allowed_file
from cyrano_arkiver.roots import readable_roots
from cyrano_arkiver.search import PageEntry, unindex_pages
from cyrano_arkiver.search_service import PageSearch
from cyrano_arkiver.settings import ArkiverSettings
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import (
    Database,
    InvalidInputError,
    SealedColumnIndex,
    SealedField,
    TooLargeError,
    current_call,
)


@dataclass(frozen=True, slots=True)
class Seals:
    """Arkiver's encrypted columns (key type `documents`): page text, each insight's quote and data, the
    document's file name, which has a blind index beside it for `arkiver_list_documents`' filter, an e-mail's
    envelope (its headers) and the name an attachment had in its message."""

    page_text: SealedField
    insight_quote: SealedField
    insight_data: SealedField
    filename: SealedColumnIndex
    message_envelope: SealedField
    link_filename: SealedField


# A default read gives pages of up to this much text (at least one page): with the JSON around it, under 8,000.
READ_CHARS = 6_500


class ArkiverService:
    def __init__(
        self,
        *,
        database: Database,
        settings: ArkiverSettings,
        matters: MattersReader,
        insights: InsightService,
        seals: Seals,
        search: PageSearch,
        writer: DocumentWriter,
        mail: MailIngest,
    ) -> None:
        self._database = database
        self._seals = seals
        self._search = search
        self._insights = insights
        self._settings = settings
        self._matters = matters
        self._writer = writer
        self._mail = mail

    # --- ingest -------------------------------------------------------------------------------------
    async def ingest(self, request: IngestRequest) -> IngestResult:
        """A path is read under the configured roots or, for the local stdio user, the client's roots."""
        return await self.ingest_under(request, roots=None)

    async def ingest_under(self, request: IngestRequest, *, roots: Sequence[Path] | None) -> IngestResult:
        """`roots`: where a path may be read, as settled when a batch was submitted (None: as for `ingest`)."""
        data, filename = await self._read_source(request, roots)
        existing = await self._writer.find(dedup_key(request.matter_id, data))
        if existing is not None:
            return await self._duplicate_result(existing)
        parsed = await self._writer.parse(data, filename, _thread_progress_reporter())
        if parsed.mail is not None:
            stored = await self._mail.ingest(parsed, data=data, filename=filename, matter_id=request.matter_id)
            if stored.duplicate_of is not None:
                return await self._duplicate_result(stored.duplicate_of)
            return await self._ingested(stored.message, stored.skipped)
        prepared = await self._writer.prepare(parsed, data=data, filename=filename, matter_id=request.matter_id)
        async with self._database.transaction() as session:
            if request.matter_id is not None:
                await self._matters.ensure_open(request.matter_id, session=session)
            # A concurrent ingest of the same content may have won since the check above.
            raced = await self._writer.find(prepared.document.dedup_key, session)
            if raced is None:
                await self._writer.store(session, prepared)
        if raced is not None:
            return await self._duplicate_result(raced)
        return await self._ingested(prepared, [])

    async def _ingested(self, prepared: PreparedDocument, skipped: list[SkippedAttachment]) -> IngestResult:
        document = prepared.document
        record_ingested(document.format, pages=document.page_count)
        return IngestResult(
            document=await self._record(document),
            duplicate=False,
            insight_counts=prepared.insight_counts(),
            skipped_attachments=skipped or None,
        )

    async def _read_source(self, request: IngestRequest, roots: Sequence[Path] | None) -> tuple[bytes, str | None]:
        limit = self._writer.limits.max_bytes
        if request.text is not None:
            data = request.text.encode("utf-8")
            filename = request.filename
        elif request.content_base64 is not None:
            if len(request.content_base64) * 3 // 4 > limit + 3:
                raise TooLargeError(_too_large(limit))
            data = base64.b64decode(request.content_base64)
            filename = request.filename
        else:
            assert request.path is not None
            if roots is None:
                roots = await readable_roots([request.path], self._settings.allowed_roots)
            read = functools.partial(
                read_allowed_file,
                request.path,
                roots,
                limit=limit,
                allow_hardlinks=self._settings.allow_hardlinks,
            )
            data = await anyio.to_thread.run_sync(read)
            filename = request.filename or Path(request.path).name
        if len(data) > limit:
            raise TooLargeError(_too_large(limit))
        return data, filename

    async def _duplicate_result(self, document: Document) -> IngestResult:
        insights = await self._insights.load(document.id, None)
        async with self._database.session() as session:
            clauses = await count_clauses(session, document.id)
        return IngestResult(
            document=await self._record(document),
            duplicate=True,
            insight_counts=insights.counts() | {"clauses": clauses},
        )

    # --- reading ------------------------------------------------------------------------------------
    async def read_document(self, request: PageRangeRequest) -> DocumentText:
        async with self._database.session() as session:
            document = await load_document(session, request.document_id)
            if request.first_page > document.page_count:
                raise InvalidInputError(
                    f"first_page {request.first_page} is past the last page ({document.page_count})"
                )
            last = request.last_page or await self._pages_that_fit(session, document.id, request.first_page)
            pages = (
                await session.exec(
                    select(DocumentPage)
                    .where(DocumentPage.document_id == document.id)
                    .where(col(DocumentPage.page_no) >= request.first_page)
                    .where(col(DocumentPage.page_no) <= last)
                    .order_by(col(DocumentPage.page_no))
                )
            ).all()
        return DocumentText(
            document=await self._record(document),
            pages=[
                PageText(
                    page=page.page_no, method=page.method, text=await self._seals.page_text.open(page.ref, page.text)
                )
                for page in pages
            ],
            next_page=last + 1 if last < document.page_count else None,
        )

    @staticmethod
    async def _pages_that_fit(session: AsyncSession, document_id: str, first_page: int) -> int:
        """The last page of a range from `first_page` whose text fits READ_CHARS (at least `first_page` itself)."""
        sizes = await session.exec(
            select(DocumentPage.page_no, DocumentPage.char_count)
            .where(DocumentPage.document_id == document_id)
            .where(col(DocumentPage.page_no) >= first_page)
            .order_by(col(DocumentPage.page_no))
        )
        last, total = first_page, 0
        for page_no, char_count in sizes:
            total += char_count
            if total > READ_CHARS and page_no > first_page:
                break
            last = page_no
        return last

    async def list_documents(self, request: DocumentListRequest) -> DocumentPageList:
        filters = []
        if request.matter_id is not None:
            filters.append(col(Document.matter_id) == request.matter_id)
        if request.format is not None:
            filters.append(col(Document.format) == request.format.lower())
        filters += clause_filters(request.has_clauses or [], request.lacks_clauses or [])
        async with self._database.session() as session:
            if request.filename is not None:  # sealed: found through its blind index
                filters.append(await self._seals.filename.matching(session, request.filename))
            total = (await session.exec(select(func.count()).select_from(Document).where(*filters))).one()
            rows = (
                await session.exec(
                    select(Document)
                    .where(*filters)
                    .order_by(col(Document.created_at).desc(), col(Document.id))
                    .offset(request.offset)
                    .limit(request.limit)
                )
            ).all()
        end = request.offset + len(rows)
        return DocumentPageList(items=await self._records(rows), total=total, next_offset=end if end < total else None)

    # --- deleting -----------------------------------------------------------------------------------
    async def delete(self, request: DocumentRef) -> DeleteResult:
        document_id = request.document_id
        async with self._database.transaction() as session:
            document = await load_document(session, document_id, for_update=True)
            pages = (
                await session.exec(
                    select(DocumentPage.id, DocumentPage.ref, DocumentPage.text, DocumentPage.search_key_version).where(
                        DocumentPage.document_id == document.id
                    )
                )
            ).all()
            # A contentless index forgets a page only when told the tokens it indexed: recompute them.
            indexed = [
                (page_id or 0, await self._seals.page_text.open(ref, sealed), await self._search.key(version))
                for page_id, ref, sealed, version in pages
                if version is not None
            ]
            tokens = await keyed([(body, key) for _, body, key in indexed])
            entries = [
                PageEntry(page_id, page_tokens) for (page_id, _, _), page_tokens in zip(indexed, tokens, strict=True)
            ]
            await unindex_pages(session, self._database.kind, entries)
            insight_count = (
                await session.exec(select(func.count()).select_from(Insight).where(Insight.document_id == document.id))
            ).one()
            await session.exec(delete(Insight).where(col(Insight.document_id) == document.id))
            await forget_message(session, document.id)  # its attachments stay, documents of their own
            await session.exec(delete(DocumentPage).where(col(DocumentPage.document_id) == document.id))
            await session.delete(document)
        return DeleteResult(document_id=document_id, deleted_pages=len(pages), deleted_insights=insight_count)

    # --- helpers ------------------------------------------------------------------------------------
    async def _record(self, document: Document) -> DocumentRecord:
        return (await self._records([document]))[0]

    async def _records(self, documents: Sequence[Document]) -> list[DocumentRecord]:
        async with self._database.session() as session:
            links = await links_of(session, [document.id for document in documents])
        return [
            DocumentRecord.of(
                document,
                filename=await self._seals.filename.open(document.id, document.filename),
                attachments=links.attachments.get(document.id),
                attached_to=links.attached_to.get(document.id),
            )
            for document in documents
        ]


def _too_large(limit: int) -> str:
    return f"the document is larger than the limit of {limit / 1_000_000:g} MB (CYRANO_MAX_DOCUMENT_BYTES)"


def _thread_progress_reporter() -> Callable[[int, int], None] | None:
    """Progress from the parsing thread, sent as MCP progress notifications on the event loop."""
    call = current_call()
    if call is None:
        return None

    def report(done: int, total: int) -> None:
        anyio.from_thread.run(call.report_progress, float(done), float(total), f"page {done} of {total}")

    return report

"""Arkiver's full-text search: ranked pages with snippets, over the blind page index and every key version it holds."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_arkiver.models import Document, DocumentPage, SearchHit, SearchRequest, SearchResults
from cyrano_arkiver.search import PageMatch, index_versions, match_pages
from cyrano_arkiver.snippets import snippet
from cyrano_arkiver.terms import query_phrases
from cyrano_mcp.kit import (
    BlindIndex,
    Database,
    InvalidInputError,
    SealedColumnIndex,
    SealedField,
    TokenKey,
    UnavailableError,
)


class PageSearch:
    """Searches stored pages and hands out the keys the page index is built with (ingest and delete need them)."""

    def __init__(
        self, *, database: Database, blind: BlindIndex, page_text: SealedField, filename: SealedColumnIndex
    ) -> None:
        self._database = database
        self._blind = blind
        self._page_text = page_text
        self._filename = filename

    async def current_key(self) -> TokenKey:
        """The key new pages are indexed with."""
        return await self._blind.current()

    async def key(self, version: int) -> TokenKey:
        """The key of one version the index holds."""
        key = await self._blind.version(version)
        if key is None:  # `keys retire` refuses while entries use a version; only a restored keyring gets here
            raise UnavailableError(f"search key v{version} is retired but still indexes pages; run `keys reindex`")
        return key

    async def search(self, request: SearchRequest) -> SearchResults:
        phrases = query_phrases(request.query)
        if not phrases:
            raise InvalidInputError("query: give at least one word to search for")
        async with self._database.session() as session:
            matches = await self._match(session, phrases, request)
            if not matches:
                return SearchResults(query=request.query, hits=[])
            rows = (
                await session.exec(
                    select(DocumentPage, Document)
                    .join(Document, col(Document.id) == DocumentPage.document_id)
                    .where(col(DocumentPage.id).in_([match.page_id for match in matches]))
                )
            ).all()
        by_page = {page.id: (page, document) for page, document in rows}
        hits = []
        for match in matches:
            page, document = by_page[match.page_id]
            hits.append(
                SearchHit(
                    document_id=document.id,
                    filename=await self._filename.open(document.id, document.filename),
                    matter_id=document.matter_id,
                    page=page.page_no,
                    score=round(match.score, 4),
                    snippet=snippet(await self._page_text.open(page.ref, page.text), phrases),
                )
            )
        return SearchResults(query=request.query, hits=hits)

    async def _match(
        self, session: AsyncSession, phrases: list[tuple[str, ...]], request: SearchRequest
    ) -> list[PageMatch]:
        """The best pages across every search key version the index holds (several while a reindex runs)."""
        matches: list[PageMatch] = []
        for version in await index_versions(session):
            key = await self.key(version)
            keyed_phrases = [[key.token(term) for term in phrase] for phrase in phrases]
            matches += await match_pages(
                session,
                self._database.kind,
                version,
                keyed_phrases,
                request.matter_id,
                request.limit,
                document_id=request.document_id,
            )
        return sorted(matches, key=lambda match: (-match.score, match.page_id))[: request.limit]

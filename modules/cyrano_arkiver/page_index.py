"""Arkiver's blind index of page text as key rotation sees it: entries per key version, and the rebuild onto
the newest search key that `cyrano-mcp keys reindex` runs."""

from collections.abc import Callable, Sequence

import anyio.to_thread
from sqlalchemy import update
from sqlmodel import col, func, select

from cyrano_arkiver.models import DocumentPage
from cyrano_arkiver.search import PageEntry, index_pages, page_tokens, unindex_pages
from cyrano_mcp.kit import BlindIndex, Database, DomainError, ReindexReport, SealedField, TokenKey


def _keyed(pages: Sequence[tuple[str, TokenKey]]) -> list[str]:
    return [page_tokens(body, key) for body, key in pages]


async def keyed(pages: Sequence[tuple[str, TokenKey]]) -> list[str]:
    """The index tokens of each (page text, key), computed off the event loop (a long document is CPU work)."""
    return await anyio.to_thread.run_sync(_keyed, pages)


class PageIndex:
    """The `document_pages` blind index (a `KeyedIndex`), under the `search` key type."""

    def __init__(self, *, database: Database, blind: BlindIndex, page_text: SealedField) -> None:
        self._database = database
        self._blind = blind
        self._page_text = page_text

    @property
    def blind(self) -> BlindIndex:
        return self._blind

    async def usage(self, versions: Sequence[int]) -> dict[int, int]:
        version = col(DocumentPage.search_key_version)
        async with self._database.session() as session:
            rows = await session.exec(select(version, func.count()).where(version.in_(versions)).group_by(version))
            return {int(found): count for found, count in rows if found is not None}

    async def reindex(self, *, batch: int, progress: Callable[[int], None] | None = None) -> ReindexReport:
        target = await self._blind.current()
        report = ReindexReport(index=self._blind.name, to_version=target.version)
        version = col(DocumentPage.search_key_version)
        last_id = 0
        while True:
            async with self._database.transaction() as session:
                # Only older versions: a page a newer process indexed under a later key stays as it is.
                rows = (
                    await session.exec(
                        select(DocumentPage.id, DocumentPage.ref, DocumentPage.text, version)
                        .where(col(DocumentPage.id) > last_id, version < target.version)
                        .order_by(col(DocumentPage.id))
                        .limit(batch)
                        .with_for_update()
                    )
                ).all()
                pages: list[tuple[int, str, TokenKey]] = []
                for page_id, ref, sealed, built_with in rows:
                    assert page_id is not None and built_with is not None
                    old_key = await self._blind.version(built_with)
                    body = await self._opened(ref, sealed)
                    if old_key is None or body is None:
                        report.failed.append(ref)  # left on its version; `keys retire` keeps refusing it
                        continue
                    pages.append((page_id, body, old_key))
                moved = [page_id for page_id, _, _ in pages]
                old_tokens = await keyed([(body, key) for _, body, key in pages])
                new_tokens = await keyed([(body, target) for _, body, _ in pages])
                await unindex_pages(session, self._database.kind, [*map(PageEntry, moved, old_tokens)])
                await index_pages(session, self._database.kind, [*map(PageEntry, moved, new_tokens)])
                if moved:
                    await session.exec(
                        update(DocumentPage)
                        .where(col(DocumentPage.id).in_(moved))
                        .values(search_key_version=target.version)
                    )
                report.reindexed += len(moved)
            if not rows:
                return report
            last_id = int(rows[-1][0] or 0)
            if progress is not None:
                progress(report.reindexed)

    async def _opened(self, ref: str, sealed: str) -> str | None:
        try:
            return await self._page_text.open(ref, sealed)
        except DomainError:  # altered or moved (logged as sealed_value_rejected by the field)
            return None

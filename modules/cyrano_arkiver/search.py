"""Full-text search over document pages through a blind index: SQLite FTS5 on the embedded store, a
PostgreSQL `tsvector` when scaled out.

Neither index sees a word of the page. Each page is indexed as the sequence of its terms' keyed tokens
(`cyrano_mcp.crypto.blind`), in order, so phrases and ranking (bm25, ts_rank_cd) work on tokens as
they would on words. Both indexes are contentless: the page text lives sealed in `document_pages`, with the
search key version its entry was built with (`search_key_version`, NULL for a page without words).
A query is keyed the same way, once per key version present in the index, so search keeps working while
`cyrano-mcp keys reindex` moves pages onto a new key. User text never reaches the index's query syntax:
only tokens (twelve letters each) do.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_arkiver.terms import terms
from cyrano_mcp.kit import TokenKey

FTS_TABLE = "document_pages_fts"  # SQLite (plus FTS5's own shadow tables, all starting with this name)
TERMS_TABLE = "document_page_terms"  # PostgreSQL
INDEX_TABLE_PREFIXES = (FTS_TABLE, TERMS_TABLE)


@dataclass(frozen=True, slots=True)
class PageMatch:
    page_id: int
    score: float


@dataclass(frozen=True, slots=True)
class PageEntry:
    """What one page contributes to the index: its tokens, space-separated, in order ("" for no words)."""

    page_id: int
    tokens: str


def page_tokens(page_text: str, key: TokenKey) -> str:
    return " ".join(key.token(term) for term in terms(page_text))


async def index_pages(session: AsyncSession, dialect: str, entries: Sequence[PageEntry]) -> None:
    rows = [{"id": entry.page_id, "tokens": entry.tokens} for entry in entries if entry.tokens]
    if not rows:
        return
    connection = await session.connection()
    if dialect == "sqlite":
        await connection.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (:id, :tokens)"), rows)
    else:
        await connection.execute(
            text(f"INSERT INTO {TERMS_TABLE}(page_id, terms) VALUES (:id, to_tsvector('simple', :tokens))"), rows
        )


async def unindex_pages(session: AsyncSession, dialect: str, entries: Sequence[PageEntry]) -> None:
    """Remove pages' entries. On SQLite `entries` must hold exactly the tokens they were indexed with."""
    rows = [{"id": entry.page_id, "tokens": entry.tokens} for entry in entries if entry.tokens]
    if not rows:
        return
    connection = await session.connection()
    if dialect == "sqlite":
        # A contentless FTS5 table forgets a row only when told the tokens it indexed.
        await connection.execute(
            text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', :id, :tokens)"), rows
        )
    else:
        await connection.execute(text(f"DELETE FROM {TERMS_TABLE} WHERE page_id = :id"), rows)


async def index_versions(session: AsyncSession) -> list[int]:
    """The search key versions the index holds entries of (one, or a few during a reindex)."""
    # One index probe per version (a loose index scan) instead of reading every page's version.
    probe = text("SELECT min(search_key_version) FROM document_pages WHERE search_key_version > :after")
    connection = await session.connection()
    versions: list[int] = []
    while (found := (await connection.execute(probe, {"after": versions[-1] if versions else 0})).scalar()) is not None:
        versions.append(int(found))
    return versions


def _fts5_query(phrases: Iterable[Sequence[str]]) -> str:
    return " AND ".join('"' + " ".join(phrase) + '"' for phrase in phrases)


def _tsquery(phrases: Iterable[Sequence[str]]) -> str:
    return " & ".join("(" + " <-> ".join(phrase) + ")" for phrase in phrases)


async def match_pages(
    session: AsyncSession,
    dialect: str,
    version: int,
    phrases: Sequence[Sequence[str]],
    matter_id: str | None,
    limit: int,
    document_id: str | None = None,
) -> list[PageMatch]:
    """Best pages built with key `version` that hold every phrase of tokens (`phrases`, keyed with it), of one
    matter or one document when given."""
    if not phrases:
        return []
    params: dict[str, Any] = {"limit": limit, "matter_id": matter_id, "document_id": document_id, "version": version}
    filters = "AND d.matter_id = :matter_id" if matter_id is not None else ""
    if document_id is not None:
        filters += " AND p.document_id = :document_id"
    if dialect == "sqlite":
        params["query"] = _fts5_query(phrases)
        statement = f"""
            SELECT f.rowid AS page_id, -bm25({FTS_TABLE}) AS score
            FROM {FTS_TABLE} AS f
            JOIN document_pages AS p ON p.id = f.rowid
            JOIN documents AS d ON d.id = p.document_id
            WHERE {FTS_TABLE} MATCH :query AND p.search_key_version = :version {filters}
            ORDER BY bm25({FTS_TABLE}) LIMIT :limit"""
    else:
        params["query"] = _tsquery(phrases)
        statement = f"""
            SELECT t.page_id, ts_rank_cd(t.terms, q.query) AS score
            FROM {TERMS_TABLE} AS t
            JOIN document_pages AS p ON p.id = t.page_id
            JOIN documents AS d ON d.id = p.document_id
            CROSS JOIN to_tsquery('simple', :query) AS q(query)
            WHERE t.terms @@ q.query AND p.search_key_version = :version {filters}
            ORDER BY score DESC, t.page_id LIMIT :limit"""
    result = await (await session.connection()).execute(text(statement), params)
    return [PageMatch(page_id=int(row.page_id), score=float(row.score)) for row in result]

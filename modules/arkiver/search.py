"""Full-text search over document pages: SQLite FTS5 on the embedded store, PostgreSQL full-text when scaled out.

Both indexes are contentless: they hold terms and positions, never the page text itself (the pages table does),
so a page's text can be encrypted at rest without losing search. Snippets are cut from the stored page text.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

FTS_TABLE = "document_pages_fts"  # SQLite (plus FTS5's own shadow tables, all starting with this name)
TERMS_TABLE = "document_page_terms"  # PostgreSQL
INDEX_TABLE_PREFIXES = (FTS_TABLE, TERMS_TABLE)

_TERM = re.compile(r'"([^"]+)"|([\w][\w\'-]*)', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class PageMatch:
    page_id: int
    score: float


def query_terms(query: str) -> list[str]:
    """The words and "quoted phrases" of a user's query, in order."""
    terms = []
    for phrase, word in _TERM.findall(query):
        candidate = (phrase or word).strip()
        if _WORD.search(candidate):
            terms.append(candidate)
    return terms


def _fts5_query(terms: Sequence[str]) -> str:
    # Every term as an FTS5 string literal: user text can never be read as FTS5 syntax (NEAR, OR, column filters).
    return " ".join('"' + " ".join(_WORD.findall(term)).replace('"', '""') + '"' for term in terms)


async def index_pages(session: AsyncSession, dialect: str, pages: Sequence[tuple[int, str]]) -> None:
    if not pages:
        return
    rows = [{"id": page_id, "body": body} for page_id, body in pages]
    connection = await session.connection()
    if dialect == "sqlite":
        await connection.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (:id, :body)"), rows)
    else:
        await connection.execute(
            text(f"INSERT INTO {TERMS_TABLE}(page_id, terms) VALUES (:id, to_tsvector('english', :body))"), rows
        )


async def unindex_pages(session: AsyncSession, dialect: str, pages: Sequence[tuple[int, str]]) -> None:
    if not pages or dialect != "sqlite":
        return  # PostgreSQL: the terms rows go with their pages (ON DELETE CASCADE)
    # A contentless FTS5 table forgets a row only when told the text it indexed.
    rows = [{"id": page_id, "body": body} for page_id, body in pages]
    connection = await session.connection()
    await connection.execute(
        text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', :id, :body)"), rows
    )


async def match_pages(
    session: AsyncSession, dialect: str, terms: Sequence[str], matter_id: str | None, limit: int
) -> list[PageMatch]:
    if not terms:
        return []
    params: dict[str, Any] = {"limit": limit, "matter_id": matter_id}
    matter_filter = "AND d.matter_id = :matter_id" if matter_id is not None else ""
    if dialect == "sqlite":
        params["query"] = _fts5_query(terms)
        statement = f"""
            SELECT f.rowid AS page_id, -bm25({FTS_TABLE}) AS score
            FROM {FTS_TABLE} AS f
            JOIN document_pages AS p ON p.id = f.rowid
            JOIN documents AS d ON d.id = p.document_id
            WHERE {FTS_TABLE} MATCH :query {matter_filter}
            ORDER BY bm25({FTS_TABLE}) LIMIT :limit"""
    else:
        params["query"] = " ".join(f'"{term}"' if " " in term else term for term in terms)
        statement = f"""
            SELECT t.page_id, ts_rank_cd(t.terms, q.query) AS score
            FROM {TERMS_TABLE} AS t
            JOIN document_pages AS p ON p.id = t.page_id
            JOIN documents AS d ON d.id = p.document_id
            CROSS JOIN websearch_to_tsquery('english', :query) AS q(query)
            WHERE t.terms @@ q.query {matter_filter}
            ORDER BY score DESC, t.page_id LIMIT :limit"""
    result = await (await session.connection()).execute(text(statement), params)
    return [PageMatch(page_id=int(row.page_id), score=float(row.score)) for row in result]


def snippet(page_text: str, terms: Sequence[str], width: int = 240) -> str:
    """Text around the first match, with matched words marked «like this»."""
    words = {word.lower() for term in terms for word in _WORD.findall(term)}
    stems = tuple(word[: max(4, len(word) - 2)] for word in words)  # catch what the stemmer matched: pay ~ paid
    marked: list[tuple[int, int]] = [
        (m.start(), m.end()) for m in _WORD.finditer(page_text) if m.group().lower().startswith(stems)
    ]
    if not marked:
        return " ".join(page_text[:width].split())
    first = marked[0][0]
    start = max(0, first - width // 3)
    end = min(len(page_text), start + width)
    pieces: list[str] = []
    cursor = start
    for begin, finish in marked:
        if begin < start or finish > end:
            continue
        pieces.append(page_text[cursor:begin])
        pieces.append(f"«{page_text[begin:finish]}»")
        cursor = finish
    pieces.append(page_text[cursor:end])
    body = " ".join("".join(pieces).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(page_text) else "")

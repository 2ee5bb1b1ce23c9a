"""The stored clause review of documents: read it, replace what detection found, add what a model found.

Rows live in `insights` (kind "clauses"), sealed like the other insights; `documents.clauses_version` says which
classifier judged the document (NULL: stored before clause detection existed).
"""

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_arkiver.clause_rows import KIND, rows_to_clauses
from cyrano_arkiver.clauses.review import StoredClause
from cyrano_arkiver.models import Document, Insight
from cyrano_mcp.kit import SealedField


async def load_clauses(
    session: AsyncSession, data: SealedField, document_ids: Collection[str]
) -> dict[str, list[StoredClause]]:
    """Each document's stored clauses, in CUAD's order; one per category (detection's over a model's)."""
    if not document_ids:
        return {}
    rows = (
        await session.exec(
            select(Insight.document_id, Insight.ref, Insight.data).where(
                col(Insight.document_id).in_(document_ids), col(Insight.kind) == KIND
            )
        )
    ).all()
    opened: dict[str, list[str]] = {document_id: [] for document_id in document_ids}
    for document_id, ref, sealed in rows:
        opened[document_id].append(await data.open(ref, sealed))
    return {document_id: _one_per_category(rows_to_clauses(items)) for document_id, items in opened.items()}


def _one_per_category(clauses: list[StoredClause]) -> list[StoredClause]:
    """The first clause of each category: detection's sort before a model's."""
    kept: dict[str, StoredClause] = {}
    for clause in clauses:
        kept.setdefault(clause.category, clause)
    return list(kept.values())


async def replace_detected(session: AsyncSession, document_id: str, sealed_rows: Sequence[dict[str, Any]]) -> None:
    """Put detection's rows (already sealed) in place of the earlier detection's; a model's additions stay."""
    await session.exec(
        delete(Insight).where(
            col(Insight.document_id) == document_id, col(Insight.kind) == KIND, col(Insight.method) != "model"
        )
    )
    if sealed_rows:
        await session.exec(insert(Insight), params=list(sealed_rows))


def clause_filters(has: Collection[str], lacks: Collection[str]) -> list[ColumnElement[bool]]:
    """Conditions on `documents` for arkiver_list_documents: every category of `has`, none of `lacks`."""

    def having(key: str) -> ColumnElement[bool]:
        return exists().where(
            col(Insight.document_id) == col(Document.id), col(Insight.kind) == KIND, col(Insight.subkind) == key
        )

    filters = [having(key) for key in has]
    if lacks:
        filters.append(col(Document.clauses_version).is_not(None))  # never judged: unknown, not lacking
        filters += [~having(key) for key in lacks]
    return filters


async def count_clauses(session: AsyncSession, document_id: str) -> int:
    statement = select(func.count()).select_from(Insight).where(Insight.document_id == document_id)
    return (await session.exec(statement.where(col(Insight.kind) == KIND))).one()

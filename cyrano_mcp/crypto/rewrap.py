"""Move sealed values onto the current key version, in batches that each commit on their own.

An interrupted run loses nothing: every batch is one transaction, and the next run only visits rows that
are still on an old version. Each row is updated only if it still holds the value that was re-encrypted,
so a concurrent write by the server is never overwritten. Plaintext values (never sealed) are sealed too.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from cyrano_mcp.crypto.fields import SCHEME, FieldCipher, SealedField
from cyrano_mcp.errors import DomainError
from cyrano_mcp.store.database import Database


@dataclass(slots=True)
class RewrapReport:
    column: str
    to_version: int
    rewrapped: int = 0
    failed: list[str] = field(default_factory=list)


def _columns(sealed: SealedField) -> tuple[sa.TableClause, sa.ColumnClause[str], sa.ColumnClause[str]]:
    table = sa.table(sealed.table, sa.column(sealed.id_column), sa.column(sealed.column))
    return table, table.c[sealed.id_column], table.c[sealed.column]


async def rewrap_field(
    database: Database, sealed: SealedField, *, batch: int = 200, progress: Callable[[int], None] | None = None
) -> RewrapReport:
    version, _ = await sealed.keyring.current(sealed.key_type)
    report = RewrapReport(column=f"{sealed.table}.{sealed.column}", to_version=version)
    table, ids, values = _columns(sealed)
    last_id: str | None = None
    while True:
        query = sa.select(ids, values).where(values.is_not(None), sa.not_(values.startswith(sealed.prefix(version))))
        if last_id is not None:
            query = query.where(ids > last_id)
        async with database.transaction() as session:
            conn = await session.connection()
            rows = (await conn.execute(query.order_by(ids).limit(batch))).all()
            for row_id, value in rows:
                try:
                    plaintext = value if sealed.version_of(value) is None else await sealed.open(str(row_id), value)
                except DomainError:
                    report.failed.append(str(row_id))
                    continue
                fresh = await sealed.seal(str(row_id), plaintext)
                result = await conn.execute(
                    sa.update(table).where(ids == row_id, values == value).values({sealed.column: fresh})
                )
                report.rewrapped += result.rowcount
        if not rows:
            return report
        last_id = str(rows[-1][0])
        if progress is not None:
            progress(report.rewrapped)


async def rewrap(
    database: Database,
    cipher: FieldCipher,
    *,
    key_type: str | None = None,
    batch: int = 200,
    progress: Callable[[str, int], None] | None = None,
) -> list[RewrapReport]:
    reports = []
    for sealed in cipher.fields:
        if key_type is not None and sealed.key_type != key_type:
            continue
        name = f"{sealed.table}.{sealed.column}"

        def report_progress(done: int, column: str = name) -> None:
            if progress is not None:
                progress(column, done)

        reports.append(await rewrap_field(database, sealed, batch=batch, progress=report_progress))
    return reports


async def usage(database: Database, cipher: FieldCipher, key_type: str, versions: list[int]) -> dict[str, int]:
    """How many stored values (sealed values and blind-index entries) use each of `versions` of `key_type`,
    and how many were never sealed."""
    counts = {f"v{version}": 0 for version in versions} | {"plaintext": 0}
    for index in cipher.indexes:
        if index.blind.key_type == key_type:
            for version, count in (await index.usage(versions)).items():
                counts[f"v{version}"] += count
    for sealed in cipher.fields:
        if sealed.key_type != key_type:
            continue
        table, _, values = _columns(sealed)
        conditions = {f"v{version}": values.startswith(sealed.prefix(version)) for version in versions}
        conditions["plaintext"] = sa.and_(values.is_not(None), sa.not_(values.startswith(f"{SCHEME}$")))
        async with database.engine.connect() as conn:
            for label, condition in conditions.items():
                query = sa.select(sa.func.count()).select_from(table).where(condition)
                counts[label] += (await conn.execute(query)).scalar_one()
    return counts

"""A blind index kept in the row, beside a sealed column that tools filter on.

A matter's responsible attorney and a document's file name are sealed like notes, yet `matters_list` and
`arkiver_list_documents` filter on them. So each row also holds the value's terms as keyed tokens (`blind.py`),
space-separated, and the key version that built them. A filter keys the wanted terms under every version the
table holds and compares tokens, never values: with the whole value (`equal`, for a value that is one term)
or with each of its words (`all_words`). As for the page index, `keys reindex` rebuilds the tokens under the
newest key and `keys status` counts them per version; `keys rewrap` re-seals the values themselves.

What the tokens show a reader of the store without the key: which rows share a term (the same attorney, the
same word in two file names), how often each token occurs, and how many terms each value has.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from alembic.operations import Operations
from sqlalchemy import ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_mcp.crypto.blind import BlindIndex, ReindexReport, TokenKey
from cyrano_mcp.crypto.fields import SCHEME, SealedField
from cyrano_mcp.errors import DomainError, InvalidInputError, UnavailableError
from cyrano_mcp.store.database import Database

Match = Literal["equal", "all_words"]


@dataclass(frozen=True, slots=True)
class SealedColumnIndex:
    """A sealed column of `table` with its in-row blind index (a `KeyedIndex`)."""

    database: Database
    table: sa.Table
    sealed: SealedField
    blind: BlindIndex
    terms: Callable[[str], Iterable[str]]
    tokens_column: str
    version_column: str
    match: Match

    def _columns(self) -> tuple[sa.Column[Any], sa.Column[Any], sa.Column[Any], sa.Column[Any]]:
        columns = self.table.c
        return (
            columns[self.sealed.id_column],
            columns[self.sealed.column],
            columns[self.tokens_column],
            columns[self.version_column],
        )

    def _tokens(self, value: str, key: TokenKey) -> str:
        return " ".join(key.token(term) for term in self.terms(value))

    # --- a row's values -------------------------------------------------------------------------------
    async def store(self, row_id: str, value: str | None) -> dict[str, Any]:
        """What row `row_id` holds for `value`, by column: the sealed value, its tokens, their key version."""
        if value is None:
            return dict.fromkeys((self.sealed.column, self.tokens_column, self.version_column))
        key = await self.blind.current()
        return {
            self.sealed.column: await self.sealed.seal(row_id, value),
            self.tokens_column: self._tokens(value, key),
            self.version_column: key.version,
        }

    async def open(self, row_id: str, stored: str | None) -> str | None:
        return None if stored is None else await self.sealed.open(row_id, stored)

    # --- filtering ----------------------------------------------------------------------------------
    async def matching(self, session: AsyncSession, value: str) -> ColumnElement[bool]:
        """A condition on `table` for the rows whose value matches `value` (is it, or holds each of its words)."""
        terms = list(self.terms(value))
        if not terms:
            raise InvalidInputError(f"{self.sealed.column}: give at least one letter or digit to look for")
        _, _, tokens, versions = self._columns()
        conditions = []
        for version in await self._versions(session):
            key = await self.blind.version(version)
            if key is None:  # `keys retire` refuses while rows use a version; only a restored keyring gets here
                raise UnavailableError(
                    f"{self.blind.key_type} key v{version} is retired but still indexes {self.sealed.table}; "
                    "run `keys reindex`"
                )
            wanted = [key.token(term) for term in terms]
            if self.match == "equal":
                compared = tokens == " ".join(wanted)
            else:  # each token a whole word of the space-separated list
                padded = sa.literal(" ") + tokens + sa.literal(" ")
                compared = sa.and_(*(padded.contains(f" {token} ") for token in dict.fromkeys(wanted)))
            conditions.append(sa.and_(versions == version, compared))
        return sa.or_(sa.false(), *conditions)

    async def _versions(self, session: AsyncSession) -> list[int]:
        """The key versions the table's tokens were built with: one index probe per version, not a scan."""
        *_, versions = self._columns()
        probe = sa.select(sa.func.min(versions)).where(versions > sa.bindparam("after"))
        connection = await session.connection()
        found: list[int] = []
        while (version := (await connection.execute(probe, {"after": found[-1] if found else 0})).scalar()) is not None:
            found.append(int(version))
        return found

    # --- key rotation (`KeyedIndex`) -----------------------------------------------------------------
    async def usage(self, versions: Sequence[int]) -> dict[int, int]:
        *_, version = self._columns()
        async with self.database.engine.connect() as connection:
            rows = await connection.execute(
                sa.select(version, sa.func.count()).where(version.in_(versions)).group_by(version)
            )
            return {int(found): int(count) for found, count in rows}

    async def reindex(self, *, batch: int, progress: Callable[[int], None] | None = None) -> ReindexReport:
        target = await self.blind.current()
        report = ReindexReport(index=self.blind.name, to_version=target.version)
        ids, values, tokens, versions = self._columns()
        last_id: Any = None
        while True:
            query = sa.select(ids, values).where(versions < target.version).order_by(ids).limit(batch)
            if last_id is not None:
                query = query.where(ids > last_id)
            async with self.database.transaction() as session:
                connection = await session.connection()
                rows = (await connection.execute(query)).all()
                for row_id, stored in rows:
                    try:
                        value = await self.sealed.open(str(row_id), stored)
                    except DomainError:  # altered or moved (logged as sealed_value_rejected by the field)
                        report.failed.append(str(row_id))  # left on its version; `keys retire` keeps refusing it
                        continue
                    result = await connection.execute(
                        sa.update(self.table)
                        .where(ids == row_id, values == stored)  # unless changed meanwhile (then it has new tokens)
                        .values({tokens: self._tokens(value, target), versions: target.version})
                    )
                    report.reindexed += result.rowcount
            if not rows:
                return report
            last_id = rows[-1][0]
            if progress is not None:
                progress(report.reindexed)

    # --- migrations ---------------------------------------------------------------------------------
    def seal_existing(self) -> Callable[[Operations], None]:
        """A migration step: seal the column's plaintext values and build their tokens (sealed ones are left).

        It names the columns as they are when it runs, not through `table`, which follows the latest schema.
        """
        table_name, id_name, value_name = self.sealed.table, self.sealed.id_column, self.sealed.column

        def upgrade(op: Operations) -> None:
            connection = op.get_bind()
            keyset = self.sealed.keyring.read_sync(connection, ensure=[self.sealed.key_type, self.blind.key_type])
            key = self.blind.current_in(keyset)
            table = sa.table(
                table_name,
                sa.column(id_name),
                sa.column(value_name),
                sa.column(self.tokens_column),
                sa.column(self.version_column),
            )
            ids, values = table.c[id_name], table.c[value_name]
            plain = connection.execute(
                sa.select(ids, values).where(values.is_not(None), sa.not_(values.startswith(f"{SCHEME}$")))
            ).all()
            for row_id, value in plain:
                connection.execute(
                    sa.update(table)
                    .where(ids == row_id)
                    .values(
                        {
                            value_name: self.sealed.seal_sync(keyset, str(row_id), value),
                            self.tokens_column: self._tokens(value, key),
                            self.version_column: key.version,
                        }
                    )
                )

        return upgrade

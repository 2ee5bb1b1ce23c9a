"""Schema changes that Alembic's `Operations` cannot make the same way on both databases."""

import sqlalchemy as sa
from alembic.operations import Operations


def retype_as_text(
    op: Operations, table: str, column: str, *, was: sa.types.TypeEngine[str], nullable: bool = True
) -> None:
    """Make a VARCHAR column TEXT, keeping its values (a sealed value outgrows the length meant for plaintext).

    PostgreSQL changes the type in place. SQLite cannot, short of rebuilding the table (which, with foreign keys
    pointing at it, is a risk of its own): a TEXT column is added, filled, and renamed over the old one once that
    is dropped. The column must carry no index or constraint by then. SQLite adds a NOT NULL column only with a
    default, so a column that is not `nullable` gets '' there (unused: every insert names the column).
    """
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(table, column, type_=sa.Text(), existing_type=was)
        return
    staging = f"{column}_as_text"
    default = None if nullable else sa.text("''")
    op.add_column(table, sa.Column(staging, sa.Text(), nullable=nullable, server_default=default))
    op.execute(sa.text(f'UPDATE "{table}" SET "{staging}" = "{column}"'))
    op.drop_column(table, column)
    op.alter_column(table, staging, new_column_name=column)

"""Schema changes that Alembic's `Operations` cannot make the same way on both databases."""

import sqlalchemy as sa
from alembic.operations import Operations


def retype_as_text(
    op: Operations, table: str, column: str, *, was: sa.types.TypeEngine[str], nullable: bool = True
) -> None:
    """Make a VARCHAR column TEXT, keeping its values (a sealed value outgrows the length meant for plaintext)."""
    retype(op, table, column, was=was, to=sa.Text(), nullable=nullable)


def retype(
    op: Operations,
    table: str,
    column: str,
    *,
    was: sa.types.TypeEngine[str],
    to: sa.types.TypeEngine[str],
    nullable: bool = True,
) -> None:
    """Give a string column another type (e.g. a longer VARCHAR), keeping its values.

    PostgreSQL changes the type in place. SQLite cannot, short of rebuilding the table (which, with foreign keys
    pointing at it, is a risk of its own): a column of the new type is added, filled, and renamed over the old one
    once that is dropped. The column must carry no index or constraint by then. SQLite adds a NOT NULL column only
    with a default, so a column that is not `nullable` gets '' there (unused: every insert names the column).
    """
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(table, column, type_=to, existing_type=was)
        return
    staging = f"{column}_retyped"
    default = None if nullable else sa.text("''")
    op.add_column(table, sa.Column(staging, to, nullable=nullable, server_default=default))
    op.execute(sa.text(f'UPDATE "{table}" SET "{staging}" = "{column}"'))
    op.drop_column(table, column)
    op.alter_column(table, staging, new_column_name=column)

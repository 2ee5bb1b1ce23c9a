"""Schema steps of Potemkin. Frozen: a released step is never edited, only followed by a new one."""

import sqlalchemy as sa
from alembic.operations import Operations

from cyrano_mcp.kit import Migration


def _create_authorities(op: Operations) -> None:
    # The firm's library of authorities (potemkin_authorities_*): one row per citation, found by its key.
    op.create_table(
        "potemkin_authorities",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("citation_key", sa.String(200), nullable=False, unique=True),
        sa.Column("citation", sa.String(200), nullable=False),
        sa.Column("case_name", sa.String(300), nullable=False),
        sa.Column("court", sa.String(100), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),  # sealed
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_potemkin_authorities_created_at", "potemkin_authorities", ["created_at", "id"])


MIGRATIONS = [Migration(1, "create the library of authorities", _create_authorities)]

"""Schema steps of the matters module. Frozen: a released step is never edited, only followed by a new one."""

import sqlalchemy as sa
from alembic.operations import Operations

from cyrano_mcp.engine import Migration
from cyrano_mcp.security.crypto import SealedField


def _create_matters(op: Operations) -> None:
    op.create_table(
        "matters",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(64), nullable=True),
        sa.Column("client_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("practice_area", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("responsible_attorney", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("reference"),
    )
    op.create_index("ix_matters_client_name", "matters", ["client_name"])
    op.create_index("ix_matters_practice_area", "matters", ["practice_area"])
    op.create_index("ix_matters_opened_on", "matters", ["opened_on"])
    op.create_index("ix_matters_responsible_attorney", "matters", ["responsible_attorney"])
    op.create_index("ix_matters_status_opened_on", "matters", ["status", "opened_on"])
    op.create_index("ix_matters_updated_at", "matters", ["updated_at"])


def _index_listing_columns(op: Operations) -> None:
    op.create_index("ix_matters_title", "matters", ["title"])
    # matters_list compares practice area and attorney case-insensitively: index what it compares.
    op.create_index("ix_matters_lower_practice_area", "matters", [sa.text("lower(practice_area)")])
    op.create_index("ix_matters_lower_responsible_attorney", "matters", [sa.text("lower(responsible_attorney)")])


def migrations(notes: SealedField) -> list[Migration]:
    """The steps, given the sealed `notes` field (step 2 encrypts the notes stored before it existed)."""
    return [
        Migration(1, "create matters", _create_matters),
        Migration(2, "encrypt notes at rest", notes.encrypt_existing()),
        Migration(3, "index the title and the case-insensitive filters", _index_listing_columns),
    ]

"""Schema steps of the matters module. Frozen: a released step is never edited, only followed by a new one."""

import sqlalchemy as sa
from alembic.operations import Operations

from cyrano_matters.seals import MatterSeals
from cyrano_mcp.kit import Migration, retype_as_text


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


def _blind_index_the_attorney(op: Operations) -> None:
    # An index of sealed values finds nothing: the attorney is found by its blind token instead. A sealed value
    # is longer than the 200 characters meant for a name.
    op.drop_index("ix_matters_lower_responsible_attorney", "matters")
    op.drop_index("ix_matters_responsible_attorney", "matters")
    retype_as_text(op, "matters", "responsible_attorney", was=sa.String(200))
    op.add_column("matters", sa.Column("responsible_attorney_token", sa.String(12), nullable=True))
    op.add_column("matters", sa.Column("responsible_attorney_key_version", sa.Integer(), nullable=True))
    op.create_index("ix_matters_responsible_attorney_token", "matters", ["responsible_attorney_token"])
    op.create_index("ix_matters_responsible_attorney_key_version", "matters", ["responsible_attorney_key_version"])


def migrations(seals: MatterSeals) -> list[Migration]:
    """The steps, given the sealed columns (steps 2 and 5 encrypt the values stored before them)."""
    return [
        Migration(1, "create matters", _create_matters),
        Migration(2, "encrypt notes at rest", seals.notes.encrypt_existing()),
        Migration(3, "index the title and the case-insensitive filters", _index_listing_columns),
        Migration(4, "make room for the sealed attorney and its blind index", _blind_index_the_attorney),
        Migration(5, "encrypt the responsible attorney at rest", seals.responsible_attorney.seal_existing()),
    ]

"""Schema steps of the `jobs` component. Frozen: a released step is never edited, only followed by a new one."""

from collections.abc import Callable

import sqlalchemy as sa
from alembic.operations import Operations

from cyrano_mcp.jobs.seals import JobSeals, new_ref
from cyrano_mcp.store.alter import retype_as_text
from cyrano_mcp.store.migrate import Migration


def _create_jobs(op: Operations) -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("correlation_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"])
    op.create_index("ix_jobs_status_created_at", "jobs", ["status", "created_at"])
    op.create_index("ix_jobs_kind_created_at", "jobs", ["kind", "created_at"])
    op.create_table(
        "job_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.String(36), sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("worker", sa.String(100), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("job_id", "position"),
    )
    # Claiming reads (status, due_at); a job's progress reads (job_id, status).
    op.create_index("ix_job_items_status_due_at", "job_items", ["status", "due_at"])
    op.create_index("ix_job_items_job_id_status", "job_items", ["job_id", "status"])


def _make_room_for_sealed_values(op: Operations) -> None:
    # A sealed value outgrows the 300 characters meant for a title or a file name.
    retype_as_text(op, "jobs", "title", was=sa.String(300), nullable=False)
    retype_as_text(op, "job_items", "label", was=sa.String(300), nullable=False)
    # What an item's sealed values are bound to. SQLite adds a NOT NULL column only with a default: '' for the
    # moment it takes to give every stored item its reference (unused after: every insert names the column).
    op.add_column("job_items", sa.Column("ref", sa.String(32), nullable=False, server_default=sa.text("''")))
    items = sa.table("job_items", sa.column("id"), sa.column("ref"))
    connection = op.get_bind()
    for (item_id,) in connection.execute(sa.select(items.c.id)).all():
        connection.execute(sa.update(items).where(items.c.id == item_id).values(ref=new_ref()))
    op.create_index("ix_job_items_ref", "job_items", ["ref"], unique=True)


def _sealing(seals: JobSeals) -> Callable[[Operations], None]:
    steps = [field.encrypt_existing() for field in seals.fields]

    def upgrade(op: Operations) -> None:
        for step in steps:
            step(op)

    return upgrade


def migrations(seals: JobSeals) -> list[Migration]:
    """The steps, given the sealed columns (step 3 encrypts what was stored before it)."""
    return [
        Migration(1, "create jobs and job_items", _create_jobs),
        Migration(2, "make room for sealed titles, labels and the items' references", _make_room_for_sealed_values),
        Migration(3, "encrypt job titles and items at rest", _sealing(seals)),
    ]

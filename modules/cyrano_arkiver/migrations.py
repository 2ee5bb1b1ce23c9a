"""Schema steps of Arkiver. Frozen: a released step is never edited, only followed by a new one."""

import sqlalchemy as sa
from alembic.operations import Operations

from cyrano_mcp.kit import Migration, SealedColumnIndex, retype, retype_as_text


def _create_documents(op: Operations) -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("matter_id", sa.String(36), sa.ForeignKey("matters.id"), nullable=True),
        sa.Column("filename", sa.String(255), nullable=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("dedup_key", sa.String(110), nullable=False, unique=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("char_count", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("insights_method", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_documents_sha256", "documents", ["sha256"])
    op.create_index("ix_documents_matter_id_created_at", "documents", ["matter_id", "created_at"])
    op.create_table(
        "document_pages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ref", sa.String(48), nullable=False, unique=True),
        sa.Column("document_id", sa.String(36), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("char_count", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.UniqueConstraint("document_id", "page_no"),
    )
    op.create_table(
        "insights",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ref", sa.String(48), nullable=False, unique=True),
        sa.Column("document_id", sa.String(36), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("subkind", sa.String(32), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_insights_document_id_kind", "insights", ["document_id", "kind"])
    op.create_index("ix_insights_kind_date_value", "insights", ["kind", "date_value"])


def _create_search_index(op: Operations) -> None:
    # Each page's entry is built with one version of the search key; search and `keys reindex` look it up.
    op.add_column("document_pages", sa.Column("search_key_version", sa.Integer(), nullable=True))
    op.create_index("ix_document_pages_search_key_version", "document_pages", ["search_key_version"])
    if op.get_bind().dialect.name == "sqlite":
        # A blind index: it receives keyed tokens, never words. Contentless: it keeps tokens and positions
        # only. The tokens are lower-case letters and already normalised, so the plain ascii tokenizer.
        op.execute("CREATE VIRTUAL TABLE document_pages_fts USING fts5(tokens, content='', tokenize='ascii')")
    else:
        op.execute(
            "CREATE TABLE document_page_terms ("
            "page_id INTEGER PRIMARY KEY REFERENCES document_pages(id) ON DELETE CASCADE, "
            "terms tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_document_page_terms_terms ON document_page_terms USING GIN (terms)")


def _index_listing_columns(op: Operations) -> None:
    # arkiver_list_documents lists newest first, optionally of one format.
    op.create_index("ix_documents_created_at", "documents", ["created_at"])
    op.create_index("ix_documents_format_created_at", "documents", ["format", "created_at"])


def _blind_index_the_filename(op: Operations) -> None:
    # A sealed value is longer than the 255 characters meant for a name.
    retype_as_text(op, "documents", "filename", was=sa.String(255))
    op.add_column("documents", sa.Column("filename_tokens", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("filename_key_version", sa.Integer(), nullable=True))
    op.create_index("ix_documents_filename_key_version", "documents", ["filename_key_version"])


def _add_clause_detection(op: Operations) -> None:
    # Which clause classifier judged each document; its findings are rows of `insights` (kind "clauses").
    op.add_column("documents", sa.Column("clauses_version", sa.String(32), nullable=True))
    # The category keys are the subkinds; the longest has 34 characters.
    retype(op, "insights", "subkind", was=sa.String(32), to=sa.String(48))
    op.create_index("ix_insights_kind_subkind", "insights", ["kind", "subkind"])


def _add_messages(op: Operations) -> None:
    # An e-mail is a document; its headers are sealed in `envelope`, its sent time is plain for ordering.
    op.create_table(
        "document_messages",
        sa.Column("document_id", sa.String(36), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("envelope", sa.Text(), nullable=False),
    )
    op.create_index("ix_document_messages_sent_at", "document_messages", ["sent_at"])
    # An attachment is a document of its own, linked to each message it came with (its name there sealed).
    op.create_table(
        "document_links",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ref", sa.String(80), nullable=False, unique=True),
        sa.Column(
            "parent_document_id", sa.String(36), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "child_document_id", sa.String(36), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.UniqueConstraint("parent_document_id", "child_document_id"),
    )
    op.create_index("ix_document_links_child_document_id", "document_links", ["child_document_id"])


def migrations(filename: SealedColumnIndex) -> list[Migration]:
    """The steps, given the sealed file name (step 5 encrypts the names stored before it)."""
    return [
        Migration(1, "create documents, pages and insights", _create_documents),
        Migration(2, "create the blind full-text index", _create_search_index),
        Migration(3, "index the listing order and the format filter", _index_listing_columns),
        Migration(4, "make room for the sealed file name and its blind index", _blind_index_the_filename),
        Migration(5, "encrypt file names at rest", filename.seal_existing()),
        Migration(6, "record clause detection; insights by kind and subkind", _add_clause_detection),
        Migration(7, "e-mail messages and the links to their attachments", _add_messages),
    ]

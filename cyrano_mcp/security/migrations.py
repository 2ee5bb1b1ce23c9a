"""Schema steps of the security component. Frozen: a released step is never edited, only followed by a new one."""

import sqlalchemy as sa
from alembic.operations import Operations

from cyrano_mcp.store.migrate import Component, Migration

GENESIS_MAC = "0" * 64


def _create_tables(op: Operations) -> None:
    op.create_table(
        "security_users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "security_token_families",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(36), sa.ForeignKey("security_users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoke_reason", sa.String(32), nullable=True),
    )
    op.create_index("ix_security_token_families_user_id", "security_token_families", ["user_id"])
    op.create_table(
        "security_refresh_tokens",
        sa.Column("jti", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("security_token_families.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_security_refresh_tokens_family_id", "security_refresh_tokens", ["family_id"])
    op.create_table(
        "security_keys",
        sa.Column("key_type", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("wrapped", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "security_audit",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(36), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("source", sa.String(80), nullable=True),
        sa.Column("correlation_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("prev_mac", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_index("ix_security_audit_at", "security_audit", ["at"])
    op.create_index("ix_security_audit_action", "security_audit", ["action"])
    op.create_index("ix_security_audit_actor_at", "security_audit", ["actor", "at"])
    head = op.create_table(
        "security_audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "mac": GENESIS_MAC}])


def _seal_the_audit_head(op: Operations) -> None:
    # The seal is an HMAC under the audit key, which a migration does not hold: the first audit write after this
    # step finds the head unsealed, chains an `audit_chain_started` record onto the existing records and seals it.
    op.add_column("security_audit_head", sa.Column("seal", sa.String(64), nullable=True))
    op.add_column("security_audit_head", sa.Column("seal_version", sa.Integer(), nullable=True))


MIGRATIONS = [
    Migration(1, "accounts, tokens, keyring and audit log", _create_tables),
    Migration(2, "a sealed audit head", _seal_the_audit_head),
]

COMPONENT = Component("security", MIGRATIONS)

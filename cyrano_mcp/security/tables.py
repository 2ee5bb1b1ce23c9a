"""The security component's tables: accounts, token families, refresh tokens and the audit log.

The keyring's table is `cyrano_mcp.crypto.tables.KeyRecord` (the security component's migrations create it).
"""

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from cyrano_mcp.store.types import UTCDateTime


class User(SQLModel, table=True):
    __tablename__ = "security_users"

    id: str = Field(primary_key=True, max_length=36)
    username: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    # None: the account cannot log in with a password (the default local user of stdio).
    password_hash: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    disabled: bool = Field(default=False)
    # Part of every access token: bumping it (password change, disable) invalidates them all at once.
    token_version: int = Field(default=1)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class TokenFamily(SQLModel, table=True):
    """One login: the chain of refresh tokens rotated from it, and the access tokens they issued."""

    __tablename__ = "security_token_families"

    id: str = Field(primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="security_users.id", max_length=36, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoke_reason: str | None = Field(default=None, max_length=32)


class RefreshToken(SQLModel, table=True):
    """A refresh token, known only by its hash; `used_at` is set the one time it is exchanged."""

    __tablename__ = "security_refresh_tokens"

    jti: str = Field(primary_key=True, max_length=36)
    family_id: str = Field(foreign_key="security_token_families.id", max_length=36, index=True)
    token_hash: str = Field(max_length=64)
    issued_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    """One audit record. `mac` chains it to the record before it (`prev_mac`); see `security.audit`."""

    __tablename__ = "security_audit"
    __table_args__ = (Index("ix_security_audit_actor_at", "actor", "at"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    # ISO 8601 text, not a datetime column: the MAC covers exactly these characters on every database.
    at: str = Field(max_length=32, index=True)
    actor_id: str | None = Field(default=None, max_length=36)
    actor: str = Field(max_length=64)
    role: str | None = Field(default=None, max_length=16)
    action: str = Field(max_length=40, index=True)
    target: str | None = Field(default=None, max_length=200)
    outcome: str = Field(max_length=40)
    source: str | None = Field(default=None, max_length=80)
    correlation_id: str | None = Field(default=None, max_length=64)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    key_version: int
    prev_mac: str = Field(max_length=64)
    mac: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The single row every append locks: it serialises appenders so the chain cannot fork. `seal` is an HMAC of
    (seq, mac) under audit key `seal_version`, so the head cannot be moved without the key; None until the chain
    has started."""

    __tablename__ = "security_audit_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int
    mac: str = Field(max_length=64)
    seal: str | None = Field(default=None, max_length=64)
    seal_version: int | None = Field(default=None)

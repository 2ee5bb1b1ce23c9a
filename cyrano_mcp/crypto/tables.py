"""The keyring's table: data keys wrapped by the master key (created by the security component's migrations)."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from cyrano_mcp.store.types import UTCDateTime


class KeyRecord(SQLModel, table=True):
    """A data key of the keyring, wrapped (AES-256-GCM) by the master key. Retired keys keep no material."""

    __tablename__ = "security_keys"

    key_type: str = Field(primary_key=True, max_length=40)
    version: int = Field(primary_key=True)
    wrapped: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

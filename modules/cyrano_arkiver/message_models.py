"""E-mail messages stored as documents: their tables, and the models of `arkiver_messages`.

A message is a `Document` (format "eml") whose pages are its header block and body; `document_messages` keeps
what its headers say, and `document_links` ties each attachment's own document to it. Who wrote to whom about
what, and the message ids, are sealed together in one value (`envelope`): they are client material, and no
query filters on them (threads are assembled from a matter's opened messages). Only the sent time is plain,
so a matter's messages are ordered and cut to a period by the store.
"""

from datetime import date, datetime
from typing import Annotated

from pydantic import Field as PydanticField
from pydantic import StringConstraints, model_validator
from sqlalchemy import Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cyrano_matters.api import MatterId
from cyrano_mcp.kit import ToolInput, ToolOutput, UTCDateTime

ATTACHMENT = "attachment"


# --- tables ------------------------------------------------------------------------------------------
class DocumentMessage(SQLModel, table=True):
    __tablename__ = "document_messages"
    __table_args__ = (Index("ix_document_messages_sent_at", "sent_at"),)

    document_id: str = Field(
        sa_column=Column(String(36), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    # The Date header in UTC; NULL when the message has none that can be read.
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Sealed JSON: `Envelope` (headers, and the attachments that could not be read).
    envelope: str = Field(sa_column=Column(Text, nullable=False))


class DocumentLink(SQLModel, table=True):
    __tablename__ = "document_links"
    __table_args__ = (
        UniqueConstraint("parent_document_id", "child_document_id"),
        Index("ix_document_links_child_document_id", "child_document_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "<parent id>:<child id>": what the sealed name is bound to.
    ref: str = Field(max_length=80, unique=True)
    parent_document_id: str = Field(
        sa_column=Column(String(36), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    )
    child_document_id: str = Field(
        sa_column=Column(String(36), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(max_length=16, description='"attachment": the child came attached to the parent message.')
    # Sealed: the name the file had in the message (the child document may be stored under another).
    filename: str = Field(sa_column=Column(Text, nullable=False))


# --- what the envelope holds -------------------------------------------------------------------------------
class SkippedAttachment(ToolOutput):
    filename: str
    content_type: str
    size_bytes: int
    reason: str = PydanticField(description="Why it was not stored (a format Arkiver cannot read, no text...).")


class Envelope(ToolOutput):
    sender: list[str]
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    date_written: str
    message_id: str
    in_reply_to: str
    references: list[str]
    skipped: list[SkippedAttachment]


# --- arkiver_messages --------------------------------------------------------------------------------------
class MessagesRequest(ToolInput):
    matter_id: MatterId
    since: date | None = PydanticField(default=None, description="Only messages sent on or after this day (UTC).")
    until: date | None = PydanticField(default=None, description="Only messages sent on or before this day (UTC).")
    limit: int = PydanticField(default=20, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = PydanticField(
        default=None, description="next_cursor from the previous answer (with the same matter and period)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> "MessagesRequest":
        if self.since is not None and self.until is not None and self.until < self.since:
            raise ValueError("until is before since")
        return self


class AttachmentRef(ToolOutput):
    document_id: str
    filename: str


class MessageRecord(ToolOutput):
    document_id: str
    sent_at: datetime | None = PydanticField(description="When it was sent, in UTC; null when it has no Date.")
    sender: list[str]
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    message_id: str = PydanticField(description="Its Message-ID; replies name it in in_reply_to or references.")
    in_reply_to: str
    references: list[str]
    attachments: list[AttachmentRef] = PydanticField(description="Attachments stored as documents of their own.")
    skipped: list[SkippedAttachment] = PydanticField(description="Attachments listed but not stored, and why.")


class MessageList(ToolOutput):
    items: list[MessageRecord] = PydanticField(
        description="Oldest first; messages without a Date come last, and only when no period is given."
    )
    next_cursor: str | None = PydanticField(description="Pass as cursor for the next page; null on the last.")

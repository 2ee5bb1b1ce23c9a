"""The rows behind stored e-mails: a message's sealed envelope, and the links between it and its attachments."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_arkiver.message_models import ATTACHMENT, DocumentLink, DocumentMessage


@dataclass(slots=True)
class Links:
    """For each document asked about: the attachments it carries, and the messages it came attached to."""

    attachments: dict[str, list[str]] = field(default_factory=dict)
    attached_to: dict[str, list[str]] = field(default_factory=dict)


def link_ref(parent_id: str, child_id: str) -> str:
    return f"{parent_id}:{child_id}"


async def links_of(session: AsyncSession, document_ids: Sequence[str]) -> Links:
    found = Links()
    if not document_ids:
        return found
    rows = await session.exec(
        select(DocumentLink.parent_document_id, DocumentLink.child_document_id)
        .where(DocumentLink.kind == ATTACHMENT)
        .where(
            or_(
                col(DocumentLink.parent_document_id).in_(document_ids),
                col(DocumentLink.child_document_id).in_(document_ids),
            )
        )
        .order_by(col(DocumentLink.id))
    )
    wanted = set(document_ids)
    for parent, child in rows:
        if parent in wanted:
            found.attachments.setdefault(parent, []).append(child)
        if child in wanted:
            found.attached_to.setdefault(child, []).append(parent)
    return found


async def forget_message(session: AsyncSession, document_id: str) -> None:
    """Drop what ties a document to messages or attachments (its message row, if it is one, and its links).
    The documents on the other end stay: an attachment is a document of its own."""
    await session.exec(
        delete(DocumentLink).where(
            or_(
                col(DocumentLink.parent_document_id) == document_id,
                col(DocumentLink.child_document_id) == document_id,
            )
        )
    )
    await session.exec(delete(DocumentMessage).where(col(DocumentMessage.document_id) == document_id))

"""`arkiver_messages`: a matter's e-mails in the order they were sent, with who, to whom, what about and their
attachments, for a timeline to place them and thread them (message_id, in_reply_to, references)."""

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import col, select

from cyrano_arkiver.message_models import (
    ATTACHMENT,
    AttachmentRef,
    DocumentLink,
    DocumentMessage,
    Envelope,
    MessageList,
    MessageRecord,
    MessagesRequest,
)
from cyrano_arkiver.models import Document
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import Database, SealedField, arguments_fingerprint, next_page_cursor, page_offset


class MessageReader:
    def __init__(
        self,
        *,
        database: Database,
        matters: MattersReader,
        envelope: SealedField,
        link_filename: SealedField,
    ) -> None:
        self._database = database
        self._matters = matters
        self._envelope = envelope
        self._link_filename = link_filename

    async def messages(self, request: MessagesRequest) -> MessageList:
        bound = arguments_fingerprint(request.matter_id, request.since, request.until, request.limit)
        offset = page_offset(request.cursor, bound, "cursor: it belongs to another matter or period")
        await self._matters.find(request.matter_id)  # not_found for a matter that does not exist
        statement = (
            select(DocumentMessage)
            .join(Document, col(Document.id) == col(DocumentMessage.document_id))
            .where(Document.matter_id == request.matter_id)
        )
        if request.since is not None:
            statement = statement.where(col(DocumentMessage.sent_at) >= _start_of(request.since))
        if request.until is not None:
            statement = statement.where(col(DocumentMessage.sent_at) < _start_of(request.until + timedelta(days=1)))
        statement = statement.order_by(
            col(DocumentMessage.sent_at).is_(None), col(DocumentMessage.sent_at), col(DocumentMessage.document_id)
        )
        async with self._database.session() as session:
            rows = (await session.exec(statement.offset(offset).limit(request.limit + 1))).all()
            page = rows[: request.limit]
            links = (
                await session.exec(
                    select(DocumentLink)
                    .where(DocumentLink.kind == ATTACHMENT)
                    .where(col(DocumentLink.parent_document_id).in_([row.document_id for row in page]))
                    .order_by(col(DocumentLink.id))
                )
            ).all()
        attachments: dict[str, list[AttachmentRef]] = {}
        for link in links:
            attachments.setdefault(link.parent_document_id, []).append(
                AttachmentRef(
                    document_id=link.child_document_id, filename=await self._link_filename.open(link.ref, link.filename)
                )
            )
        return MessageList(
            items=[await self._record(row, attachments.get(row.document_id, [])) for row in page],
            next_cursor=next_page_cursor(len(rows), request.limit, offset, bound),
        )

    async def _record(self, row: DocumentMessage, attachments: list[AttachmentRef]) -> MessageRecord:
        envelope = Envelope.model_validate_json(await self._envelope.open(row.document_id, row.envelope))
        return MessageRecord(
            document_id=row.document_id,
            sent_at=row.sent_at,
            attachments=attachments,
            **envelope.model_dump(exclude={"date_written", "skipped"}),
            skipped=envelope.skipped,
        )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)

"""Storing a parsed e-mail: the message as a document, each readable attachment as a document of its own (same
matter, same pipeline, same dedup), the links between them and the sealed envelope, in one transaction.

Every attachment is parsed and read before the transaction opens; an attachment Arkiver cannot read is listed
in the envelope with the reason instead. Anything that fails otherwise fails the whole message: nothing of it
is stored, so an e-mail is never kept without the attachments it came with.
"""

from dataclasses import dataclass

from cyrano_arkiver.document_writer import DocumentWriter, PreparedDocument, dedup_key
from cyrano_arkiver.message_models import ATTACHMENT, DocumentLink, DocumentMessage, Envelope, SkippedAttachment
from cyrano_arkiver.message_store import link_ref
from cyrano_arkiver.metrics import record_ingested
from cyrano_arkiver.models import Document
from cyrano_arkiver.parsing import DocumentError, MailAttachment, ParsedDocument
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import Database, SealedField


@dataclass(frozen=True, slots=True)
class StoredMessage:
    message: PreparedDocument
    duplicate_of: Document | None  # the same e-mail was already stored in the matter (a concurrent ingest won)
    skipped: list[SkippedAttachment]


@dataclass(frozen=True, slots=True)
class _Attached:
    """An attachment to link: a document stored already (`existing`) or one to store with the message."""

    filename: str
    existing: Document | None = None
    prepared: PreparedDocument | None = None


class MailIngest:
    def __init__(
        self,
        *,
        database: Database,
        writer: DocumentWriter,
        matters: MattersReader,
        envelope: SealedField,
        link_filename: SealedField,
    ) -> None:
        self._database = database
        self._writer = writer
        self._matters = matters
        self._envelope = envelope
        self._link_filename = link_filename

    async def ingest(
        self, parsed: ParsedDocument, *, data: bytes, filename: str | None, matter_id: str | None
    ) -> StoredMessage:
        assert parsed.mail is not None
        message = await self._writer.prepare(parsed, data=data, filename=filename, matter_id=matter_id)
        attached: list[_Attached] = []
        skipped: list[SkippedAttachment] = []
        keys: set[str] = {message.document.dedup_key}
        for attachment in parsed.mail.attachments:
            key = dedup_key(matter_id, attachment.data)
            if key in keys:
                continue  # the same file twice in one message (or the message attached to itself) is one document
            keys.add(key)
            existing = await self._writer.find(key)
            if existing is not None:
                attached.append(_Attached(attachment.filename, existing=existing))
                continue
            try:
                prepared = await self._prepare_attachment(attachment, matter_id)
            except DocumentError as refused:
                skipped.append(_skipped(attachment, str(refused)))
                continue
            attached.append(_Attached(attachment.filename, prepared=prepared))

        headers = parsed.mail.headers
        envelope = Envelope(
            **headers.model_dump(exclude={"sent_at"}),
            skipped=skipped,
        )
        document_id = message.document.id
        stored: list[Document] = []
        async with self._database.transaction() as session:
            if matter_id is not None:
                await self._matters.ensure_open(matter_id, session=session)
            raced = await self._writer.find(message.document.dedup_key, session)
            if raced is not None:
                return StoredMessage(message, raced, skipped)
            await self._writer.store(session, message)
            session.add(
                DocumentMessage(
                    document_id=document_id,
                    sent_at=headers.sent_at,
                    envelope=await self._envelope.seal(document_id, envelope.model_dump_json()),
                )
            )
            for item in attached:
                child = item.existing
                if item.prepared is not None:
                    # Stored meanwhile by another ingest (the same file in another message): link to that one.
                    child = await self._writer.find(item.prepared.document.dedup_key, session)
                    if child is None:
                        await self._writer.store(session, item.prepared)
                        child = item.prepared.document
                        stored.append(child)
                assert child is not None
                ref = link_ref(document_id, child.id)
                session.add(
                    DocumentLink(
                        ref=ref,
                        parent_document_id=document_id,
                        child_document_id=child.id,
                        kind=ATTACHMENT,
                        filename=await self._link_filename.seal(ref, item.filename),
                    )
                )
        for document in stored:
            record_ingested(document.format, pages=document.page_count)
        return StoredMessage(message, None, skipped)

    async def _prepare_attachment(self, attachment: MailAttachment, matter_id: str | None) -> PreparedDocument:
        if not attachment.data:
            raise DocumentError("the attachment is empty (0 bytes)")
        parsed = await self._writer.parse(attachment.data, attachment.filename)
        return await self._writer.prepare(
            parsed, data=attachment.data, filename=attachment.filename, matter_id=matter_id
        )


def _skipped(attachment: MailAttachment, reason: str) -> SkippedAttachment:
    return SkippedAttachment(
        filename=attachment.filename,
        content_type=attachment.content_type,
        size_bytes=len(attachment.data),
        reason=reason,
    )

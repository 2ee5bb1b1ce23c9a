"""Documents as Chronometric reads them: through Arkiver's tools, as the caller, so only what the caller may read."""

from dataclasses import dataclass

from cyrano_arkiver.api import (
    INSIGHTS,
    LIST_DOCUMENTS,
    MESSAGES,
    READ_DOCUMENT,
    DocumentInsights,
    DocumentListRequest,
    InsightKind,
    InsightsRequest,
    MessageRecord,
    MessagesRequest,
    PageRangeRequest,
)
from cyrano_mcp.kit import OperationCaller

_DOCUMENTS_PER_LISTING = 100
_INSIGHT_PAGES = 20  # at most 2,000 dates and obligations of one document are read


@dataclass(frozen=True)
class DocumentRef:
    id: str
    name: str
    matter_id: str | None


async def matter_documents(operations: OperationCaller, matter_id: str) -> list[DocumentRef]:
    """Every document of the matter, newest first, through as many listings as it takes."""
    documents: list[DocumentRef] = []
    offset: int | None = 0
    while offset is not None:
        listed = await operations.run(
            LIST_DOCUMENTS, DocumentListRequest(matter_id=matter_id, limit=_DOCUMENTS_PER_LISTING, offset=offset)
        )
        documents += [DocumentRef(item.id, item.filename or item.id, item.matter_id) for item in listed.items]
        offset = listed.next_offset
    return documents


async def one_document(operations: OperationCaller, document_id: str) -> DocumentRef:
    """The document's name and matter (`not_found` if the caller cannot read it)."""
    record = (await operations.run(READ_DOCUMENT, PageRangeRequest(document_id=document_id, last_page=1))).document
    return DocumentRef(record.id, record.filename or record.id, record.matter_id)


async def matter_messages(operations: OperationCaller, matter_id: str) -> list[MessageRecord]:
    """Every e-mail filed in the matter, oldest first (undated ones last)."""
    messages: list[MessageRecord] = []
    cursor: str | None = None
    while True:
        listed = await operations.run(MESSAGES, MessagesRequest(matter_id=matter_id, limit=100, cursor=cursor))
        messages += listed.items
        cursor = listed.next_cursor
        if cursor is None:
            return messages


async def all_insights(operations: OperationCaller, document_id: str, kinds: list[InsightKind]) -> DocumentInsights:
    """The document's key terms with every page of its lists (of the kinds asked), joined into one answer."""
    request = InsightsRequest(document_id=document_id, kinds=kinds, limit=100)
    first = await operations.run(INSIGHTS, request)
    cursor, pages = first.next_cursor, 1
    while cursor is not None and pages < _INSIGHT_PAGES:
        more = await operations.run(INSIGHTS, request.model_copy(update={"cursor": cursor}))
        first.lists.dates += more.lists.dates
        first.lists.obligations += more.lists.obligations
        cursor, pages = more.next_cursor, pages + 1
    return first

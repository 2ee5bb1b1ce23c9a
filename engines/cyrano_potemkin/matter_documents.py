"""A matter's documents, listed through Arkiver's tool as the caller (so only what the caller may read)."""

from cyrano_arkiver.api import LIST_DOCUMENTS, DocumentListRequest
from cyrano_mcp.kit import OperationCaller

_DOCUMENTS_PER_LISTING = 100


async def matter_document_ids(operations: OperationCaller, matter_id: str) -> list[str]:
    """The ids of every document of the matter, newest first, through as many listings as it takes."""
    ids: list[str] = []
    offset: int | None = 0
    while offset is not None:
        listed = await operations.run(
            LIST_DOCUMENTS, DocumentListRequest(matter_id=matter_id, limit=_DOCUMENTS_PER_LISTING, offset=offset)
        )
        ids += [record.id for record in listed.items]
        offset = listed.next_offset
    return ids

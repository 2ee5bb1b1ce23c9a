"""Arkiver's resources: a stored document by its URI, and the recent documents a host's attach menu lists."""

from cyrano_arkiver.models import DocumentListRequest, PageRangeRequest
from cyrano_arkiver.service import ArkiverService
from cyrano_mcp.kit import (
    InvalidInputError,
    ListedResource,
    ListingPage,
    ListingRequest,
    ResourceListing,
    ResourceTemplate,
)


def arkiver_resources(service: ArkiverService) -> tuple[list[ResourceTemplate], list[ResourceListing]]:
    async def read_document(document_id: str) -> str:
        return (await service.read_document(PageRangeRequest(document_id=document_id))).model_dump_json()

    async def recent_documents(request: ListingRequest) -> ListingPage:
        offset = _offset(request.cursor)
        page = await service.list_documents(DocumentListRequest(limit=request.limit, offset=offset))
        listed = [
            ListedResource(
                uri=document.uri,
                name=document.filename or document.id,
                description=f"{document.format.upper()}, {document.page_count} page(s), stored "
                f"{document.created_at:%Y-%m-%d}" + (f", matter {document.matter_id}" if document.matter_id else ""),
            )
            for document in page.items
        ]
        return ListingPage(resources=listed, next_cursor=None if page.next_offset is None else str(page.next_offset))

    templates = [
        ResourceTemplate(
            uri_template="cyrano://documents/{document_id}",
            name="document",
            description="A stored document's details and its first pages of text (as arkiver_read_document "
            "gives them), as JSON; arkiver_read_document from next_page reads on.",
            handler=read_document,
            permission="documents:read",
        )
    ]
    listings = [
        ResourceListing(
            "documents", "Stored documents, newest first.", handler=recent_documents, permission="documents:read"
        )
    ]
    return templates, listings


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit() or int(cursor) > 100_000:
        raise InvalidInputError("cursor: not a cursor this server issued; start again without it")
    return int(cursor)

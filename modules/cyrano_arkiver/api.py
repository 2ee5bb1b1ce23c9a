"""What other engines may use of Arkiver: typed handles on its tools, run through the call path as the caller.

    found = await context.operations.run(SEARCH, SearchRequest(query="governing law", matter_id=matter_id))

Besides the tools, the readers of values in contract text (`text_values`: dates, periods, jurisdictions, party
names), so that another engine reads a value exactly as Arkiver's extraction does. Nothing else of this package
is for other engines: its tables, sealed columns and service stay its own.
"""

from cyrano_arkiver.extraction.models import Duration
from cyrano_arkiver.insight_views import DocumentInsights, Quoted
from cyrano_arkiver.message_models import AttachmentRef, MessageList, MessageRecord, MessagesRequest
from cyrano_arkiver.models import (
    DocumentId,
    DocumentListRequest,
    DocumentPageList,
    DocumentText,
    InsightKind,
    InsightsRequest,
    PageRangeRequest,
    SearchRequest,
    SearchResults,
)
from cyrano_arkiver.text_values import (
    DateMention,
    Found,
    add_duration,
    dates_in,
    durations_in,
    jurisdictions_in,
    party_key,
    sentences_in,
)
from cyrano_mcp.kit import OperationRef

__all__ = [
    "INSIGHTS",
    "LIST_DOCUMENTS",
    "MESSAGES",
    "READ_DOCUMENT",
    "SEARCH",
    "AttachmentRef",
    "DateMention",
    "DocumentId",
    "DocumentInsights",
    "DocumentListRequest",
    "DocumentPageList",
    "DocumentText",
    "Duration",
    "Found",
    "InsightKind",
    "InsightsRequest",
    "MessageList",
    "MessageRecord",
    "MessagesRequest",
    "PageRangeRequest",
    "Quoted",
    "SearchRequest",
    "SearchResults",
    "add_duration",
    "dates_in",
    "durations_in",
    "jurisdictions_in",
    "party_key",
    "sentences_in",
]

SEARCH = OperationRef("arkiver_search", SearchRequest, SearchResults)
READ_DOCUMENT = OperationRef("arkiver_read_document", PageRangeRequest, DocumentText)
LIST_DOCUMENTS = OperationRef("arkiver_list_documents", DocumentListRequest, DocumentPageList)
INSIGHTS = OperationRef("arkiver_insights", InsightsRequest, DocumentInsights)
# A matter's e-mails by the time they were sent (a period, paged), for a timeline: `arkiver_messages`.
MESSAGES = OperationRef("arkiver_messages", MessagesRequest, MessageList)

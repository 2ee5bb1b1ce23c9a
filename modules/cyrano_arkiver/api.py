"""What other engines may use of Arkiver: typed handles on its tools, run through the call path as the caller.

    found = await context.operations.run(SEARCH, SearchRequest(query="governing law", matter_id=matter_id))

Nothing else of this package is for other engines: its tables, sealed columns and service stay its own.
"""

from cyrano_arkiver.insight_views import DocumentInsights
from cyrano_arkiver.models import (
    DocumentText,
    InsightsRequest,
    PageRangeRequest,
    SearchRequest,
    SearchResults,
)
from cyrano_mcp.kit import OperationRef

__all__ = [
    "INSIGHTS",
    "READ_DOCUMENT",
    "SEARCH",
    "DocumentInsights",
    "DocumentText",
    "InsightsRequest",
    "PageRangeRequest",
    "SearchRequest",
    "SearchResults",
]

SEARCH = OperationRef("arkiver_search", SearchRequest, SearchResults)
READ_DOCUMENT = OperationRef("arkiver_read_document", PageRangeRequest, DocumentText)
INSIGHTS = OperationRef("arkiver_insights", InsightsRequest, DocumentInsights)

"""Arkiver's own series at `GET /metrics`: documents and pages ingested, by format and outcome."""

from cyrano_mcp.kit.metrics import counter

DOCUMENTS_INGESTED = counter(
    "cyrano_documents_ingested", "Documents ingested, by source format and outcome.", ["format", "outcome"]
)
PAGES_INGESTED = counter("cyrano_pages_ingested", "Pages ingested, by source format.", ["format"])


def record_ingested(source_format: str, *, pages: int, outcome: str = "ok") -> None:
    """One document of `pages` pages ingested (or, with another `outcome`, not)."""
    DOCUMENTS_INGESTED.labels(source_format, outcome).inc()
    if pages:
        PAGES_INGESTED.labels(source_format).inc(pages)

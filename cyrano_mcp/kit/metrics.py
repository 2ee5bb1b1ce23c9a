"""An engine's own Prometheus series, registered with the server's, served at `GET /metrics`.

    INGESTED = counter("cyrano_documents_ingested", "Documents ingested.", ["format", "outcome"])
    INGESTED.labels("pdf", "ok").inc()

Names start with `cyrano_`; labels never carry client material (names, text), only kinds and outcomes.
"""

from collections.abc import Sequence

from prometheus_client import Counter, Histogram

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.observability.metrics import REGISTRY


def counter(name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
    _check(name)
    return Counter(name, documentation, list(labels), registry=REGISTRY)


def histogram(name: str, documentation: str, labels: Sequence[str] = (), buckets: Sequence[float] = ()) -> Histogram:
    _check(name)
    if buckets:
        return Histogram(name, documentation, list(labels), registry=REGISTRY, buckets=list(buckets))
    return Histogram(name, documentation, list(labels), registry=REGISTRY)


def _check(name: str) -> None:
    if not name.startswith("cyrano_"):
        raise ConfigError(f"metric {name!r}: an engine's metric names start with cyrano_")

"""Read Prometheus expositions the way Prometheus does: with prometheus_client's own parser."""

from prometheus_client.parser import text_string_to_metric_families

from cyrano_arkiver.metrics import record_ingested
from cyrano_mcp.observability import metrics


def sample(exposition: str, name: str, **labels: str) -> float | None:
    """The value of the one sample `name{labels...}` (other labels ignored), or None if there is none."""
    found = [
        s.value
        for family in text_string_to_metric_families(exposition)
        for s in family.samples
        if s.name == name and all(s.labels.get(key) == value for key, value in labels.items())
    ]
    assert len(found) <= 1, f"{name}{labels} matches {len(found)} samples"
    return found[0] if found else None


def exported_names() -> set[str]:
    """Every sample name this process exports, once each reporting API has been used."""
    metrics.record_auth_failure("invalid_token")
    metrics.record_rate_limited("user")
    metrics.record_llm_call("offline", "test", outcome="ok", seconds=0.1, input_tokens=1, output_tokens=1)
    metrics.set_llm_circuit_open("offline", False)
    record_ingested("pdf", pages=1)
    metrics.record_logged_error("tests")
    return {s.name for family in text_string_to_metric_families(metrics.exposition().decode()) for s in family.samples}

"""What an HTTP status from a vendor API means for Cyrano: retry (and when), or give up."""

from collections.abc import Mapping

from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.provider import Probe
from cyrano_mcp.llm.resilience import retry_after_seconds


def failure_for_status(status: int, headers: Mapping[str, str]) -> UpstreamFailure:
    retry_after = retry_after_seconds(headers)
    if status == 429:
        return UpstreamFailure(
            "rate_limited", "rate limited (HTTP 429)", retryable=True, status=status, retry_after=retry_after
        )
    if status == 408:
        return UpstreamFailure("timeout", "the vendor timed out (HTTP 408)", retryable=True, status=status)
    if status >= 500:
        return UpstreamFailure(
            "server_error", f"server error (HTTP {status})", retryable=True, status=status, retry_after=retry_after
        )
    return UpstreamFailure("rejected", f"the request was refused (HTTP {status})", retryable=False, status=status)


def probe_for_status(status: int) -> Probe:
    """A model-list probe that got an HTTP error: reachable, but is it usable?"""
    if status in (401, 403):
        return Probe("failed", f"reachable, but the key was refused (HTTP {status})")
    return Probe("failed", f"reachable, but the model list failed (HTTP {status})")

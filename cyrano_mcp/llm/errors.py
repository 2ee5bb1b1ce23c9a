"""How one exchange with a provider failed.

    UpstreamFailure               raised by a provider for one failed exchange; the gateway retries or
                                  falls back on it, so it never reaches an engine

What reaches engines is `LLMError` and its kinds, in `cyrano_mcp.kit.model`. Messages name providers, status
codes and counts, never prompt text or what the vendor echoed back.
"""

from typing import Literal

FailureReason = Literal[
    "rate_limited", "server_error", "timeout", "connection", "bad_response", "rejected", "declined", "unavailable"
]


class UpstreamFailure(Exception):
    """One exchange with a provider failed. `retryable` failures are retried with backoff."""

    def __init__(
        self,
        reason: FailureReason,
        detail: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(detail)
        self.reason: FailureReason = reason
        self.detail = detail
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after
        self.attempts = 1

"""Errors of the model layer.

    DomainError (cyrano_mcp.errors)
    └── LLMError                  engines catch this and run their rules instead
        ├── ModelUnavailableError no provider answered: none configured, offline, circuit open, client cannot
        │                         sample, or each one tried failed; `reasons` says why, per provider
        └── ModelOutputError      a model answered, but not in the requested shape, even after one repair

    UpstreamFailure               raised by a provider for one failed exchange; the gateway retries or
                                  falls back on it, so it never reaches an engine

Messages name providers, status codes and counts, never prompt text or what the vendor echoed back.
"""

from collections.abc import Mapping
from typing import Literal

from cyrano_mcp.errors import DomainError

FailureReason = Literal[
    "rate_limited", "server_error", "timeout", "connection", "bad_response", "rejected", "declined", "unavailable"
]


class LLMError(DomainError):
    code = "model_error"


class ModelUnavailableError(LLMError):
    code = "model_unavailable"

    def __init__(self, reasons: Mapping[str, str]) -> None:
        detail = "; ".join(f"{name}: {reason}" for name, reason in reasons.items()) or "no provider is enabled"
        super().__init__(f"no model available ({detail})", details={"reasons": dict(reasons)})
        self.reasons = dict(reasons)


class ModelOutputError(LLMError):
    code = "model_output_invalid"

    def __init__(self, *, provider: str, model: str, problem: str) -> None:
        super().__init__(
            f"{provider}/{model} did not answer in the requested shape, even after a repair attempt: {problem}",
            details={"provider": provider, "model": model},
        )
        self.provider = provider
        self.model = model


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

"""The one interface every vendor module implements.

A provider only speaks its vendor's wire format: one exchange in, one `ProviderReply` out, or an
`UpstreamFailure`. Redaction, retries, the circuit breaker, validation and repair, the cache and the
ledger are the gateway's, so every provider gets them the same way.
"""

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from cyrano_mcp.kit.model import LLMRequest, ProviderName, Usage

ProviderKind = Literal["api", "client", "none"]
"""`api`: a vendor's HTTP API (retried, behind a circuit breaker, probed by the doctor);
`client`: the connected MCP client's own model; `none`: no model at all."""


@dataclass(frozen=True, slots=True)
class OutputSchema:
    """The JSON schema a structured answer must follow, under a name vendors accept for a tool or format."""

    name: str
    json_schema: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ProviderReply:
    """One answer: its text (for a structured request, the JSON of the object) and who counted what."""

    text: str
    model: str
    usage: Usage


@dataclass(frozen=True, slots=True)
class Availability:
    """Whether a provider can take a request right now, and if not, why (shown to operators and callers)."""

    available: bool
    reason: str

    @classmethod
    def ready(cls, reason: str = "ready") -> "Availability":
        return cls(True, reason)

    @classmethod
    def unavailable(cls, reason: str) -> "Availability":
        return cls(False, reason)


ProbeStatus = Literal["ok", "failed", "not_configured", "not_applicable"]


@dataclass(frozen=True, slots=True)
class Probe:
    """The doctor's view of a provider: can it be reached and used from here?"""

    status: ProbeStatus
    detail: str
    latency_ms: float | None = None


class Provider(Protocol):
    @property
    def name(self) -> ProviderName: ...

    @property
    def kind(self) -> ProviderKind: ...

    @property
    def model(self) -> str | None:
        """The configured model (None where the answerer picks it: sampling, offline)."""
        ...

    @property
    def configured(self) -> bool:
        """Whether the settings it needs are present (a key, for vendor APIs)."""
        ...

    def availability(self) -> Availability:
        """Cheap and local: no network. Sampling looks at the tool call being served."""
        ...

    async def send(self, request: LLMRequest, schema: OutputSchema | None, *, timeout: float) -> ProviderReply:
        """One exchange. Raises `UpstreamFailure`."""
        ...

    async def probe(self, *, timeout: float) -> Probe: ...

    async def aclose(self) -> None: ...

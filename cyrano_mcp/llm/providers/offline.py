"""No model at all. It never pretends to be one: it is never available, and engines run their rules."""

from cyrano_mcp.kit.model import LLMRequest, ProviderName
from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.provider import Availability, OutputSchema, Probe, ProviderKind, ProviderReply

NO_MODEL = "no model: engines use their rules"


class OfflineProvider:
    @property
    def name(self) -> ProviderName:
        return "offline"

    @property
    def kind(self) -> ProviderKind:
        return "none"

    @property
    def model(self) -> None:
        return None

    @property
    def configured(self) -> bool:
        return True

    def availability(self) -> Availability:
        return Availability.unavailable(NO_MODEL)

    async def send(self, request: LLMRequest, schema: OutputSchema | None, *, timeout: float) -> ProviderReply:
        raise UpstreamFailure("unavailable", NO_MODEL, retryable=False)

    async def probe(self, *, timeout: float) -> Probe:
        return Probe("not_applicable", "always there: engines fall back to their rules without a model")

    async def aclose(self) -> None:
        return None

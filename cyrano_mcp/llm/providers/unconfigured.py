"""A vendor whose key is not set: never available, and its SDK (slow to import) is never loaded."""

from typing import Literal

from cyrano_mcp.kit.model import LLMRequest, ProviderName
from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.provider import Availability, OutputSchema, Probe, ProviderKind, ProviderReply


class UnconfiguredVendor:
    def __init__(self, name: Literal["openai", "anthropic"], *, model: str, key_variable: str) -> None:
        self._name: Literal["openai", "anthropic"] = name
        self._model = model
        self._reason = f"{key_variable} is not set"

    @property
    def name(self) -> ProviderName:
        return self._name

    @property
    def kind(self) -> ProviderKind:
        return "api"

    @property
    def model(self) -> str:
        return self._model

    @property
    def configured(self) -> bool:
        return False

    def availability(self) -> Availability:
        return Availability.unavailable(self._reason)

    async def send(self, request: LLMRequest, schema: OutputSchema | None, *, timeout: float) -> ProviderReply:
        raise UpstreamFailure("unavailable", self._reason, retryable=False)

    async def probe(self, *, timeout: float) -> Probe:
        return Probe("not_configured", self._reason)

    async def aclose(self) -> None:
        return None

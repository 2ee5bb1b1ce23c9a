"""What the vendor adapters (OpenAI, Anthropic) share: Cyrano's own key, an optional base URL, one model."""

from typing import ClassVar

from pydantic import SecretStr

from cyrano_mcp.kit.model import ProviderName
from cyrano_mcp.llm.provider import Availability, ProviderKind


class VendorProvider:
    vendor: ClassVar[ProviderName]

    def __init__(self, *, api_key: SecretStr, base_url: str | None, model: str) -> None:
        self._api_key = api_key
        self._base_url = base_url
        self._model = model

    @property
    def name(self) -> ProviderName:
        return self.vendor

    @property
    def kind(self) -> ProviderKind:
        return "api"

    @property
    def model(self) -> str:
        return self._model

    @property
    def configured(self) -> bool:
        return True

    def availability(self) -> Availability:
        return Availability.ready()

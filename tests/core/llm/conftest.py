"""Fake vendor APIs, gateways wired to them through the real SDKs, and a store holding the ledger."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from pydantic import BaseModel, SecretStr
from sqlmodel import col, select

from cyrano_mcp.llm.gateway import LLMGateway
from cyrano_mcp.llm.ledger import LLMCall, UsageLedger
from cyrano_mcp.llm.migrations import MIGRATIONS
from cyrano_mcp.llm.provider import Provider
from cyrano_mcp.llm.providers.anthropic import AnthropicProvider
from cyrano_mcp.llm.providers.openai import OpenAIProvider
from cyrano_mcp.llm.providers.unconfigured import UnconfiguredVendor
from cyrano_mcp.llm.redaction import Redactor
from cyrano_mcp.llm.resilience import RetryPolicy
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import Component, upgrade
from tests.fakes.models import FakeModelServer, Vendor, running
from tests.utils.timing import Naps

OWN_KEY = "sk-cyrano-own-key-for-tests"
MODEL = "test-model"


class Verdict(BaseModel):
    """A response model like an engine's: every field required."""

    verdict: str
    confidence: float


@dataclass
class Upstream:
    vendor: Vendor
    fake: FakeModelServer
    url: str

    def provider(self, *, key: str | None = OWN_KEY) -> Provider:
        return vendor_provider(self.vendor, self.url, key=key)


def vendor_provider(vendor: Vendor, url: str | None, *, key: str | None = OWN_KEY) -> Provider:
    if key is None:
        return UnconfiguredVendor(vendor, model=MODEL, key_variable=f"{vendor.upper()}_API_KEY")
    if vendor == "openai":
        return OpenAIProvider(api_key=SecretStr(key), base_url=url, model=MODEL)
    return AnthropicProvider(api_key=SecretStr(key), base_url=url, model=MODEL)


@pytest.fixture(params=["openai", "anthropic"])
async def upstream(request: pytest.FixtureRequest) -> AsyncIterator[Upstream]:
    """Each vendor's fake in turn."""
    async with running(request.param) as (fake, url):
        yield Upstream(request.param, fake, url)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Database]:
    """An open store holding the ledger's table."""
    database = Database(settings)
    await database.open()
    await upgrade(database, [Component("llm", MIGRATIONS)])
    try:
        yield database
    finally:
        await database.close()


class GatewayFactory(Protocol):
    def __call__(
        self,
        *providers: Provider,
        selection: Any = "auto",
        naps: Naps | None = None,
        database: Database | None = None,
        max_attempts: int = 3,
        budget_seconds: float = 30.0,
        timeout: float = 5.0,
        redactor: Redactor | None = None,
        ledger_timeout: float = 5.0,
        **options: Any,
    ) -> LLMGateway: ...


@pytest.fixture
async def make_gateway() -> AsyncIterator[GatewayFactory]:
    """Builds gateways with test-sized limits and closes their SDK clients afterwards."""
    made: list[LLMGateway] = []

    def build(
        *providers: Provider,
        selection: Any = "auto",
        naps: Naps | None = None,
        database: Database | None = None,
        max_attempts: int = 3,
        budget_seconds: float = 30.0,
        timeout: float = 5.0,
        redactor: Redactor | None = None,
        ledger_timeout: float = 5.0,
        **options: Any,
    ) -> LLMGateway:
        gateway = LLMGateway(
            providers,
            selection=selection,
            ledger=UsageLedger(database, write_timeout=ledger_timeout),
            redactor=redactor,
            timeout=timeout,
            policy=RetryPolicy(max_attempts=max_attempts, budget_seconds=budget_seconds),
            sleep=naps or Naps(),
            **options,
        )
        made.append(gateway)
        return gateway

    try:
        yield build
    finally:
        for gateway in made:
            await gateway.aclose()


async def ledger_rows(database: Database) -> list[LLMCall]:
    async with database.session() as session:
        return list((await session.exec(select(LLMCall).order_by(col(LLMCall.created_at)))).all())

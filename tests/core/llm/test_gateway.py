"""Provider selection and fallback, the cache, and what the ledger keeps."""

import hashlib
import json
import time
from collections.abc import AsyncIterator

import pytest

from cyrano_mcp.kit import RULES, LLMError, LLMRequest, Message, ModelUnavailableError, method_label
from cyrano_mcp.llm.cache import ResponseCache
from cyrano_mcp.llm.gateway import LLMGateway
from cyrano_mcp.llm.providers.offline import NO_MODEL
from cyrano_mcp.llm.providers.sampling import SamplingProvider
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from tests.core.llm.conftest import MODEL, GatewayFactory, ledger_rows, vendor_provider
from tests.fakes.models import FakeModelServer, running, status

pytestmark = pytest.mark.anyio

ASK = LLMRequest(messages=(Message.user("Summarise the lease for Mrs Smith."),))


Both = tuple[tuple[FakeModelServer, str], tuple[FakeModelServer, str]]


@pytest.fixture
async def both() -> AsyncIterator[Both]:
    """The OpenAI fake and the Anthropic fake, each with its base URL."""
    async with running("openai") as openai, running("anthropic") as anthropic:
        yield openai, anthropic


async def test_offline_never_pretends_to_be_a_model() -> None:
    gateway = LLMGateway.offline()

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert isinstance(caught.value, LLMError)
    assert caught.value.reasons == {"offline": NO_MODEL}
    assert method_label(None) == RULES == "rules"


async def test_auto_tries_openai_anthropic_sampling_then_offline(make_gateway: GatewayFactory) -> None:
    gateway = make_gateway(
        vendor_provider("openai", None, key=None), vendor_provider("anthropic", None, key=None), SamplingProvider()
    )

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert [provider.name for provider in gateway.chain()] == ["openai", "anthropic", "sampling", "offline"]
    assert caught.value.reasons == {
        "openai": "OPENAI_API_KEY is not set",
        "anthropic": "ANTHROPIC_API_KEY is not set",
        "sampling": "no MCP client here: sampling works only inside a tool call",
        "offline": NO_MODEL,
    }


async def test_auto_uses_the_first_configured_provider(make_gateway: GatewayFactory, both: Both) -> None:
    (_, _), (anthropic_fake, anthropic_url) = both
    gateway = make_gateway(vendor_provider("openai", None, key=None), vendor_provider("anthropic", anthropic_url))

    completion = await gateway.complete(ASK)

    assert completion.provider == "anthropic"
    assert len(anthropic_fake.requests) == 1


async def test_auto_hands_over_to_the_next_provider_when_one_is_down(
    make_gateway: GatewayFactory, both: Both, store: Database
) -> None:
    (openai_fake, openai_url), (anthropic_fake, anthropic_url) = both
    openai_fake.default = status(502)
    gateway = make_gateway(
        vendor_provider("openai", openai_url), vendor_provider("anthropic", anthropic_url), database=store
    )

    completion = await gateway.complete(ASK)

    assert completion.method == f"llm:anthropic/{MODEL}"
    assert [(row.provider, row.outcome) for row in await ledger_rows(store)] == [
        ("openai", "server_error"),
        ("anthropic", "ok"),
    ]


async def test_an_explicit_choice_falls_back_to_rules_not_to_another_vendor(
    make_gateway: GatewayFactory, both: Both
) -> None:
    (openai_fake, openai_url), (anthropic_fake, anthropic_url) = both
    openai_fake.default = status(502)
    gateway = make_gateway(
        vendor_provider("openai", openai_url), vendor_provider("anthropic", anthropic_url), selection="openai"
    )

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert list(caught.value.reasons) == ["openai", "offline"]
    assert anthropic_fake.requests == []


async def test_a_temperature_zero_answer_is_served_from_the_cache(
    make_gateway: GatewayFactory, both: Both, store: Database
) -> None:
    (fake, url), _ = both
    gateway = make_gateway(vendor_provider("openai", url), database=store, cache=ResponseCache(8, 60))

    first = await gateway.complete(ASK)
    second = await gateway.complete(ASK)
    warmer = await gateway.complete(ASK.model_copy(update={"temperature": 0.7}))

    assert (first.cached, second.cached, warmer.cached) == (False, True, False)
    assert second.output == first.output
    assert len(fake.requests) == 2
    cached_row = (await ledger_rows(store))[1]
    assert (cached_row.outcome, cached_row.input_tokens, cached_row.output_tokens) == ("cached", None, None)


async def test_the_ledger_keeps_a_hash_of_the_redacted_prompt_never_the_prompt(
    make_gateway: GatewayFactory, both: Both, store: Database
) -> None:
    (_, url), _ = both
    request = LLMRequest(system="Be brief.", messages=(Message.user("Client SSN is 123-45-6789; lease renews May."),))

    completion = await make_gateway(vendor_provider("openai", url), database=store).complete(request)

    row = (await ledger_rows(store))[0]
    masked = {"system": "Be brief.", "messages": [["user", "Client SSN is [SSN REDACTED]; lease renews May."]]}
    assert row.prompt_sha256 == hashlib.sha256(json.dumps(masked, sort_keys=True).encode()).hexdigest()
    assert (row.redactions, row.input_tokens, row.output_tokens, row.tool) == (1, 12, 5, None)
    stored = json.dumps(row.model_dump(mode="json"))
    assert "lease" not in stored
    assert "6789" not in stored
    assert completion.redactions == {"ssn": 1}


async def test_a_call_made_inside_a_unit_of_work_is_not_held_up_by_the_ledger(
    make_gateway: GatewayFactory, both: Both, store: Database
) -> None:
    """On SQLite the caller's transaction holds the only write connection; the ledger gives up, not the call."""
    (_, url), _ = both
    gateway = make_gateway(vendor_provider("openai", url), database=store, ledger_timeout=0.2)
    started = time.perf_counter()

    async with store.transaction() as session:
        await session.connection()  # the unit of work has started: it holds a write connection
        completion = await gateway.complete(ASK)

    assert completion.output == "ok"
    assert time.perf_counter() - started < 2
    if store.kind == "sqlite":
        assert await ledger_rows(store) == []


async def test_an_offline_gateway_has_no_model(settings: Settings) -> None:
    gateway = LLMGateway.offline()

    assert gateway.selection == "offline"
    with pytest.raises(ModelUnavailableError):
        await gateway.complete(ASK)

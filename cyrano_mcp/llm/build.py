"""Builds the gateway the runtime hands to every engine, from the settings."""

from cyrano_mcp.llm.cache import ResponseCache
from cyrano_mcp.llm.gateway import LLMGateway
from cyrano_mcp.llm.ledger import UsageLedger
from cyrano_mcp.llm.provider import Provider
from cyrano_mcp.llm.providers.sampling import SamplingProvider
from cyrano_mcp.llm.providers.unconfigured import UnconfiguredVendor
from cyrano_mcp.llm.redaction import Redactor
from cyrano_mcp.llm.resilience import RetryPolicy
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database


def build_gateway(settings: Settings, database: Database | None) -> LLMGateway:
    providers: list[Provider] = [_openai(settings), _anthropic(settings), SamplingProvider()]
    cache = ResponseCache(settings.llm_cache_size, settings.llm_cache_ttl_seconds) if settings.llm_cache_size else None
    return LLMGateway(
        providers,
        selection=settings.llm_provider,
        ledger=UsageLedger(database),
        redactor=Redactor(settings.llm_redact),
        cache=cache,
        timeout=settings.llm_timeout_seconds,
        policy=RetryPolicy(max_attempts=settings.llm_max_attempts, budget_seconds=settings.llm_retry_budget_seconds),
        breaker_threshold=settings.llm_breaker_threshold,
        breaker_cooldown=settings.llm_breaker_cooldown_seconds,
    )


# The vendor SDKs take seconds to import; a server with no key for a vendor never loads its SDK.


def _openai(settings: Settings) -> Provider:
    if settings.openai_api_key is None:
        return UnconfiguredVendor("openai", model=settings.openai_model, key_variable="OPENAI_API_KEY")
    from cyrano_mcp.llm.providers.openai import OpenAIProvider

    return OpenAIProvider(
        api_key=settings.openai_api_key, base_url=settings.openai_base_url, model=settings.openai_model
    )


def _anthropic(settings: Settings) -> Provider:
    if settings.anthropic_api_key is None:
        return UnconfiguredVendor("anthropic", model=settings.anthropic_model, key_variable="ANTHROPIC_API_KEY")
    from cyrano_mcp.llm.providers.anthropic import AnthropicProvider

    return AnthropicProvider(
        api_key=settings.anthropic_api_key, base_url=settings.anthropic_base_url, model=settings.anthropic_model
    )

"""Builds the gateway the runtime hands to every engine, from the settings.

Providers come from three places: the built-in vendors and the client's own model, the entry-point group
`cyrano.llm_providers` (a plugin's factory takes the settings and returns a `Provider`), and providers given in
code (`Runtime(settings, providers=[FunctionProvider(...)])`, for tests). `CYRANO_LLM_PROVIDER` must name one.
"""

from collections.abc import Sequence
from importlib.metadata import entry_points

from cyrano_mcp.errors import ConfigError
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

PROVIDER_GROUP = "cyrano.llm_providers"
_BUILT_IN = ("auto", "openai", "anthropic", "sampling", "offline")


def build_gateway(settings: Settings, database: Database | None, extra: Sequence[Provider] = ()) -> LLMGateway:
    providers: list[Provider] = [_openai(settings), _anthropic(settings), SamplingProvider()]
    providers += [*_plugins(settings), *extra]
    names = [*_BUILT_IN, *(provider.name for provider in providers[3:])]
    if len(set(names)) != len(names):
        raise ConfigError(f"two model providers share a name: {', '.join(names)}")
    if settings.llm_provider not in names:
        raise ConfigError(f"CYRANO_LLM_PROVIDER: {settings.llm_provider!r} is none of {', '.join(names)}")
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


def _plugins(settings: Settings) -> list[Provider]:
    found: list[Provider] = []
    for entry_point in sorted(entry_points(group=PROVIDER_GROUP), key=lambda ep: ep.name):
        try:
            factory = entry_point.load()
            provider: Provider = factory(settings)
        except Exception as exc:
            raise ConfigError(
                f"model provider plugin {entry_point.name!r} ({entry_point.value}) failed: {exc}"
            ) from exc
        found.append(provider)
    return found


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

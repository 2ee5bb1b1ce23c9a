"""The one way engines reach a model: `LLMGateway.complete`.

For each request the gateway masks identifiers (redaction), then walks the provider chain chosen by
CYRANO_LLM_PROVIDER. It skips a provider that is unavailable or whose circuit is open; otherwise it serves
a temperature-0 answer from the cache, or calls the provider under a timeout with retries, validates a
structured answer (with one repair turn), records the call in the ledger and returns a `Completion`.
A provider that fails hands over to the next one. When none answers it raises `ModelUnavailableError`,
and engines run their rules.

`auto` tries openai, anthropic, sampling, then offline. A server-side key comes first because an operator
who set one chose that vendor for the practice's data; the client's own model comes next; offline always
closes the chain. An explicit choice is followed by offline alone.
"""

import random
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar, overload

import anyio
from pydantic import BaseModel, ValidationError

from cyrano_mcp.calls import current_call
from cyrano_mcp.kit.model import (
    Completion,
    LLMRequest,
    ModelOutputError,
    ModelUnavailableError,
    ProviderName,
    RedactionKind,
    Selection,
    Usage,
)
from cyrano_mcp.llm.cache import ResponseCache
from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.ledger import CallRecord, UsageLedger
from cyrano_mcp.llm.provider import OutputSchema, Probe, Provider, ProviderReply
from cyrano_mcp.llm.providers.offline import OfflineProvider
from cyrano_mcp.llm.redaction import EVERY_KIND, Redactor
from cyrano_mcp.llm.reports import LLMUsageQuery, LLMUsageReport, ProviderStatus
from cyrano_mcp.llm.resilience import CircuitBreaker, CircuitOpen, Clock, RetryPolicy, Sleep, call_with_retries
from cyrano_mcp.llm.structured import output_schema, parse, problem_summary, repair_request
from cyrano_mcp.observability import metrics, tracing
from cyrano_mcp.observability.logging import get_logger

log = get_logger("cyrano.llm")

ModelT = TypeVar("ModelT", bound=BaseModel)

# `auto` asks the vendors first, then providers from plugins (in the order given), then the client's own model.
VENDORS: tuple[ProviderName, ...] = ("openai", "anthropic")
LAST: tuple[ProviderName, ...] = ("sampling", "offline")


class _HandOver(Exception):
    """This provider gave no answer; try the next one."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LLMGateway:
    def __init__(
        self,
        providers: Sequence[Provider],
        *,
        selection: Selection = "auto",
        ledger: UsageLedger | None = None,
        redactor: Redactor | None = None,
        cache: ResponseCache | None = None,
        timeout: float = 60.0,
        policy: RetryPolicy | None = None,
        breaker_threshold: int = 5,
        breaker_cooldown: float = 30.0,
        sleep: Sleep = anyio.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.selection: Selection = selection
        self._providers: dict[ProviderName, Provider] = {"offline": OfflineProvider()}
        self._providers.update({provider.name: provider for provider in providers})
        others = [provider.name for provider in providers if provider.name not in (*VENDORS, *LAST)]
        self._auto_order: tuple[ProviderName, ...] = (*VENDORS, *others, *LAST)
        self._breakers = {
            provider.name: CircuitBreaker(breaker_threshold, breaker_cooldown, clock)
            for provider in providers
            if provider.kind == "api"
        }
        self._ledger = ledger or UsageLedger(None)
        self._redactor = redactor or Redactor(EVERY_KIND)
        self._cache = cache
        self._timeout = timeout
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()

    @classmethod
    def offline(cls) -> "LLMGateway":
        """A gateway with no model, for contexts built without a runtime (engines then use their rules)."""
        return cls([], selection="offline")

    def chain(self) -> list[Provider]:
        """The providers a request may go to, in order."""
        names = self._auto_order if self.selection == "auto" else (self.selection, "offline")
        return [self._providers[name] for name in dict.fromkeys(names) if name in self._providers]

    def statuses(self) -> list[ProviderStatus]:
        statuses = []
        for provider in self.chain():
            availability = provider.availability()
            breaker = self._breakers.get(provider.name)
            circuit = breaker.state if breaker is not None else None
            statuses.append(
                ProviderStatus(
                    name=provider.name,
                    configured=provider.configured,
                    available=availability.available and circuit != "open",
                    model=provider.model,
                    detail=availability.reason if circuit != "open" else "circuit open after repeated failures",
                    circuit=circuit,
                )
            )
        return statuses

    async def probe(self, *, timeout: float = 5.0) -> list[tuple[Provider, Probe]]:
        """Every known provider and whether it can be reached from here (for `cyrano-mcp doctor`)."""
        known = [self._providers[name] for name in self._auto_order if name in self._providers]
        return [(provider, await provider.probe(timeout=timeout)) for provider in known]

    async def usage(self, query: LLMUsageQuery) -> LLMUsageReport:
        return await self._ledger.report(query)

    async def aclose(self) -> None:
        for provider in self._providers.values():
            await provider.aclose()

    @overload
    async def complete(self, request: LLMRequest) -> Completion[str]: ...

    @overload
    async def complete(self, request: LLMRequest, response_model: type[ModelT]) -> Completion[ModelT]: ...

    async def complete(self, request: LLMRequest, response_model: type[BaseModel] | None = None) -> Completion[Any]:
        """Ask the first provider that can answer; returns its text, or the validated `response_model`.

        Call it outside `database.transaction()`: a unit of work should not stay open across a network call,
        and on SQLite the ledger cannot record the call until it ends (it waits a few seconds, then skips).

        Raises:
            ModelUnavailableError: no provider answered (its `reasons` say why, per provider).
            ModelOutputError: a model answered, but not in the shape of `response_model`, even after a repair.
        """
        schema = output_schema(response_model) if response_model is not None else None
        safe, redactions = self._redactor.redact_request(request)
        reasons: dict[str, str] = {}
        for provider in self.chain():
            availability = provider.availability()
            if not availability.available:
                reasons[provider.name] = availability.reason
                continue
            attributes = {"gen_ai.system": provider.name, "gen_ai.request.model": provider.model or "unknown"}
            with tracing.span(f"llm.call {provider.name}", attributes) as current:
                try:
                    completion = await self._answer(provider, safe, schema, response_model, redactions)
                except _HandOver as handover:
                    tracing.mark_failed(current, handover)
                    reasons[provider.name] = handover.reason
                    continue
                if current is not None:
                    current.set_attribute("gen_ai.response.model", completion.model)
                    current.set_attribute("gen_ai.usage.input_tokens", completion.usage.input_tokens or 0)
                    current.set_attribute("gen_ai.usage.output_tokens", completion.usage.output_tokens or 0)
                return completion
        await self._record(CallRecord("offline", None, "unavailable", safe.fingerprint(), schema is not None, 0))
        raise ModelUnavailableError(reasons)

    async def _answer(
        self,
        provider: Provider,
        request: LLMRequest,
        schema: OutputSchema | None,
        response_model: type[BaseModel] | None,
        redactions: dict[RedactionKind, int],
    ) -> Completion[Any]:
        fingerprint = request.fingerprint()
        started = time.perf_counter()
        attempts = 0
        usage = Usage()
        repaired = False
        model = provider.model

        async def record(outcome: str) -> None:
            seconds = time.perf_counter() - started
            metrics.record_llm_call(
                provider.name,
                model or "unknown",
                outcome=outcome,
                seconds=seconds,
                input_tokens=usage.input_tokens or 0,
                output_tokens=usage.output_tokens or 0,
            )
            breaker = self._breakers.get(provider.name)
            if breaker is not None:
                metrics.set_llm_circuit_open(provider.name, breaker.state == "open")
            await self._record(
                CallRecord(
                    provider=provider.name,
                    model=model,
                    outcome=outcome,
                    prompt_sha256=fingerprint,
                    structured=schema is not None,
                    redactions=sum(redactions.values()),
                    attempts=attempts,
                    usage=usage,
                    latency_ms=(time.perf_counter() - started) * 1000,
                    repaired=repaired,
                )
            )

        cache_key = None
        if self._cache is not None and provider.kind == "api":
            cache_key = self._cache.key(provider.name, model, request, schema)
        hit = self._cached(cache_key, response_model)
        if hit is not None:
            reply, output = hit
            model = reply.model
            await record("cached")
            return self._completion(provider, reply, output, usage, started, 0, redactions, cached=True)

        try:
            reply, tries = await self._exchange(provider, request, schema)
            attempts, usage, model = tries, reply.usage, reply.model
            try:
                output = _output(response_model, reply.text)
            except ValidationError as exc:
                repaired = True
                reply, tries = await self._exchange(
                    provider, repair_request(request, reply.text, problem_summary(exc)), schema
                )
                attempts, usage, model = attempts + tries, usage + reply.usage, reply.model
                try:
                    output = _output(response_model, reply.text)
                except ValidationError as again:
                    await record("invalid_output")
                    raise ModelOutputError(
                        provider=provider.name, model=reply.model, problem=problem_summary(again)
                    ) from None
        except CircuitOpen:
            await record("circuit_open")
            raise _HandOver("circuit open after repeated failures") from None
        except UpstreamFailure as failure:
            attempts += failure.attempts
            await record(failure.reason)
            tries_note = f" after {failure.attempts} attempts" if failure.attempts > 1 else ""
            raise _HandOver(f"{failure.detail}{tries_note}") from None
        await record("ok")
        if cache_key is not None and self._cache is not None:
            self._cache.put(cache_key, reply)
        return self._completion(provider, reply, output, usage, started, attempts, redactions, repaired=repaired)

    def _cached(self, key: str | None, response_model: type[BaseModel] | None) -> tuple[ProviderReply, Any] | None:
        reply = self._cache.get(key) if self._cache is not None and key is not None else None
        if reply is None:
            return None
        try:
            return reply, _output(response_model, reply.text)
        except ValidationError:
            return None  # another model with the same schema but stricter validators: ask afresh

    async def _exchange(
        self, provider: Provider, request: LLMRequest, schema: OutputSchema | None
    ) -> tuple[ProviderReply, int]:
        async def attempt(timeout: float) -> ProviderReply:
            return await provider.send(request, schema, timeout=timeout)

        # The client's model may have a person approving each request: ask once, never again unasked.
        policy = self._policy if provider.kind == "api" else replace(self._policy, max_attempts=1)
        return await call_with_retries(
            attempt,
            policy=policy,
            timeout=self._timeout,
            breaker=self._breakers.get(provider.name),
            sleep=self._sleep,
            clock=self._clock,
            rng=self._rng,
        )

    @staticmethod
    def _completion(
        provider: Provider,
        reply: ProviderReply,
        output: Any,
        usage: Usage,
        started: float,
        attempts: int,
        redactions: dict[RedactionKind, int],
        *,
        cached: bool = False,
        repaired: bool = False,
    ) -> Completion[Any]:
        return Completion(
            output=output,
            text=reply.text,
            provider=provider.name,
            model=reply.model,
            usage=usage,
            latency_ms=(time.perf_counter() - started) * 1000,
            attempts=attempts,
            redactions=redactions,
            cached=cached,
            repaired=repaired,
        )

    async def _record(self, record: CallRecord) -> None:
        call = current_call()
        log.info(
            "llm_call",
            provider=record.provider,
            model=record.model,
            outcome=record.outcome,
            attempts=record.attempts,
            latency_ms=round(record.latency_ms, 2),
            input_tokens=record.usage.input_tokens,
            output_tokens=record.usage.output_tokens,
            redactions=record.redactions,
            fingerprint=record.prompt_sha256[:16],
            tool=call.tool if call else None,
            correlation_id=call.correlation_id if call else None,
        )
        await self._ledger.record(record)


def _output(response_model: type[BaseModel] | None, text: str) -> Any:
    """The answer as the caller asked for it. Raises `ValidationError` when it does not fit the model."""
    return parse(response_model, text) if response_model is not None else text

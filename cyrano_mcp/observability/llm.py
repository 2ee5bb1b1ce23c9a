"""What the LLM layer wraps around each provider request: a span, the call/token/latency metrics.

    with observe_llm_call("anthropic", "claude-sonnet-4") as call:
        response = await client.messages.create(...)
        call.tokens(response.usage.input_tokens, response.usage.output_tokens)

An exception leaving the block counts as outcome `error` (set `call.outcome` first for a finer word,
such as `timeout` or `refused`); a cancelled request counts as `cancelled`.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cyrano_mcp.observability import metrics, tracing


@dataclass(slots=True)
class LLMCall:
    outcome: str = "ok"
    input_tokens: int = 0
    output_tokens: int = 0

    def tokens(self, input_tokens: int, output_tokens: int) -> None:
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens


@contextmanager
def observe_llm_call(provider: str, model: str) -> Iterator[LLMCall]:
    record = LLMCall()
    started = time.perf_counter()
    with tracing.span(f"llm.call {provider}", {"gen_ai.system": provider, "gen_ai.request.model": model}) as current:
        try:
            yield record
        except Exception as exc:
            if record.outcome == "ok":
                record.outcome = "error"
            tracing.mark_failed(current, exc)
            raise
        except BaseException:  # cancellation: the caller gave up, the provider did not fail
            record.outcome = "cancelled"
            raise
        finally:
            metrics.record_llm_call(
                provider,
                model,
                outcome=record.outcome,
                seconds=time.perf_counter() - started,
                input_tokens=record.input_tokens,
                output_tokens=record.output_tokens,
            )
            if current is not None:
                current.set_attribute("gen_ai.usage.input_tokens", record.input_tokens)
                current.set_attribute("gen_ai.usage.output_tokens", record.output_tokens)
                current.set_attribute("cyrano.outcome", record.outcome)

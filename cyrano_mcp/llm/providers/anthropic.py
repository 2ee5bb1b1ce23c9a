"""Anthropic's messages API through the official SDK (ANTHROPIC_BASE_URL points it elsewhere).

Structured answers are a forced tool call: one tool whose input schema is the response model's, and
`tool_choice` naming it, so the model's answer arrives as that tool's (already parsed) input.
The request carries no temperature: the messages API this SDK speaks (2.x) has no such parameter.
"""

import json
import time

import anthropic
from anthropic.types import MessageParam, ToolParam
from pydantic import SecretStr

from cyrano_mcp.kit.model import LLMRequest, Usage
from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.provider import OutputSchema, Probe, ProviderReply
from cyrano_mcp.llm.providers.status import failure_for_status, probe_for_status
from cyrano_mcp.llm.providers.vendor import VendorProvider


class AnthropicProvider(VendorProvider):
    vendor = "anthropic"

    def __init__(self, *, api_key: SecretStr, base_url: str | None, model: str) -> None:
        super().__init__(api_key=api_key, base_url=base_url, model=model)
        self._client: anthropic.AsyncAnthropic | None = None

    def _sdk(self) -> anthropic.AsyncAnthropic:
        if self._client is None:
            # Cyrano's own key only, and no SDK retries: the gateway decides when to try again.
            self._client = anthropic.AsyncAnthropic(
                api_key=self._api_key.get_secret_value(), base_url=self._base_url, max_retries=0
            )
        return self._client

    async def send(self, request: LLMRequest, schema: OutputSchema | None, *, timeout: float) -> ProviderReply:
        messages: list[MessageParam] = [
            {"role": "user", "content": m.content} if m.role == "user" else {"role": "assistant", "content": m.content}
            for m in request.messages
        ]
        client = self._sdk()
        try:
            if schema is None:
                reply = await client.messages.create(
                    model=self._model,
                    max_tokens=request.max_tokens,
                    system=request.system or anthropic.omit,
                    messages=messages,
                    timeout=timeout,
                )
            else:
                tool: ToolParam = {
                    "name": schema.name,
                    "description": "Record the answer in the required structure.",
                    "input_schema": schema.json_schema,
                }
                reply = await client.messages.create(
                    model=self._model,
                    max_tokens=request.max_tokens,
                    system=request.system or anthropic.omit,
                    messages=messages,
                    tools=[tool],
                    tool_choice={"type": "tool", "name": schema.name},
                    timeout=timeout,
                )
        except anthropic.APITimeoutError:
            raise UpstreamFailure("timeout", f"no answer within {timeout:.3g} s", retryable=True) from None
        except anthropic.APIConnectionError:
            raise UpstreamFailure("connection", "could not connect", retryable=True) from None
        except anthropic.APIStatusError as exc:
            raise failure_for_status(exc.status_code, exc.response.headers) from None
        except (anthropic.APIResponseValidationError, ValueError):
            raise UpstreamFailure("bad_response", "the response was not valid JSON", retryable=True) from None
        except anthropic.AnthropicError as exc:
            raise UpstreamFailure(
                "rejected", f"the SDK refused the exchange ({type(exc).__name__})", retryable=False
            ) from None
        text = ""
        for block in reply.content:
            if schema is not None and block.type == "tool_use" and block.name == schema.name:
                text = json.dumps(block.input)
                break
            if block.type == "text":
                text += block.text
        return ProviderReply(
            text=text,
            model=reply.model or self._model,
            usage=Usage(reply.usage.input_tokens, reply.usage.output_tokens),
        )

    async def probe(self, *, timeout: float) -> Probe:
        started = time.perf_counter()
        try:
            await self._sdk().models.list(timeout=timeout)
        except anthropic.APIStatusError as exc:
            return probe_for_status(exc.status_code)
        except (anthropic.APIConnectionError, anthropic.APIResponseValidationError, ValueError) as exc:
            return Probe("failed", f"unreachable ({type(exc).__name__})")
        return Probe("ok", "reachable", (time.perf_counter() - started) * 1000)

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.close()

"""OpenAI, or any server that speaks its chat-completions API (set OPENAI_BASE_URL), through the official SDK.

Structured answers use the JSON-schema response format; strict mode is asked for only when the schema
allows it (every property required), since strict mode rejects other schemas outright.
"""

import copy
import time
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import SecretStr

from cyrano_mcp.kit.model import LLMRequest, Usage
from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.provider import OutputSchema, Probe, ProviderReply
from cyrano_mcp.llm.providers.status import failure_for_status, probe_for_status
from cyrano_mcp.llm.providers.vendor import VendorProvider


class OpenAIProvider(VendorProvider):
    vendor = "openai"

    def __init__(self, *, api_key: SecretStr, base_url: str | None, model: str) -> None:
        super().__init__(api_key=api_key, base_url=base_url, model=model)
        self._client: openai.AsyncOpenAI | None = None

    def _sdk(self) -> openai.AsyncOpenAI:
        if self._client is None:
            # Cyrano's own key only, and no SDK retries: the gateway decides when to try again.
            self._client = openai.AsyncOpenAI(
                api_key=self._api_key.get_secret_value(), base_url=self._base_url, max_retries=0
            )
        return self._client

    async def send(self, request: LLMRequest, schema: OutputSchema | None, *, timeout: float) -> ProviderReply:
        messages: list[ChatCompletionMessageParam] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        for message in request.messages:
            if message.role == "user":
                messages.append({"role": "user", "content": message.content})
            else:
                messages.append({"role": "assistant", "content": message.content})
        client = self._sdk()
        try:
            if schema is None:
                completion = await client.chat.completions.create(
                    model=self._model,
                    messages=messages,
                    max_completion_tokens=request.max_tokens,
                    temperature=request.temperature,
                    timeout=timeout,
                )
            else:
                completion = await client.chat.completions.create(
                    model=self._model,
                    messages=messages,
                    max_completion_tokens=request.max_tokens,
                    temperature=request.temperature,
                    response_format=_response_format(schema),
                    timeout=timeout,
                )
        except openai.APITimeoutError:
            raise UpstreamFailure("timeout", f"no answer within {timeout:.3g} s", retryable=True) from None
        except openai.APIConnectionError:
            raise UpstreamFailure("connection", "could not connect", retryable=True) from None
        except openai.APIStatusError as exc:
            raise failure_for_status(exc.status_code, exc.response.headers) from None
        except (openai.APIResponseValidationError, ValueError):
            raise UpstreamFailure("bad_response", "the response was not valid JSON", retryable=True) from None
        except openai.OpenAIError as exc:
            raise UpstreamFailure(
                "rejected", f"the SDK refused the exchange ({type(exc).__name__})", retryable=False
            ) from None
        if not completion.choices:
            raise UpstreamFailure("bad_response", "the response had no choices", retryable=True)
        answer = completion.choices[0].message
        usage = completion.usage
        return ProviderReply(
            text=answer.content or "",
            model=completion.model or self._model,
            usage=Usage(usage.prompt_tokens, usage.completion_tokens) if usage else Usage(),
        )

    async def probe(self, *, timeout: float) -> Probe:
        started = time.perf_counter()
        try:
            await self._sdk().models.list(timeout=timeout)
        except openai.APIStatusError as exc:
            return probe_for_status(exc.status_code)
        except (openai.APIConnectionError, openai.APIResponseValidationError, ValueError) as exc:
            return Probe("failed", f"unreachable ({type(exc).__name__})")
        return Probe("ok", "reachable", (time.perf_counter() - started) * 1000)

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.close()


def _response_format(schema: OutputSchema) -> ResponseFormatJSONSchema:
    json_schema, strict = _closed(schema.json_schema)
    return {"type": "json_schema", "json_schema": {"name": schema.name, "schema": json_schema, "strict": strict}}


def _closed(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema with every object closed to extra keys, and whether strict mode can take it."""
    closed = copy.deepcopy(schema)
    strict = True

    def visit(node: Any) -> None:
        nonlocal strict
        if isinstance(node, dict):
            properties = node.get("properties")
            if node.get("type") == "object" and isinstance(properties, dict):
                node.setdefault("additionalProperties", False)
                strict = strict and set(node.get("required", [])) == set(properties)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(closed)
    return closed, strict

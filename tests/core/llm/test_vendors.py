"""What each vendor module puts on the wire and makes of the answer, through the vendor's real SDK."""

import pytest
from pydantic import BaseModel

from cyrano_mcp.kit import LLMRequest, Message
from tests.core.llm.conftest import MODEL, OWN_KEY, GatewayFactory, Upstream, Verdict, vendor_provider
from tests.fakes.models import answer, running

pytestmark = pytest.mark.anyio

ASK = LLMRequest(
    system="You review contracts.",
    messages=(Message.user("First question"), Message.assistant("First answer"), Message.user("Second question")),
    max_tokens=300,
    temperature=0.0,
)


class WithOptionalNote(BaseModel):
    verdict: str
    note: str | None = None


async def test_a_text_answer_comes_back_with_usage_provider_model_and_latency(
    upstream: Upstream, make_gateway: GatewayFactory
) -> None:
    gateway = make_gateway(upstream.provider())
    upstream.fake.enqueue(answer("It is an indemnity.", input_tokens=40, output_tokens=6))

    completion = await gateway.complete(ASK)

    assert completion.output == completion.text == "It is an indemnity."
    assert (completion.provider, completion.model) == (upstream.vendor, MODEL)
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (40, 6)
    assert completion.latency_ms > 0
    assert completion.method == f"llm:{upstream.vendor}/{MODEL}"
    assert not completion.redacted


async def test_requests_carry_cyranos_own_key(upstream: Upstream, make_gateway: GatewayFactory) -> None:
    await make_gateway(upstream.provider()).complete(ASK)

    assert upstream.fake.requests[0].headers["authorization"] == f"Bearer {OWN_KEY}"


async def test_openai_gets_the_turns_and_a_strict_json_schema_response_format(make_gateway: GatewayFactory) -> None:
    async with running("openai") as (fake, url):
        fake.enqueue(answer(structured={"verdict": "yes", "confidence": 1}), answer(structured={"verdict": "yes"}))
        gateway = make_gateway(vendor_provider("openai", url))
        await gateway.complete(ASK, Verdict)
        await gateway.complete(ASK, WithOptionalNote)
        strict_body, loose_body = (request.body for request in fake.requests)

    assert strict_body["messages"] == [
        {"role": "system", "content": "You review contracts."},
        {"role": "user", "content": "First question"},
        {"role": "assistant", "content": "First answer"},
        {"role": "user", "content": "Second question"},
    ]
    assert (strict_body["max_completion_tokens"], strict_body["temperature"]) == (300, 0.0)
    response_format = strict_body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Verdict"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"]["additionalProperties"] is False
    assert response_format["json_schema"]["schema"]["required"] == ["verdict", "confidence"]
    # Strict mode demands every property be required; a model with optional fields is sent non-strict.
    assert loose_body["response_format"]["json_schema"]["strict"] is False


async def test_anthropic_gets_a_forced_tool_call_and_its_input_is_the_answer(make_gateway: GatewayFactory) -> None:
    async with running("anthropic") as (fake, url):
        fake.enqueue(answer("ignored prose", structured={"verdict": "yes", "confidence": 0.5}))
        completion = await make_gateway(vendor_provider("anthropic", url)).complete(ASK, Verdict)
        body = fake.requests[0].body

    assert completion.output == Verdict(verdict="yes", confidence=0.5)
    assert body["system"] == "You review contracts."
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["max_tokens"] == 300
    assert body["tools"][0]["name"] == "Verdict"
    assert body["tools"][0]["input_schema"] == Verdict.model_json_schema()
    assert body["tool_choice"] == {"type": "tool", "name": "Verdict"}
    assert "temperature" not in body  # the messages API of anthropic 2.x has no such parameter

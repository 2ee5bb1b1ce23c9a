"""The client's own model through MCP sampling, in both protocol generations, via the SDK's own client.

2025-11-25 (`mode="legacy"`): Cyrano sends `sampling/createMessage` in the middle of the tool call.
2026-07-28 (`mode="auto"`): no mid-call back-channel exists, so the provider reports itself unavailable
and the engine uses its rules; the client's callback is never invoked.
"""

from collections import deque
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.client.session import ClientRequestContext
from mcp_types import CreateMessageRequestParams, CreateMessageResult, ErrorData, TextContent

from cyrano_mcp.http import build_http_app
from cyrano_mcp.registry import EngineSource
from cyrano_mcp.server import Runtime, build_server
from cyrano_mcp.settings import Settings, load_settings
from tests.core.llm import probe_engine
from tests.fakes.asgi import serve
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio


class ClientModel:
    """The client's `sampling_callback`: answers from a script and keeps what it was asked."""

    def __init__(self, *replies: str | ErrorData) -> None:
        self.replies: deque[str | ErrorData] = deque(replies)
        self.asked: list[CreateMessageRequestParams] = []

    async def __call__(
        self, context: ClientRequestContext, params: CreateMessageRequestParams
    ) -> CreateMessageResult | ErrorData:
        self.asked.append(params)
        reply = self.replies.popleft() if self.replies else "ok"
        if isinstance(reply, ErrorData):
            return reply
        return CreateMessageResult(
            role="assistant", content=TextContent(type="text", text=reply), model="client-model", stop_reason="endTurn"
        )

    def prompts(self) -> list[str]:
        return [m.content.text for params in self.asked for m in params.messages if isinstance(m.content, TextContent)]


@pytest.fixture
def sampling_settings(data_dir: Path) -> Settings:
    # The probe engine's test:read is not in the permission table: only an admin may use its tools.
    return load_settings(
        data_dir=data_dir, log_format="json", llm_provider="sampling", local_user_role="admin", toolsets="all"
    )


def server(settings: Settings) -> Any:
    return build_server(
        settings,
        sources=[EngineSource("test", probe_engine.ENGINE)],
    )


async def test_a_2025_client_that_can_sample_answers_in_the_middle_of_the_call(sampling_settings: Settings) -> None:
    model = ClientModel("It is a mutual NDA.")

    async with Client(server(sampling_settings), mode="legacy", sampling_callback=model) as client:
        answer = ok(await client.call_tool("probe_ask", {"text": "Review this NDA. Signatory SSN 123-45-6789."}))

    assert answer == {
        "method": "llm:sampling/client-model",
        "answer": "It is a mutual NDA.",
        "redacted": True,
        "fallback_reason": None,
    }
    assert model.prompts() == ["Review this NDA. Signatory SSN [SSN REDACTED]."]
    assert model.asked[0].system_prompt == "You review legal documents."
    assert model.asked[0].temperature == 0.0


async def test_structured_output_over_sampling_asks_for_json_in_the_system_prompt(sampling_settings: Settings) -> None:
    model = ClientModel('```json\n{"finding": "indemnity"}\n```')

    async with Client(server(sampling_settings), mode="legacy", sampling_callback=model) as client:
        answer = ok(await client.call_tool("probe_ask", {"text": "Clause 4?", "structured": True}))

    assert (answer["method"], answer["answer"]) == ("llm:sampling/client-model", "indemnity")
    system_prompt = model.asked[0].system_prompt or ""
    assert system_prompt.startswith("You review legal documents.\n\nAnswer with one JSON object")
    assert '"finding"' in system_prompt


async def test_sampled_json_that_fails_twice_leaves_the_engine_on_its_rules(sampling_settings: Settings) -> None:
    model = ClientModel("not json", '{"finding": 3}')

    async with Client(server(sampling_settings), mode="legacy", sampling_callback=model) as client:
        answer = ok(await client.call_tool("probe_ask", {"text": "Clause 4?", "structured": True}))

    assert answer["method"] == "rules"
    assert "sampling/client-model did not answer in the requested shape" in answer["fallback_reason"]
    assert len(model.asked) == 2


async def test_a_2026_client_cannot_be_sampled_mid_call_so_the_engine_uses_its_rules(
    sampling_settings: Settings,
) -> None:
    model = ClientModel("never used")

    async with Client(server(sampling_settings), mode="auto", sampling_callback=model) as client:
        answer = ok(await client.call_tool("probe_ask", {"text": "Review this NDA."}))

    assert answer["method"] == "rules"
    assert answer["answer"] == "3 words"
    assert "the client speaks MCP 2026-07-28, where a server cannot sample" in answer["fallback_reason"]
    assert model.asked == []


async def test_a_client_without_the_sampling_capability_is_never_asked(sampling_settings: Settings) -> None:
    async with Client(server(sampling_settings), mode="legacy") as client:
        answer = ok(await client.call_tool("probe_ask", {"text": "Review this NDA."}))

    assert answer["method"] == "rules"
    assert "sampling: the client did not declare the sampling capability" in answer["fallback_reason"]


async def test_a_client_that_declines_to_sample_leaves_the_engine_on_its_rules(sampling_settings: Settings) -> None:
    model = ClientModel(ErrorData(code=-1, message="User rejected sampling request"))

    async with Client(server(sampling_settings), mode="legacy", sampling_callback=model) as client:
        answer = ok(await client.call_tool("probe_ask", {"text": "Review this NDA."}))

    assert answer["method"] == "rules"
    assert "the client did not sample (MCP error -1)" in answer["fallback_reason"]
    assert len(model.asked) == 1  # a person may be approving each request: never asked twice


@pytest.mark.parametrize(("mode", "status", "provider"), [("legacy", "ok", "sampling"), ("auto", "no_model", None)])
async def test_system_llm_check_through_the_clients_model(
    sampling_settings: Settings, mode: Any, status: str, provider: str | None
) -> None:
    model = ClientModel('{"status": "ok"}')

    async with Client(server(sampling_settings), mode=mode, sampling_callback=model) as client:
        report = ok(await client.call_tool("system_llm_check", {}))

    assert (report["status"], report["provider"]) == (status, provider)
    assert report["structured_output_valid"] is (status == "ok")
    if status == "ok":
        assert (report["model"], report["method"]) == ("client-model", "llm:sampling/client-model")
        assert report["input_tokens"] is None  # MCP sampling reports no token counts


@pytest.mark.parametrize(
    ("mode", "stateless", "json_response", "sampled"),
    [
        ("legacy", False, False, True),
        ("legacy", False, True, False),
        ("legacy", True, False, False),
        ("auto", False, False, False),
    ],
)
async def test_over_streamable_http_only_a_2025_client_on_a_stateful_sse_connection_is_sampled(
    sampling_settings: Settings, mode: Any, stateless: bool, json_response: bool, sampled: bool
) -> None:
    model = ClientModel("It is a mutual NDA.")
    runtime = Runtime(
        sampling_settings.model_copy(
            update={"stateless_http": stateless, "json_response": json_response, "insecure_http_no_auth": True}
        ),
        sources=[EngineSource("test", probe_engine.ENGINE)],
    )

    async with (
        serve(build_http_app(runtime), lifespan=True) as url,
        Client(f"{url}/mcp", mode=mode, sampling_callback=model) as client,
    ):
        answer = ok(await client.call_tool("probe_ask", {"text": "Review this NDA."}))

    assert answer["method"] == ("llm:sampling/client-model" if sampled else "rules"), answer
    assert len(model.asked) == (1 if sampled else 0)

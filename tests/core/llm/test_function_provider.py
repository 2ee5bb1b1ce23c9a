"""The scripted model engine authors test with: a function that gets each request and returns the answer."""

from pathlib import Path

import pytest
from mcp import Client

from cyrano_mcp.kit import ConfigError, LLMRequest
from cyrano_mcp.settings import load_settings
from cyrano_mcp.testing import FunctionProvider, runtime_with
from tests.core.llm import probe_engine
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio


async def test_an_engine_s_model_path_runs_on_a_scripted_function(data_dir: Path) -> None:
    def answer(request: LLMRequest) -> dict[str, str] | str:
        text = request.messages[-1].content
        return {"finding": f"a clause about {text.split()[-1]}"} if "structured" in text else "plain answer"

    model = FunctionProvider(answer)
    settings = load_settings(data_dir=data_dir, local_user_role="admin")  # probe_ask needs an unknown permission
    runtime = runtime_with([probe_engine.ENGINE], settings, model=model, installed=False)
    async with Client(runtime.server) as client:
        structured = ok(await client.call_tool("probe_ask", {"text": "structured: indemnity", "structured": True}))
        plain = ok(await client.call_tool("probe_ask", {"text": "what is this"}))
    assert structured["answer"] == "a clause about indemnity" and structured["method"] == "llm:function/scripted"
    assert plain == {
        "method": "llm:function/scripted",
        "answer": "plain answer",
        "redacted": False,
        "fallback_reason": None,
    }
    assert [request.messages[-1].content for request in model.requests] == ["structured: indemnity", "what is this"]


async def test_a_scripted_function_that_fails_sends_the_engine_to_its_rules(data_dir: Path) -> None:
    def broken(_: LLMRequest) -> str:
        raise RuntimeError("no answer today")

    settings = load_settings(data_dir=data_dir, local_user_role="admin", llm_provider="function")
    runtime = runtime_with([probe_engine.ENGINE], settings, model=FunctionProvider(broken), installed=False)
    async with Client(runtime.server) as client:
        fallback = ok(await client.call_tool("probe_ask", {"text": "three short words"}))
    assert fallback["method"] == "rules" and fallback["answer"] == "3 words"
    assert "the scripted model failed" in fallback["fallback_reason"]


def test_a_provider_name_nobody_provides_stops_start_up(data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="CYRANO_LLM_PROVIDER: 'mistral' is none of auto, openai, anthropic"):
        runtime_with([], load_settings(data_dir=data_dir, llm_provider="mistral"))

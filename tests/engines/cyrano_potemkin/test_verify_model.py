"""potemkin_verify with use_model: a model settles what the offline check could not, only with a quote that
stands in the sources; its invented quotes and unsupported "supported"s are dropped, and without a model the
offline answer stands and says why."""

from pathlib import Path

import pytest
from mcp import Client

from cyrano_mcp.kit import LLMRequest
from cyrano_mcp.settings import load_settings
from cyrano_mcp.testing import FunctionProvider, runtime_with
from tests.conftest import TEST_SETTINGS
from tests.engines.cyrano_potemkin.test_verify_tool import LICENCE, _matter_with_licence
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

CLAIMS = (
    "The licence is non-exclusive.\n"  # no value to compare: the model may settle it
    "The licence may be used worldwide.\n"  # the model answers with an invented quote: dropped
    "The Software may be used at the licensee's offices from 1 March 2009.\n"  # supported by a quote without it
    "Delaware law governs the agreement.\n"  # contradicted offline: never asked
)


def answer(request: LLMRequest) -> dict[str, object]:
    assert "Delaware law governs" not in request.messages[-1].content
    return {
        "verdicts": [
            {
                "claim": 1,
                "verdict": "supported",
                "quote": "Licensor grants Licensee a non-exclusive licence to use the Software at its offices.",
            },
            {"claim": 2, "verdict": "supported", "quote": "Licensee may use the Software anywhere in the world."},
            {"claim": 3, "verdict": "supported", "quote": "a non-exclusive licence to use the Software at its offices"},
        ]
    }


async def test_a_model_settles_only_what_it_grounds(tmp_path: Path) -> None:
    model = FunctionProvider(answer)
    settings = load_settings(data_dir=tmp_path / "data", **{**TEST_SETTINGS, "llm_provider": "function"})
    runtime = runtime_with([], settings, model=model)
    async with runtime.running(), Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        checked = ok(
            await client.call_tool("potemkin_verify", {"text": CLAIMS, "matter_id": matter, "use_model": True})
        )
    claims = checked["claims"]
    assert [claim["verdict"] for claim in claims] == ["supported", "unverifiable", "unverifiable", "contradicted"]
    assert claims[0]["method"] == "llm:function/scripted"
    assert claims[0]["evidence"][0]["quote"] in LICENCE and claims[0]["evidence"][0]["role"] == "supports"
    assert claims[3]["method"] == "anchors"
    assert checked["model"]["method"] == "llm:function/scripted" and checked["model"]["settled"] == 1
    dropped = " ".join(checked["model"]["dropped"])
    assert "claim 2: the model's quote is not in the sources" in dropped
    assert "claim 3: the model's quote does not state the claim's values" in dropped
    assert len(model.requests) == 1


async def test_without_a_model_the_offline_answer_stands_and_says_why(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", **TEST_SETTINGS)
    runtime = runtime_with([], settings)
    async with runtime.running(), Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        checked = ok(
            await client.call_tool("potemkin_verify", {"text": CLAIMS, "matter_id": matter, "use_model": True})
        )
    assert [claim["verdict"] for claim in checked["claims"]] == ["unverifiable"] * 3 + ["contradicted"]
    assert checked["model"]["method"] is None and checked["model"]["settled"] == 0
    assert checked["model"]["unavailable"]

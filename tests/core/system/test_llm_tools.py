"""`system_llm_check` and `system_llm_usage`, end to end through the SDK client, against the fake vendors."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mcp import Client
from pydantic import SecretStr

from cyrano_mcp.registry import EngineSource
from cyrano_mcp.server import build_server
from cyrano_mcp.settings import Settings
from tests.core.llm import probe_engine
from tests.core.llm.conftest import MODEL, OWN_KEY
from tests.fakes.models import FakeModelServer, Vendor, answer, running
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio


def with_vendor(settings: Settings, vendor: Vendor, url: str) -> Settings:
    """`settings` with one vendor configured against its fake."""
    return settings.model_copy(
        update={f"{vendor}_api_key": SecretStr(OWN_KEY), f"{vendor}_base_url": url, f"{vendor}_model": MODEL}
    )


def server(settings: Settings) -> Any:
    return build_server(
        settings.model_copy(update={"local_user_role": "admin"}),  # the probe engine's test:read is admin-only
        sources=[EngineSource("test", probe_engine.ENGINE)],
    )


@pytest.fixture(params=["openai", "anthropic"])
async def vendor(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Vendor, FakeModelServer, str]]:
    async with running(request.param) as (fake, url):
        yield request.param, fake, url


@pytest.mark.parametrize("mode", MODES)
async def test_llm_check_reports_who_answered_how_fast_and_whether_the_structure_validated(
    settings: Settings, vendor: tuple[Vendor, FakeModelServer, str], mode: Any
) -> None:
    name, fake, url = vendor

    async with Client(server(with_vendor(settings, name, url)), mode=mode) as client:
        report = ok(await client.call_tool("system_llm_check", {}))

    assert report["status"] == "ok"
    assert (report["selection"], report["provider"], report["model"]) == ("auto", name, MODEL)
    assert report["method"] == f"llm:{name}/{MODEL}"
    assert report["structured_output_valid"] is True
    assert report["latency_ms"] > 0
    assert (report["input_tokens"], report["output_tokens"]) == (12, 5)
    by_name = {status["name"]: status for status in report["providers"]}
    assert by_name[name]["available"] is True
    assert by_name["offline"]["available"] is False
    assert len(fake.requests) == 1


async def test_llm_check_without_a_model_says_why_and_that_engines_use_rules(settings: Settings) -> None:
    async with Client(server(settings)) as client:
        report = ok(await client.call_tool("system_llm_check", {}))

    assert (report["status"], report["provider"], report["method"]) == ("no_model", None, "rules")
    assert report["structured_output_valid"] is False
    assert "openai: OPENAI_API_KEY is not set" in report["detail"]
    assert "sampling: the client speaks MCP 2026-07-28" in report["detail"]


async def test_llm_check_reports_a_model_that_answers_out_of_shape(settings: Settings) -> None:
    async with running("openai") as (fake, url):
        fake.default = answer(structured={"status": "fine, thanks"})
        async with Client(server(with_vendor(settings, "openai", url))) as client:
            report = ok(await client.call_tool("system_llm_check", {}))

    assert (report["status"], report["provider"], report["structured_output_valid"]) == (
        "invalid_output",
        "openai",
        False,
    )
    assert len(fake.requests) == 2  # the answer and one repair


async def test_llm_usage_totals_the_calls_made_by_provider_model_and_tool(any_store_settings: Settings) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    async with running("openai") as (_, url), Client(server(with_vendor(any_store_settings, "openai", url))) as client:
        for _ in range(2):
            ok(await client.call_tool("system_llm_check", {}))
        ok(await client.call_tool("probe_ask", {"text": "Summarise the lease."}))
        report = ok(await client.call_tool("system_llm_usage", {}))
        by_provider = ok(await client.call_tool("system_llm_usage", {"group_by": ["provider"]}))
        future = ok(await client.call_tool("system_llm_usage", {"since": tomorrow}))
        grand = ok(await client.call_tool("system_llm_usage", {"group_by": []}))
        backwards = await client.call_tool(
            "system_llm_usage", {"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
        )

    counts = {
        (g["provider"], g["model"], g["tool"]): (g["calls"], g["answered"], g["failed"]) for g in report["groups"]
    }
    assert counts == {("openai", MODEL, "probe_ask"): (1, 1, 0), ("openai", MODEL, "system_llm_check"): (2, 2, 0)}
    totals = report["totals"]
    assert (totals["calls"], totals["input_tokens"], totals["output_tokens"], totals["cached"]) == (3, 36, 15, 0)
    assert totals["average_latency_ms"] > 0
    assert [(g["provider"], g["model"], g["tool"], g["calls"]) for g in by_provider["groups"]] == [
        ("openai", None, None, 3)
    ]
    assert (future["groups"], future["totals"]["calls"], future["totals"]["average_latency_ms"]) == ([], 0, None)
    assert (grand["groups"], grand["totals"]["calls"]) == ([], 3)
    assert "since must be before until" in error(backwards, "invalid_input")


async def test_the_llm_tools_are_listed_with_their_hints(settings: Settings) -> None:
    async with Client(server(settings)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}

    usage, check = tools["system_llm_usage"], tools["system_llm_check"]
    assert usage.annotations is not None and usage.annotations.read_only_hint is True
    assert check.annotations is not None and check.annotations.open_world_hint is True
    assert set(usage.input_schema["properties"]) == {"since", "until", "group_by"}

"""Spans around tool calls, units of database work and model calls, when a tracer provider exists;
nothing at all when none does."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client
from opentelemetry import trace
from opentelemetry.trace import StatusCode
from pydantic import SecretStr

from cyrano_mcp.callpath.observing import ToolCallSpans
from cyrano_mcp.observability import tracing
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.core.observability.conftest import LogLines
from tests.fakes.models import running
from tests.utils.mcp import MODES, error, ok
from tests.utils.tracing import RecordedSpan, RecordingProvider, install

pytestmark = pytest.mark.anyio


@pytest.fixture
def spans() -> Iterator[list[RecordedSpan]]:
    provider: RecordingProvider = install()
    provider.spans.clear()
    yield provider.spans
    provider.spans.clear()


def named(spans: list[RecordedSpan], prefix: str) -> list[RecordedSpan]:
    return [span for span in spans if span.name.startswith(prefix)]


@pytest.mark.parametrize("mode", MODES)
async def test_a_tool_call_span_holds_its_database_work(
    settings: Settings, mode: str, spans: list[RecordedSpan], log_lines: LogLines
) -> None:
    async with Client(build_runtime(settings).server, mode=mode) as client:
        result = await client.call_tool("matters_create", {"client_name": "Ng", "title": "Visa", "practice_area": "x"})
    ok(result)
    (tool,) = named(spans, "cyrano.tool matters_create")
    assert tool.attributes["cyrano.correlation_id"] == (result.meta or {})["cyrano/correlation_id"]
    assert tool.attributes["cyrano.outcome"] == "ok" and tool.status == StatusCode.UNSET
    units = [unit for unit in named(spans, "db.transaction") if unit.parent == tool.context]
    assert units and all(unit.attributes["db.system"] == "sqlite" for unit in units)  # the matter, and its audit row
    (server,) = [span for span in spans if span.name == "tools/call matters_create"]  # the SDK's own span
    assert tool.parent == server.context
    line = next(line for line in log_lines() if line.get("event") == "tool_call")
    assert line["trace_id"] == format(tool.context.trace_id, "032x")


async def test_failures_mark_spans_by_type_only(data_dir: Path, spans: list[RecordedSpan]) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:faulty", local_user_role="admin")
    async with Client(build_runtime(settings).server) as client:
        error(await client.call_tool("faulty_crash", {}), "internal_error")
        error(await client.call_tool("faulty_missing", {}), "not_found")
    (crash,) = named(spans, "cyrano.tool faulty_crash")
    assert crash.status == StatusCode.ERROR and crash.attributes["error.type"] == "RuntimeError"
    (missing,) = named(spans, "cyrano.tool faulty_missing")
    assert missing.status == StatusCode.UNSET and missing.attributes["cyrano.outcome"] == "not_found"
    assert "hunter2" not in repr([(s.attributes, s.events) for s in named(spans, "cyrano.tool")])


async def test_model_calls_get_a_span_with_their_usage(settings: Settings, spans: list[RecordedSpan]) -> None:
    async with running("openai") as (_, url):
        configured = settings.model_copy(
            update={
                "openai_api_key": SecretStr("sk-test-0123456789abcdef"),
                "openai_base_url": url,
                "openai_model": "gpt-test",
            }
        )
        async with Client(build_runtime(configured).server) as client:
            ok(await client.call_tool("system_llm_check", {}))
    (span,) = named(spans, "llm.call openai")
    assert span.attributes["gen_ai.request.model"] == "gpt-test"
    assert span.attributes["gen_ai.usage.input_tokens"] == 12 and span.attributes["gen_ai.usage.output_tokens"] == 5


async def test_without_a_tracer_provider_nothing_is_traced(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, spans: list[RecordedSpan]
) -> None:
    monkeypatch.setattr(tracing.trace, "get_tracer_provider", lambda: trace.ProxyTracerProvider())
    runtime = build_runtime(settings)
    try:
        assert not any(isinstance(i, ToolCallSpans) for i in runtime.registry.call_path.interceptors)
        assert tracing.span("db.transaction") is tracing.span("db.session")  # one shared null context
        async with Client(runtime.server) as client:
            ok(await client.call_tool("matters_list", {}))
        assert not named(spans, "cyrano.") and not named(spans, "db.")
    finally:
        monkeypatch.undo()
        tracing.configure_tracing()

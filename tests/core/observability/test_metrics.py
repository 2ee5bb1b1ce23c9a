"""Metrics as Prometheus scrapes them: /metrics on the HTTP app, `serve --metrics-port` for stdio."""

import socket
import sys
from pathlib import Path

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from pydantic import BaseModel

from cyrano_arkiver.metrics import record_ingested
from cyrano_mcp.calls import CallContext
from cyrano_mcp.errors import RateLimitedError
from cyrano_mcp.http import build_http_app
from cyrano_mcp.kit import Operation
from cyrano_mcp.observability import metrics
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.http import no_auth, serve_app
from tests.utils.mcp import MODES, error, ok
from tests.utils.metrics import sample

pytestmark = pytest.mark.anyio
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")
ROOT = Path(__file__).resolve().parents[3]


def scrape() -> str:
    return metrics.exposition().decode()


def calls(text: str, tool: str, outcome: str) -> float:
    return sample(text, "cyrano_tool_calls_total", tool=tool, outcome=outcome) or 0.0


@pytest.mark.parametrize("mode", MODES)
async def test_metrics_endpoint_after_a_few_tool_calls(settings: Settings, mode: str) -> None:
    before = scrape()
    async with serve_app(build_http_app(build_runtime(no_auth(settings)))) as url:
        async with Client(f"{url}/mcp", mode=mode) as client:
            ok(await client.call_tool("matters_create", {"client_name": "Ng", "title": "Visa", "practice_area": "x"}))
            ok(await client.call_tool("matters_list", {}))
            error(await client.call_tool("matters_get", {"matter_id": "nope"}), "invalid_input")
        async with httpx2.AsyncClient() as http:
            response = await http.get(f"{url}/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert calls(text, "matters_create", "ok") == calls(before, "matters_create", "ok") + 1
    assert calls(text, "matters_get", "invalid_input") == calls(before, "matters_get", "invalid_input") + 1
    assert calls(text, "system_health", "ok") is not None  # every tool's series exists from the start
    count = sample(text, "cyrano_tool_call_duration_seconds_count", tool="matters_list")
    assert count and count >= 1
    assert sample(text, "cyrano_tool_call_duration_seconds_bucket", tool="matters_list", le="2.0") == count
    for name in ("process_resident_memory_bytes", "process_cpu_seconds_total", "cyrano_memory_limit_bytes"):
        assert (sample(text, name) or 0) > 0, name
    assert (sample(text, "cyrano_data_dir_free_bytes") or 0) > 0
    assert sample(text, "cyrano_db_pool_limit", role="writer") == 1
    assert sample(text, "cyrano_db_pool_connections", role="reader", state="idle") is not None
    assert sample(text, "cyrano_build_info", version=metrics.__version__) == 1


async def test_refusals_by_inner_interceptors_are_counted(settings: Settings) -> None:
    runtime = build_runtime(settings)

    async def limiter(call: CallContext, operation: Operation[BaseModel, BaseModel], proceed: object) -> BaseModel:
        metrics.record_rate_limited("user")
        raise RateLimitedError("slow down", retry_after=1.0)

    runtime.registry.call_path.add_interceptor(limiter)
    before = scrape()
    async with Client(runtime.server) as client:
        error(await client.call_tool("system_info", {}), "rate_limited")
    after = scrape()
    assert calls(after, "system_info", "rate_limited") == calls(before, "system_info", "rate_limited") + 1
    refusals = sample(after, "cyrano_rate_limit_refusals_total", scope="user") or 0
    assert refusals == (sample(before, "cyrano_rate_limit_refusals_total", scope="user") or 0) + 1


async def test_crashes_count_as_internal_errors_and_error_log_lines(data_dir: Path, log_stream: object) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:faulty", local_user_role="admin")
    before = scrape()
    async with Client(build_runtime(settings).server) as client:
        error(await client.call_tool("faulty_crash", {}), "internal_error")
    after = scrape()
    assert calls(after, "faulty_crash", "internal_error") == calls(before, "faulty_crash", "internal_error") + 1
    errors_before = sample(before, "cyrano_errors_total", logger="cyrano.calls") or 0
    assert sample(after, "cyrano_errors_total", logger="cyrano.calls") == errors_before + 1


def test_the_apis_for_other_components() -> None:
    before = scrape()
    metrics.record_auth_failure("expired_token")
    record_ingested("docx", pages=12)
    record_ingested("pdf", pages=0, outcome="unreadable")
    metrics.set_llm_circuit_open("openai", True)
    metrics.record_llm_call("anthropic", "claude-test", outcome="ok", seconds=0.4, input_tokens=120, output_tokens=30)
    metrics.record_llm_call("anthropic", "claude-test", outcome="timeout", seconds=60, input_tokens=0, output_tokens=0)
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return (sample(after, name, **labels) or 0) - (sample(before, name, **labels) or 0)

    assert delta("cyrano_auth_failures_total", reason="expired_token") == 1
    assert delta("cyrano_pages_ingested_total", format="docx") == 12
    assert delta("cyrano_documents_ingested_total", format="pdf", outcome="unreadable") == 1
    assert sample(after, "cyrano_llm_circuit_open", provider="openai") == 1
    assert delta("cyrano_llm_calls_total", provider="anthropic", model="claude-test", outcome="ok") == 1
    assert delta("cyrano_llm_calls_total", provider="anthropic", model="claude-test", outcome="timeout") == 1
    assert delta("cyrano_llm_tokens_total", provider="anthropic", model="claude-test", direction="input") == 120
    assert delta("cyrano_llm_call_duration_seconds_count", provider="anthropic", model="claude-test") == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_stdio_deployments_serve_metrics_on_their_own_port(data_dir: Path) -> None:
    port = _free_port()
    server = StdioServerParameters(
        command=CYRANO,
        args=["serve", "--metrics-port", str(port)],
        env={"CYRANO_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "CYRANO_LOG_LEVEL": "WARNING"},
    )
    async with Client(server, read_timeout_seconds=30) as client:
        ok(await client.call_tool("matters_list", {}))
        async with httpx2.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{port}/metrics")
    assert response.status_code == 200
    assert calls(response.text, "matters_list", "ok") == 1

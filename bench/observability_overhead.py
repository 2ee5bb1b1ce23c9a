"""What logging, metrics and tracing cost per tool call, and how long backups and restores take.

Per-call costs are measured on the call path itself (`CallPath.execute` with a tool that does no I/O),
so that the transport and the database do not drown them out; each configuration runs the same number of
calls, in alternating rounds, and the median per-call time is reported. Configurations:

* bare:       no interceptors, logging below the call line's level (the line is filtered out)
* +logging:   the INFO `tool_call` line rendered as JSON (to an in-memory stream), with redaction
* +metrics:   the `ToolCallMetrics` interceptor (one counter increment, one histogram observation)
* +tracing off: nothing is installed (the default); shown as the cost the no-op API *would* add
* +tracing on:  the `ToolCallSpans` interceptor with a real tracer provider (OpenTelemetry SDK, spans
                dropped by a sampler), when the SDK is importable

The backup part fills a store with N matters through the service (not MCP, for speed), then times
`create_backup` and `restore_backup`.

    python bench/observability_overhead.py                 # per-call costs, then backup of 10,000 matters
    python bench/observability_overhead.py --calls 20000 --rounds 7 --matters 50000
"""

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from mcp.server.mcpserver import Context
from opentelemetry import trace

from cyrano_mcp.backup import create_backup, restore_backup
from cyrano_mcp.callpath import CallPath
from cyrano_mcp.callpath.observing import ToolCallMetrics, ToolCallSpans
from cyrano_mcp.kit import Operation
from cyrano_mcp.models import ToolInput, ToolOutput
from cyrano_mcp.observability.logging import configure_logging
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings


class Query(ToolInput):
    matter_id: str
    limit: int = 20


class Answer(ToolOutput):
    matter_id: str
    count: int


async def _answer(params: Query) -> Answer:
    return Answer(matter_id=params.matter_id, count=params.limit)


OPERATION = Operation(
    name="lookup", description="x", input_model=Query, output_model=Answer, handler=_answer, permission="x"
)
ARGUMENTS = {"matter_id": "0b7c6a57-5e49-4c0f-9a53-1f1b7a3e2f10", "limit": 7}


async def _per_call_us(path: CallPath, calls: int) -> float:
    context: Context[Any, Any] = Context()
    started = time.perf_counter()
    for _ in range(calls):
        await path.execute("bench_lookup", OPERATION, ARGUMENTS, context)
    return (time.perf_counter() - started) / calls * 1e6


def _sdk_provider() -> Any | None:
    try:
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.sampling import ALWAYS_ON
    except ImportError:
        return None
    return TracerProvider(sampler=ALWAYS_ON)


async def _rounds(setups: dict[str, tuple[str, Callable[[], CallPath]]], calls: int, rounds: int) -> dict[str, float]:
    stream = io.StringIO()
    results: dict[str, list[float]] = {name: [] for name in setups}
    for _ in range(rounds):
        for name, (level, make) in setups.items():
            configure_logging(level, "json", stream=stream)  # type: ignore[arg-type]
            path = make()
            await _per_call_us(path, calls // 10)  # warm-up
            results[name].append(await _per_call_us(path, calls))
            stream.seek(0)
            stream.truncate()
    return {name: statistics.median(values) for name, values in results.items()}


def _show(title: str, medians: dict[str, float]) -> None:
    base = medians["bare"]
    print(title)
    for name, median in medians.items():
        print(f"  {name:<52} {median:8.1f} us  {median - base:+7.1f} us")


def _traced() -> CallPath:
    return CallPath([ToolCallSpans(), ToolCallMetrics(["bench_lookup"])])


async def call_costs(calls: int, rounds: int) -> None:
    bare: tuple[str, Callable[[], CallPath]] = ("WARNING", CallPath)
    # Without a tracer provider first: the API's default is a no-op tracer until one is installed, for good.
    medians = await _rounds(
        {
            "bare": bare,
            "+logging": ("INFO", CallPath),
            "+logging +metrics": ("INFO", lambda: CallPath([ToolCallMetrics(["bench_lookup"])])),
            "+logging +metrics +no-op span (what 'off' avoids)": ("INFO", _traced),
        },
        calls,
        rounds,
    )
    _show(f"per-call cost over {calls} calls x {rounds} rounds (median microseconds; added vs bare):", medians)
    provider = _sdk_provider()
    if provider is None:
        print("  (tracing on: the OpenTelemetry SDK is not installed)")
        return
    trace.set_tracer_provider(provider)
    _show(
        "with the OpenTelemetry SDK installed (spans sampled, no exporter):",
        await _rounds({"bare": bare, "+logging +metrics +tracing on": ("INFO", _traced)}, calls, rounds),
    )


async def backup_costs(matters: int) -> None:
    from cyrano_matters.models import MatterCreate
    from cyrano_matters.seals import matter_seals
    from cyrano_matters.service import MattersService

    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(data_dir=Path(scratch) / "data")
        runtime = build_runtime(settings)
        async with runtime.running():
            service = MattersService(runtime.database, matter_seals(runtime.security.fields, runtime.database))
            for n in range(matters):
                await service.create(
                    MatterCreate(client_name=f"Client {n}", title=f"Matter {n}", practice_area="x", notes="note " * 40)
                )
        size = settings.sqlite_path.stat().st_size
        started = time.perf_counter()
        report = create_backup(settings, Path(scratch) / "backup")
        backup_seconds = time.perf_counter() - started
        restored = load_settings(data_dir=Path(scratch) / "restored")
        started = time.perf_counter()
        restore_backup(restored, Path(scratch) / "backup", known=report.manifest.schema, force=False)
        restore_seconds = time.perf_counter() - started
    print(
        f"backup of {matters} matters ({size / 2**20:.1f} MiB): {backup_seconds:.2f} s; "
        f"verified restore: {restore_seconds:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--matters", type=int, default=10_000)
    args = parser.parse_args()
    anyio.run(call_costs, args.calls, args.rounds)
    anyio.run(backup_costs, args.matters)


if __name__ == "__main__":
    main()

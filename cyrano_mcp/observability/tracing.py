"""OpenTelemetry spans around tool calls, units of database work and model provider calls.

Cyrano uses only the OpenTelemetry API. Spans are recorded and exported when the process has a real
tracer provider: run `opentelemetry-instrument cyrano-mcp serve ...` with the OpenTelemetry SDK and an
exporter installed and the `OTEL_*` variables set (docs/operations.md, "Tracing"), or, when embedding
Cyrano, call `opentelemetry.trace.set_tracer_provider(...)` before building the runtime. Without one,
`configure_tracing()` finds nothing to export to and Cyrano skips even the API's no-op calls: no
interceptor on the call path, and `span()` hands back a shared null context.

Spans never carry arguments or exception messages (they may quote client documents): only names,
ids, outcomes and exception types.
"""

from collections.abc import Mapping, MutableMapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode

from cyrano_mcp import __version__

TRACER = trace.get_tracer("cyrano", __version__)
_NO_SPAN: AbstractContextManager[None] = nullcontext()
_enabled = False

AttributeValue = str | bool | int | float


def tracing_provider_configured() -> bool:
    """Whether someone installed a real tracer provider (the API's defaults record nothing)."""
    provider = trace.get_tracer_provider()
    return not isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def configure_tracing() -> bool:
    """Decide once, when a runtime is built, whether spans are worth creating; returns the decision."""
    global _enabled
    _enabled = tracing_provider_configured()
    return _enabled


def span(name: str, attributes: Mapping[str, AttributeValue] | None = None) -> AbstractContextManager[Span | None]:
    """A span around a block, or a shared do-nothing context manager while tracing is off."""
    if not _enabled:
        return _NO_SPAN
    return TRACER.start_as_current_span(
        name, kind=SpanKind.INTERNAL, attributes=attributes, record_exception=False, set_status_on_exception=False
    )


def mark_failed(current: Span | None, exc: BaseException) -> None:
    """Record a failure on a span by its exception type only (messages may quote client material)."""
    if current is not None:
        current.set_attribute("error.type", type(exc).__qualname__)
        current.set_status(StatusCode.ERROR)


def add_trace_ids(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: the trace and span id of the line's span, to jump from a log line to its trace."""
    if _enabled:
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
            event_dict.setdefault("span_id", format(context.span_id, "016x"))
    return event_dict

"""The call path's two observing steps: a span per call (when tracing is on) and its metrics.

Both sit outermost, so the refusals of the security steps inside them are timed, counted and traced too.
"""

import time
from collections.abc import Iterable
from typing import Any

from opentelemetry.trace import SpanKind, StatusCode
from pydantic import BaseModel

from cyrano_mcp.callpath.path import Proceed
from cyrano_mcp.calls import CallContext
from cyrano_mcp.errors import DomainError, UnavailableError
from cyrano_mcp.kit.declarations import Operation
from cyrano_mcp.observability.metrics import CANCELLED, INTERNAL_ERROR, OK, ToolSeries
from cyrano_mcp.observability.tracing import TRACER, AttributeValue, mark_failed


class ToolCallMetrics:
    """Counts calls by outcome and times them, per tool."""

    def __init__(self, tool_names: Iterable[str]) -> None:
        self._series = {name: ToolSeries(name) for name in tool_names}

    async def __call__(self, call: CallContext, operation: Operation[Any, Any], proceed: Proceed) -> BaseModel:
        series = self._series.get(call.tool)
        if series is None:
            series = self._series[call.tool] = ToolSeries(call.tool)
        outcome = CANCELLED
        try:
            result = await proceed()
        except DomainError as exc:
            outcome = exc.code
            raise
        except Exception:
            outcome = INTERNAL_ERROR
            raise
        else:
            outcome = OK
            return result
        finally:
            series.record(outcome, time.perf_counter() - call.started)


class ToolCallSpans:
    """Call-path interceptor: one span per tool call, a child of the SDK's `tools/call` server span."""

    async def __call__(self, call: CallContext, operation: Operation[Any, Any], proceed: Proceed) -> BaseModel:
        attributes: dict[str, AttributeValue] = {
            "cyrano.tool": call.tool,
            "cyrano.correlation_id": call.correlation_id,
            "cyrano.transport": call.transport,
            "cyrano.read_only": operation.read_only,
        }
        with TRACER.start_as_current_span(
            f"cyrano.tool {call.tool}",
            kind=SpanKind.INTERNAL,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as current:
            try:
                result = await proceed()
            except DomainError as exc:
                current.set_attribute("cyrano.outcome", exc.code)
                if isinstance(exc, UnavailableError):  # the caller did nothing wrong: a dependency failed
                    current.set_status(StatusCode.ERROR)
                raise
            except Exception as exc:
                current.set_attribute("cyrano.outcome", "internal_error")
                mark_failed(current, exc)
                raise
            current.set_attribute("cyrano.outcome", "ok")
            return result

"""A tracer provider that keeps finished spans in a list: the OpenTelemetry API's contract, no SDK.

Installed once per test process (the API allows one global provider); runtimes built afterwards trace.
"""

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags


@dataclass(eq=False)
class RecordedSpan(trace.Span):
    name: str
    context: SpanContext
    parent: SpanContext | None
    kind: SpanKind
    attributes: dict[str, Any] = field(default_factory=dict)
    status: StatusCode = StatusCode.UNSET
    events: list[str] = field(default_factory=list)
    sink: list["RecordedSpan"] = field(default_factory=list)

    def end(self, end_time: int | None = None) -> None:
        self.sink.append(self)

    def get_span_context(self) -> SpanContext:
        return self.context

    def set_attributes(self, attributes: Mapping[str, Any]) -> None:
        self.attributes.update(attributes)

    def set_attribute(self, key: str, value: Any) -> None:
        self.attributes[key] = value

    def add_event(self, name: str, attributes: Any = None, timestamp: int | None = None) -> None:
        self.events.append(f"{name} {attributes}")

    def update_name(self, name: str) -> None:
        self.name = name

    def is_recording(self) -> bool:
        return True

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        self.status = status.status_code if isinstance(status, Status) else status
        if description:
            self.events.append(f"status {description}")

    def record_exception(self, exception: BaseException, attributes: Any = None, timestamp: Any = None,
                         escaped: bool = False) -> None:  # fmt: skip
        self.events.append(f"exception {exception!r}")


class RecordingTracer(trace.Tracer):
    def __init__(self, sink: list[RecordedSpan]) -> None:
        self.sink = sink

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Any = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> RecordedSpan:
        parent = trace.get_current_span(context).get_span_context()
        span_context = SpanContext(
            trace_id=parent.trace_id if parent.is_valid else random.getrandbits(128),
            span_id=random.getrandbits(64),
            is_remote=False,
            trace_flags=TraceFlags(TraceFlags.SAMPLED),
        )
        return RecordedSpan(
            name, span_context, parent if parent.is_valid else None, kind, dict(attributes or {}), sink=self.sink
        )

    @contextmanager
    def start_as_current_span(  # type: ignore[override]
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Any = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
        end_on_exit: bool = True,
    ) -> Iterator[RecordedSpan]:
        span = self.start_span(name, context, kind, attributes, links, start_time)
        with trace.use_span(span, end_on_exit, record_exception, set_status_on_exception):
            yield span


class RecordingProvider(trace.TracerProvider):
    def __init__(self) -> None:
        self.spans: list[RecordedSpan] = []

    def get_tracer(self, *args: Any, **kwargs: Any) -> RecordingTracer:
        return RecordingTracer(self.spans)


PROVIDER = RecordingProvider()


def install() -> RecordingProvider:
    if trace.get_tracer_provider() is not PROVIDER:
        trace.set_tracer_provider(PROVIDER)
    return PROVIDER

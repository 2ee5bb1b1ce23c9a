"""Structured logging: JSON lines (or a readable console format) on stderr, never stdout.

stdout belongs to the stdio transport. Every record, including those of the SDK, uvicorn and
SQLAlchemy, goes through the same processors: each line gets the correlation id, tool and user of the
tool call or HTTP request it belongs to, and passes the redaction in `redaction.py` last, after
tracebacks have been turned into text.

Levels: ERROR needs someone's action; WARNING means degraded (a dependency is down, a check fails);
INFO is a business event (a tool call, a start, a migration); DEBUG is detail.
"""

import logging
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any, TextIO

import structlog

from cyrano_mcp.calls import current_call
from cyrano_mcp.observability import metrics, tracing
from cyrano_mcp.observability.redaction import redact_event
from cyrano_mcp.settings import LogFormat, LogLevel

# The correlation id of the HTTP request being served (tool calls carry their own, usually the same).
request_correlation_id: ContextVar[str | None] = ContextVar("cyrano_request_correlation_id", default=None)


def user_of(principal: object) -> str | None:
    """How a caller is named in logs: a principal's subject (or id, or name), never the whole object."""
    if principal is None:
        return None
    if isinstance(principal, str):
        return principal
    for attribute in ("subject", "user_id", "id", "name"):
        value = getattr(principal, attribute, None)
        if isinstance(value, str | int):
            return str(value)
    return None


def add_call_context(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Stamp each line with the tool call (or HTTP request) it happened in."""
    call = current_call()
    if call is not None:
        event_dict.setdefault("correlation_id", call.correlation_id)
        event_dict.setdefault("tool", call.tool)
        user = user_of(getattr(call, "principal", None))
        if user is not None:
            event_dict.setdefault("user", user)
        if "duration_ms" not in event_dict:
            event_dict.setdefault("elapsed_ms", round(call.elapsed_ms, 2))
    else:
        correlation_id = request_correlation_id.get()
        if correlation_id is not None:
            event_dict.setdefault("correlation_id", correlation_id)
    return event_dict


def _drop_color_message(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """uvicorn passes its message again with terminal colour codes; the plain one is enough."""
    event_dict.pop("color_message", None)
    return event_dict


def _count_errors(_: Any, method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    if method in ("error", "critical", "exception"):
        metrics.record_logged_error(str(event_dict.get("logger", "")))
    return event_dict


_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.ExtraAdder(),
    _drop_color_message,
    add_call_context,
    tracing.add_trace_ids,
    structlog.processors.StackInfoRenderer(),
    structlog.processors.format_exc_info,
    # Last: whatever the steps above put in the line, including traceback text, is redacted.
    redact_event,
]


def _route_structlog_to_stdlib() -> None:
    structlog.configure(
        # A line below the level costs one check, not the whole chain (redaction is not free).
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# structlog's own default prints to stdout, which is the stdio transport: route it through the standard
# library from the first import, so that even an embedding application that never calls
# `configure_logging` cannot corrupt the wire.
_route_structlog_to_stdlib()


def configure_logging(level: LogLevel = "INFO", fmt: LogFormat = "auto", stream: TextIO | None = None) -> None:
    """Route structlog and the standard library's logging to `stream` (stderr by default)."""
    stream = stream or sys.stderr
    use_console = fmt == "console" or (fmt == "auto" and stream.isatty())
    renderer: Any = structlog.dev.ConsoleRenderer(colors=False) if use_console else structlog.processors.JSONRenderer()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, _count_errors, renderer],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    # No line carries the thread or process: don't compute them for every record.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party chatter that is noise at INFO. The model SDKs log request bodies (prompts) at DEBUG,
    # SQLAlchemy's engine logger prints statement parameters (client data) at INFO, and the SDK's SSE
    # transport and sse-starlette log whole messages (documents, passwords, tokens) at DEBUG: never below WARNING.
    for noisy in (
        "httpx",
        "httpx2",
        "httpcore",
        "uvicorn.access",
        "sqlalchemy.engine",
        "aiosqlite",
        "alembic",
        "openai",
        "anthropic",
        "mcp.server.sse",
        "mcp.server.streamable_http",  # "Terminating session: None" on every stateless request
        "sse_starlette",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    _route_structlog_to_stdlib()


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger

"""Structured logging: JSON lines (or a readable console format) on stderr, never stdout.

stdout belongs to the stdio transport. Every record, including those of the SDK, uvicorn and
SQLAlchemy, goes through the same processors, so the redaction below applies to all of them.
"""

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

from cyrano_mcp.settings import LogFormat, LogLevel

# Keys whose values are secrets or client material; their values never reach a log line.
_SECRET_KEYS = re.compile(
    r"(pass(word|wd)?|secret|token|api[_-]?key|authorization|cookie|credential|private[_-]?key|"
    r"master[_-]?key|database_url|^text$|document_text|content|notes|quote|prompt)",
    re.IGNORECASE,
)
# Values that look like secrets whatever their key: JWTs, common API-key prefixes, and password or token
# fields inside JSON or repr text (a library that logs a whole message would otherwise carry them along).
_SECRET_VALUES = re.compile(
    r"(eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}|"
    r"\bsk-ant-[A-Za-z0-9_-]{16,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*|"
    r"[\"']?(password|refresh_token|access_token)[\"']?\s*[:=]\s*([\"'])(?:(?!\4).)*\4)"
)
REDACTED = "[redacted]"
_EXEMPT_KEYS = frozenset({"event", "level", "timestamp", "logger", "tool", "correlation_id", "outcome"})


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return _SECRET_VALUES.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: REDACTED if _SECRET_KEYS.search(str(k)) else _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item) for item in value]
    return value


def redact_secrets(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: drop secret values by key name and by shape."""
    for key, value in list(event_dict.items()):
        if key in _EXEMPT_KEYS:
            if isinstance(value, str):
                event_dict[key] = _SECRET_VALUES.sub(REDACTED, value)
            continue
        event_dict[key] = REDACTED if _SECRET_KEYS.search(key) else _redact_value(value)
    return event_dict


_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.ExtraAdder(),
    redact_secrets,
]


def _route_structlog_to_stdlib() -> None:
    structlog.configure(
        processors=[*_SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
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
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party chatter that is noise at INFO. The SDK's SSE transport and sse-starlette also log whole
    # messages (client documents, passwords, tokens) at DEBUG, so they never go below WARNING either.
    for noisy in (
        "httpx",
        "httpx2",
        "httpcore",
        "uvicorn.access",
        "sqlalchemy.engine",
        "aiosqlite",
        "alembic",
        "mcp.server.sse",
        "sse_starlette",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    _route_structlog_to_stdlib()


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger

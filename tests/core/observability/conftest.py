"""Capture what Cyrano's log handler writes, as the JSON lines an operator would read."""

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cyrano_mcp.observability.logging import configure_logging

LogLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """Cyrano's JSON handler at DEBUG, writing to a buffer; the previous handlers come back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


@pytest.fixture
def log_lines(log_stream: io.StringIO) -> LogLines:
    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in log_stream.getvalue().splitlines() if line.strip()]

    return lines

"""What an engine tells `cyrano-mcp doctor` about its own setup: one finding per line the doctor prints."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "missing", "warning", "failed"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the doctor's report. A `failed` finding makes the doctor exit non-zero; the others inform.
    `detail` says what was found and, when something is wrong, what to do about it."""

    status: Status
    subject: str
    detail: str

    @classmethod
    def ok(cls, subject: str, detail: str) -> "Finding":
        return cls("ok", subject, detail)

    @classmethod
    def missing(cls, subject: str, detail: str) -> "Finding":
        return cls("missing", subject, detail)

    @classmethod
    def warning(cls, subject: str, detail: str) -> "Finding":
        return cls("warning", subject, detail)

    @classmethod
    def failed(cls, subject: str, detail: str) -> "Finding":
        return cls("failed", subject, detail)


Check = Callable[[], Sequence[Finding]]
"""A check the doctor runs: synchronous, quick, with no store or network (the doctor checks those itself)."""

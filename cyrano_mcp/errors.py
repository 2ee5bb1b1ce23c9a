"""Cyrano's exceptions, named for who they are meant for.

    CyranoError                 base; never raised itself
    ├── ConfigError             the operator's mistake (bad setting, broken plugin); stops start-up
    ├── SchemaError             the store's schema is newer than this code, or a migration failed
    └── DomainError             the caller's request cannot be served; becomes a tool error the client shows
        ├── InvalidInputError   arguments are well-typed but make no sense together
        │   └── TooLargeError   the input is well-formed but costs more (bytes, memory, time) than the limits allow
        ├── NotFoundError       the named thing does not exist
        ├── ConflictError       the request clashes with the stored state (closed matter, stale version)
        ├── PermissionDeniedError
        ├── RateLimitedError    carries `retry_after` seconds
        ├── UnavailableError    a dependency (database, provider) is down; retrying later may work
        └── ClientInputRequired the client must answer a request first (MCP 2026-07-28); the call path asks it

Anything else raised inside a tool is a bug: the client gets a generic error with a correlation id and the
traceback goes to the server log only.
"""

from typing import Any, ClassVar


class CyranoError(Exception):
    """Base of every Cyrano exception."""


class ConfigError(CyranoError):
    """A setting, plugin or engine declaration is wrong; the message names what to fix."""


class SchemaError(CyranoError):
    """The database schema cannot be used by this version of Cyrano."""


class DomainError(CyranoError):
    """A failure the caller should read: it becomes `is_error=True` with `code: message`."""

    code: ClassVar[str] = "error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInputError(DomainError):
    code = "invalid_input"


class TooLargeError(InvalidInputError):
    code = "too_large"


class NotFoundError(DomainError):
    code = "not_found"


class ConflictError(DomainError):
    code = "conflict"


class PermissionDeniedError(DomainError):
    code = "permission_denied"


class RateLimitedError(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details={**(details or {}), "retry_after": retry_after})
        self.retry_after = retry_after


class UnavailableError(DomainError):
    code = "unavailable"


class ClientInputRequired(DomainError):
    """Raised inside a call that needs an answer from the client before it can go on (MCP 2026-07-28, which has no
    requests to the client in the middle of a call). The call path ends the call with an `InputRequiredResult`
    asking `request`; the client answers and calls again, and the answer is found under `key`."""

    code = "input_required"

    def __init__(self, key: str, request: object) -> None:
        super().__init__(f"the client must answer {key} first")
        self.key = key
        self.request = request  # an mcp_types request, opaque here

"""Cyrano: an MCP tool server for small legal practices.

The public surface for engine authors is re-exported here; everything else is an implementation detail.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cyrano-mcp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

from cyrano_mcp.calls import CallContext, current_call
from cyrano_mcp.engine import Engine, EngineContext, Migration, Operation, ResourceTemplate
from cyrano_mcp.errors import (
    ConfigError,
    ConflictError,
    CyranoError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    SchemaError,
    UnavailableError,
)

__all__ = [
    "CallContext",
    "ConfigError",
    "ConflictError",
    "CyranoError",
    "DomainError",
    "Engine",
    "EngineContext",
    "InvalidInputError",
    "Migration",
    "NotFoundError",
    "Operation",
    "PermissionDeniedError",
    "RateLimitedError",
    "ResourceTemplate",
    "SchemaError",
    "UnavailableError",
    "__version__",
    "current_call",
]

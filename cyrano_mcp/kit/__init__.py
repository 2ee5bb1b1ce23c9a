"""The engine author's kit: everything an engine (built in or third-party) imports from Cyrano, and nothing else.

An engine is a package with `engine.py` (its `ENGINE` declaration and `build`), `service.py` (a typed service:
pydantic in, pydantic out, no MCP), `models.py`, `migrations.py`, `permissions.py` and `settings.py`, listed
in the `cyrano.engines` entry-point group of its `pyproject.toml`. docs/engines.md walks through writing one.
An import contract (`make lint`) keeps engines on this module: they import `cyrano_mcp.kit` and other
engines' `api` modules, never the server's internals.
"""

from cyrano_mcp.calls import CallContext, client_roots, current_call
from cyrano_mcp.crypto import (
    BlindIndex,
    FieldCipher,
    KeyedIndex,
    ReindexReport,
    SealedColumnIndex,
    SealedField,
    TokenKey,
)
from cyrano_mcp.errors import (
    ConfigError,
    ConflictError,
    CyranoError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TooLargeError,
    UnavailableError,
)
from cyrano_mcp.kit.checks import Check, Finding
from cyrano_mcp.kit.commands import EngineCommand
from cyrano_mcp.kit.context import EngineContext, RegistryView
from cyrano_mcp.kit.cursors import (
    NOT_ISSUED,
    arguments_fingerprint,
    cursor_index,
    issue_cursor,
    next_page_cursor,
    page_offset,
    read_cursor,
    require_bound,
    resume_at,
)
from cyrano_mcp.kit.declarations import Engine, Operation, Parts, Permissions, ResourceTemplate
from cyrano_mcp.kit.jobs import JobKind, JobQueue, JobRecord, JobSubmitted, NewItem
from cyrano_mcp.kit.listings import ListedResource, ListingPage, ListingRequest, ResourceListing
from cyrano_mcp.kit.model import (
    RULES,
    Completion,
    LLMError,
    LLMRequest,
    Message,
    ModelGateway,
    ModelOutputError,
    ModelUnavailableError,
    method_label,
)
from cyrano_mcp.kit.operations import OperationCaller, OperationRef
from cyrano_mcp.kit.prompts import Prompt, PromptMessage
from cyrano_mcp.kit.settings import CommaList, EngineSettings
from cyrano_mcp.kit.toolsets import Toolset
from cyrano_mcp.models import (
    DOCUMENT_TEXT,
    NULL_CLEARS,
    NoArguments,
    ToolInput,
    ToolOutput,
    UuidText,
    id_field,
    uuid_of,
)
from cyrano_mcp.principal import Role
from cyrano_mcp.store.alter import retype, retype_as_text
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import Migration
from cyrano_mcp.store.types import UTCDateTime, utc_now

__all__ = [
    "NOT_ISSUED",
    "arguments_fingerprint",
    "cursor_index",
    "issue_cursor",
    "next_page_cursor",
    "page_offset",
    "read_cursor",
    "require_bound",
    "resume_at",
    "NULL_CLEARS",
    "Toolset",
    "PromptMessage",
    "Prompt",
    "ResourceListing",
    "ListingRequest",
    "ListingPage",
    "ListedResource",
    "DOCUMENT_TEXT",
    "RULES",
    "BlindIndex",
    "CallContext",
    "Check",
    "CommaList",
    "Completion",
    "ConfigError",
    "ConflictError",
    "CyranoError",
    "Database",
    "DomainError",
    "Engine",
    "EngineCommand",
    "EngineContext",
    "EngineSettings",
    "FieldCipher",
    "Finding",
    "InvalidInputError",
    "JobKind",
    "JobQueue",
    "JobRecord",
    "JobSubmitted",
    "KeyedIndex",
    "LLMError",
    "LLMRequest",
    "Message",
    "Migration",
    "ModelGateway",
    "ModelOutputError",
    "ModelUnavailableError",
    "NewItem",
    "NoArguments",
    "NotFoundError",
    "Operation",
    "OperationCaller",
    "OperationRef",
    "Parts",
    "PermissionDeniedError",
    "Permissions",
    "RateLimitedError",
    "ReindexReport",
    "RegistryView",
    "ResourceTemplate",
    "Role",
    "SealedColumnIndex",
    "SealedField",
    "TokenKey",
    "TooLargeError",
    "ToolInput",
    "ToolOutput",
    "UTCDateTime",
    "UnavailableError",
    "UuidText",
    "client_roots",
    "current_call",
    "id_field",
    "method_label",
    "retype",
    "retype_as_text",
    "uuid_of",
    "utc_now",
]

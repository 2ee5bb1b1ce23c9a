"""What an engine or module declares, and what it is given.

An engine is a typed service (pydantic in, pydantic out, no `mcp` import) plus an `Engine` declaration:
its operations, resource templates, schema migrations and the kinds of background job it runs. A package
exposes a factory `create_engine(context: EngineContext) -> Engine` in the `cyrano.engines` entry-point
group; the built-in engines use the very same group.
"""

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from alembic.operations import Operations
from pydantic import BaseModel

from cyrano_mcp.errors import ConfigError

if TYPE_CHECKING:
    from cyrano_mcp.jobs.service import JobService
    from cyrano_mcp.llm.gateway import LLMGateway
    from cyrano_mcp.security.crypto import FieldCipher
    from cyrano_mcp.settings import Settings
    from cyrano_mcp.store.database import Database

InT = TypeVar("InT", bound=BaseModel)
OutT = TypeVar("OutT", bound=BaseModel)

ENGINE_NAME = re.compile(r"^[a-z][a-z0-9]{1,30}$")
OPERATION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


@dataclass(frozen=True, slots=True)
class Operation(Generic[InT, OutT]):
    """One operation of an engine; the registry exposes it as the tool `<engine>_<name>`."""

    name: str
    description: str
    input_model: type[InT]
    output_model: type[OutT]
    handler: Callable[[InT], Awaitable[OutT]]
    permission: str
    title: str | None = None
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    open_world: bool = False

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.name):
            raise ConfigError(f"operation name {self.name!r} must match {OPERATION_NAME.pattern}")
        if self.read_only and self.destructive:
            raise ConfigError(f"operation {self.name!r} cannot be both read-only and destructive")
        if not self.description.strip():
            raise ConfigError(f"operation {self.name!r} needs a description")


@dataclass(frozen=True, slots=True)
class ResourceTemplate:
    """An MCP resource template such as `cyrano://matters/{matter_id}`.

    `handler` receives the template's parameters as keyword arguments and returns the resource text.
    """

    uri_template: str
    name: str
    description: str
    handler: Callable[..., Awaitable[str]]
    permission: str
    mime_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step of a component. Versions start at 1 and increase by one.

    `upgrade` receives Alembic's `Operations` bound to the open connection, so the same step runs on
    SQLite and PostgreSQL (`op.get_bind().dialect.name` tells them apart where they must differ).
    """

    version: int
    name: str
    upgrade: Callable[[Operations], None]


@dataclass(frozen=True, slots=True)
class JobKind(Generic[InT, OutT]):
    """Work an engine runs in the background, one item at a time, as the job `<engine>.<name>`.

    The runner calls `handler` with each item's payload and stores what it returns. An item may run again
    after a crash (at least once), so the handler must be idempotent: a second run must not store twice.
    Raise `UnavailableError` (or `RateLimitedError`) for a failure worth retrying; any other `DomainError`
    fails the item at once with its message.
    """

    name: str
    description: str
    payload_model: type[InT]
    result_model: type[OutT]
    handler: Callable[[InT], Awaitable[OutT]]

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.name):
            raise ConfigError(f"job kind name {self.name!r} must match {OPERATION_NAME.pattern}")


@dataclass(frozen=True, slots=True)
class Engine:
    """The declaration the registry reads."""

    name: str
    description: str
    version: str = "0.1.0"
    operations: Sequence[Operation[Any, Any]] = ()
    resources: Sequence[ResourceTemplate] = ()
    migrations: Sequence[Migration] = ()
    depends_on: Sequence[str] = ()
    job_kinds: Sequence[JobKind[Any, Any]] = ()

    def __post_init__(self) -> None:
        if not ENGINE_NAME.match(self.name):
            raise ConfigError(f"engine name {self.name!r} must match {ENGINE_NAME.pattern}")
        versions = [migration.version for migration in self.migrations]
        if versions != list(range(1, len(versions) + 1)):
            raise ConfigError(f"engine {self.name!r}: migrations must be numbered 1, 2, 3, ... in order")


class RegistryView(Protocol):
    """What an engine may know about the others (the system engine reports it)."""

    @property
    def engines(self) -> Sequence[Engine]: ...

    @property
    def tool_names(self) -> Sequence[str]: ...

    def origin(self, engine_name: str) -> str:
        """The entry point or plugin an engine was loaded from."""
        ...


def _no_model() -> "LLMGateway":
    # Imported here because the model layer imports this module (for `Migration`).
    from cyrano_mcp.llm.gateway import LLMGateway

    return LLMGateway.offline()


@dataclass(slots=True)
class EngineContext:
    """Everything an engine factory is given. Services take what they need from it in their constructor.

    `llm` is the model gateway; a context built without a runtime gets one with no model, so engines
    run their rules. `jobs` submits background work (the runtime always gives one).
    """

    settings: "Settings"
    database: "Database"
    registry: RegistryView
    llm: "LLMGateway" = field(default_factory=_no_model)
    jobs: "JobService | None" = None
    extras: dict[str, Any] = field(default_factory=dict)
    # Field encryption: `fields.field(table=..., column=..., key_type=...)` declares an encrypted column.
    fields: "FieldCipher | None" = None

    def require_fields(self) -> "FieldCipher":
        if self.fields is None:
            raise ConfigError("this engine stores encrypted fields, but no field encryption was configured")
        return self.fields


EngineFactory = Callable[[EngineContext], Engine]

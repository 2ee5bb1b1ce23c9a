"""What an engine declares: itself (`Engine`), and what its `build` returns (`Parts`).

    ENGINE = Engine(name="clauses", description="...", build=build, requires=(DocumentsReader,), ...)

    def build(context: EngineContext) -> Parts:
        service = ClauseService(context.require(DocumentsReader))
        return Parts(operations=[Operation.read("find", service.find, "Find ...", permission="documents:read")])

The `Engine` is static: the registry reads its name, what it requires and provides, its settings model and
its permissions before building anything, orders the engines so that every required interface has been
provided, and then calls each `build` with a context that hands over what it requires.
"""

import inspect
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel
from pydantic_settings import BaseSettings

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.checks import Check
from cyrano_mcp.kit.commands import EngineCommand
from cyrano_mcp.kit.jobs import JobKind
from cyrano_mcp.kit.listings import ResourceListing
from cyrano_mcp.kit.names import ENGINE_NAME, OPERATION_NAME
from cyrano_mcp.kit.prompts import Prompt
from cyrano_mcp.kit.toolsets import Toolset
from cyrano_mcp.principal import Role
from cyrano_mcp.store.migrate import Migration

if TYPE_CHECKING:
    from cyrano_mcp.kit.context import EngineContext

InT = TypeVar("InT", bound=BaseModel)
OutT = TypeVar("OutT", bound=BaseModel)
Handler = Callable[[InT], Awaitable[OutT]]


@dataclass(frozen=True, slots=True)
class Operation(Generic[InT, OutT]):
    """One operation of an engine; the registry exposes it as the tool `<engine>_<name>`.

    `read`, `write` and `destructive_write` build the common shapes, taking the input and output models from the
    handler's annotations (`async def find(self, request: FindRequest) -> FindResult`).
    """

    name: str
    description: str
    input_model: type[InT]
    output_model: type[OutT]
    handler: Handler[InT, OutT]
    permission: str
    title: str | None = None
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    open_world: bool = False
    toolset: str | None = None  # one of the engine's `Engine.toolsets`; None: its first (kit.toolsets)

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.name):
            raise ConfigError(f"operation name {self.name!r} must match {OPERATION_NAME.pattern}")
        if self.read_only and self.destructive:
            raise ConfigError(f"operation {self.name!r} cannot be both read-only and destructive")
        if not self.description.strip():
            raise ConfigError(f"operation {self.name!r} needs a description")

    @classmethod
    def read(
        cls,
        name: str,
        handler: Handler[InT, OutT],
        description: str,
        *,
        permission: str,
        title: str | None = None,
        open_world: bool = False,
        toolset: str | None = None,
    ) -> "Operation[InT, OutT]":
        """An operation that changes nothing (read-only, and so idempotent)."""
        input_model, output_model = _models_of(name, handler)
        return cls(
            name,
            description,
            input_model,
            output_model,
            handler,
            permission,
            title=title,
            read_only=True,
            idempotent=True,
            open_world=open_world,
            toolset=toolset,
        )

    @classmethod
    def write(
        cls,
        name: str,
        handler: Handler[InT, OutT],
        description: str,
        *,
        permission: str,
        title: str | None = None,
        idempotent: bool = False,
        open_world: bool = False,
        toolset: str | None = None,
    ) -> "Operation[InT, OutT]":
        """An operation that adds or changes something without destroying anything."""
        input_model, output_model = _models_of(name, handler)
        return cls(
            name,
            description,
            input_model,
            output_model,
            handler,
            permission,
            title=title,
            idempotent=idempotent,
            open_world=open_world,
            toolset=toolset,
        )

    @classmethod
    def destructive_write(
        cls,
        name: str,
        handler: Handler[InT, OutT],
        description: str,
        *,
        permission: str,
        title: str | None = None,
        idempotent: bool = False,
        toolset: str | None = None,
    ) -> "Operation[InT, OutT]":
        """An operation that deletes, overwrites or ends something (a host may ask the user first)."""
        input_model, output_model = _models_of(name, handler)
        return cls(
            name,
            description,
            input_model,
            output_model,
            handler,
            permission,
            title=title,
            destructive=True,
            idempotent=idempotent,
            toolset=toolset,
        )


def _models_of(name: str, handler: Callable[..., Any]) -> tuple[type[Any], type[Any]]:
    """The input and output models a handler is annotated with: one model parameter, a model returned."""
    try:
        hints = typing.get_type_hints(handler)
        parameters = list(inspect.signature(handler).parameters.values())
    except (NameError, TypeError, ValueError) as exc:
        raise ConfigError(f"operation {name!r}: cannot read its handler's annotations ({exc})") from exc
    if len(parameters) != 1:
        raise ConfigError(f"operation {name!r}: its handler must take exactly one argument, its input model")
    input_model = hints.get(parameters[0].name)
    output_model = hints.get("return")
    for role, model in (("input", input_model), ("output", output_model)):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise ConfigError(f"operation {name!r}: its handler's {role} must be annotated with a pydantic model")
    assert input_model is not None and output_model is not None
    return input_model, output_model


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
class Permissions:
    """The permissions of one resource (`documents:read`, `documents:write`, ...) and the roles they go to.

    `actions` maps each action to what it lets a role do (shown in docs/security.md); `grants` gives each role
    the actions it holds ("*" for all of them). Admins hold every permission of every engine anyway.
    """

    resource: str
    actions: Mapping[str, str]
    grants: Mapping[Role, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.resource):
            raise ConfigError(f"permission resource {self.resource!r} must match {OPERATION_NAME.pattern}")
        for role, actions in self.grants.items():
            unknown = [action for action in actions if action != "*" and action not in self.actions]
            if unknown:
                raise ConfigError(f"{self.resource}: {role} is granted unknown actions {unknown}")

    def granted_to(self, role: Role) -> list[str]:
        """The permissions `role` holds here, as `resource:action` (wildcards expanded)."""
        actions = self.grants.get(role, ())
        chosen = list(self.actions) if "*" in actions else list(actions)
        return [f"{self.resource}:{action}" for action in chosen]


@dataclass(frozen=True, slots=True)
class Parts:
    """What an engine's `build` returns: its tools, prompts, resources, schema steps, job kinds and provided
    services.

    `provides` maps each interface the `Engine` declares it provides to the object that implements it.
    `checks` are what `cyrano-mcp doctor` asks about the engine's own setup (its settings, its folders).
    """

    operations: Sequence[Operation[Any, Any]] = ()
    prompts: Sequence[Prompt[Any]] = ()
    resources: Sequence[ResourceTemplate] = ()
    listings: Sequence[ResourceListing] = ()
    migrations: Sequence[Migration] = ()
    job_kinds: Sequence[JobKind[Any, Any]] = ()
    provides: Mapping[type, object] = field(default_factory=dict)
    checks: Sequence[Check] = ()


@dataclass(frozen=True, slots=True)
class Engine:
    """The declaration the registry reads: an engine package's `ENGINE`, named by its entry point.

    `requires` and `provides` are interface types (protocols a providing engine publishes in its `api`
    module); `settings` is the engine's own settings model (`EngineSettings`, read from `CYRANO_*`);
    `permissions` are the resources its operations' permissions belong to; `toolsets` the groups its tools are
    switched on and off in (`kit.toolsets`).
    """

    name: str
    description: str
    build: "Callable[[EngineContext], Parts]"
    version: str = "0.1.0"
    requires: Sequence[type] = ()
    provides: Sequence[type] = ()
    settings: type[BaseSettings] | None = None
    permissions: Sequence[Permissions] = ()
    toolsets: Sequence[Toolset] = ()
    commands: Sequence[EngineCommand] = ()  # `cyrano-mcp <engine> <command>` (kit.commands)

    def __post_init__(self) -> None:
        if not ENGINE_NAME.match(self.name):
            raise ConfigError(f"engine name {self.name!r} must match {ENGINE_NAME.pattern}")

    @property
    def own_toolsets(self) -> Sequence[Toolset]:
        """The toolsets it declared, or one named after it (on everywhere) when it declared none."""
        return self.toolsets or (Toolset(self.name, self.description),)


def check_parts(engine: Engine, parts: Parts) -> None:
    """What a `build` returned must match what its `Engine` declared."""
    if not isinstance(parts, Parts):
        raise ConfigError(f"engine {engine.name!r}: build returned {type(parts).__name__}, not Parts")
    versions = [migration.version for migration in parts.migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ConfigError(f"engine {engine.name!r}: migrations must be numbered 1, 2, 3, ... in order")
    declared, given = set(engine.provides), set(parts.provides)
    if declared != given:
        missing = ", ".join(sorted(kind.__name__ for kind in declared - given))
        extra = ", ".join(sorted(kind.__name__ for kind in given - declared))
        raise ConfigError(
            f"engine {engine.name!r} declares it provides [{missing}] but its build did not give them"
            if missing
            else f"engine {engine.name!r} gives [{extra}] without declaring them in Engine.provides"
        )
    toolsets = {toolset.name for toolset in engine.own_toolsets}
    named = [(f"operation {item.name!r}", item.toolset) for item in parts.operations]
    named += [(f"prompt {item.name!r}", item.toolset) for item in parts.prompts]
    for what, toolset in named:
        if toolset is not None and toolset not in toolsets:
            raise ConfigError(
                f"engine {engine.name!r}: {what} names toolset {toolset!r}, which it does not declare "
                f"(Engine.toolsets: {', '.join(sorted(toolsets))})"
            )
    for kind, implementation in parts.provides.items():
        if getattr(kind, "_is_runtime_protocol", False) and not isinstance(implementation, kind):
            raise ConfigError(f"engine {engine.name!r}: {type(implementation).__name__} is not a {kind.__name__}")

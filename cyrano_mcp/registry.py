"""The engine registry: finds engines, checks their declarations, and turns their operations into tools.

Built-in engines and third-party ones arrive the same way: a factory in the `cyrano.engines`
entry-point group (or named in `CYRANO_PLUGINS`). A duplicate engine or tool name stops start-up.
"""

import importlib
import inspect
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from pydantic import BaseModel, create_model

from cyrano_mcp.callpath import CallPath, RegistryTool, build_tool
from cyrano_mcp.engine import Engine, EngineContext, EngineFactory, JobKind, Operation, ResourceTemplate
from cyrano_mcp.errors import ConfigError, DomainError
from cyrano_mcp.models import ToolInput
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.migrate import Component

log = get_logger(__name__)

ENTRY_POINT_GROUP = "cyrano.engines"


@dataclass(frozen=True, slots=True)
class EngineSource:
    """Where an engine factory came from (for error messages and `system_info`)."""

    origin: str
    factory: EngineFactory


def discover_engine_sources(settings: Settings) -> list[EngineSource]:
    """Entry points of the `cyrano.engines` group, then `CYRANO_PLUGINS`, minus the disabled ones."""
    sources: list[EngineSource] = []
    disabled = set(settings.disabled_engines)
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        if entry_point.name in disabled:
            continue
        try:
            factory = entry_point.load()
        except Exception as exc:
            raise ConfigError(
                f"engine entry point {entry_point.name!r} ({entry_point.value}) failed to load: {exc}"
            ) from exc
        sources.append(EngineSource(origin=f"entry point {entry_point.value}", factory=factory))
    sources.extend(EngineSource(origin=f"plugin {spec}", factory=load_factory(spec)) for spec in settings.plugins)
    return sources


def load_factory(spec: str) -> EngineFactory:
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"CYRANO_PLUGINS entry {spec!r} must look like package.module:factory")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"CYRANO_PLUGINS entry {spec!r}: cannot import {module_name}: {exc}") from exc
    factory = getattr(module, attribute, None)
    if not callable(factory):
        raise ConfigError(f"CYRANO_PLUGINS entry {spec!r}: {attribute} is not a callable in {module_name}")
    return factory  # type: ignore[no-any-return]


class Registry:
    """Holds the engines in dependency order and the tools made from their operations."""

    def __init__(self, call_path: CallPath | None = None, core_components: Sequence[Component] = ()) -> None:
        self.call_path = call_path or CallPath()
        # Schema components of the core (security), migrated before any engine's.
        self._core_components = list(core_components)
        self._engines: dict[str, Engine] = {}
        self._origins: dict[str, str] = {}
        self._tools: dict[str, tuple[str, Operation[Any, Any]]] = {}
        self._ordered: list[Engine] | None = None

    # --- RegistryView -------------------------------------------------------------------------
    @property
    def engines(self) -> Sequence[Engine]:
        if self._ordered is None:
            self._ordered = _dependency_order(self._engines)
        return self._ordered

    @property
    def tool_names(self) -> Sequence[str]:
        return list(self._tools)

    # --- building -----------------------------------------------------------------------------
    def load(self, sources: Sequence[EngineSource], context: EngineContext) -> None:
        for source in sources:
            try:
                engine = source.factory(context)
            except ConfigError:
                raise
            except Exception as exc:
                raise ConfigError(f"engine from {source.origin} failed to start: {exc}") from exc
            if not isinstance(engine, Engine):
                raise ConfigError(f"{source.origin} returned {type(engine).__name__}, not a cyrano_mcp.Engine")
            self.add(engine, origin=source.origin)
        self.engines  # noqa: B018 - resolve the order now so a missing dependency stops start-up

    def add(self, engine: Engine, *, origin: str = "code") -> None:
        if engine.name in self._engines:
            raise ConfigError(f"two engines are named {engine.name!r}: {self._origins[engine.name]} and {origin}")
        names: dict[str, Operation[Any, Any]] = {}
        for operation in engine.operations:
            tool_name = f"{engine.name}_{operation.name}"
            if tool_name in self._tools or tool_name in names:
                owner = self._tools[tool_name][0] if tool_name in self._tools else engine.name
                raise ConfigError(f"duplicate tool name {tool_name!r} (from engines {owner!r} and {engine.name!r})")
            names[tool_name] = operation
        self._engines[engine.name] = engine
        self._origins[engine.name] = origin
        self._tools.update({name: (engine.name, operation) for name, operation in names.items()})
        self._ordered = None

    def origin(self, engine_name: str) -> str:
        return self._origins[engine_name]

    def operation(self, tool_name: str) -> Operation[Any, Any]:
        return self._tools[tool_name][1]

    def engine_of(self, tool_name: str) -> str:
        return self._tools[tool_name][0]

    def job_kinds(self) -> dict[str, list[JobKind[Any, Any]]]:
        """The job kinds each engine declares, by engine name."""
        return {engine.name: list(engine.job_kinds) for engine in self.engines if engine.job_kinds}

    def components(self) -> list[Component]:
        engines = [Component(engine.name, engine.migrations) for engine in self.engines if engine.migrations]
        return [*self._core_components, *engines]

    def build_tools(self) -> list[RegistryTool]:
        return [build_tool(name, operation, self.call_path) for name, (_, operation) in self._tools.items()]

    def install_resources(self, server: MCPServer[Any]) -> None:
        for engine in self.engines:
            for template in engine.resources:
                server.resource(
                    template.uri_template,
                    name=template.name,
                    description=template.description,
                    mime_type=template.mime_type,
                )(_resource_reader(template, self.call_path))

    def catalogue(self) -> list[dict[str, Any]]:
        """Every tool with its schemas, as `cyrano-mcp tools --json` prints it."""
        return [
            {
                "name": tool.name,
                "engine": self.engine_of(tool.name),
                "title": tool.title,
                "description": tool.description,
                "permission": tool.operation.permission,
                "annotations": tool.annotations.model_dump(by_alias=True, exclude_none=True)
                if tool.annotations
                else {},
                "inputSchema": tool.parameters,
                "outputSchema": tool.output_schema,
            }
            for tool in self.build_tools()
        ]


def _dependency_order(engines: dict[str, Engine]) -> list[Engine]:
    ordered: list[Engine] = []
    state: dict[str, str] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ConfigError(f"engines depend on each other in a cycle: {' -> '.join((*path, name))}")
        engine = engines.get(name)
        if engine is None:
            raise ConfigError(f"engine {path[-1]!r} depends on {name!r}, which is not installed or is disabled")
        state[name] = "visiting"
        for dependency in engine.depends_on:
            visit(dependency, (*path, name))
        state[name] = "done"
        ordered.append(engine)

    for name in sorted(engines):
        visit(name, ())
    return ordered


class ResourceText(BaseModel):
    text: str


def _resource_reader(template: ResourceTemplate, call_path: CallPath) -> Callable[..., Awaitable[str]]:
    """A reader that sends every read through the call path (audit, auth, limits, RBAC) like a tool call.

    The SDK matches the reader's parameters to the URI template and injects the `Context` parameter, so
    the reader gets the handler's own parameters plus `ctx`.
    """
    handler_signature = inspect.signature(template.handler)
    params_model = create_model(  # type: ignore[call-overload]
        f"{template.name}_params", __base__=ToolInput, **dict.fromkeys(handler_signature.parameters, (str, ...))
    )

    async def handle(params: BaseModel) -> ResourceText:
        return ResourceText(text=await template.handler(**params.model_dump()))

    operation: Operation[BaseModel, ResourceText] = Operation(
        name="read_" + re.sub(r"[^a-z0-9_]", "_", template.name.lower())[:35],
        description=template.description,
        input_model=params_model,
        output_model=ResourceText,
        handler=handle,
        permission=template.permission,
        read_only=True,
    )

    async def read(**arguments: Any) -> str:
        ctx = arguments.pop("ctx")
        try:
            result = await call_path.read_resource(f"resource:{template.name}", operation, arguments, ctx)
        except DomainError as exc:
            raise ResourceError(f"{exc.code}: {exc.message}") from None
        assert isinstance(result, ResourceText)
        return result.text

    keyword_only = [
        parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY) for parameter in handler_signature.parameters.values()
    ]
    context_parameter = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)
    read.__signature__ = inspect.Signature([*keyword_only, context_parameter], return_annotation=str)  # type: ignore[attr-defined]
    read.__annotations__ = {**template.handler.__annotations__, "ctx": Context, "return": str}
    read.__name__ = template.name
    return read


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=False, default=str)

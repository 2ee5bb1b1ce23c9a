"""The engine registry: finds engines, orders them by what they require, builds them, and turns their operations
into tools.

Built-in engines and third-party ones arrive the same way: an `Engine` named by an entry point of the
`cyrano.engines` group (or by `CYRANO_PLUGINS`). The core's own engines (system, auth, audit, jobs) are
given by the runtime, so no setting can disable them. Each engine is built after the engines providing what
it requires; a duplicate engine, tool or provided interface, a missing provider or a cycle stops start-up.
"""

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from cyrano_mcp.build_context import BuildContext, Services
from cyrano_mcp.callpath import CallPath, RegistryTool, build_tool
from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.checks import Check
from cyrano_mcp.kit.declarations import Engine, Operation, Parts, ResourceTemplate, check_parts
from cyrano_mcp.kit.jobs import JobKind
from cyrano_mcp.kit.listings import ResourceListing
from cyrano_mcp.kit.prompts import Prompt
from cyrano_mcp.kit.toolsets import ALL_TOOLSETS, DEFAULT_TOOLSETS, Toolset
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.permissions import PermissionTable
from cyrano_mcp.settings import Settings, read_settings
from cyrano_mcp.store.migrate import Component

log = get_logger(__name__)

ENTRY_POINT_GROUP = "cyrano.engines"


@dataclass(frozen=True, slots=True)
class EngineSource:
    """Where an engine declaration came from (for error messages and `system_info`)."""

    origin: str
    engine: Engine


def discover_engine_sources(settings: Settings) -> list[EngineSource]:
    """Entry points of the `cyrano.engines` group, then `CYRANO_PLUGINS`, minus the disabled ones."""
    sources: list[EngineSource] = []
    disabled = set(settings.disabled_engines)
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        if entry_point.name in disabled:
            continue
        try:
            declared = entry_point.load()
        except Exception as exc:
            raise ConfigError(
                f"engine entry point {entry_point.name!r} ({entry_point.value}) failed to load: {exc}"
            ) from exc
        sources.append(EngineSource(f"entry point {entry_point.value}", _engine(declared, entry_point.value)))
    sources.extend(EngineSource(f"plugin {spec}", _engine(load_declaration(spec), spec)) for spec in settings.plugins)
    return [source for source in sources if source.engine.name not in disabled]


def load_declaration(spec: str) -> object:
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"CYRANO_PLUGINS entry {spec!r} must look like package.module:ENGINE")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"CYRANO_PLUGINS entry {spec!r}: cannot import {module_name}: {exc}") from exc
    if not hasattr(module, attribute):
        raise ConfigError(f"CYRANO_PLUGINS entry {spec!r}: {module_name} has no {attribute}")
    return getattr(module, attribute)


def _engine(declared: object, where: str) -> Engine:
    if not isinstance(declared, Engine):
        raise ConfigError(f"{where} is a {type(declared).__name__}, not a cyrano_mcp.kit.Engine")
    return declared


@dataclass(frozen=True, slots=True)
class LoadedEngine:
    engine: Engine
    parts: Parts
    origin: str


class Registry:
    """Holds the engines in build order, the tools made from their operations, and the role table."""

    def __init__(self, call_path: CallPath | None = None, core_components: Sequence[Component] = ()) -> None:
        self.call_path = call_path or CallPath()
        self.permissions = PermissionTable()
        # Schema components of the core (security, llm), migrated before any engine's.
        self._core_components = list(core_components)
        self._loaded: dict[str, LoadedEngine] = {}
        self._tools: dict[str, tuple[str, Operation[Any, Any]]] = {}
        self._provided: dict[type, object] = {}
        self._toolset_owners: dict[str, str] = {}

    # --- RegistryView -------------------------------------------------------------------------
    @property
    def engines(self) -> Sequence[Engine]:
        return [loaded.engine for loaded in self._loaded.values()]

    @property
    def tool_names(self) -> Sequence[str]:
        return list(self._tools)

    def origin(self, engine_name: str) -> str:
        return self._loaded[engine_name].origin

    def tools_of(self, engine_name: str) -> Sequence[str]:
        return [f"{engine_name}_{operation.name}" for operation in self._loaded[engine_name].parts.operations]

    def components(self) -> list[Component]:
        engines = [
            Component(loaded.engine.name, loaded.parts.migrations)
            for loaded in self._loaded.values()
            if loaded.parts.migrations
        ]
        return [*self._core_components, *engines]

    # --- building -----------------------------------------------------------------------------
    def load(self, sources: Sequence[EngineSource], services: Services) -> None:
        """Build every engine, each after the engines that provide what it requires."""
        for source in _build_order(sources):
            engine = source.engine
            if engine.name in self._loaded:
                raise ConfigError(
                    f"two engines are named {engine.name!r}: {self.origin(engine.name)} and {source.origin}"
                )
            for declared in engine.permissions:
                self.permissions.add(declared, owner=engine.name)
            settings = _engine_settings(engine, services.settings)
            context = BuildContext(engine, services, settings, self._provided, self.permissions)
            try:
                parts = engine.build(context)
            except ConfigError:
                raise
            except Exception as exc:
                raise ConfigError(f"engine {engine.name!r} from {source.origin} failed to start: {exc}") from exc
            check_parts(engine, parts)
            self._add(LoadedEngine(engine, parts, source.origin))
        _warn_unclaimed(services.settings, [source.engine for source in sources])

    def _add(self, loaded: LoadedEngine) -> None:
        engine = loaded.engine
        for toolset in engine.own_toolsets:
            owner = self._toolset_owners.get(toolset.name)
            if owner is not None:
                raise ConfigError(f"engines {owner!r} and {engine.name!r} both declare the toolset {toolset.name!r}")
        names: dict[str, Operation[Any, Any]] = {}
        for operation in loaded.parts.operations:
            tool_name = f"{engine.name}_{operation.name}"
            if tool_name in self._tools or tool_name in names:
                owner = self._tools[tool_name][0] if tool_name in self._tools else engine.name
                raise ConfigError(f"duplicate tool name {tool_name!r} (from engines {owner!r} and {engine.name!r})")
            names[tool_name] = operation
        self._loaded[engine.name] = loaded
        self._toolset_owners.update(dict.fromkeys((toolset.name for toolset in engine.own_toolsets), engine.name))
        self._provided.update(loaded.parts.provides)
        self._tools.update({name: (engine.name, operation) for name, operation in names.items()})

    def operation(self, tool_name: str) -> Operation[Any, Any]:
        return self._tools[tool_name][1]

    def engine_of(self, tool_name: str) -> str:
        return self._tools[tool_name][0]

    def toolsets(self) -> dict[str, Toolset]:
        """Every loaded engine's toolsets, by name."""
        return {toolset.name: toolset for loaded in self._loaded.values() for toolset in loaded.engine.own_toolsets}

    def toolset_of(self, tool_name: str) -> str:
        engine_name, operation = self._tools[tool_name]
        return operation.toolset or self._loaded[engine_name].engine.own_toolsets[0].name

    def select_toolsets(self, requested: Sequence[str], transport: str) -> frozenset[str]:
        """The toolsets `CYRANO_TOOLSETS` names: toolset names, `all`, or `default` (the transport's defaults;
        also what an empty setting means), combinable: `default,accounts`."""
        declared = self.toolsets()
        chosen: set[str] = set()
        for word in requested or [DEFAULT_TOOLSETS]:
            if word == ALL_TOOLSETS:
                chosen.update(declared)
            elif word == DEFAULT_TOOLSETS:
                chosen.update(name for name, toolset in declared.items() if toolset.on_by_default(transport))
            elif word in declared:
                chosen.add(word)
            else:
                raise ConfigError(
                    f"CYRANO_TOOLSETS names {word!r}, which no loaded engine declares; choose from all, default, "
                    + ", ".join(sorted(declared))
                )
        return frozenset(chosen)

    def checks(self) -> list[tuple[str, Check]]:
        """The doctor's checks each engine declares, with the engine's name."""
        return [(name, check) for name, loaded in self._loaded.items() for check in loaded.parts.checks]

    def job_kinds(self) -> dict[str, list[JobKind[Any, Any]]]:
        """The job kinds each engine declares, by engine name."""
        return {name: list(loaded.parts.job_kinds) for name, loaded in self._loaded.items() if loaded.parts.job_kinds}

    def build_tools(self, toolsets: frozenset[str] | None = None) -> list[RegistryTool]:
        """The tools of the chosen toolsets (of all, by default)."""
        return [
            build_tool(name, operation, self.call_path)
            for name, (_, operation) in self._tools.items()
            if toolsets is None or self.toolset_of(name) in toolsets
        ]

    def prompts(self, toolsets: frozenset[str] | None = None) -> list[Prompt[Any]]:
        """The prompts of the chosen toolsets (a prompt belongs to its engine's first toolset unless it names one)."""
        chosen = []
        for loaded in self._loaded.values():
            for prompt in loaded.parts.prompts:
                toolset = prompt.toolset or loaded.engine.own_toolsets[0].name
                if toolsets is None or toolset in toolsets:
                    chosen.append(prompt)
        return chosen

    def resource_listings(self) -> list[ResourceListing]:
        return [listing for loaded in self._loaded.values() for listing in loaded.parts.listings]

    def resource_templates(self) -> list[ResourceTemplate]:
        return [template for loaded in self._loaded.values() for template in loaded.parts.resources]

    def catalogue(self, toolsets: frozenset[str] | None = None) -> list[dict[str, Any]]:
        """The tools of the chosen toolsets with their schemas, as `cyrano-mcp tools --json` prints them."""
        return [
            {
                "name": tool.name,
                "engine": self.engine_of(tool.name),
                "toolset": self.toolset_of(tool.name),
                "title": tool.title,
                "description": tool.description,
                "permission": tool.operation.permission,
                "annotations": tool.annotations.model_dump(by_alias=True, exclude_none=True)
                if tool.annotations
                else {},
                "inputSchema": tool.parameters,
                "outputSchema": tool.output_schema,
            }
            for tool in self.build_tools(toolsets)
        ]


def _build_order(sources: Sequence[EngineSource]) -> list[EngineSource]:
    """Sources ordered so that each engine comes after the providers of everything it requires."""
    origins: dict[str, str] = {}
    for source in sources:
        name = source.engine.name
        if name in origins:
            raise ConfigError(f"two engines are named {name!r}: {origins[name]} and {source.origin}")
        origins[name] = source.origin
    providers: dict[type, EngineSource] = {}
    for source in sources:
        for interface in source.engine.provides:
            if interface in providers:
                raise ConfigError(
                    f"engines {providers[interface].engine.name!r} and {source.engine.name!r} both provide "
                    f"{interface.__name__}"
                )
            providers[interface] = source
    ordered: list[EngineSource] = []
    state: dict[str, str] = {}

    def visit(source: EngineSource, path: tuple[str, ...]) -> None:
        name = source.engine.name
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ConfigError(f"engines require each other in a cycle: {' -> '.join((*path, name))}")
        state[name] = "visiting"
        for interface in source.engine.requires:
            provider = providers.get(interface)
            if provider is None:
                raise ConfigError(
                    f"engine {name!r} requires {interface.__name__}, which no installed engine provides "
                    "(is its engine disabled, or not installed?)"
                )
            visit(provider, (*path, name))
        state[name] = "done"
        ordered.append(source)

    for source in sources:  # core engines first, then entry points by name: a stable order
        visit(source, ())
    return ordered


def _engine_settings(engine: Engine, core: Settings) -> Any:
    if engine.settings is None:
        return None
    given = {name: value for name, value in core.engine_settings.items() if name in engine.settings.model_fields}
    return read_settings(engine.settings, given)


def _warn_unclaimed(core: Settings, engines: Sequence[Engine]) -> None:
    claimed = {name for engine in engines if engine.settings is not None for name in engine.settings.model_fields}
    unclaimed = sorted(set(core.engine_settings) - claimed)
    if unclaimed:
        log.warning("settings_not_claimed", settings=unclaimed, advice="no loaded engine reads these settings")

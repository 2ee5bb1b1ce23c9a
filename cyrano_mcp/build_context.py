"""The `EngineContext` each engine's `build` gets: the runtime's services, the engine's own settings, the
interfaces other engines provide, and `operations`, which runs other tools through the call path.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from pydantic import BaseModel
from pydantic_settings import BaseSettings

from cyrano_mcp.callpath import CallPath
from cyrano_mcp.calls import current_call
from cyrano_mcp.crypto import FieldCipher
from cyrano_mcp.errors import ConfigError, NotFoundError
from cyrano_mcp.kit.context import RegistryView
from cyrano_mcp.kit.declarations import Engine, Operation
from cyrano_mcp.kit.jobs import JobQueue
from cyrano_mcp.kit.model import ModelGateway
from cyrano_mcp.kit.operations import OperationCaller, OperationRef
from cyrano_mcp.permissions import PermissionTable
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database


class _Tools(Protocol):
    """What `RegistryOperations` needs of the registry (which builds the contexts, so is not imported here)."""

    @property
    def tool_names(self) -> Sequence[str]: ...

    @property
    def call_path(self) -> CallPath: ...

    def operation(self, tool_name: str) -> Operation[Any, Any]: ...


SettingsT = TypeVar("SettingsT", bound=BaseSettings)
InterfaceT = TypeVar("InterfaceT")
InT = TypeVar("InT", bound=BaseModel)
OutT = TypeVar("OutT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Services:
    """What the runtime shares with every engine."""

    settings: Settings
    database: Database
    fields: FieldCipher
    llm: ModelGateway
    jobs: JobQueue
    operations: OperationCaller
    registry: RegistryView


class BuildContext:
    """One engine's view of the runtime while it is built (and, through its closures, afterwards)."""

    def __init__(
        self,
        engine: Engine,
        services: Services,
        settings: BaseSettings | None,
        provided: Mapping[type, object],
        permissions: PermissionTable,
    ) -> None:
        self._engine = engine
        self._services = services
        self._settings = settings
        self._provided = provided
        self._permissions = permissions

    @property
    def database(self) -> Database:
        return self._services.database

    @property
    def fields(self) -> FieldCipher:
        return self._services.fields

    @property
    def llm(self) -> ModelGateway:
        return self._services.llm

    @property
    def jobs(self) -> JobQueue:
        return self._services.jobs

    @property
    def operations(self) -> OperationCaller:
        return self._services.operations

    @property
    def registry(self) -> RegistryView:
        return self._services.registry

    def settings(self, model: type[SettingsT]) -> SettingsT:
        if model is Settings:
            return cast(SettingsT, self._services.settings)  # the core's own engines read the core's settings
        if self._engine.settings is not model or self._settings is None:
            raise ConfigError(f"engine {self._engine.name!r} reads {model.__name__}, which its Engine.settings is not")
        return cast(SettingsT, self._settings)

    def require(self, interface: type[InterfaceT]) -> InterfaceT:
        if interface not in self._engine.requires:
            raise ConfigError(
                f"engine {self._engine.name!r} asks for {interface.__name__} without listing it in Engine.requires"
            )
        return cast(InterfaceT, self._provided[interface])  # the build order put its provider first

    def caller_may(self, permission: str) -> bool:
        call = current_call()
        return (
            call is not None
            and call.principal is not None
            and self._permissions.allows(call.principal.role, permission)
        )


class RegistryOperations:
    """`context.operations`: a registered tool, run through the call path as the current caller."""

    def __init__(self) -> None:
        self._registry: _Tools | None = None

    def attach(self, registry: _Tools) -> None:
        self._registry = registry

    async def run(self, operation: OperationRef[InT, OutT], params: InT) -> OutT:
        declared = self._operation(operation.tool)
        if declared.input_model is not operation.input_model or declared.output_model is not operation.output_model:
            raise ConfigError(f"{operation.tool}'s models are not those its OperationRef names")
        result = await self._invoke(operation.tool, declared, params)
        return cast(OutT, result)

    async def call(self, tool: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        result = await self._invoke(tool, self._operation(tool), dict(arguments))
        return result.model_dump(mode="json")

    def _operation(self, tool: str) -> Operation[Any, Any]:
        if self._registry is None:
            raise ConfigError("operations can be called once every engine is built")
        if tool not in self._registry.tool_names:
            raise NotFoundError(f"there is no tool {tool!r}")
        return self._registry.operation(tool)

    async def _invoke(
        self, tool: str, operation: Operation[Any, Any], arguments: BaseModel | dict[str, Any]
    ) -> BaseModel:
        assert self._registry is not None
        return await self._registry.call_path.invoke(tool, operation, arguments)

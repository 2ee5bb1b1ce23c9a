"""What an engine's `build` is given: the store, sealed fields, a model, the job queue, other engines' tools and
services, its own settings, and a view of the registry.

The services are typed by the protocols of this package (`ModelGateway`, `JobQueue`, `OperationCaller`), so
an engine never imports the classes that implement them. The store (`Database`) and field encryption
(`FieldCipher`) are building blocks below the kit, used as they are.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from pydantic_settings import BaseSettings

from cyrano_mcp.crypto import FieldCipher
from cyrano_mcp.kit.jobs import JobQueue
from cyrano_mcp.kit.model import ModelGateway
from cyrano_mcp.kit.operations import OperationCaller
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import Component

if TYPE_CHECKING:
    from cyrano_mcp.kit.declarations import Engine

SettingsT = TypeVar("SettingsT", bound=BaseSettings)
InterfaceT = TypeVar("InterfaceT")


class RegistryView(Protocol):
    """What an engine may know about the others (the system engine reports it)."""

    @property
    def engines(self) -> "Sequence[Engine]": ...

    @property
    def tool_names(self) -> Sequence[str]: ...

    def origin(self, engine_name: str) -> str:
        """The entry point or plugin an engine was loaded from."""
        ...

    def tools_of(self, engine_name: str) -> Sequence[str]:
        """The tools an engine's operations became."""
        ...

    def components(self) -> Sequence[Component]:
        """The schema components (the core's and every engine's migrations), in migration order."""
        ...


class EngineContext(Protocol):
    @property
    def database(self) -> Database:
        """The store: `session()` to read, `transaction()` for a unit of work."""
        ...

    @property
    def fields(self) -> FieldCipher:
        """Field encryption: `fields.field(table=..., column=..., key_type=...)` declares a sealed column."""
        ...

    @property
    def llm(self) -> ModelGateway:
        """The configured model, or none (then `complete` raises `LLMError` and the engine runs its rules)."""
        ...

    @property
    def jobs(self) -> JobQueue:
        """Background work: `submit("<engine>.<job kind>", title, items)`."""
        ...

    @property
    def operations(self) -> OperationCaller:
        """Other tools, run through the call path as the current caller."""
        ...

    @property
    def registry(self) -> RegistryView: ...

    def settings(self, model: type[SettingsT]) -> SettingsT:
        """This engine's settings, read and validated at start (the model its `Engine.settings` names)."""
        ...

    def require(self, interface: type[InterfaceT]) -> InterfaceT:
        """The implementation of an interface this engine's `Engine.requires` lists, from the engine providing it."""
        ...

    def caller_may(self, permission: str) -> bool:
        """Whether the caller of the tool being served holds `permission` (never outside a tool call)."""
        ...

"""Toolsets: the groups a server's operator switches on or off (`CYRANO_TOOLSETS`), so a host is shown the
tools its user needs and pays for no others.

Every operation belongs to one toolset. An engine declares its toolsets in `Engine.toolsets` and names one in
each `Operation(toolset=...)`; an operation that names none belongs to its engine's first toolset, and an engine
that declares none has one named after itself, on everywhere.
"""

from dataclasses import dataclass

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.names import OPERATION_NAME

# Words `CYRANO_TOOLSETS` gives a meaning of its own, so no toolset may take them as a name.
ALL_TOOLSETS = "all"
DEFAULT_TOOLSETS = "default"


@dataclass(frozen=True, slots=True)
class Toolset:
    """A named group of tools, and whether it is on by default over stdio and over HTTP.

    stdio serves one lawyer on their own machine: what they do with their matters and documents. HTTP serves a
    firm, where administrators need accounts, audit and the server's state too (each caller still sees only the
    tools their role may call).
    """

    name: str
    description: str
    on_stdio: bool = True
    on_http: bool = True

    def __post_init__(self) -> None:
        if not OPERATION_NAME.match(self.name) or self.name in (ALL_TOOLSETS, DEFAULT_TOOLSETS):
            raise ConfigError(f"toolset name {self.name!r} must match {OPERATION_NAME.pattern} and not be all/default")
        if not self.description.strip():
            raise ConfigError(f"toolset {self.name!r} needs a description")

    def on_by_default(self, transport: str) -> bool:
        return self.on_stdio if transport == "stdio" else self.on_http

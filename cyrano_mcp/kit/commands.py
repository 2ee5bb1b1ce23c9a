"""Commands an engine adds to `cyrano-mcp`: `cyrano-mcp <engine> <command>` runs one of its operations.

A command is a tool call made from a shell or a scheduler: the operator's command builds the runtime, calls the
operation through the call path as the local user (role-checked and audited like any call), prints its JSON answer
and exits 0, or 1 when the answer says the work did not get done (`fails_when`), or 2 on a tool error. An engine
declares them on its `Engine` (`commands=`), so the CLI knows them without building anything.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.names import OPERATION_NAME


@dataclass(frozen=True, slots=True)
class EngineCommand:
    """`cyrano-mcp <engine> <name>`: runs the operation `<engine>_<operation>` with `arguments` (which the
    command's `--arguments JSON` overrides). `fails_when` maps a field of the answer to the values that mean the
    work was not done (`{"status": ["unavailable"]}`): the command then exits 1."""

    name: str
    help: str
    operation: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    fails_when: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for what, value in (("command", self.name), ("operation", self.operation)):
            if not OPERATION_NAME.match(value):
                raise ConfigError(f"{what} name {value!r} must match {OPERATION_NAME.pattern}")

    def failure(self, answer: Mapping[str, Any]) -> str | None:
        """Why the answer means the work was not done, or None."""
        for key, values in self.fails_when.items():
            if answer.get(key) in values:
                return f"{key}: {answer[key]}"
        return None

"""`cyrano-mcp <engine> <command>`: the commands engines declare (`Engine.commands`, kit.commands).

They are found only when asked for (`--help`, or a name no built-in command has), so a bad setting or a broken
engine never stops the built-in commands. Each runs its operation through an in-memory MCP session on a runtime
with every toolset on, as the local user: the same call path, role check and audit record as a client's call.
"""

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from cyrano_mcp.cli.common import operator_run, settings_from
from cyrano_mcp.errors import CyranoError
from cyrano_mcp.kit.commands import EngineCommand

if TYPE_CHECKING:
    from cyrano_mcp.server import Runtime


class WithEngineCommands(click.Group):
    """The built-in commands, then a group per engine that declares commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_engine_groups()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, cmd_name) or _engine_groups().get(cmd_name)


def _engine_groups() -> dict[str, click.Group]:
    from cyrano_mcp.registry import discover_engine_sources

    try:
        sources = discover_engine_sources(settings_from())
    except CyranoError:
        return {}  # the built-in commands (doctor) say what is wrong
    groups = {}
    for source in sources:
        engine = source.engine
        if engine.commands:
            group = click.Group(engine.name, help=f"Commands of the {engine.name} engine: {engine.description}")
            for command in engine.commands:
                group.add_command(_click_command(engine.name, command))
            groups[engine.name] = group
    return groups


def _click_command(engine: str, command: EngineCommand) -> click.Command:
    tool = f"{engine}_{command.operation}"

    @click.option("--arguments", "given", default=None, help=f"{tool}'s arguments as a JSON object.")
    def run(given: str | None) -> None:
        arguments = {**command.arguments, **_json_object(given)}
        failed, answer = operator_run(lambda runtime: _call(runtime, tool, arguments), toolsets=["all"])
        if failed:
            click.echo(f"cyrano-mcp: {answer}", err=True)
            sys.exit(2)
        click.echo(json.dumps(answer, indent=2))
        reason = command.failure(answer)
        if reason is not None:
            click.echo(f"cyrano-mcp: {engine} {command.name} did not get done ({reason})", err=True)
            sys.exit(1)

    return click.command(command.name, help=f"{command.help} (runs {tool})")(run)


def _json_object(given: str | None) -> dict[str, Any]:
    if given is None:
        return {}
    try:
        parsed = json.loads(given)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON ({exc.msg})", param_hint="--arguments") from None
    if not isinstance(parsed, dict):
        raise click.BadParameter("a JSON object of the tool's arguments", param_hint="--arguments")
    return parsed


async def _call(runtime: "Runtime", tool: str, arguments: Mapping[str, Any]) -> tuple[bool, Any]:
    """(failed, answer): the structured answer, or the tool error's text."""
    from mcp import Client

    async with Client(runtime.server) as client:
        result = await client.call_tool(tool, dict(arguments))
    if result.is_error or result.structured_content is None:
        texts = [getattr(block, "text", "") for block in result.content]
        return True, " ".join(text for text in texts if text) or "the tool failed"
    return False, result.structured_content

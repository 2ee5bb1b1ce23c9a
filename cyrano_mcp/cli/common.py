"""What every command shares: settings from the environment and flags, clean one-line failures, and an open
runtime for the operator's commands."""

import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import click

from cyrano_mcp.errors import CyranoError
from cyrano_mcp.observability.logging import configure_logging, get_logger
from cyrano_mcp.settings import Settings, load_settings

if TYPE_CHECKING:
    from cyrano_mcp.security.audit import Actor
    from cyrano_mcp.server import Runtime

T = TypeVar("T")
log = get_logger("cyrano.cli")


def settings_from(**overrides: Any) -> Settings:
    return load_settings(**{key: value for key, value in overrides.items() if value is not None})


def run_async(main: Callable[[], Awaitable[T]]) -> T:
    """Run an async command; a Cyrano error becomes one clear line on stderr and exit code 2."""
    try:
        return anyio.run(main)
    except CyranoError as exc:
        click.echo(f"cyrano-mcp: {exc}", err=True)
        sys.exit(2)


def fail_cleanly(action: Callable[[], T]) -> T:
    try:
        return action()
    except CyranoError as exc:
        click.echo(f"cyrano-mcp: {exc}", err=True)
        sys.exit(2)


def operator_run(action: Callable[["Runtime"], Awaitable[T]], **overrides: Any) -> T:
    """Open the store (migrating it, unwrapping the keyring), run an operator action, close it; `overrides` are
    settings given in code (an engine's command turns every toolset on)."""
    settings = fail_cleanly(lambda: settings_from(**overrides))
    configure_logging("WARNING", settings.log_format)

    async def main() -> T:
        from cyrano_mcp.server import build_runtime

        runtime = build_runtime(settings)
        async with runtime.running():
            return await action(runtime)

    return run_async(main)


def operator() -> "Actor":
    from cyrano_mcp.security.audit import Actor

    return Actor(name=f"cli:{getpass.getuser()}")


def read_password(prompt: str) -> str:
    """From stdin when it is not a terminal (scripts), else an interactive prompt typed twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return password

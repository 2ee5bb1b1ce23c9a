"""Setting up and looking around: the doctor, the schema, the demo."""

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import anyio
import click

from cyrano_mcp.cli.client_config import adopt_host_entry
from cyrano_mcp.cli.common import fail_cleanly, run_async, settings_from
from cyrano_mcp.cli.hosts import HOSTS
from cyrano_mcp.observability.logging import configure_logging

if TYPE_CHECKING:
    from cyrano_mcp.store.database import Database
    from cyrano_mcp.store.migrate import Component

T = TypeVar("T")


@click.command()
@click.option(
    "--host",
    type=click.Choice(HOSTS),
    default=None,
    help="Check with the settings of the host's entry for Cyrano (as `client-config --install` wrote it), and "
    "that its command can start.",
)
@click.option("--name", default="cyrano", show_default=True, help="With --host: the server's name in its list.")
def doctor(host: str | None, name: str) -> None:
    """Check settings, data directory, database, allowed folders and optional components, with what to do about
    each."""
    from cyrano_mcp.doctor import run_doctor

    entry_failed = fail_cleanly(lambda: adopt_host_entry(host, name)) if host is not None else False
    sys.exit(max(anyio.run(run_doctor), int(entry_failed)))


@click.group()
def db() -> None:
    """The store's schema."""


def _on_schema(action: Callable[["Database", list["Component"]], Awaitable[T]]) -> T:
    """Open the store without migrating it, run `action` on it and the components' migrations, close it."""
    settings = fail_cleanly(settings_from)
    configure_logging("WARNING", settings.log_format)

    async def main() -> T:
        from cyrano_mcp.server import build_runtime

        runtime = build_runtime(settings)
        await runtime.database.open()
        try:
            return await action(runtime.database, runtime.registry.components())
        finally:
            await runtime.database.close()

    return run_async(main)


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending schema migrations."""
    from cyrano_mcp.store.migrate import upgrade

    applied = _on_schema(upgrade)
    if not applied:
        click.echo("The schema is current; nothing to do.")
    for name, (before, after) in applied.items():
        click.echo(f"{name}: {before} -> {after}")


@db.command("status")
def db_status() -> None:
    """Show the applied and known schema version of every component."""
    from cyrano_mcp.store.migrate import schema_status

    status = _on_schema(schema_status)
    for name, known in status.known.items():
        click.echo(f"{name}: applied {status.stored.get(name, 0)}, known {known}")
    click.echo("current" if status.current else "NOT current: run `cyrano-mcp db upgrade`")


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Store for the demo (default: a fresh temporary directory, so your own store is untouched).",
)
def demo(data_dir: Path | None) -> None:
    """Start Cyrano over stdio, drive a short scripted session, and print what each tool returned."""
    from cyrano_mcp.demo import run_demo

    run_async(lambda: run_demo(data_dir))

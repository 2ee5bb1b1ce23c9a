"""`cyrano-mcp`: serve, list tools, check the installation, migrate the store, manage accounts, keys and the
audit log, back up and restore, run the demo, and the commands engines declare. One module per group of commands."""

import click

from cyrano_mcp import __version__
from cyrano_mcp.cli.audit import audit
from cyrano_mcp.cli.backup import backup, restore
from cyrano_mcp.cli.catalogue import tools
from cyrano_mcp.cli.client_config import client_config
from cyrano_mcp.cli.engine_commands import WithEngineCommands
from cyrano_mcp.cli.keys import keys
from cyrano_mcp.cli.serve import serve
from cyrano_mcp.cli.setup import db, demo, doctor
from cyrano_mcp.cli.users import users


@click.group(cls=WithEngineCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cyrano-mcp")
def cli() -> None:
    """Cyrano: an MCP tool server for small legal practices."""


for command in (serve, tools, client_config, doctor, db, users, keys, audit, backup, restore, demo):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="cyrano-mcp")

"""`cyrano-mcp tools`: the tools a server would offer with these settings, and what they cost a host."""

import json

import click

from cyrano_mcp.cli.common import fail_cleanly, settings_from
from cyrano_mcp.observability.logging import configure_logging


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the full catalogue with input and output schemas.")
@click.option(
    "--toolsets",
    default=None,
    help="Comma-separated toolsets, `all` or `default` (overrides CYRANO_TOOLSETS).",
)
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default=None,
    help="Whose defaults `default` means (default: CYRANO_TRANSPORT, stdio unless set).",
)
@click.option("--budget", is_flag=True, help="Print what each tool costs a host per turn and in tools/list.")
def tools(as_json: bool, toolsets: str | None, transport: str | None, budget: bool) -> None:
    """List the tools `serve` would offer with these settings (each caller still sees only its role's)."""
    from cyrano_mcp.catalogue import budget_table, tool_costs
    from cyrano_mcp.server import build_runtime

    overrides = {"toolsets": toolsets, "transport": transport}
    settings = fail_cleanly(lambda: settings_from(**overrides))
    configure_logging("WARNING", settings.log_format)
    runtime = fail_cleanly(lambda: build_runtime(settings))
    catalogue = runtime.registry.catalogue(runtime.toolsets)
    if as_json:
        click.echo(json.dumps(catalogue, indent=2))
        return
    if budget:
        chosen = ", ".join(sorted(runtime.toolsets))
        click.echo(f"toolsets over {settings.transport}: {chosen}")
        click.echo(budget_table(tool_costs(catalogue)))
        return
    width = max((len(row["name"]) for row in catalogue), default=4)
    for row in catalogue:
        hints = row["annotations"]
        flags = "read-only" if hints.get("readOnlyHint") else "writes"
        if hints.get("destructiveHint"):
            flags = "destructive"
        click.echo(f"{row['name']:<{width}}  {row['toolset']:<9}  {flags:<11}  {row['description']}")

"""`cyrano-mcp audit verify`: walk the audit log's hash chain."""

import sys
from typing import TYPE_CHECKING

import click

from cyrano_mcp.cli.common import operator_run

if TYPE_CHECKING:
    from cyrano_mcp.server import Runtime


@click.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@click.option("--anchor", default=None, help="SEQ:MAC printed by an earlier verify; checks history was not rewritten.")
def audit_verify(anchor: str | None) -> None:
    """Walk the whole hash chain; exit 1 if any record was edited, deleted, reordered or inserted."""
    checkpoint: tuple[int, str] | None = None
    if anchor is not None:
        seq, _, mac = anchor.partition(":")
        if not seq.isdigit() or len(mac) != 64:
            click.echo("cyrano-mcp: --anchor must look like 1234:<64 hex digits>", err=True)
            sys.exit(2)
        checkpoint = (int(seq), mac)

    async def verify(runtime: "Runtime") -> bool:
        report = await runtime.security.audit.verify(anchor=checkpoint)
        for problem in report.problems:
            click.echo(f"PROBLEM: {problem}")
        for note in report.notes:
            click.echo(f"note: {note}")
        head = "missing" if report.head_seq is None else f"{report.head_seq}:{report.head_mac}"
        click.echo(f"{report.records} records; head {head}")
        if report.anchor is not None:
            click.echo(f"anchor: record {report.anchor.seq}, written at {report.anchor.at}")
        click.echo("the chain is intact" if report.ok else "the audit log has been tampered with")
        return report.ok

    if not operator_run(verify):
        sys.exit(1)

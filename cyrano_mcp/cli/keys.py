"""`cyrano-mcp keys ...`: encryption keys (docs/security.md has the runbook). The rules are the security
component's `KeyAdministration`; these commands ask it and print what it did."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cyrano_mcp.cli.common import operator, operator_run

if TYPE_CHECKING:
    from cyrano_mcp.server import Runtime

BATCH = click.IntRange(1, 10_000)


@click.group()
def keys() -> None:
    """Encryption keys: status, rotate, rewrap, reindex, retire (see docs/security.md for the runbook)."""


@keys.command("generate-file")
@click.argument("path", type=click.Path(path_type=Path))
def keys_generate_file(path: Path) -> None:
    """Write a new random 256-bit key to PATH (mode 0600) for CYRANO_MASTER_KEY_FILE or CYRANO_JWT_SECRET_FILE."""
    from cyrano_mcp.security.keyfiles import write_key_file

    try:
        write_key_file(path)
    except FileExistsError:
        click.echo(f"cyrano-mcp: {path} exists; a key file is never overwritten", err=True)
        sys.exit(2)
    click.echo(f"wrote {path} (mode 0600); back it up somewhere safe")


@keys.command("status")
def keys_status() -> None:
    """Each key type's versions, and how many stored values use each."""

    async def show(runtime: "Runtime") -> None:
        status = await runtime.security.keys.status()
        for row in status.versions:
            used = "" if row.values is None else f", {row.values} values"
            click.echo(f"{row.key_type:<12} v{row.version:<3} {row.state:<8} created {row.created:%Y-%m-%d}{used}")
        for key_type, count in status.plaintext.items():
            click.echo(f"{key_type:<12} {count} values not yet encrypted: run `keys rewrap`")

    operator_run(show)


@keys.command("rotate")
@click.option("--type", "key_type", default=None, help="One key type (default: every type).")
def keys_rotate(key_type: str | None) -> None:
    """Add a new key version; new writes use it (running servers switch within 30 s). Then run `keys rewrap`
    (sealed values) or `keys reindex` (search indexes)."""

    async def rotate(runtime: "Runtime") -> None:
        for rotation in await runtime.security.keys.rotate(key_type, by=operator()):
            click.echo(f"{rotation.key_type}: new writes use v{rotation.version}")
            if rotation.has_index:
                click.echo(f"{rotation.key_type}: search keeps using older versions until `keys reindex` moves it")

    operator_run(rotate)


@keys.command("rewrap")
@click.option("--type", "key_type", default=None, help="One key type (default: every type).")
@click.option("--batch", type=BATCH, default=200, show_default=True, help="Rows per transaction.")
def keys_rewrap(key_type: str | None, batch: int) -> None:
    """Re-encrypt stored values under the current key versions; safe to interrupt and run again."""

    async def run(runtime: "Runtime") -> bool:
        reports = await runtime.security.keys.rewrap(
            key_type,
            batch=batch,
            by=operator(),
            progress=lambda column, done: click.echo(f"{column}: {done} re-encrypted so far"),
        )
        for report in reports:
            click.echo(f"{report.column}: {report.rewrapped} values now on v{report.to_version}")
            if report.failed:
                click.echo(
                    f"{report.column}: {len(report.failed)} values fail their integrity check: {report.failed[:10]}"
                )
        return all(not report.failed for report in reports)

    if not operator_run(run):
        sys.exit(1)


@keys.command("reindex")
@click.option("--type", "key_type", default=None, help="One key type (default: every type with a search index).")
@click.option("--batch", type=BATCH, default=200, show_default=True, help="Pages per transaction.")
def keys_reindex(key_type: str | None, batch: int) -> None:
    """Rebuild search indexes under the newest key version; search works throughout; safe to interrupt and rerun."""

    async def run(runtime: "Runtime") -> bool:
        reports = await runtime.security.keys.reindex(
            key_type,
            batch=batch,
            by=operator(),
            progress=lambda index, done: click.echo(f"{index}: {done} entries rebuilt so far"),
        )
        for index_key_type, report in reports:
            click.echo(f"{report.index}: {report.reindexed} entries now on {index_key_type} v{report.to_version}")
            if report.failed:
                click.echo(f"{report.index}: {len(report.failed)} entries could not be rebuilt: {report.failed[:10]}")
        return all(not report.failed for _, report in reports)

    if not operator_run(run):
        sys.exit(1)


@keys.command("retire")
@click.option("--type", "key_type", required=True)
@click.option("--version", "version", type=int, required=True)
def keys_retire(key_type: str, version: int) -> None:
    """Destroy an old key version; refused while any stored value still uses it."""

    async def retire(runtime: "Runtime") -> None:
        await runtime.security.keys.retire(key_type, version, by=operator())
        click.echo(f"{key_type} v{version} retired; its key material is gone")

    operator_run(retire)

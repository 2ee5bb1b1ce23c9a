"""`cyrano-mcp backup` and `restore`: a consistent copy of the store and keys, and its verified return."""

from pathlib import Path

import click

from cyrano_mcp.cli.common import fail_cleanly, settings_from
from cyrano_mcp.observability.logging import configure_logging


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Overrides CYRANO_DATA_DIR.")
def backup(path: Path, data_dir: Path | None) -> None:
    """Back up the store and key files into the new directory PATH (safe while the server runs)."""
    from cyrano_mcp.backup import create_backup

    settings = fail_cleanly(lambda: settings_from(data_dir=data_dir))
    configure_logging("WARNING", settings.log_format)
    report = fail_cleanly(lambda: create_backup(settings, path))
    manifest = report.manifest
    rows = ", ".join(f"{table} {count}" for table, count in manifest.tables.items())
    click.echo(f"Backed up {settings.data_dir} to {path} in {report.seconds:.2f} s")
    click.echo(f"  rows: {rows}")
    click.echo(f"  schema: {', '.join(f'{n} {v}' for n, v in manifest.schema.items())}")
    for entry in manifest.files:
        click.echo(f"  {entry.path}  {entry.size} bytes  sha256 {entry.sha256[:16]}...")
    for skipped in manifest.skipped:
        click.echo(f"  NOT copied: {skipped} (a master key; keep it somewhere other than the backups)")
    click.echo("The master key of an encrypted keyring is never in a backup: store it separately.")


@click.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Overrides CYRANO_DATA_DIR.")
@click.option("--force", is_flag=True, help="Replace an existing store (it is kept beside, renamed).")
def restore(path: Path, data_dir: Path | None, force: bool) -> None:
    """Verify the backup in PATH and restore it into the data dir. Stop the server first."""
    from cyrano_mcp.backup import restore_backup
    from cyrano_mcp.security.audit_anchor import ANCHOR_FILE
    from cyrano_mcp.server import build_runtime

    settings = fail_cleanly(lambda: settings_from(data_dir=data_dir))
    configure_logging("WARNING", settings.log_format)
    runtime = fail_cleanly(lambda: build_runtime(settings))
    known = {component.name: component.latest for component in runtime.registry.components()}
    report = fail_cleanly(lambda: restore_backup(settings, path, known=known, force=force))
    click.echo(
        f"Restored the backup of {report.manifest.created_at} (Cyrano {report.manifest.cyrano_version}) "
        f"into {settings.data_dir} in {report.seconds:.2f} s; checksums verified."
    )
    for aside in report.moved_aside:
        click.echo(f"  the previous {aside.name.split('.replaced-')[0]} is kept as {aside}")
        if aside.name.startswith(ANCHOR_FILE):
            click.echo("  (the audit anchor vouched for records the restore took back; the next start anchors anew)")
    if report.pending_migrations:
        pending = ", ".join(f"{n} {a}->{b}" for n, (a, b) in report.pending_migrations.items())
        click.echo(f"  the schema is older than this code ({pending}): the next start migrates it")
    if report.manifest.skipped:
        click.echo(f"  put the master key back yourself: {', '.join(report.manifest.skipped)}")

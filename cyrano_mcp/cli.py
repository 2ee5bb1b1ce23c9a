"""`cyrano-mcp`: serve, list tools, check the installation, migrate the store, manage accounts, keys and the
audit log, run the demo."""

import getpass
import io
import json
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import click

from cyrano_mcp import __version__
from cyrano_mcp.errors import CyranoError
from cyrano_mcp.observability.logging import configure_logging, get_logger
from cyrano_mcp.settings import Settings, is_loopback, load_settings

if TYPE_CHECKING:
    from cyrano_mcp.security.audit import Actor
    from cyrano_mcp.server import Runtime

T = TypeVar("T")
log = get_logger("cyrano.cli")


def _settings(**overrides: Any) -> Settings:
    return load_settings(**{key: value for key, value in overrides.items() if value is not None})


def _run(main: Callable[[], Awaitable[T]]) -> T:
    """Run an async command; a Cyrano error becomes one clear line on stderr and exit code 2."""
    try:
        return anyio.run(main)
    except CyranoError as exc:
        click.echo(f"cyrano-mcp: {exc}", err=True)
        sys.exit(2)


def _fail_cleanly(action: Callable[[], T]) -> T:
    try:
        return action()
    except CyranoError as exc:
        click.echo(f"cyrano-mcp: {exc}", err=True)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cyrano-mcp")
def cli() -> None:
    """Cyrano: an MCP tool server for small legal practices."""


@cli.command()
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http", "sse"]),
    default=None,
    help="stdio (default; for Claude Desktop), http (streamable HTTP at /mcp, plus SSE) or sse.",
)
@click.option("--host", default=None, help="HTTP bind address (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="HTTP port (default 8765; 0 picks a free one).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Overrides CYRANO_DATA_DIR.")
@click.option(
    "--metrics-port",
    type=int,
    default=None,
    help="Also serve Prometheus metrics on this port (for stdio deployments; 0 picks a free one).",
)
@click.option("--certfile", type=click.Path(path_type=Path), default=None, help="PEM certificate: serve HTTPS.")
@click.option("--keyfile", type=click.Path(path_type=Path), default=None, help="PEM private key for --certfile.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="HTTP worker processes behind the one port (default 1); more than 1 serves stateless streamable HTTP.",
)
def serve(
    transport: str | None,
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    metrics_port: int | None,
    certfile: Path | None,
    keyfile: Path | None,
    workers: int | None,
) -> None:
    """Serve Cyrano's tools over stdio, streamable HTTP or SSE."""
    overrides: dict[str, Any] = {
        "transport": transport,
        "host": host,
        "port": port,
        "data_dir": data_dir,
        "metrics_port": metrics_port,
        "tls_certfile": certfile,
        "tls_keyfile": keyfile,
        "workers": workers,
    }
    settings = _fail_cleanly(lambda: _settings(**overrides))
    configure_logging(settings.log_level, settings.log_format)
    if settings.workers > 1:
        if settings.transport != "http":
            click.echo("cyrano-mcp: --workers needs --transport http (stdio and SSE serve one process)", err=True)
            sys.exit(2)
        from cyrano_mcp.workers import export_settings

        export_settings(settings, **overrides)
        settings = _fail_cleanly(_settings)  # as the workers will read them
    elif settings.metrics_port is not None:
        _serve_metrics(settings)
    from cyrano_mcp.store.files import prepare_sqlite_store

    # Here, not first in the server's start-up: there an HTTP server would report it as a traceback.
    _fail_cleanly(lambda: prepare_sqlite_store(settings))
    if settings.transport == "stdio":
        _run(lambda: _serve_stdio(settings))
    else:
        _serve_http(settings)


def _serve_metrics(settings: Settings) -> None:
    from cyrano_mcp.observability.metrics import serve_metrics

    assert settings.metrics_port is not None
    try:
        host, port = serve_metrics(settings.metrics_host, settings.metrics_port)
    except OSError as exc:
        where = f"{settings.metrics_host}:{settings.metrics_port}"
        click.echo(f"cyrano-mcp: cannot serve metrics on {where}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    log.info("metrics_listening", url=f"http://{host}:{port}/metrics")


async def _serve_stdio(settings: Settings) -> None:
    from cyrano_mcp.server import build_runtime, settle_heap

    runtime = build_runtime(settings)
    runtime.registry.call_path.headerless_transport = "stdio"
    async with runtime.running():
        settle_heap()
        _unbuffer_stdout()
        await runtime.server.run_stdio_async()


def _unbuffer_stdout() -> None:
    """Make Python-level writes to stdout go straight to fd 1.

    While serving, the SDK points fd 1 at stderr and writes JSON-RPC on a private duplicate, so a stray
    `print` lands on stderr. But text left in sys.stdout's buffer would be flushed at exit, after fd 1 is
    the wire again, and corrupt it. Without a buffer there is nothing left to flush.
    """
    sys.stdout.flush()
    sys.stdout = io.TextIOWrapper(
        io.FileIO(sys.stdout.fileno(), "wb", closefd=False),
        encoding="utf-8",
        write_through=True,
    )


def _serve_http(settings: Settings) -> None:
    from cyrano_mcp.workers import tcp_socket, worker_listener

    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    address = (settings.host, settings.port)
    sock = worker_listener(family, address) if settings.workers > 1 else tcp_socket(family, address)
    bound_port = sock.getsockname()[1]
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    scheme = "https" if settings.tls_certfile else "http"
    if settings.workers > 1:
        from cyrano_mcp.workers import serve_workers

        click.echo(
            f"Cyrano {__version__} serving on {scheme}://{host}:{bound_port}/mcp with {settings.workers} worker "
            "processes (stateless streamable HTTP; health: /healthz)",
            err=True,
        )
        _fail_cleanly(lambda: serve_workers(settings, sock))
        return
    import uvicorn

    from cyrano_mcp.http import build_http_app
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.workers import uvicorn_options

    app = build_http_app(_fail_cleanly(lambda: build_runtime(settings)))
    click.echo(
        f"Cyrano {__version__} serving on {scheme}://{host}:{bound_port}/mcp (SSE: /sse, health: /healthz)", err=True
    )
    if scheme == "http" and not is_loopback(settings.host):
        log.warning(
            "plaintext_http",
            advice="bearer tokens and client data cross the network unencrypted: use --certfile/--keyfile "
            "or a TLS-terminating proxy (see docs/security.md)",
        )
    config = uvicorn.Config(app, **uvicorn_options(settings))
    server = uvicorn.Server(config)
    _fail_cleanly(lambda: server.run(sockets=[sock]))
    if not server.started:
        sys.exit(2)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the full catalogue with input and output schemas.")
def tools(as_json: bool) -> None:
    """List every tool this installation serves."""
    from cyrano_mcp.server import build_runtime

    settings = _fail_cleanly(_settings)
    configure_logging("WARNING", settings.log_format)
    runtime = _fail_cleanly(lambda: build_runtime(settings))
    catalogue = runtime.registry.catalogue()
    if as_json:
        click.echo(json.dumps(catalogue, indent=2))
        return
    width = max(len(row["name"]) for row in catalogue)
    for row in catalogue:
        hints = row["annotations"]
        flags = "read-only" if hints.get("readOnlyHint") else "writes"
        if hints.get("destructiveHint"):
            flags = "destructive"
        click.echo(f"{row['name']:<{width}}  {flags:<11}  {row['description']}")


@cli.command("client-config")
@click.option("--name", default="cyrano", show_default=True, help="The server's name in the host's list.")
def client_config(name: str) -> None:
    """Print an `mcpServers` entry (Claude Desktop and most hosts) that runs this installation over stdio."""
    command = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "cyrano-mcp" else None
    entry: dict[str, Any] = (
        {"command": str(command), "args": ["serve"]}
        if command is not None
        else {"command": sys.executable, "args": ["-m", "cyrano_mcp", "serve"]}
    )
    entry["env"] = {"CYRANO_LOG_LEVEL": "INFO"}
    click.echo(json.dumps({"mcpServers": {name: entry}}, indent=2))


@cli.command()
def doctor() -> None:
    """Check settings, data directory, database and optional components, with what to do about each."""
    from cyrano_mcp.doctor import run_doctor

    sys.exit(anyio.run(run_doctor))


@cli.group()
def db() -> None:
    """The store's schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending schema migrations."""
    settings = _fail_cleanly(_settings)
    configure_logging("WARNING", settings.log_format)

    async def main() -> None:
        from cyrano_mcp.server import build_runtime
        from cyrano_mcp.store.migrate import upgrade

        runtime = build_runtime(settings)
        await runtime.database.open()
        try:
            applied = await upgrade(runtime.database, runtime.registry.components())
        finally:
            await runtime.database.close()
        if not applied:
            click.echo("The schema is current; nothing to do.")
        for name, (before, after) in applied.items():
            click.echo(f"{name}: {before} -> {after}")

    _run(main)


@db.command("status")
def db_status() -> None:
    """Show the applied and known schema version of every component."""
    settings = _fail_cleanly(_settings)
    configure_logging("WARNING", settings.log_format)

    async def main() -> None:
        from cyrano_mcp.server import build_runtime
        from cyrano_mcp.store.migrate import schema_status

        runtime = build_runtime(settings)
        await runtime.database.open()
        try:
            status = await schema_status(runtime.database, runtime.registry.components())
        finally:
            await runtime.database.close()
        for name, known in status.known.items():
            click.echo(f"{name}: applied {status.stored.get(name, 0)}, known {known}")
        click.echo("current" if status.current else "NOT current: run `cyrano-mcp db upgrade`")

    _run(main)


def _operator_run(action: Callable[["Runtime"], Awaitable[T]]) -> T:
    """Open the store (migrating it, unwrapping the keyring), run an operator action, close it."""
    settings = _fail_cleanly(_settings)
    configure_logging("WARNING", settings.log_format)

    async def main() -> T:
        from cyrano_mcp.server import build_runtime

        runtime = build_runtime(settings)
        async with runtime.running():
            return await action(runtime)

    return _run(main)


def _operator() -> "Actor":
    from cyrano_mcp.security.audit import Actor

    return Actor(name=f"cli:{getpass.getuser()}")


def _read_password(prompt: str) -> str:
    """From stdin when it is not a terminal (scripts), else an interactive prompt typed twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return password


ROLES = click.Choice(["admin", "attorney", "paralegal", "viewer"])


@cli.group()
def users() -> None:
    """Accounts: there is no self-registration; the operator (or an admin's auth_users_* tools) adds them."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, required=True)
@click.option("--no-password", is_flag=True, help="An account that cannot log in (e.g. for CYRANO_LOCAL_USER).")
def users_add(name: str, role: str, no_password: bool) -> None:
    """Add an account; the password comes from stdin, or a prompt on a terminal."""
    from cyrano_mcp.principal import Role

    password = None if no_password else _read_password(f"Password for {name}")

    async def add(runtime: "Runtime") -> None:
        user = await runtime.security.accounts.add(name, Role(role), password, by=_operator())
        click.echo(f"added {user.username} ({user.role})")

    _operator_run(add)


@users.command("list")
def users_list() -> None:
    """List accounts."""

    async def show(runtime: "Runtime") -> None:
        for user in await runtime.security.accounts.list():
            state = "disabled" if user.disabled else ("no password" if user.password_hash is None else "active")
            click.echo(f"{user.username:<32} {user.role:<10} {state}")

    _operator_run(show)


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLES)
def users_set_role(name: str, role: str) -> None:
    """Change an account's role."""
    from cyrano_mcp.principal import Role

    async def change(runtime: "Runtime") -> None:
        user = await runtime.security.accounts.set_role(name, Role(role), by=_operator())
        click.echo(f"{user.username} is now {user.role}")

    _operator_run(change)


@users.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Disable an account; its tokens stop working at once."""

    async def disable(runtime: "Runtime") -> None:
        await runtime.security.accounts.set_disabled(name, True, by=_operator())
        click.echo(f"{name} disabled; its logins are revoked")

    _operator_run(disable)


@users.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Enable a disabled account."""

    async def enable(runtime: "Runtime") -> None:
        await runtime.security.accounts.set_disabled(name, False, by=_operator())
        click.echo(f"{name} enabled")

    _operator_run(enable)


@users.command("unlock")
@click.argument("name")
def users_unlock(name: str) -> None:
    """Let an account log in again after failed logins locked it (from every address)."""

    async def unlock(runtime: "Runtime") -> None:
        await runtime.security.accounts.unlock(name, by=_operator())
        click.echo(f"{name} unlocked")

    _operator_run(unlock)


@users.command("reset-password")
@click.argument("name")
def users_reset_password(name: str) -> None:
    """Set a new password (stdin or prompt); the account's logins are revoked."""
    password = _read_password(f"New password for {name}")

    async def reset(runtime: "Runtime") -> None:
        await runtime.security.accounts.reset_password(name, password, by=_operator())
        click.echo(f"password of {name} changed; its logins are revoked")

    _operator_run(reset)


@cli.group()
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
    from cyrano_mcp.crypto.rewrap import usage

    async def show(runtime: "Runtime") -> None:
        security = runtime.security
        records = await security.keyring.versions()
        for key_type in sorted({record[0] for record in records}):
            versions = [record for record in records if record[0] == key_type]
            live = [version for _, version, _, retired in versions if retired is None]
            counts = await usage(runtime.database, security.fields, key_type, live)
            for _, version, created, retired in versions:
                state = "retired" if retired else ("current" if version == max(live) else "old")
                used = "" if retired or key_type == "audit" else f", {counts.get(f'v{version}', 0)} values"
                click.echo(f"{key_type:<12} v{version:<3} {state:<8} created {created:%Y-%m-%d}{used}")
            if counts.get("plaintext"):
                click.echo(f"{key_type:<12} {counts['plaintext']} values not yet encrypted: run `keys rewrap`")

    _operator_run(show)


@keys.command("rotate")
@click.option("--type", "key_type", default=None, help="One key type (default: every type).")
def keys_rotate(key_type: str | None) -> None:
    """Add a new key version; new writes use it (running servers switch within 30 s). Then run `keys rewrap`
    (sealed values) or `keys reindex` (search indexes)."""
    from cyrano_mcp.security.audit import KEY_TYPE as AUDIT

    async def rotate(runtime: "Runtime") -> None:
        security = runtime.security
        types = [key_type] if key_type else sorted({AUDIT, *security.fields.key_types})
        indexed = {index.blind.key_type for index in security.fields.indexes}
        for name in types:
            version = await security.keyring.rotate(name)
            await security.audit.append(
                "key_rotated", actor=_operator(), outcome="ok", target=name, detail={"version": version}
            )
            click.echo(f"{name}: new writes use v{version}")
            if name in indexed:
                click.echo(f"{name}: search keeps using older versions until `cyrano-mcp keys reindex` moves it")

    _operator_run(rotate)


@keys.command("rewrap")
@click.option("--type", "key_type", default=None, help="One key type (default: every type).")
@click.option("--batch", type=click.IntRange(1, 10_000), default=200, show_default=True, help="Rows per transaction.")
def keys_rewrap(key_type: str | None, batch: int) -> None:
    """Re-encrypt stored values under the current key versions; safe to interrupt and run again."""
    from cyrano_mcp.crypto.rewrap import rewrap

    async def run(runtime: "Runtime") -> None:
        security = runtime.security
        reports = await rewrap(
            runtime.database,
            security.fields,
            key_type=key_type,
            batch=batch,
            progress=lambda field, done: click.echo(f"{field}: {done} re-encrypted so far"),
        )
        for report in reports:
            click.echo(f"{report.column}: {report.rewrapped} values now on v{report.to_version}")
            if report.failed:
                click.echo(
                    f"{report.column}: {len(report.failed)} values fail their integrity check: {report.failed[:10]}"
                )
            await security.audit.append(
                "keys_rewrapped",
                actor=_operator(),
                outcome="ok" if not report.failed else "partial",
                target=report.column,
                detail={"values": report.rewrapped, "failed": len(report.failed), "version": report.to_version},
            )
        if any(report.failed for report in reports):
            sys.exit(1)

    _operator_run(run)


@keys.command("reindex")
@click.option("--type", "key_type", default=None, help="One key type (default: every type with a search index).")
@click.option("--batch", type=click.IntRange(1, 10_000), default=200, show_default=True, help="Pages per transaction.")
def keys_reindex(key_type: str | None, batch: int) -> None:
    """Rebuild search indexes under the newest key version; search works throughout; safe to interrupt and rerun."""

    async def run(runtime: "Runtime") -> None:
        security = runtime.security
        indexes = [index for index in security.fields.indexes if key_type in (None, index.blind.key_type)]
        complete = True
        for index in indexes:

            def report_progress(done: int, name: str = index.blind.name) -> None:
                click.echo(f"{name}: {done} entries rebuilt so far")

            report = await index.reindex(batch=batch, progress=report_progress)
            click.echo(f"{report.index}: {report.reindexed} entries now on {index.blind.key_type} v{report.to_version}")
            if report.failed:
                complete = False
                click.echo(f"{report.index}: {len(report.failed)} entries could not be rebuilt: {report.failed[:10]}")
            await security.audit.append(
                "keys_reindexed",
                actor=_operator(),
                outcome="ok" if not report.failed else "partial",
                target=report.index,
                detail={"entries": report.reindexed, "failed": len(report.failed), "version": report.to_version},
            )
        if not complete:
            sys.exit(1)

    _operator_run(run)


@keys.command("retire")
@click.option("--type", "key_type", required=True)
@click.option("--version", "version", type=int, required=True)
def keys_retire(key_type: str, version: int) -> None:
    """Destroy an old key version; refused while any stored value still uses it."""
    from cyrano_mcp.crypto.rewrap import usage
    from cyrano_mcp.errors import ConfigError
    from cyrano_mcp.security.audit import KEY_TYPE as AUDIT

    async def retire(runtime: "Runtime") -> None:
        security = runtime.security
        if key_type == AUDIT:
            raise ConfigError("audit keys are never retired: the audit chain must stay verifiable")
        in_use = (await usage(runtime.database, security.fields, key_type, [version]))[f"v{version}"]
        if in_use:
            raise ConfigError(
                f"{in_use} stored values still use {key_type} v{version}; run `cyrano-mcp keys rewrap` "
                "(or `keys reindex` for a search key)"
            )
        await security.keyring.retire(key_type, version)
        await security.audit.append(
            "key_retired", actor=_operator(), outcome="ok", target=key_type, detail={"version": version}
        )
        click.echo(f"{key_type} v{version} retired; its key material is gone")

    _operator_run(retire)


@cli.group()
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

    if not _operator_run(verify):
        sys.exit(1)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Overrides CYRANO_DATA_DIR.")
def backup(path: Path, data_dir: Path | None) -> None:
    """Back up the store and key files into the new directory PATH (safe while the server runs)."""
    from cyrano_mcp.backup import create_backup

    settings = _fail_cleanly(lambda: _settings(data_dir=data_dir))
    configure_logging("WARNING", settings.log_format)
    report = _fail_cleanly(lambda: create_backup(settings, path))
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


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Overrides CYRANO_DATA_DIR.")
@click.option("--force", is_flag=True, help="Replace an existing store (it is kept beside, renamed).")
def restore(path: Path, data_dir: Path | None, force: bool) -> None:
    """Verify the backup in PATH and restore it into the data dir. Stop the server first."""
    from cyrano_mcp.backup import restore_backup
    from cyrano_mcp.security.audit_anchor import ANCHOR_FILE
    from cyrano_mcp.server import build_runtime

    settings = _fail_cleanly(lambda: _settings(data_dir=data_dir))
    configure_logging("WARNING", settings.log_format)
    runtime = _fail_cleanly(lambda: build_runtime(settings))
    known = {component.name: component.latest for component in runtime.registry.components()}
    report = _fail_cleanly(lambda: restore_backup(settings, path, known=known, force=force))
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


@cli.command()
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Store for the demo (default: a fresh temporary directory, so your own store is untouched).",
)
def demo(data_dir: Path | None) -> None:
    """Start Cyrano over stdio, drive a short scripted session, and print what each tool returned."""
    from cyrano_mcp.demo import run_demo

    _run(lambda: run_demo(data_dir))


def main() -> None:
    cli(prog_name="cyrano-mcp")


if __name__ == "__main__":
    main()

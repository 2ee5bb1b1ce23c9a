"""`cyrano-mcp doctor`: one line per thing that can be wrong, and what to do about it."""

import shlex
import shutil

import click

from cyrano_mcp.errors import CyranoError
from cyrano_mcp.observability.logging import configure_logging
from cyrano_mcp.settings import Settings, load_settings
from cyrano_mcp.store.files import private_directory, readable_by_others

OK, MISSING, WARNING, FAILED = "OK     ", "MISSING", "WARNING", "FAILED "
TROUBLESHOOTING = "see docs/operations.md#troubleshooting in Cyrano's source for each message above"


def report_line(status: str, subject: str, detail: str) -> None:
    click.echo(f"[{status}] {subject}: {detail}")


async def run_doctor() -> int:
    """Returns the exit code: 0 when nothing failed (a missing optional component is not a failure)."""
    failures = 0
    try:
        settings = load_settings()
    except CyranoError as exc:
        report_line(FAILED, "settings", f"{exc}. Fix the variable (or .env entry) named above.")
        click.echo(f"Troubleshooting: {TROUBLESHOOTING}")
        return 1
    configure_logging("ERROR", settings.log_format)
    report_line(OK, "settings", f"transport {settings.transport}, store {settings.database_kind}")
    data_dir_failed = _check_data_dir(settings)
    failures += data_dir_failed
    if not data_dir_failed:
        _check_file_modes(settings)
    if not data_dir_failed or settings.database_url is not None:  # else the store lives in that data dir
        failures += await _check_store(settings)
    failures += _check_engine_setup(settings)
    failures += await _check_models(settings)
    await _check_local_user(settings)
    _check_optional()
    click.echo("All required checks passed." if not failures else f"{failures} check(s) failed; see above.")
    click.echo(f"Troubleshooting: {TROUBLESHOOTING}")
    return 1 if failures else 0


def _check_data_dir(settings: Settings) -> int:
    try:
        private_directory(settings.data_dir, setting="CYRANO_DATA_DIR", tighten=False)
    except CyranoError as exc:
        report_line(FAILED, "data dir", str(exc))
        return 1
    free = shutil.disk_usage(settings.data_dir).free / 2**30
    report_line(OK, "data dir", f"{settings.data_dir} (writable, {free:.1f} GiB free)")
    return 0


def _check_file_modes(settings: Settings) -> None:
    """A warning, not a failure: the server tightens its store's files when it opens them (so the next run of
    this check may pass), but whatever was exposed until then, the operator should know about."""
    exposed = readable_by_others(settings)
    if not exposed:
        report_line(OK, "file modes", "only this account can read the data dir, the store and the keys")
        return
    listed = ", ".join(f"{path} ({mode:o})" for path, mode in exposed)
    command = shlex.join(["chmod", "go-rwx", *(str(path) for path, _ in exposed)])
    report_line(WARNING, "file modes", f"other local accounts can open {listed}; run `{command}`")


async def _check_store(settings: Settings) -> int:
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.store.migrate import schema_status

    try:
        runtime = build_runtime(settings)
    except CyranoError as exc:
        report_line(FAILED, "engines", f"{exc}")
        return 1
    report_line(
        OK,
        "engines",
        f"{len(runtime.registry.engines)} loaded "
        f"({', '.join(e.name for e in runtime.registry.engines)}), {len(runtime.registry.tool_names)} tools",
    )
    try:
        await runtime.database.open()
        latency = await runtime.database.ping()
        status = await schema_status(runtime.database, runtime.registry.components())
    except CyranoError as exc:
        hint = (
            "is PostgreSQL running and CYRANO_DATABASE_URL right?"
            if settings.database_kind == "postgresql"
            else "is the data dir on a local disk?"
        )
        report_line(FAILED, "database", f"{exc}; {hint}")
        return 1
    finally:
        await runtime.database.close()
    report_line(OK, "database", f"{settings.database_kind} answered in {latency:.1f} ms")
    if status.ahead:
        report_line(FAILED, "schema", "the store is newer than this cyrano-mcp; upgrade cyrano-mcp")
        return 1
    if status.pending:
        pending = ", ".join(f"{n} {a}->{b}" for n, (a, b) in status.pending.items())
        report_line(
            MISSING, "schema", f"migrations pending ({pending}); `cyrano-mcp db upgrade` (or just start the server)"
        )
    else:
        report_line(OK, "schema", "current")
    return 0


_STATUS = {"ok": OK, "missing": MISSING, "warning": WARNING, "failed": FAILED}


def _check_engine_setup(settings: Settings) -> int:
    """What each engine says about its own setup (Arkiver: the folders it may read)."""
    from cyrano_mcp.server import build_runtime

    try:
        runtime = build_runtime(settings)
    except CyranoError:
        return 0  # the engines line says why
    failures = 0
    for engine, check in runtime.registry.checks():
        try:
            findings = check()
        except Exception as exc:  # a broken check is the engine's bug; the other checks still run
            report_line(FAILED, engine, f"its doctor check failed: {type(exc).__name__}")
            failures += 1
            continue
        for finding in findings:
            report_line(_STATUS[finding.status], finding.subject, finding.detail)
            failures += finding.status == "failed"
    return failures


async def _check_models(settings: Settings) -> int:
    """Each model provider: configured? reachable? A configured provider that cannot be used is a failure."""
    from cyrano_mcp.llm import build_gateway

    gateway = build_gateway(settings, None)
    failures = 0
    try:
        chain = " -> ".join(provider.name for provider in gateway.chain())
        report_line(OK, "models", f"CYRANO_LLM_PROVIDER={settings.llm_provider}: tries {chain}")
        for provider, probe in await gateway.probe(timeout=5.0):
            subject = f"model {provider.name}"
            model = f"{provider.model}: " if provider.model else ""
            if probe.status == "ok":
                report_line(OK, subject, f"{model}{probe.detail} ({probe.latency_ms or 0:.0f} ms)")
            elif probe.status == "not_applicable":
                report_line(OK, subject, probe.detail)
            elif probe.status == "not_configured" and settings.llm_provider != provider.name:
                report_line(MISSING, subject, f"{probe.detail} (optional: without a model, engines use their rules)")
            elif probe.status == "not_configured":
                failures += 1
                report_line(FAILED, subject, f"CYRANO_LLM_PROVIDER={provider.name}, but {probe.detail}")
            else:
                failures += 1
                variable = "OPENAI" if provider.name == "openai" else "ANTHROPIC"
                report_line(FAILED, subject, f"{model}{probe.detail}; check {variable}_API_KEY and {variable}_BASE_URL")
    finally:
        await gateway.aclose()
    return failures


def _check_optional() -> None:
    tesseract = shutil.which("tesseract")
    if tesseract:
        report_line(OK, "OCR", f"tesseract at {tesseract}")
    else:
        report_line(
            MISSING,
            "OCR",
            "tesseract not found; scanned PDFs and images cannot be read. "
            "Install Debian/Ubuntu `tesseract-ocr`, macOS `brew install tesseract`",
        )


async def _check_local_user(settings: Settings) -> None:
    """Warn when stdio callers act as an admin: whatever the host's model reads could then manage accounts."""
    from cyrano_mcp.security.accounts import DEFAULT_LOCAL_USER, untouched_default_admin
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.store.migrate import schema_status

    name = settings.local_user
    try:
        runtime = build_runtime(settings)
    except CyranoError:
        return  # the engines line above says why
    try:
        await runtime.database.open()
        status = await schema_status(runtime.database, runtime.registry.components())
        user = await runtime.security.accounts.find(name) if status.stored.get("security") else None
    except CyranoError:
        return  # the database and schema lines above say why
    finally:
        await runtime.database.close()
    if user is None and name != DEFAULT_LOCAL_USER:
        report_line(
            MISSING,
            "stdio user",
            f"CYRANO_LOCAL_USER={name} does not exist; stdio callers can do nothing until "
            f"`cyrano-mcp users add {name} --role attorney --no-password`",
        )
        return
    role: str = settings.local_user_role  # what the account is, or becomes on the first stdio call
    if user is not None and not (untouched_default_admin(user) and role != "admin"):
        role = user.role
    if role != "admin":
        report_line(OK, "stdio user", f"{name} ({role})")
        return
    report_line(
        WARNING,
        "stdio user",
        f"{name} is an admin: a document the desktop host's model reads could make it add accounts. "
        f"`cyrano-mcp users set-role {name} attorney` (administer accounts with `cyrano-mcp users`)",
    )

"""`cyrano-mcp client-config`: the `mcpServers` entry that runs this installation over stdio, printed or merged
into a host's configuration file.

A host starts its servers with a minimal environment (on macOS hardly more than HOME and a PATH without
Homebrew), so the entry carries everything a session needs: the absolute command, the data directory this
shell uses, the folders Cyrano may read, and a PATH that finds Tesseract when it lives elsewhere.
"""

import json
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from cyrano_mcp.cli.common import fail_cleanly, settings_from
from cyrano_mcp.cli.hosts import HOSTS, Machine, install, merged, read_config
from cyrano_mcp.errors import ConfigError

DEFAULT_FOLDER = "Cyrano"  # in the user's documents folder
HOST_NAMES = {"claude-desktop": "Claude Desktop"}
# What a process started with no PATH searches (os.defpath); a tool found elsewhere needs PATH in the entry.
_SEARCHED_WITHOUT_PATH = {"/bin", "/usr/bin"}


@click.command("client-config")
@click.option("--name", default="cyrano", show_default=True, help="The server's name in the host's list.")
@click.option(
    "--allow",
    "folders",
    multiple=True,
    metavar="FOLDER",
    help="A folder whose files Cyrano may read by path (repeatable). Default: a Cyrano folder in your documents "
    "folder, created if missing.",
)
@click.option("--install", "install_entry", is_flag=True, help="Merge the entry into the host's configuration file.")
@click.option("--dry-run", is_flag=True, help="With --install: print the merged file and its path; write nothing.")
@click.option(
    "--host", type=click.Choice(HOSTS), default="claude-desktop", show_default=True, help="The host to install into."
)
@click.option("--system", type=click.Choice(["macos", "windows", "linux"]), default=None, hidden=True)
def client_config(
    name: str, folders: tuple[str, ...], install_entry: bool, dry_run: bool, host: str, system: str | None
) -> None:
    """Print an `mcpServers` entry (Claude Desktop and most hosts) that runs this installation over stdio, or
    merge it into the host's configuration file with --install."""
    machine = Machine.current()
    if system is not None:  # another system's layout, on this machine: for tests
        machine = Machine(system=system, home=machine.home, environ=machine.environ)  # type: ignore[arg-type]
    roots = fail_cleanly(lambda: allowed_folders(folders, machine, create=not dry_run))
    settings = fail_cleanly(settings_from)
    entry = server_entry(Path(os.path.abspath(settings.data_dir)), roots, tools_path=tools_path(machine))
    _mention_unset(entry["env"], os.environ)
    if not install_entry:
        if dry_run:
            raise click.UsageError("--dry-run goes with --install")
        click.echo(json.dumps({"mcpServers": {name: entry}}, indent=2))
        return
    path = machine.host_config(host)
    config = fail_cleanly(lambda: merged(path, name, entry))
    if dry_run:
        click.echo(json.dumps(config, indent=2, ensure_ascii=False))
        click.echo(f"cyrano-mcp: would write {path} (--dry-run: nothing was written)", err=True)
        return
    backup = fail_cleanly(lambda: install(path, config))
    kept = f"; the previous file is kept as {backup}" if backup is not None else ""
    click.echo(f"Wrote the {name!r} server into {path}{kept}.")
    click.echo(f"Restart {HOST_NAMES[host]} to use it; `cyrano-mcp doctor --host {host}` checks the setup.")


def adopt_host_entry(host: str, name: str) -> bool:
    """Report whether the host's entry `name` can start, and take its settings into this process's environment,
    for the doctor to check what the host will run. Returns whether the entry is unusable."""
    from cyrano_mcp.doctor import FAILED, OK, report_line

    path = Machine.current().host_config(host)
    entry = read_config(path).get("mcpServers", {}).get(name)
    subject = f"{HOST_NAMES[host]} entry"
    if not isinstance(entry, dict) or not entry:
        report_line(FAILED, subject, f"{path} has no {name!r} server; run `cyrano-mcp client-config --install`")
        return True
    command = str(entry.get("command", ""))
    problem = _start_problem(command)
    env = entry.get("env")
    if isinstance(env, dict):
        os.environ.update({str(key): str(value) for key, value in env.items()})
    if problem is not None:
        report_line(FAILED, subject, f"{problem}; run `cyrano-mcp client-config --install` again")
        return True
    report_line(OK, subject, f"{path} runs {command} (checked below with its env)")
    return False


def _start_problem(command: str) -> str | None:
    """Why a host with a minimal PATH could not start `command`, if it could not."""
    if not os.path.isabs(command):
        return f"its command {command!r} is not an absolute path: a host's minimal PATH will not find it"
    if not os.path.isfile(command) or not os.access(command, os.X_OK):
        return f"its command {command} is not an executable file"
    return None


def allowed_folders(given: Sequence[str], machine: Machine, *, create: bool) -> list[Path]:
    """The folders given (absolute, `~` expanded), or the default folder, created if missing (unless not `create`)."""
    if not given:
        folder = machine.documents() / DEFAULT_FOLDER
        done = "it exists"
        if not folder.exists():
            if create:
                folder.mkdir(mode=0o700, parents=True)
            done = "created it" if create else "it would be created"
        click.echo(
            f"cyrano-mcp: no --allow given: Cyrano may read the documents you put in {folder} ({done}); "
            "give --allow FOLDER (repeatable) for others",
            err=True,
        )
        return [folder]
    folders = []
    for text in given:
        folder = Path(os.path.abspath(os.path.expanduser(text)))
        if "," in str(folder):
            raise ConfigError(f"--allow {text}: CYRANO_ALLOWED_ROOTS separates folders with commas; rename the folder")
        if not folder.is_dir():
            click.echo(
                f"cyrano-mcp: warning: {folder} is not a folder yet; create it before ingesting from it", err=True
            )
        if folder not in folders:
            folders.append(folder)
    return folders


def server_entry(data_dir: Path, roots: Sequence[Path], *, tools_path: str | None) -> dict[str, Any]:
    """The `mcpServers` entry: this installation's command, and the settings a session started with only HOME
    needs."""
    env = {
        "CYRANO_DATA_DIR": str(data_dir),
        "CYRANO_ALLOWED_ROOTS": ",".join(str(root) for root in roots),
        "CYRANO_LOG_LEVEL": "INFO",
    }
    if tools_path is not None:
        env["PATH"] = tools_path
    command, *args = server_command()
    return {"command": command, "args": args, "env": env}


def server_command() -> list[str]:
    """The absolute command that serves this installation over stdio: the `cyrano-mcp` script that is running, or
    this Python with `-m cyrano_mcp` (a venv's python is kept as it is: resolving it would leave the venv)."""
    script = Path(sys.argv[0])
    if script.stem == "cyrano-mcp":
        found = str(script) if script.is_absolute() else shutil.which(str(script))
        if found:
            return [os.path.abspath(found), "serve"]
    return [os.path.abspath(sys.executable), "-m", "cyrano_mcp", "serve"]


def tools_path(machine: Machine) -> str | None:
    """A PATH that finds Tesseract (OCR), when a host's minimal one would not (e.g. Homebrew's /opt/homebrew/bin)."""
    if machine.system == "windows":
        return None
    found = shutil.which("tesseract")
    folder = os.path.dirname(found) if found else None
    if folder is None or folder in _SEARCHED_WITHOUT_PATH:
        return None
    return os.pathsep.join([folder, "/usr/bin", "/bin"])


def _mention_unset(env: Mapping[str, str], environ: Mapping[str, str]) -> None:
    """Name the Cyrano settings this shell has that the entry lacks: the host will not pass them on."""
    left = sorted(name for name in environ if name.startswith("CYRANO_") and name not in env)
    if left:
        click.echo(
            f"cyrano-mcp: note: this shell sets {', '.join(left)}, which the host will not pass on; "
            "add any the server needs to the entry's env",
            err=True,
        )

"""MCP hosts' configuration files: where they are on each system, and merging a server entry into one safely.

Hand-editing JSON is where a lawyer setting up a desktop host gives up, so `cyrano-mcp client-config --install`
does it: it keeps every other key and server of the file, copies the file beside itself first, writes the new
one atomically, and refuses to touch a file that is not valid JSON. The system and the home folder are given
(`Machine`), so each system's layout can be checked on any other.
"""

import json
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from cyrano_mcp.errors import ConfigError

System = Literal["macos", "windows", "linux"]
HOSTS = ("claude-desktop",)


@dataclass(frozen=True, slots=True)
class Machine:
    """The system, home folder and environment that a host's files and the user's folders are found from."""

    system: System
    home: Path
    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def current(cls) -> "Machine":
        return cls(system=system_of(sys.platform), home=Path.home(), environ=dict(os.environ))

    def documents(self) -> Path:
        """The user's documents folder: `Documents` in the home folder (the user profile on Windows)."""
        profile = self.environ.get("USERPROFILE") if self.system == "windows" else None
        return Path(profile or self.home) / "Documents"

    def host_config(self, host: str) -> Path:
        if host != "claude-desktop":
            raise ConfigError(f"unknown MCP host {host!r}; known: {', '.join(HOSTS)}")
        if self.system == "macos":
            folder = self.home / "Library" / "Application Support"
        elif self.system == "windows":
            folder = Path(self.environ.get("APPDATA") or self.home / "AppData" / "Roaming")
        else:
            folder = Path(self.environ.get("XDG_CONFIG_HOME") or self.home / ".config")
        return folder / "Claude" / "claude_desktop_config.json"


def system_of(platform: str) -> System:
    if platform == "darwin":
        return "macos"
    if platform.startswith(("win", "cygwin")):
        return "windows"
    return "linux"


def read_config(path: Path) -> dict[str, Any]:
    """The host's configuration at `path` (empty if there is none).

    Raises `ConfigError` for a file that is not a JSON object with an `mcpServers` object (if any): it is
    left as it is, for its owner to fix.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        text = ""
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        config = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); it was left as it is: "
            "fix it or move it away, then run this again"
        ) from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path} does not hold a JSON object; it was left as it is: fix it or move it away")
    if not isinstance(config.get("mcpServers", {}), dict):
        raise ConfigError(f'{path} has an "mcpServers" that is not a JSON object; it was left as it is: fix it first')
    return config


def merged(path: Path, name: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """The host's configuration at `path` with `entry` as server `name`. Settings that an earlier entry of that
    name had in its `env` and `entry` does not set (a key added by hand) are kept."""
    config = read_config(path)
    servers = config.get("mcpServers", {})
    earlier = servers.get(name)
    new = dict(entry)
    if isinstance(earlier, dict) and isinstance(earlier.get("env"), dict) and isinstance(new.get("env"), dict):
        new["env"] = {**earlier["env"], **new["env"]}
    return {**config, "mcpServers": {**servers, name: new}}


def install(path: Path, config: Mapping[str, Any], *, now: datetime | None = None) -> Path | None:
    """Write `config` to `path` atomically, after copying the file there (if any) beside it; returns the copy.

    The copy and the new file are readable by this account only: an entry's `env` may hold settings
    worth keeping private.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    backup = _back_up(path, now or datetime.now()) if path.exists() else None
    text = json.dumps(config, indent=2, ensure_ascii=False) + "\n"
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return backup


def _back_up(path: Path, now: datetime) -> Path:
    data = path.read_bytes()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        suffix = f"-{attempt}" if attempt else ""
        backup = path.with_name(f"{path.name}.{stamp}{suffix}.bak")
        try:
            descriptor = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return backup
    raise ConfigError(f"cannot find a free name for a backup of {path}; remove old backups beside it")

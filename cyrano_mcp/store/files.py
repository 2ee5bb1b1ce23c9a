"""The store's place on disk: a directory and files that only the account Cyrano runs as can read.

The store holds usernames, password hashes, the client list and the audit log. Its directory is created 0700
and its SQLite file 0600, whatever the process umask. The file is created here, before SQLite opens it,
because SQLite gives the -wal, -shm and -journal files it creates beside a database the database file's own
mode: a 0600 store keeps its companions 0600. The umask is left alone (it is process-wide, and another
thread may be creating a file at that moment). Files an earlier version left readable to others are
tightened when the store opens; `cyrano-mcp doctor` names any that are still wider.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import make_url

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.settings import Settings

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600
_GROUP_AND_OTHERS = 0o077
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
KEY_DIR = "keys"


def sqlite_file(settings: Settings) -> Path | None:
    """The SQLite store's file; None for PostgreSQL or an in-memory database."""
    if settings.database_kind != "sqlite":
        return None
    database = make_url(settings.resolved_database_url).database
    return None if database in (None, "", ":memory:") else Path(database)


def _location_setting(settings: Settings) -> str:
    """The variable that says where the store lives (what an operator fixes when it cannot be there)."""
    return "CYRANO_DATA_DIR" if settings.database_url is None else "CYRANO_DATABASE_URL"


def prepare_sqlite_store(settings: Settings) -> list[Path]:
    """Make the SQLite store's directory and file private, creating what is missing.

    Returns the paths whose group or other permissions were removed. A directory that cannot be created, is a
    file or is not writable raises `ConfigError` naming the variable to fix. Nothing to do for PostgreSQL.
    """
    database = sqlite_file(settings)
    if database is None:
        return []
    setting = _location_setting(settings)
    # The data dir is Cyrano's own; a directory named in CYRANO_DATABASE_URL may be shared, so only its store is.
    tightened = private_directory(database.parent, setting=setting, tighten=settings.database_url is None)
    try:
        os.close(os.open(database, os.O_RDONLY | os.O_CREAT, PRIVATE_FILE))
    except OSError as exc:
        raise ConfigError(f"{setting}: cannot create the store {database} ({exc.strerror})") from None
    for path in (database, *companions(database)):
        if tighten_mode(path):
            tightened.append(path)
    return tightened


def private_directory(path: Path, *, setting: str, tighten: bool = True) -> list[Path]:
    """Create `path` with mode 0700 (and any missing parents), or check the existing one, which must be a directory
    this process can write in. Returns `[path]` when it was tightened, else `[]`.

    Raises `ConfigError` in one line naming `setting`, the variable that put the directory there.
    """
    advice = "use a directory this account owns (it is created if missing)"
    try:
        if path.exists() and not path.is_dir():
            raise ConfigError(f"{setting}: {path} is a file, not a directory; {advice}")
        path.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{setting}: cannot create {path} ({exc.strerror}); {advice}") from None
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise ConfigError(f"{setting}: {path} is not writable ({exc.strerror}); {advice}") from None
    return [path] if tighten and tighten_mode(path) else []


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600; it must not exist yet."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


@contextmanager
def private_writer(path: Path) -> Iterator[BinaryIO]:
    """Write `path` (created or replaced); it is 0600 before its first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as stream:
        if os.name == "posix":
            os.fchmod(stream.fileno(), PRIVATE_FILE)  # a file that existed keeps its mode otherwise
        yield stream


def copy_private(source: Path, target: Path) -> None:
    """Copy `source` to `target` (created or replaced), 0600 before its first byte."""
    with private_writer(target) as stream, source.open("rb") as origin:
        shutil.copyfileobj(origin, stream)


def companions(database: Path) -> list[Path]:
    """The files SQLite keeps beside `database` that exist now."""
    return [path for suffix in SQLITE_COMPANIONS if (path := database.with_name(database.name + suffix)).exists()]


def tighten_mode(path: Path) -> bool:
    """Remove group and other permissions from `path`; whether it had any."""
    if os.name != "posix":
        return False  # modes mean little elsewhere; access control there is the ACL of the user's profile
    try:
        mode = path.stat().st_mode & 0o777
        if not mode & _GROUP_AND_OTHERS:
            return False
        path.chmod(mode & ~_GROUP_AND_OTHERS)
    except FileNotFoundError:
        return False  # a -wal or -shm file that another process's last connection just removed
    return True


def readable_by_others(settings: Settings) -> list[tuple[Path, int]]:
    """Cyrano's files and directories that group or other accounts may use, with their modes (for `doctor`)."""
    if os.name != "posix":
        return []
    candidates = [settings.data_dir]
    keys = settings.data_dir / KEY_DIR
    if keys.is_dir():
        candidates += [keys, *sorted(keys.rglob("*"))]
    database = sqlite_file(settings)
    if database is not None:
        candidates += [database, *companions(database)]
    found = []
    for path in candidates:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            continue  # missing (not created yet) or vanished meanwhile (a -wal file at a checkpoint)
        if mode & _GROUP_AND_OTHERS:
            found.append((path, mode))
    return found

"""Which files on the server Arkiver may read: regular files under an allowed root, after resolving."""

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from cyrano_mcp.errors import InvalidInputError, PermissionDeniedError
from modules.arkiver.parsing.errors import NotARegularFile, PathNotAllowed, PathNotFound


def resolve_allowed_path(path: str, allowed_roots: Sequence[Path]) -> Path:
    """The real path of a regular file under one of `allowed_roots`, or a typed error saying why not.

    `..` and symlinks are resolved before the check, so neither can lead out of a root. The caller opens
    the file; a symlink swapped in between is outside what this check can see.
    """
    if not path or "\x00" in path:
        raise InvalidInputError("give the absolute path of a file")
    candidate = Path(path)
    if not candidate.is_absolute():
        raise InvalidInputError(f"give an absolute path, not {path!r}")
    if not allowed_roots:
        raise PathNotAllowed("no folders are open to Arkiver; the server's operator has to allow one")
    resolved = Path(os.path.realpath(candidate))
    roots = [Path(os.path.realpath(root)) for root in allowed_roots]
    if not any(resolved.is_relative_to(root) for root in roots):
        # The resolved target is not echoed: it would tell where a symlink leads outside the roots.
        raise PathNotAllowed(f"{path!r} is outside the folders Arkiver may read")
    try:
        mode = os.stat(resolved).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise PathNotFound(f"there is no file at {path!r}") from None
    except PermissionError:
        raise PermissionDeniedError(f"the server is not permitted to read {path!r}") from None
    except OSError as exc:  # a symlink loop, a name too long
        raise PathNotFound(f"{path!r} cannot be resolved ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise NotARegularFile(f"{path!r} is {_kind(mode)}, not a regular file")
    return resolved


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def resolve_allowed_folder(path: str, allowed_roots: Sequence[Path]) -> Path:
    """The real path of a folder under one of `allowed_roots` (or a root itself), or a typed error saying why not."""
    if not path or "\x00" in path:
        raise InvalidInputError("give the absolute path of a folder")
    candidate = Path(path)
    if not candidate.is_absolute():
        raise InvalidInputError(f"give an absolute path, not {path!r}")
    if not allowed_roots:
        raise PathNotAllowed("no folders are open to Arkiver; the server's operator has to allow one")
    resolved = Path(os.path.realpath(candidate))
    if not any(resolved.is_relative_to(Path(os.path.realpath(root))) for root in allowed_roots):
        raise PathNotAllowed(f"{path!r} is outside the folders Arkiver may read")
    if not resolved.is_dir():
        raise PathNotFound(f"there is no folder at {path!r}")
    return resolved


def files_in(folder: Path, *, recursive: bool, limit: int) -> list[Path]:
    """Regular files in `folder` (and below it, if `recursive`), sorted, skipping hidden ones and symlinks.

    Raises `InvalidInputError` past `limit` files rather than taking an arbitrary part of the folder.
    """
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as exc:
            raise InvalidInputError(f"cannot list {current.name or current}: {exc.strerror}") from None
        for entry in entries:
            if entry.name.startswith(".") or entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    pending.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
                if len(found) > limit:
                    raise InvalidInputError(f"the folder holds more than {limit} files; give a smaller folder")
    return sorted(found)

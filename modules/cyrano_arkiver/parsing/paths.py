"""Which files on the server Arkiver may read, opened so that no link can lead it out of an allowed root.

A path is accepted when it names, below one of the allowed roots, a regular file reached through real
folders. Each root is resolved once with `realpath` (a root that is a symlink is the operator's choice);
below it every component is opened relative to its parent's descriptor with O_NOFOLLOW, so there is no
check apart from the open that a folder swapped for a symlink could slip between. The opened file is then
checked on its descriptor: a regular file, on the root's file system, with one hard link (a second name
of the same file may sit outside every root) unless CYRANO_ALLOW_HARDLINKS says otherwise.

Linux's openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) would do the walk in one call, but Python has no
wrapper, container seccomp profiles of some runtimes refuse it (so this walk would be needed as the
fallback anyway), and the walk behaves the same on macOS. One path of code is easier to trust.

Every OSError becomes a typed error: a client never sees an internal error for a path it sent.
"""

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from cyrano_arkiver.parsing.errors import (
    FileHasHardLinks,
    NotARegularFile,
    PathContainsLink,
    PathNotAllowed,
    PathNotFound,
)
from cyrano_mcp.kit import DomainError, InvalidInputError, PermissionDeniedError, UnavailableError


def _flag(name: str) -> int:
    return int(getattr(os, name, 0))  # absent on Windows, where `_CAN_WALK` is false and nothing is opened


# Windows has neither O_NOFOLLOW nor opens relative to a folder's descriptor: no file is read by path there.
_CAN_WALK = os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW")
_ROOT_FLAGS = os.O_RDONLY | _flag("O_DIRECTORY") | _flag("O_CLOEXEC")
_FOLDER_FLAGS = _ROOT_FLAGS | _flag("O_NOFOLLOW")
# O_NONBLOCK: a FIFO swapped in after the type check opens at once instead of waiting for a writer.
_FILE_FLAGS = os.O_RDONLY | _flag("O_NOFOLLOW") | _flag("O_NONBLOCK") | _flag("O_NOCTTY") | _flag("O_CLOEXEC")
# Passing failures of the server itself, worth retrying; anything else is about the path.
_TRANSIENT = {errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.EIO, errno.EAGAIN}


def read_allowed_file(path: str, allowed_roots: Sequence[Path], *, limit: int, allow_hardlinks: bool) -> bytes:
    """The first `limit + 1` bytes of the regular file at `path` under an allowed root, or a typed error.

    One byte past `limit` lets the caller tell a file that is larger than the limit.
    """
    root, parts = _locate(path, allowed_roots, "file")
    if not parts:
        raise NotARegularFile(f"{path!r} is a folder, not a regular file")
    with _folder(root, parts[:-1], path, "file") as (parent, root_device):
        name = parts[-1]
        mode = _mode_of(parent, name, path, "file")
        if not stat.S_ISREG(mode):  # refused before opening: opening some devices already does something
            raise NotARegularFile(f"{path!r} is {_kind(mode)}, not a regular file")
        descriptor = _open_below(parent, name, _FILE_FLAGS, path, "file")
    with os.fdopen(descriptor, "rb") as handle:
        found = os.fstat(handle.fileno())  # the file actually opened, whatever the name points to now
        if not stat.S_ISREG(found.st_mode):
            raise NotARegularFile(f"{path!r} is {_kind(found.st_mode)}, not a regular file")
        if found.st_dev != root_device:
            raise PathNotAllowed(f"{path!r} is on another file system mounted below the allowed folder")
        if found.st_nlink > 1 and not allow_hardlinks:
            raise FileHasHardLinks(
                f"{path!r} has {found.st_nlink} hard links, so it may also be a file outside the allowed "
                "folders; the server's operator can allow such files with CYRANO_ALLOW_HARDLINKS"
            )
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise _refusal(exc, path, "file") from None


class FolderListing(NamedTuple):
    """The files of a folder as sorted absolute paths, and its hidden files (never read) as names below it."""

    files: list[str]
    hidden: list[str]


def list_allowed_folder(path: str, allowed_roots: Sequence[Path], *, recursive: bool, limit: int) -> FolderListing:
    """The regular files in the folder at `path` (and below, if `recursive`).

    Hidden files are listed apart, never to be read; hidden folders, symlinks and folders of other file
    systems are skipped. The folder itself is reached as `read_allowed_file` reaches a file. Raises
    `InvalidInputError` past `limit` files rather than taking an arbitrary part of the folder. Each listed
    file is read later through `read_allowed_file`, so a swap between listing and reading leads nowhere either.
    """
    root, parts = _locate(path, allowed_roots, "folder")
    base = Path(path)
    found: list[str] = []
    hidden: list[str] = []
    with _folder(root, parts, path, "folder") as (top, root_device):
        pending: list[tuple[str, ...]] = [()]
        while pending:
            relative = pending.pop()
            shown = str(base.joinpath(*relative))
            with _folder_below(top, relative, shown) as current:
                if os.fstat(current).st_dev != root_device:
                    continue  # a mount point below the root
                files, folders = _entries(current, shown)
            if recursive:
                pending += [(*relative, name) for name in folders if not name.startswith(".")]
            for name in files:
                if name.startswith("."):
                    hidden.append(str(Path(*relative, name)))
                else:
                    found.append(str(base.joinpath(*relative, name)))
                if len(found) + len(hidden) > limit:
                    raise InvalidInputError(f"the folder holds more than {limit} files; give a smaller folder")
    return FolderListing(sorted(found), sorted(hidden))


def _entries(folder: int, shown: str) -> tuple[list[str], list[str]]:
    """The names of the regular files and of the folders in `folder`, without links."""
    files: list[str] = []
    folders: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.name)
                elif entry.is_file(follow_symlinks=False):
                    files.append(entry.name)
    except OSError as exc:
        raise _refusal(exc, shown, "folder") from None
    return files, folders


def covering_root(path: str, allowed_roots: Sequence[Path]) -> Path | None:
    """The allowed root that `path` names something below, judged from the names alone (nothing is opened);
    None for a path below none of them or that is not a plain absolute path. It says which root to read under,
    not whether reading is safe: that is `read_allowed_file`'s walk."""
    candidate = Path(path) if path and "\x00" not in path else None
    if candidate is None or not candidate.is_absolute() or ".." in candidate.parts:
        return None
    try:
        found = _below_root(candidate, allowed_roots)
    except OSError:
        return None
    return found[0] if found is not None else None


def _locate(path: str, allowed_roots: Sequence[Path], what: str) -> tuple[str, tuple[str, ...]]:
    """The real path of the allowed root that `path` starts with, and the names below it."""
    if not path or "\x00" in path:
        raise InvalidInputError(f"give the absolute path of a {what}")
    candidate = Path(path)
    if not candidate.is_absolute():
        raise InvalidInputError(f"give an absolute path, not {path!r}")
    if ".." in candidate.parts:
        raise InvalidInputError(f"give the path without '..' in it, not {path!r}")
    if not allowed_roots:
        raise PathNotAllowed(
            "no folder is open for reading files by path (the setting CYRANO_ALLOWED_ROOTS is empty). To open one, "
            f"{_HOW_TO_ALLOW}; or send the document itself as text or content_base64"
        )
    if not _CAN_WALK:
        raise PathNotAllowed("this server's system cannot open files without following links; send the content")
    try:
        found = _below_root(candidate, allowed_roots)
    except OSError as exc:  # the operator's root itself cannot be resolved right now
        raise _refusal(exc, path, what) from None
    if found is None:
        raise PathNotAllowed(
            f"{path!r} is outside the folders Cyrano may read ({_listed(allowed_roots)}). Move the {what} into one "
            f"of them; or add its folder to CYRANO_ALLOWED_ROOTS: {_HOW_TO_ALLOW}; or send the document itself as "
            "text or content_base64"
        )
    _, real, below = found
    return real, below


# Said to a model, which says it to the lawyer; a lawyer working alone is the one who runs Cyrano.
_HOW_TO_ALLOW = (
    "whoever runs Cyrano (on your own computer, you) runs `cyrano-mcp client-config --install --allow FOLDER` "
    "and restarts the MCP host, e.g. Claude Desktop"
)


def _below_root(candidate: Path, allowed_roots: Sequence[Path]) -> tuple[Path, str, tuple[str, ...]] | None:
    """The root `candidate` is deepest below (as given, and its real path), and the names below it."""
    best: tuple[Path, str, tuple[str, ...]] | None = None
    for root in allowed_roots:
        real = os.path.realpath(root)
        # The root as configured, or as resolved: a client may know either name.
        for prefix in {Path(os.path.abspath(root)).parts, Path(real).parts}:
            below = candidate.parts[len(prefix) :]
            if candidate.parts[: len(prefix)] == prefix and (best is None or len(below) < len(best[2])):
                best = (root, real, below)
    return best


def _listed(roots: Sequence[Path], most: int = 3) -> str:
    shown = ", ".join(str(root) for root in roots[:most])
    return shown if len(roots) <= most else f"{shown} and {len(roots) - most} more"


@contextmanager
def _folder(root: str, parts: Sequence[str], path: str, what: str) -> Iterator[tuple[int, int]]:
    """A descriptor of the folder `parts` below `root`, and the device of `root`."""
    try:
        root_descriptor = os.open(root, _ROOT_FLAGS)
    except OSError as exc:
        raise _refusal(exc, path, what) from None
    try:
        root_device = os.fstat(root_descriptor).st_dev
        with _folder_below(root_descriptor, parts, path, what) as folder:
            yield folder, root_device
    finally:
        os.close(root_descriptor)


@contextmanager
def _folder_below(top: int, parts: Sequence[str], path: str, what: str = "folder") -> Iterator[int]:
    """A descriptor of the folder `parts` below the open folder `top` (`top` itself for no parts), never
    following a link. The descriptors it opens it closes; `top` stays the caller's."""
    current = top
    try:
        for name in parts:
            child = _open_below(current, name, _FOLDER_FLAGS, path, what)
            if current != top:
                os.close(current)
            current = child
        yield current
    finally:
        if current != top:
            os.close(current)


def _open_below(folder: int, name: str, flags: int, path: str, what: str) -> int:
    try:
        return os.open(name, flags, dir_fd=folder)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.EACCES, errno.EPERM) and _is_link(folder, name):
            raise PathContainsLink(_through_link(path, name)) from None  # ELOOP, or ENOTDIR on some systems
        raise _refusal(exc, path, what) from None


def _mode_of(folder: int, name: str, path: str, what: str) -> int:
    try:
        mode = os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode
    except OSError as exc:
        raise _refusal(exc, path, what) from None
    if stat.S_ISLNK(mode):
        raise PathContainsLink(_through_link(path, name))
    return mode


def _is_link(folder: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _through_link(path: str, name: str | None = None) -> str:
    # Where the link leads is not said: it may be a place outside the roots.
    which = f" ({name!r})" if name else ""
    return f"{path!r} goes through a symbolic link{which}; below an allowed folder Arkiver follows no links"


def _refusal(exc: OSError, path: str, what: str) -> DomainError:
    """The typed error for an OSError met while opening or reading `path`."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return PathNotFound(f"there is no {what} at {path!r}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return PermissionDeniedError(f"the server is not permitted to read {path!r}")
    if exc.errno == errno.ELOOP:
        return PathContainsLink(_through_link(path))  # O_NOFOLLOW met a link (gone again when looked at)
    if exc.errno in _TRANSIENT:
        return UnavailableError(f"the server cannot read {path!r} now ({exc.strerror}); try again")
    return InvalidInputError(f"{path!r} cannot be read ({exc.strerror})")


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

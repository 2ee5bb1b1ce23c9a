"""read_allowed_file and list_allowed_folder: only regular files below an allowed root, reached without links."""

import contextlib
import errno
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cyrano_arkiver.parsing import (
    FileHasHardLinks,
    NotARegularFile,
    PathContainsLink,
    PathNotAllowed,
    PathNotFound,
    list_allowed_folder,
    paths,
    read_allowed_file,
)
from cyrano_mcp.errors import DomainError, InvalidInputError, PermissionDeniedError, UnavailableError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    (root / "matter-1").mkdir(parents=True)
    (root / "matter-1" / "lease.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "secret.txt").write_text("not for Arkiver")
    return root


def read(path: Path | str, roots: list[Path], *, limit: int = 1000, allow_hardlinks: bool = False) -> bytes:
    return read_allowed_file(str(path), roots, limit=limit, allow_hardlinks=allow_hardlinks)


def test_a_file_under_the_root_is_read_up_to_one_byte_past_the_limit(root: Path) -> None:
    path = root / "matter-1" / "lease.pdf"
    assert read(path, [root]) == b"%PDF-1.7"
    assert read(path, [root], limit=3) == b"%PDF"


def test_dot_dot_is_refused_even_when_it_would_stay_inside(root: Path) -> None:
    for path in (root / "matter-1" / ".." / ".." / "secret.txt", root / "matter-1" / ".." / "matter-1" / "lease.pdf"):
        with pytest.raises(InvalidInputError, match="'..'"):
            read(path, [root])


def test_a_sibling_sharing_the_roots_name_as_prefix_is_outside(root: Path) -> None:
    sibling = root.parent / (root.name + "-private")
    sibling.mkdir()
    (sibling / "x.txt").write_text("x")
    with pytest.raises(PathNotAllowed, match="outside the folders"):
        read(sibling / "x.txt", [root])


def test_a_symlink_leading_out_is_refused_without_saying_where_it_leads(root: Path) -> None:
    link = root / "matter-1" / "innocent.pdf"
    link.symlink_to(root.parent / "secret.txt")
    with pytest.raises(PathContainsLink) as raised:
        read(link, [root])
    assert "secret" not in raised.value.message and "innocent.pdf" in raised.value.message


def test_a_symlink_staying_inside_is_refused_too(root: Path) -> None:
    (root / "latest.pdf").symlink_to(root / "matter-1" / "lease.pdf")
    (root / "current").symlink_to(root / "matter-1")
    for path in (root / "latest.pdf", root / "current" / "lease.pdf"):
        with pytest.raises(PathContainsLink):
            read(path, [root])


def test_a_root_that_is_itself_a_symlink_works_by_either_name(root: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    assert read(alias / "matter-1" / "lease.pdf", [alias]) == b"%PDF-1.7"
    assert read(root / "matter-1" / "lease.pdf", [alias]) == b"%PDF-1.7"


def test_the_most_specific_root_is_walked_from(root: Path, tmp_path: Path) -> None:
    # `matter-1` is its own root through a symlinked name; the outer root alone would refuse the link.
    (root / "m1").symlink_to(root / "matter-1")
    assert read(root / "m1" / "lease.pdf", [root, root / "m1"]) == b"%PDF-1.7"


def test_a_hard_link_is_refused_unless_allowed(root: Path, tmp_path: Path) -> None:
    os.link(tmp_path / "secret.txt", root / "matter-1" / "copy.txt")
    with pytest.raises(FileHasHardLinks, match="CYRANO_ALLOW_HARDLINKS"):
        read(root / "matter-1" / "copy.txt", [root])
    assert read(root / "matter-1" / "copy.txt", [root], allow_hardlinks=True) == b"not for Arkiver"


def test_missing_files_and_folders_are_refused(root: Path) -> None:
    with pytest.raises(PathNotFound):
        read(root / "matter-1" / "missing.pdf", [root])
    with pytest.raises(PathNotFound):
        read(root / "matter-2" / "lease.pdf", [root])
    with pytest.raises(PathNotFound):
        read(root / "matter-1" / "lease.pdf" / "inside", [root])
    with pytest.raises(NotARegularFile, match="folder"):
        read(root / "matter-1", [root])
    with pytest.raises(NotARegularFile, match="folder"):
        read(root, [root])


def test_a_folder_the_server_may_not_enter_is_permission_denied(root: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root enters every folder")
    (root / "matter-1").chmod(0)
    try:
        with pytest.raises(PermissionDeniedError, match="not permitted"):
            read(root / "matter-1" / "lease.pdf", [root])
    finally:
        (root / "matter-1").chmod(0o755)


def test_device_files_are_refused_even_under_a_root() -> None:
    with pytest.raises(NotARegularFile, match="device"):
        read("/dev/zero", [Path("/dev")])
    with pytest.raises(PathNotAllowed):
        read("/dev/zero", [Path("/srv/documents")])


def test_fifos_are_refused(root: Path) -> None:
    fifo = root / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="FIFO"):
        read(fifo, [root])


@pytest.fixture
def short_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="s") as directory:  # socket paths must stay under ~100 bytes
        yield Path(directory)


def test_sockets_are_refused(short_dir: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(short_dir / "sock"))
        with pytest.raises(NotARegularFile, match="socket"):
            read(short_dir / "sock", [short_dir])


@pytest.mark.parametrize("path", ["", "relative/lease.pdf", "/srv/a\x00b"])
def test_empty_relative_and_nul_paths_are_invalid(path: str, root: Path) -> None:
    with pytest.raises(InvalidInputError):
        read(path, [root])


def test_no_roots_means_nothing_is_allowed_and_the_refusal_says_how_to_open_a_folder(root: Path) -> None:
    with pytest.raises(PathNotAllowed) as refused:
        read(root / "matter-1" / "lease.pdf", [])
    message = refused.value.message
    assert "no folder is open" in message and "CYRANO_ALLOWED_ROOTS" in message
    assert "cyrano-mcp client-config --install --allow FOLDER" in message and "content_base64" in message


def test_a_path_outside_the_roots_is_refused_naming_the_setting_the_roots_and_the_fix(root: Path) -> None:
    elsewhere = root.parent / "elsewhere"
    with pytest.raises(PathNotAllowed) as refused:
        read(elsewhere / "x.pdf", [root, elsewhere / "a", elsewhere / "b", elsewhere / "c"])
    message = refused.value.message
    assert f"outside the folders Cyrano may read ({root}, " in message and "and 1 more" in message
    assert "CYRANO_ALLOWED_ROOTS" in message and "client-config --install --allow FOLDER" in message
    assert "text or content_base64" in message


def test_the_root_covering_a_path_is_judged_from_its_names(root: Path, tmp_path: Path) -> None:
    inner = root / "matter-1"
    assert paths.covering_root(str(inner / "lease.pdf"), [root, inner]) == inner  # the deepest
    assert paths.covering_root(str(root / "x.pdf"), [inner, root]) == root
    (tmp_path / "alias").symlink_to(root)
    assert paths.covering_root(str(root / "x.pdf"), [tmp_path / "alias"]) == tmp_path / "alias"  # by its real path
    for outside in (str(tmp_path / "x.pdf"), "relative.pdf", str(root / ".." / "x.pdf"), "", "/a\x00b"):
        assert paths.covering_root(outside, [root]) is None


def test_a_system_that_cannot_open_without_following_links_reads_no_path(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "_CAN_WALK", False)  # as on Windows
    with pytest.raises(PathNotAllowed, match="send the content"):
        read(root / "matter-1" / "lease.pdf", [root])


def test_a_missing_root_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(PathNotFound):
        read(tmp_path / "gone" / "lease.pdf", [tmp_path / "gone"])


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (errno.ENOENT, PathNotFound),
        (errno.EACCES, PermissionDeniedError),
        (errno.ELOOP, PathContainsLink),
        (errno.EMFILE, UnavailableError),
        (errno.EIO, UnavailableError),
        (errno.ENAMETOOLONG, InvalidInputError),
    ],
)
def test_every_os_error_becomes_a_typed_error(code: int, kind: type[Exception]) -> None:
    refusal = paths._refusal(OSError(code, os.strerror(code)), "/srv/documents/x.pdf", "file")
    assert type(refusal) is kind and "/srv/documents/x.pdf" in refusal.message


def test_a_name_too_long_is_invalid_input(root: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot be read"):
        read(root / ("x" * 300), [root])


def test_a_folder_is_listed_with_hidden_files_apart_and_without_links_or_special_files(
    root: Path, tmp_path: Path
) -> None:
    (root / "matter-1" / "sub").mkdir()
    (root / "matter-1" / "sub" / "deep.txt").write_text("deep")
    (root / "matter-1" / ".hidden.txt").write_text("hidden")
    (root / "matter-1" / ".git").mkdir()
    (root / "matter-1" / ".git" / "config").write_text("never listed: hidden folders are not entered")
    (root / "matter-1" / "out.txt").symlink_to(tmp_path / "secret.txt")
    (root / "matter-1" / "away").symlink_to(tmp_path)
    os.mkfifo(root / "matter-1" / "pipe")
    folder = root / "matter-1"
    assert list_allowed_folder(str(folder), [root], recursive=False, limit=10) == (
        [str(folder / "lease.pdf")],
        [".hidden.txt"],
    )
    assert list_allowed_folder(str(folder), [root], recursive=True, limit=10).files == [
        str(folder / "lease.pdf"),
        str(folder / "sub" / "deep.txt"),
    ]
    with pytest.raises(InvalidInputError, match="more than 1 files"):
        list_allowed_folder(str(folder), [root], recursive=True, limit=1)


def test_a_folder_is_reached_as_a_file_is(root: Path, tmp_path: Path) -> None:
    (root / "current").symlink_to(root / "matter-1")
    with pytest.raises(PathContainsLink):
        list_allowed_folder(str(root / "current"), [root], recursive=False, limit=10)
    with pytest.raises(PathNotAllowed):
        list_allowed_folder(str(tmp_path), [root], recursive=False, limit=10)
    with pytest.raises(PathNotFound, match="no folder"):
        list_allowed_folder(str(root / "nowhere"), [root], recursive=False, limit=10)
    with pytest.raises(InvalidInputError, match="'..'"):
        list_allowed_folder(str(root / "matter-1" / ".."), [root], recursive=False, limit=10)


def test_no_descriptor_is_left_open_whatever_the_outcome(root: Path, tmp_path: Path) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to count open descriptors")
    (root / "current").symlink_to(root / "matter-1")
    os.link(tmp_path / "secret.txt", root / "matter-1" / "copy.txt")
    os.mkfifo(root / "matter-1" / "pipe")
    attempts = [
        lambda: read(root / "matter-1" / "lease.pdf", [root]),
        lambda: read(root / "current" / "lease.pdf", [root]),
        lambda: read(root / "matter-1" / "copy.txt", [root]),
        lambda: read(root / "matter-1" / "pipe", [root]),
        lambda: read(root / "matter-1" / "lease.pdf" / "x", [root]),
        lambda: list_allowed_folder(str(root), [root], recursive=True, limit=10),
        lambda: list_allowed_folder(str(root), [root], recursive=True, limit=0),
        lambda: list_allowed_folder(str(root / "current"), [root], recursive=True, limit=10),
    ]
    before = len(os.listdir("/proc/self/fd"))
    for attempt in attempts * 20:
        with contextlib.suppress(DomainError):
            attempt()
    assert len(os.listdir("/proc/self/fd")) == before

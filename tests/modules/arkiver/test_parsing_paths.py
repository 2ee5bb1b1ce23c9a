"""resolve_allowed_path: only regular files under an allowed root, however the path tries to get out."""

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cyrano_mcp.errors import InvalidInputError
from modules.arkiver.parsing import NotARegularFile, PathNotAllowed, PathNotFound, resolve_allowed_path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    (root / "matter-1").mkdir(parents=True)
    (root / "matter-1" / "lease.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "secret.txt").write_text("not for Arkiver")
    return root


def test_a_file_under_the_root_resolves_to_its_real_path(root: Path) -> None:
    path = root / "matter-1" / "lease.pdf"
    assert resolve_allowed_path(str(path), [root]) == path.resolve()
    assert resolve_allowed_path(str(root / "matter-1" / ".." / "matter-1" / "lease.pdf"), [root]) == path.resolve()


def test_dot_dot_cannot_climb_out(root: Path) -> None:
    with pytest.raises(PathNotAllowed, match="outside the folders"):
        resolve_allowed_path(str(root / "matter-1" / ".." / ".." / "secret.txt"), [root])


def test_a_sibling_sharing_the_roots_name_as_prefix_is_outside(root: Path) -> None:
    sibling = root.parent / (root.name + "-private")
    sibling.mkdir()
    (sibling / "x.txt").write_text("x")
    with pytest.raises(PathNotAllowed):
        resolve_allowed_path(str(sibling / "x.txt"), [root])


def test_a_symlink_leading_out_is_refused_without_saying_where_it_leads(root: Path) -> None:
    link = root / "matter-1" / "innocent.pdf"
    link.symlink_to(root.parent / "secret.txt")
    with pytest.raises(PathNotAllowed) as raised:
        resolve_allowed_path(str(link), [root])
    assert "secret" not in raised.value.message


def test_a_symlink_staying_inside_is_followed(root: Path) -> None:
    link = root / "latest.pdf"
    link.symlink_to(root / "matter-1" / "lease.pdf")
    assert resolve_allowed_path(str(link), [root]) == (root / "matter-1" / "lease.pdf").resolve()


def test_a_root_that_is_itself_a_symlink_works(root: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    assert resolve_allowed_path(str(alias / "matter-1" / "lease.pdf"), [alias]).name == "lease.pdf"


def test_missing_files_and_folders_are_refused(root: Path) -> None:
    with pytest.raises(PathNotFound):
        resolve_allowed_path(str(root / "matter-1" / "missing.pdf"), [root])
    with pytest.raises(PathNotFound):
        resolve_allowed_path(str(root / "matter-1" / "lease.pdf" / "inside"), [root])
    with pytest.raises(NotARegularFile, match="folder"):
        resolve_allowed_path(str(root / "matter-1"), [root])


def test_device_files_are_refused_even_under_a_root() -> None:
    with pytest.raises(NotARegularFile, match="device"):
        resolve_allowed_path("/dev/zero", [Path("/dev")])
    with pytest.raises(PathNotAllowed):
        resolve_allowed_path("/dev/zero", [Path("/srv/documents")])


def test_fifos_are_refused(root: Path) -> None:
    fifo = root / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="FIFO"):
        resolve_allowed_path(str(fifo), [root])


@pytest.fixture
def short_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="s") as directory:  # socket paths must stay under ~100 bytes
        yield Path(directory)


def test_sockets_are_refused(short_dir: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(short_dir / "sock"))
        with pytest.raises(NotARegularFile, match="socket"):
            resolve_allowed_path(str(short_dir / "sock"), [short_dir])


@pytest.mark.parametrize("path", ["", "relative/lease.pdf", "/srv/a\x00b"])
def test_empty_relative_and_nul_paths_are_invalid(path: str, root: Path) -> None:
    with pytest.raises(InvalidInputError):
        resolve_allowed_path(path, [root])


def test_no_roots_means_nothing_is_allowed(root: Path) -> None:
    with pytest.raises(PathNotAllowed, match="no folders"):
        resolve_allowed_path(str(root / "matter-1" / "lease.pdf"), [])

"""Other local accounts cannot read the store: under a permissive umask the data dir is 0700 and the SQLite
file, its -wal and -shm, the key files, backups and restored stores are 0600. Files an earlier version left
wider are tightened when the store opens, and `doctor` says which are still wider and the command to fix them."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client

from cyrano_mcp.backup import create_backup, restore_backup
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.attacks.test_operator_errors import cyrano
from tests.conftest import TEST_SETTINGS
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

MATTER = {"client_name": "Hollis Estate", "title": "Probate", "practice_area": "estates", "notes": "privileged"}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes_under(root: Path) -> dict[str, int]:
    """The mode of `root` and of everything in it, by path relative to `root` ("." for itself)."""
    found = {".": mode(root)}
    for path in root.rglob("*"):
        found[path.relative_to(root).as_posix()] = mode(path)
    return found


@pytest.fixture(params=[0o022, 0o002, 0o000], ids=lambda umask: f"umask {umask:03o}")
def permissive_umask(request: pytest.FixtureRequest) -> Iterator[None]:
    previous = os.umask(request.param)
    try:
        yield
    finally:
        os.umask(previous)


def private(modes: dict[str, int], root: Path) -> dict[str, int]:
    """What is not private in `modes`: directories other than 0700, files other than 0600."""
    return {name: found for name, found in modes.items() if found != (0o700 if (root / name).is_dir() else 0o600)}


async def test_the_store_its_wal_and_the_keys_are_private_whatever_the_umask(
    permissive_umask: None, settings: Settings
) -> None:
    runtime = build_runtime(settings)
    async with Client(runtime.server) as client:
        ok(await client.call_tool("matters_create", MATTER))
        # While the server runs, as another account would find them.
        modes = modes_under(settings.data_dir)
    assert {"cyrano.db", "cyrano.db-wal", "cyrano.db-shm", "keys", "keys/master.key", "keys/jwt.key"} <= set(modes)
    assert private(modes, settings.data_dir) == {}


async def test_backups_and_restored_stores_are_private_whatever_the_umask(
    permissive_umask: None, settings: Settings, tmp_path: Path
) -> None:
    async with Client(build_runtime(settings).server) as client:
        ok(await client.call_tool("matters_create", MATTER))
    backup = tmp_path / "backups" / "monday"
    create_backup(settings, backup)
    assert private(modes_under(backup), backup) == {}

    restored = load_settings(data_dir=tmp_path / "restored", **TEST_SETTINGS)
    known = {component.name: component.latest for component in build_runtime(restored).registry.components()}
    restore_backup(restored, backup, known=known, force=False)
    assert private(modes_under(restored.data_dir), restored.data_dir) == {}


async def test_files_an_earlier_version_left_readable_are_tightened_on_start(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async with Client(build_runtime(settings).server) as client:
        ok(await client.call_tool("matters_create", MATTER))
    settings.data_dir.chmod(0o755)
    settings.sqlite_path.chmod(0o644)

    async with Client(build_runtime(settings).server) as client:
        ok(await client.call_tool("matters_list", {}))
        modes = modes_under(settings.data_dir)

    assert private(modes, settings.data_dir) == {}
    events = [record.msg for record in caplog.records if isinstance(record.msg, dict)]
    (tightened,) = [event for event in events if event["event"] == "store_files_tightened"]
    assert tightened["paths"] == [str(settings.data_dir), str(settings.sqlite_path)]


def test_doctor_names_what_other_accounts_can_read_and_the_command_that_fixes_it(data_dir: Path) -> None:
    assert cyrano("db", "upgrade", CYRANO_DATA_DIR=str(data_dir)).returncode == 0
    healthy = cyrano("doctor", CYRANO_DATA_DIR=str(data_dir))
    assert "[OK     ] file modes: only this account can read" in healthy.stdout
    data_dir.chmod(0o755)
    (data_dir / "cyrano.db").chmod(0o644)

    done = cyrano("doctor", CYRANO_DATA_DIR=str(data_dir))

    assert done.returncode == 0  # a warning: the server tightens them itself when it opens the store
    (line,) = [line for line in done.stdout.splitlines() if "file modes" in line]
    assert line.startswith("[WARNING] file modes: other local accounts can open ")
    assert f"{data_dir} (755)" in line and f"{data_dir / 'cyrano.db'} (644)" in line
    assert line.endswith(f"run `chmod go-rwx {data_dir} {data_dir / 'cyrano.db'}`")

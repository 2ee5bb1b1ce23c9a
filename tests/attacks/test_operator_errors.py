"""An operator's mistake in where the store lives, or in a setting, is one line naming the variable to fix:
never a traceback, for `serve` (stdio and HTTP) and for `doctor`."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")
COMMANDS = {
    "serve over stdio": ["serve"],
    "serve over HTTP": ["serve", "--transport", "http", "--port", "0"],
}


def cyrano(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "CYRANO_LOG_FORMAT": "json", **env}
    return subprocess.run(
        [CYRANO, *args], env=environment, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A directory in which this process can create nothing."""
    if os.geteuid() == 0:  # modes do not stop root; a read-only kernel file system does
        if not Path("/sys/kernel").is_dir():
            pytest.skip("running as root without /sys: no directory root cannot write in")
        yield Path("/sys/kernel")
        return
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    yield locked
    locked.chmod(0o755)


@pytest.fixture(params=["is a file", "has a parent that cannot be made", "is not writable"])
def bad_data_dir(request: pytest.FixtureRequest, tmp_path: Path, unwritable: Path) -> tuple[Path, str]:
    """A data dir that cannot serve, and what the one line must say about it."""
    if request.param == "is a file":
        file = tmp_path / "cyrano-data"
        file.write_text("not a directory")
        return file, "is a file, not a directory"
    if request.param == "has a parent that cannot be made":
        return unwritable / "missing" / "cyrano", "cannot create"
    return unwritable, "is not writable"


@pytest.mark.parametrize("command", COMMANDS)
def test_serve_refuses_an_unusable_data_dir_in_one_line(command: str, bad_data_dir: tuple[Path, str]) -> None:
    data_dir, problem = bad_data_dir
    done = cyrano(*COMMANDS[command], CYRANO_DATA_DIR=str(data_dir))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [done.stderr.strip()], done.stderr
    assert done.stderr.startswith("cyrano-mcp: CYRANO_DATA_DIR: ") and str(data_dir) in done.stderr
    assert problem in done.stderr and "use a directory this account owns" in done.stderr


def test_doctor_reports_an_unusable_data_dir_in_one_line(bad_data_dir: tuple[Path, str]) -> None:
    data_dir, problem = bad_data_dir
    done = cyrano("doctor", CYRANO_DATA_DIR=str(data_dir))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "CYRANO_DATA_DIR" in line]
    assert line.startswith("[FAILED ] data dir: CYRANO_DATA_DIR: ") and str(data_dir) in line and problem in line
    assert "] database:" not in done.stdout  # the store lives in that directory: nothing more to say about it


def test_a_bad_setting_is_explained_without_pydantic_prefixes(tmp_path: Path) -> None:
    bad = {"CYRANO_DATA_DIR": str(tmp_path / "data"), "CYRANO_PUBLIC_URL": "ftp://cyrano.firm.example"}
    served = cyrano("serve", **bad)
    assert served.returncode == 2
    assert served.stderr.strip() == (
        "cyrano-mcp: invalid settings: CYRANO_PUBLIC_URL: must be an http:// or https:// URL"
    )
    doctor = cyrano("doctor", **bad)
    assert "[FAILED ] settings: invalid settings: CYRANO_PUBLIC_URL: must be an http:// or https:// URL" in (
        doctor.stdout
    )
    assert "Value error" not in served.stderr + doctor.stdout

"""examples/engine_plugin installs like any third-party engine, shows up in the catalogue, and its tests pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "examples" / "engine_plugin"
CYRANO = str(Path(sys.executable).with_name("cyrano-mcp"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The plugin pip-installed (no dependencies: Cyrano is already here) into a folder put on the path."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(PLUGIN),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    path = os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def test_its_tool_appears_in_the_catalogue(installed: dict[str, str], tmp_path: Path) -> None:
    env = {**installed, "CYRANO_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([CYRANO, "tools"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "clauses_find" in done.stdout


def test_its_own_tests_pass(installed: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(PLUGIN / "tests")],
        capture_output=True,
        text=True,
        env=installed,
        cwd=PLUGIN,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout

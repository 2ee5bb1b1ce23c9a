"""The examples run and check themselves; a broken example is a failing test."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("flags", [[], ["--legacy"]], ids=["2026-07-28", "2025-11-25"])
def test_scripted_session(flags: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "scripted_session.py"), *flags], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "read back, resource, listing and prompts all check out" in done.stdout


@pytest.mark.parametrize("flags", [[], ["--legacy"]], ids=["2026-07-28", "2025-11-25"])
def test_integrity_check(flags: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "integrity_check.py"), *flags], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "claim 2 contradicted" in done.stdout and "the integrity workflow checks out" in done.stdout
    assert "Traceback" not in done.stderr and "DeprecationWarning" not in done.stderr


@pytest.mark.parametrize("flags", [[], ["--legacy"]], ids=["2026-07-28", "2025-11-25"])
def test_matter_chronology(flags: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "matter_chronology.py"), *flags], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "shown as a conflict" in done.stdout and "timeline, deadline and calendar check out" in done.stdout
    assert "Traceback" not in done.stderr and "DeprecationWarning" not in done.stderr

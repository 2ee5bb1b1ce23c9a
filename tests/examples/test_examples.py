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

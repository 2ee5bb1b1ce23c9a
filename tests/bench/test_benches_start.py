"""The benches still start and measure after a refactor: registry_overhead.py, about a second per server.

A bench imports much of Cyrano (the runtime, the registry, the call path) and runs it in subprocesses, where
no other test looks; this runs the smallest measurement each way Cyrano is served, so a bench broken by a
change of Cyrano's API fails here rather than on the next person who measures.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SMALLEST = [
    *("--mode", "auto", "--clients", "2", "--rounds", "1"),
    *("--warmup", "0.2", "--duration", "0.5", "--slice", "0.5"),
]


@pytest.mark.slow
@pytest.mark.parametrize("layers", ["full", "core"])
def test_registry_overhead_measures_cyrano_and_the_bare_server(layers: str, tmp_path: Path) -> None:
    raw = tmp_path / "run.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "registry_overhead.py"), *SMALLEST, "--layers", layers, "--json", str(raw)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for server in ("cyrano", "bare"):
        assert re.search(rf"^auto +stateful +2 {server} +\d+\.\d", done.stdout, re.MULTILINE), done.stdout
    assert re.search(r"ratio cyrano/bare throughput \d+\.\d{3} ", done.stdout), done.stdout
    measured = {row["server"]: row for row in json.loads(raw.read_text())}
    assert measured.keys() == {"cyrano", "bare"}
    assert all(row["calls"] > 0 and row["errors"] == 0 for row in measured.values()), measured

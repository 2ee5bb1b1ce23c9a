"""Commands engines declare (`Engine.commands`): `cyrano-mcp <engine> <command>` runs the operation through the
call path, prints its answer, and exits 1 when the answer says the work was not done."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit import EngineCommand
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")


def run(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # This checkout's engines, not whichever the environment installed.
    path = os.pathsep.join(str(ROOT / part) for part in ("", "modules", "engines"))
    environment = {**os.environ, "CYRANO_DATA_DIR": str(data_dir), "PYTHONPATH": path, **env}
    return subprocess.run(
        [CYRANO, *args], env=environment, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def test_a_command_names_a_valid_operation_and_says_when_its_answer_is_a_failure() -> None:
    command = EngineCommand("probe", "Run them", operation="probe_run", fails_when={"status": ["unavailable"]})
    assert command.failure({"status": "unavailable"}) == "status: unavailable"
    assert command.failure({"status": "done"}) is None
    with pytest.raises(ConfigError, match="operation name"):
        EngineCommand("probe", "Run them", operation="Probe Run")


async def test_potemkin_probe_runs_from_the_shell_and_fails_loudly_without_a_model(data_dir: Path) -> None:
    runtime = build_runtime(load_settings(data_dir=data_dir, toolsets=["all"], log_format="json"))
    async with runtime.running(), Client(runtime.server) as client:
        ok(await client.call_tool("potemkin_probes_add", {"question": "Is a verbal lease binding?", "topic": "leases"}))

    listed = run("--help", data_dir=data_dir)
    assert listed.returncode == 0 and "potemkin" in listed.stdout
    done = run("potemkin", "probe", data_dir=data_dir, CYRANO_LLM_PROVIDER="offline")
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["status"] == "unavailable" and json.loads(done.stdout)["recorded"] == []
    assert "potemkin probe did not get done (status: unavailable)" in done.stderr
    refused = run("potemkin", "probe", "--arguments", '{"probe_set": "no such set!"}', data_dir=data_dir)
    assert refused.returncode == 2 and "invalid_input" in refused.stderr and "Traceback" not in refused.stderr


def test_a_broken_engine_does_not_stop_the_built_in_commands(data_dir: Path) -> None:
    done = run("db", "--help", data_dir=data_dir, CYRANO_PLUGINS="no_such_module:ENGINE")
    assert done.returncode == 0 and "schema" in done.stdout

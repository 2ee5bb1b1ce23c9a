"""The master key: the warning to back up a generated one can be read in the log, and a store whose keyring
exists but whose master key is missing is refused, without a new key that could never open it."""

import json
from pathlib import Path

import pytest

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings
from tests.attacks.test_operator_errors import cyrano

pytestmark = pytest.mark.anyio


def log_events(stderr: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_the_first_start_tells_the_operator_to_back_up_the_master_key(data_dir: Path) -> None:
    done = cyrano("serve", CYRANO_DATA_DIR=str(data_dir))
    assert done.returncode == 0, done.stderr
    (generated,) = [e for e in log_events(done.stderr) if e["event"] == "key_generated" and e["key"] == "master key"]
    assert generated["path"] == str(data_dir / "keys" / "master.key")
    assert "BACK THIS FILE UP, away from this machine" in str(generated["advice"])
    assert "[redacted]" not in json.dumps(generated)


def test_a_store_without_its_master_key_is_refused_and_no_new_key_is_made(data_dir: Path) -> None:
    assert cyrano("serve", CYRANO_DATA_DIR=str(data_dir)).returncode == 0
    master_key = data_dir / "keys" / "master.key"
    master_key.unlink()  # e.g. the data dir restored from a backup, which never holds the master key

    done = cyrano("serve", CYRANO_DATA_DIR=str(data_dir))

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if not line.startswith("{")]
    assert line.startswith("cyrano-mcp: the store's keyring was made with a master key that is missing")
    assert f"put that key back in {master_key} (mode 0600)" in line and "CYRANO_MASTER_KEY_FILE" in line
    assert not master_key.exists()


async def test_the_runtime_refuses_to_open_a_keyring_without_its_master_key(settings: Settings) -> None:
    async with build_runtime(settings).running():
        pass
    (settings.data_dir / "keys" / "master.key").unlink()
    with pytest.raises(ConfigError, match="keyring was made with a master key that is missing"):
        async with build_runtime(settings).running():
            pass
    assert not (settings.data_dir / "keys" / "master.key").exists()

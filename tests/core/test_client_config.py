"""`cyrano-mcp client-config`: an entry a host can start with a minimal environment, merged into the host's file
without losing anything of it."""

import json
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cyrano_mcp.cli.hosts import Machine, install, merged, system_of
from cyrano_mcp.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
# The worktree's own code, engines included (an editable install may point elsewhere).
PYTHONPATH = os.pathsep.join(str(ROOT / part) for part in ("", "modules", "engines"))


def cyrano(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m cyrano_mcp ARGS` with nothing in its environment but HOME (and the code's path)."""
    return subprocess.run(
        [sys.executable, "-m", "cyrano_mcp", *args],
        env={"HOME": str(home), "PYTHONPATH": PYTHONPATH, **env},
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def entry_of(output: str, name: str = "cyrano") -> dict[str, Any]:
    server: dict[str, Any] = json.loads(output)["mcpServers"][name]
    return server


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_without_allow_the_entry_opens_a_cyrano_folder_in_the_documents_it_creates(home: Path) -> None:
    done = cyrano(home, "client-config")
    assert done.returncode == 0, done.stderr
    folder = home / "Documents" / "Cyrano"
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert f"Cyrano may read the documents you put in {folder} (created it)" in done.stderr
    entry = entry_of(done.stdout)
    assert entry["env"] == {
        "CYRANO_DATA_DIR": str(home / ".local" / "share" / "cyrano"),
        "CYRANO_ALLOWED_ROOTS": str(folder),
        "CYRANO_LOG_LEVEL": "INFO",
    }
    assert os.path.isabs(entry["command"]) and entry["args"] == ["-m", "cyrano_mcp", "serve"]
    assert "(it exists)" in cyrano(home, "client-config").stderr


def test_allowed_folders_are_expanded_made_absolute_and_kept_in_order(home: Path) -> None:
    (home / "Clients").mkdir()
    done = cyrano(home, "client-config", "--allow", "~/Clients", "--allow", "inbox", "--allow", str(home / "Clients"))
    assert done.returncode == 0, done.stderr
    roots = entry_of(done.stdout)["env"]["CYRANO_ALLOWED_ROOTS"]
    assert roots == f"{home / 'Clients'},{home / 'inbox'}"
    assert f"{home / 'inbox'} is not a folder yet" in done.stderr
    assert not (home / "Documents").exists()  # no default folder when folders are given
    refused = cyrano(home, "client-config", "--allow", "~/a,b")
    assert refused.returncode == 2 and "separates folders with commas" in refused.stderr


def test_the_data_dir_and_the_command_a_host_needs_are_written_as_this_shell_has_them(home: Path) -> None:
    done = cyrano(home, "client-config", "--name", "firm", CYRANO_DATA_DIR="store", CYRANO_LOG_FORMAT="json")
    entry = entry_of(done.stdout, "firm")
    assert entry["env"]["CYRANO_DATA_DIR"] == str(home / "store")
    assert entry["command"] == sys.executable  # the venv's python as it is named, not resolved out of the venv
    assert "this shell sets CYRANO_LOG_FORMAT, which the host will not pass on" in done.stderr


def test_the_installed_command_names_itself_by_its_absolute_path(home: Path) -> None:
    script = Path(sys.executable).parent / "cyrano-mcp"
    if not script.is_file():
        pytest.skip("no cyrano-mcp script beside this python")
    done = subprocess.run(
        [str(script), "client-config", "--allow", str(home)],
        env={"HOME": str(home), "PYTHONPATH": PYTHONPATH},
        capture_output=True,
        text=True,
        timeout=120,
    )
    entry = entry_of(done.stdout)
    assert entry["command"] == str(script) and entry["args"] == ["serve"]


@pytest.mark.parametrize(
    ("system", "env", "config"),
    [
        ("macos", {}, "Library/Application Support/Claude/claude_desktop_config.json"),
        ("windows", {"APPDATA": "{home}/AppData/Roaming"}, "AppData/Roaming/Claude/claude_desktop_config.json"),
        ("linux", {}, ".config/Claude/claude_desktop_config.json"),
        ("linux", {"XDG_CONFIG_HOME": "{home}/xdg"}, "xdg/Claude/claude_desktop_config.json"),
    ],
)
def test_install_merges_the_entry_into_the_hosts_file_for_each_system(
    home: Path, system: str, env: dict[str, str], config: str
) -> None:
    path = home / config
    path.parent.mkdir(parents=True)
    before = {
        "globalShortcut": "Ctrl+Space",
        "mcpServers": {
            "files": {"command": "/usr/bin/files-mcp", "args": []},
            "cyrano": {"command": "cyrano-mcp", "env": {"OPENAI_API_KEY": "sk-by-hand", "CYRANO_LOG_LEVEL": "DEBUG"}},
        },
    }
    path.write_text(json.dumps(before))
    environment = {name: value.format(home=home) for name, value in env.items()}
    done = cyrano(home, "client-config", "--install", "--system", system, "--allow", str(home), **environment)
    assert done.returncode == 0, done.stderr
    written = json.loads(path.read_text())
    assert written["globalShortcut"] == "Ctrl+Space" and written["mcpServers"]["files"] == before["mcpServers"]["files"]
    cyrano_entry = written["mcpServers"]["cyrano"]
    assert os.path.isabs(cyrano_entry["command"])
    assert cyrano_entry["env"]["CYRANO_ALLOWED_ROOTS"] == str(home)
    assert cyrano_entry["env"]["OPENAI_API_KEY"] == "sk-by-hand"  # added by hand: kept
    assert cyrano_entry["env"]["CYRANO_LOG_LEVEL"] == "INFO"
    backups = list(path.parent.glob("claude_desktop_config.json.*.bak"))
    assert len(backups) == 1 and json.loads(backups[0].read_text()) == before
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"Wrote the 'cyrano' server into {path}; the previous file is kept as {backups[0]}" in done.stdout
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_install_creates_the_hosts_file_when_there_is_none(home: Path) -> None:
    done = cyrano(home, "client-config", "--install", "--allow", str(home))
    assert done.returncode == 0, done.stderr
    path = home / ".config" / "Claude" / "claude_desktop_config.json"
    assert list(json.loads(path.read_text())["mcpServers"]) == ["cyrano"]
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 and "previous file" not in done.stdout


def test_a_dry_run_prints_the_merged_file_and_its_path_and_writes_nothing(home: Path) -> None:
    path = home / ".config" / "Claude" / "claude_desktop_config.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"mcpServers": {"files": {"command": "/usr/bin/files-mcp"}}}')
    done = cyrano(home, "client-config", "--install", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)["mcpServers"]) == {"files", "cyrano"}
    assert f"would write {path} (--dry-run: nothing was written)" in done.stderr
    assert "it would be created" in done.stderr and not (home / "Documents").exists()
    assert path.read_text() == '{"mcpServers": {"files": {"command": "/usr/bin/files-mcp"}}}'
    assert sorted(p.name for p in path.parent.iterdir()) == ["claude_desktop_config.json"]
    assert cyrano(home, "client-config", "--dry-run").returncode == 2  # only with --install


@pytest.mark.parametrize("text", ['{"mcpServers": {"files": ', "[1, 2]", '{"mcpServers": []}'])
def test_a_file_that_is_not_a_json_object_is_refused_in_one_line_and_left_alone(home: Path, text: str) -> None:
    path = home / ".config" / "Claude" / "claude_desktop_config.json"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    done = cyrano(home, "client-config", "--install", "--allow", str(home))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"cyrano-mcp: {path} ") and "it was left as it is" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert path.read_text() == text and len(list(path.parent.iterdir())) == 1


def test_each_system_has_its_layout(tmp_path: Path) -> None:
    home = tmp_path / "jane"
    assert (
        Machine("macos", home).host_config("claude-desktop")
        == home / "Library/Application Support/Claude/claude_desktop_config.json"
    )
    assert (
        Machine("windows", home).host_config("claude-desktop")
        == home / "AppData/Roaming/Claude/claude_desktop_config.json"
    )
    assert Machine("linux", home).host_config("claude-desktop") == home / ".config/Claude/claude_desktop_config.json"
    profile = tmp_path / "profiles" / "jane"
    assert Machine("windows", home, {"USERPROFILE": str(profile)}).documents() == profile / "Documents"
    assert Machine("macos", home, {"USERPROFILE": str(tmp_path / "elsewhere")}).documents() == home / "Documents"
    assert [system_of(name) for name in ("darwin", "win32", "linux", "freebsd14")] == [
        "macos",
        "windows",
        "linux",
        "linux",
    ]
    with pytest.raises(ConfigError, match="unknown MCP host"):
        Machine("linux", home).host_config("notepad")


def test_backups_taken_in_the_same_second_do_not_overwrite_each_other(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    moment = datetime(2026, 1, 2, 3, 4, 5)
    for number in range(3):
        path.write_text(json.dumps({"n": number}))
        install(path, merged(path, "cyrano", {"command": "/x"}), now=moment)
    backups = sorted(p.name for p in tmp_path.glob("*.bak"))
    assert backups == [
        "config.json.20260102-030405-1.bak",
        "config.json.20260102-030405-2.bak",
        "config.json.20260102-030405.bak",
    ]
    assert {json.loads((tmp_path / name).read_text())["n"] for name in backups} == {0, 1, 2}


def test_the_mcp_json_template_is_valid_and_shaped_like_a_generated_entry(home: Path) -> None:
    template = json.loads((ROOT / "mcp.json").read_text())
    generated = entry_of(cyrano(home, "client-config", "--allow", str(home)).stdout)
    (name, entry), *others = template["mcpServers"].items()
    assert name == "cyrano" and not others
    assert set(entry) == set(generated) and set(entry["env"]) == set(generated["env"])
    assert entry["args"][-1] == generated["args"][-1] == "serve"
    assert os.path.isabs(entry["command"]) and entry["command"].endswith("cyrano-mcp")  # a placeholder path
    assert all(os.path.isabs(value) for key, value in entry["env"].items() if key != "CYRANO_LOG_LEVEL")


def test_the_doctor_checks_the_hosts_entry_with_its_settings(home: Path) -> None:
    missing = cyrano(home, "doctor", "--host", "claude-desktop")
    assert missing.returncode == 1 and "[FAILED ] Claude Desktop entry:" in missing.stdout
    assert "has no 'cyrano' server; run `cyrano-mcp client-config --install`" in missing.stdout
    assert cyrano(home, "client-config", "--install").returncode == 0
    checked = cyrano(home, "doctor", "--host", "claude-desktop")
    assert checked.returncode == 0, checked.stdout
    assert (
        f"[OK     ] Claude Desktop entry: {home / '.config/Claude/claude_desktop_config.json'} runs " in checked.stdout
    )
    # The entry's own settings were checked, not this shell's (which has none).
    assert f"[OK     ] allowed folders: {home / 'Documents' / 'Cyrano'} (readable)" in checked.stdout
    path = home / ".config" / "Claude" / "claude_desktop_config.json"
    config = json.loads(path.read_text())
    config["mcpServers"]["cyrano"]["command"] = "cyrano-mcp"  # what a hand-copied mcp.json says
    path.write_text(json.dumps(config))
    bare = cyrano(home, "doctor", "--host", "claude-desktop")
    assert bare.returncode == 1 and "its command 'cyrano-mcp' is not an absolute path" in bare.stdout

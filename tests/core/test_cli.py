"""The `cyrano-mcp` command as an operator uses it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")


def run(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CYRANO_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [CYRANO, *args], env=environment, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def test_tools_json_lists_every_tool_with_its_schemas(data_dir: Path) -> None:
    done = run("tools", "--json", "--toolsets", "all", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    catalogue = {row["name"]: row for row in json.loads(done.stdout)}
    assert {
        "matters_create",
        "matters_get",
        "matters_list",
        "matters_update",
        "matters_close",
        "system_health",
        "system_info",
    } <= set(catalogue)
    for row in catalogue.values():
        assert row["inputSchema"]["type"] == "object" and row["outputSchema"]["type"] == "object"
    assert not data_dir.exists()  # listing tools does not touch the store


def test_tools_without_json_is_a_readable_table(data_dir: Path) -> None:
    done = run("tools", data_dir=data_dir)
    assert done.returncode == 0
    assert any(line.startswith("matters_get") and "read-only" in line for line in done.stdout.splitlines())


def test_tools_budget_prints_the_cost_of_the_chosen_toolsets(data_dir: Path) -> None:
    stdio = run("tools", "--budget", data_dir=data_dir)
    assert stdio.returncode == 0, stdio.stderr
    lines = stdio.stdout.splitlines()
    assert lines[0] == "toolsets over stdio: chronometric, documents, jobs, matters, potemkin"
    assert not [line for line in lines if line.startswith(("auth_", "system_", "audit_"))]
    http = run("tools", "--budget", "--transport", "http", data_dir=data_dir)
    stdio_tools, http_tools = (int(done.stdout.splitlines()[-1].split()[0]) for done in (stdio, http))
    assert stdio_tools < http_tools and "characters per turn" in lines[-1]
    refused = run("tools", "--toolsets", "default,nonsense", data_dir=data_dir)
    assert refused.returncode == 2 and "'nonsense'" in refused.stderr and "Traceback" not in refused.stderr


def test_db_upgrade_then_status(data_dir: Path) -> None:
    first = run("db", "upgrade", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    assert "security: 0 -> 2" in first.stdout and "matters: 0 -> 5" in first.stdout
    assert "nothing to do" in run("db", "upgrade", data_dir=data_dir).stdout
    status = run("db", "status", data_dir=data_dir)
    assert "matters: applied 5, known 5" in status.stdout and "current" in status.stdout


def test_doctor_reports_each_component(data_dir: Path) -> None:
    done = run("doctor", data_dir=data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    for subject in ("settings", "data dir", "engines", "database", "schema", "OCR"):
        assert f"] {subject}:" in done.stdout
    assert "Troubleshooting: see docs/operations.md#troubleshooting" in done.stdout


def test_doctor_fails_on_an_unreachable_database(data_dir: Path) -> None:
    done = run(
        "doctor",
        data_dir=data_dir,
        CYRANO_DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/x",
        CYRANO_DB_TIMEOUT_SECONDS="1",
    )
    assert done.returncode == 1
    assert "[FAILED ] database:" in done.stdout and "PostgreSQL" in done.stdout


def test_a_newer_schema_stops_serve_with_a_clear_message(data_dir: Path) -> None:
    import sqlite3

    assert run("db", "upgrade", data_dir=data_dir).returncode == 0
    with sqlite3.connect(data_dir / "cyrano.db") as db:
        db.execute("UPDATE cyrano_schema SET version = 99 WHERE component = 'matters'")
    done = run("serve", data_dir=data_dir)
    assert done.returncode == 2
    assert "newer than this version of Cyrano (matters is at version 99, this code knows 5)" in done.stderr
    assert "Traceback" not in done.stderr


def test_python_dash_m_is_the_same_command(data_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "cyrano_mcp", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("cyrano-mcp, version ")


@pytest.mark.slow
def test_demo_prints_a_whole_session(data_dir: Path) -> None:
    done = run("demo", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    for step in (
        "tools/list",
        "matters_create",
        "matters_get",
        "matters_update",
        "matters_list",
        "resources/read",
        "arkiver_ingest",
        "arkiver_insights",
        "arkiver_search",
        "resources/list",
        "prompts/list",
    ):
        assert f"== {step}" in done.stdout
    assert "summarise_contract" in done.stdout and "cyrano://documents/" in done.stdout
    assert "system_health" not in done.stdout  # stdio offers the lawyer's toolsets
    assert '"governing_law": "California"' in done.stdout and "«renewal»" in done.stdout.lower()


def test_serve_stops_cleanly_when_the_metrics_port_is_taken(data_dir: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = run("serve", "--metrics-port", str(taken.getsockname()[1]), data_dir=data_dir)
    assert done.returncode == 2 and "cannot serve metrics on 127.0.0.1:" in done.stderr

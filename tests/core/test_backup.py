"""Backups taken while MCP clients write, restored into a fresh data dir; and every refusal."""

import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from cyrano_mcp.backup import BackupError, create_backup, restore_backup, user_tables, verify_backup
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.core.test_cli import run
from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio
# The schema versions this code knows (building a runtime does not touch any store).
KNOWN = {component.name: component.latest for component in build_runtime(load_settings()).registry.components()}
MATTERS = KNOWN["matters"]
NOTES = "Attendance note. " * 1000  # ~17 kB a matter, so the store is big enough for writes to overlap the copy


def rows_by_table(database: Path) -> dict[str, set[tuple[Any, ...]]]:
    with closing(sqlite3.connect(database)) as conn:
        return {table: set(conn.execute(f'SELECT * FROM "{table}"')) for table in user_tables(conn)}


async def create_matter(client: Client, n: int) -> str:
    result = ok(
        await client.call_tool(
            "matters_create",
            {"client_name": f"Client {n}", "title": f"Matter {n}", "practice_area": "litigation", "notes": NOTES},
        )
    )
    return str(result["id"])


@pytest.mark.parametrize("mode", MODES)
async def test_a_backup_taken_during_writes_restores_every_committed_row(
    settings: Settings, tmp_path: Path, mode: str
) -> None:
    destination = tmp_path / "backup"
    written: list[str] = []
    stop = anyio.Event()

    async def keep_writing(client: Client) -> None:
        while not stop.is_set():
            written.append(await create_matter(client, len(written)))

    many_calls = settings.model_copy(update={"rate_limit_user": "100000/minute"})  # 300+ calls in seconds
    async with Client(build_runtime(many_calls).server, mode=mode) as client:
        while len(written) < 300:
            written.append(await create_matter(client, len(written)))
        ok(await client.call_tool("matters_close", {"matter_id": written[0], "closing_note": "settled"}))
        async with anyio.create_task_group() as group:
            group.start_soon(keep_writing, client)
            while len(written) < 320:
                await anyio.sleep(0.005)
            committed = rows_by_table(settings.sqlite_path)  # everything committed before the backup starts
            at_start = len(written)
            report = await anyio.to_thread.run_sync(create_backup, settings, destination)
            during = len(written) - at_start
            while len(written) < at_start + during + 5:  # and writing goes on afterwards
                await anyio.sleep(0.005)
            stop.set()
        final = rows_by_table(settings.sqlite_path)
    assert during >= 1, "no tool call wrote while the backup ran; the test proves nothing"

    restored = load_settings(data_dir=tmp_path / "restored", log_format="json")
    restore_backup(restored, destination, known=KNOWN, force=False)
    # The master key never travels with a backup: the operator brings it from where it is kept.
    shutil.copy2(settings.data_dir / "keys" / "master.key", restored.data_dir / "keys" / "master.key")
    after = rows_by_table(restored.sqlite_path)
    assert set(after) == set(committed) and {"cyrano_schema", "matters"} <= set(after)
    for table, rows in committed.items():
        if table == "security_audit_head":
            continue  # one row that moves with every audit append: the chain check below covers it
        assert rows <= after[table], f"{table}: committed rows missing from the restore"
        assert after[table] <= final[table], f"{table}: the restore holds rows that were never committed"
    assert report.manifest.tables == {table: len(rows) for table, rows in after.items()}

    restored_runtime = build_runtime(restored)
    async with restored_runtime.running():
        assert (await restored_runtime.security.audit.verify()).ok  # the copied chain is whole
    async with Client(restored_runtime.server, mode=mode) as client:
        listing = ok(await client.call_tool("matters_list", {"limit": 1}))
        assert listing["total"] == len(after["matters"])
        first = ok(await client.call_tool("matters_get", {"matter_id": written[0]}))
        assert first["status"] == "closed" and first["notes"].endswith("settled")


@pytest.fixture
async def backed_up(settings: Settings, tmp_path: Path) -> Path:
    async with Client(build_runtime(settings).server) as client:
        await create_matter(client, 1)
    keys = settings.data_dir / "keys"  # the server made it: jwt.key and master.key
    (keys / "keyring.json").write_text('{"sealed": "..."}', encoding="utf-8")
    (settings.data_dir / "signing.pem").write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    (settings.data_dir / "master.key").write_text("do not copy me", encoding="utf-8")
    destination = tmp_path / "backup"
    create_backup(settings, destination)
    return destination


async def test_keys_travel_with_the_backup_but_never_the_master_key(backed_up: Path, tmp_path: Path) -> None:
    manifest = json.loads((backed_up / "manifest.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["files"]] == ["cyrano.db", "keys/jwt.key", "keys/keyring.json", "signing.pem"]
    assert sorted(manifest["skipped"]) == ["keys/master.key", "master.key"]
    assert not (backed_up / "master.key").exists() and not (backed_up / "keys" / "master.key").exists()
    assert manifest["schema"]["matters"] == MATTERS
    assert oct(backed_up.stat().st_mode & 0o777) == "0o700"
    restored = load_settings(data_dir=tmp_path / "restored")
    restore_backup(restored, backed_up, known=KNOWN, force=False)
    assert (restored.data_dir / "keys" / "keyring.json").read_text(encoding="utf-8") == '{"sealed": "..."}'
    assert (restored.data_dir / "signing.pem").exists() and not (restored.data_dir / "master.key").exists()


async def test_a_live_store_is_replaced_only_with_force_and_kept_aside(backed_up: Path, settings: Settings) -> None:
    with pytest.raises(BackupError, match="a store already exists .* pass --force"):
        restore_backup(settings, backed_up, known=KNOWN, force=False)
    report = restore_backup(settings, backed_up, known=KNOWN, force=True)
    names = sorted(path.name.split(".replaced-")[0] for path in report.moved_aside)
    assert "cyrano.db" in names and "keyring.json" in names
    assert all(path.exists() for path in report.moved_aside)


async def test_a_damaged_backup_is_refused(backed_up: Path, tmp_path: Path) -> None:
    database = backed_up / "cyrano.db"
    data = bytearray(database.read_bytes())
    data[-100] ^= 0xFF
    database.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="cyrano.db does not match its checksum"):
        verify_backup(backed_up)
    data[-100] ^= 0xFF
    database.write_bytes(bytes(data))
    (backed_up / "signing.pem").unlink()
    with pytest.raises(BackupError, match="missing"):
        restore_backup(load_settings(data_dir=tmp_path / "new"), backed_up, known=KNOWN, force=False)
    assert not (tmp_path / "new" / "cyrano.db").exists()


async def test_a_manifest_cannot_point_outside_the_backup(backed_up: Path) -> None:
    manifest = json.loads((backed_up / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append({"path": "../../etc/passwd", "size": 1, "sha256": "0"})
    (backed_up / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match="outside the backup"):
        verify_backup(backed_up)


async def test_a_backup_from_a_newer_schema_is_refused(backed_up: Path, tmp_path: Path) -> None:
    newer = f"newer than this version of Cyrano .*matters is at version {MATTERS}, this code knows {MATTERS - 1}"
    with pytest.raises(BackupError, match=newer):
        restore_backup(load_settings(data_dir=tmp_path / "new"), backed_up, known={"matters": MATTERS - 1}, force=False)
    later = {"matters": MATTERS + 1}
    report = restore_backup(load_settings(data_dir=tmp_path / "older"), backed_up, known=later, force=False)
    assert report.pending_migrations == {"matters": (MATTERS, MATTERS + 1)}  # older is fine: the next start migrates it


async def test_backup_refusals(settings: Settings, tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(BackupError, match="there is no store"):
        create_backup(settings, tmp_path / "b1")
    async with Client(build_runtime(settings).server) as client:
        await create_matter(client, 1)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x", encoding="utf-8")
    with pytest.raises(BackupError, match="already exists"):
        create_backup(settings, tmp_path / "full")
    postgres = load_settings(data_dir=data_dir, database_url="postgresql+asyncpg://u@127.0.0.1/db")
    with pytest.raises(BackupError, match="pg_dump"):
        create_backup(postgres, tmp_path / "b2")
    assert not list(tmp_path.glob("*.partial"))


async def test_the_cli_backs_up_and_restores(settings: Settings, tmp_path: Path) -> None:
    async with Client(build_runtime(settings).server) as client:
        await create_matter(client, 1)
    done = run("backup", str(tmp_path / "nightly"), data_dir=settings.data_dir)
    assert done.returncode == 0, done.stderr
    assert re.search(r"cyrano_schema \d+", done.stdout) and "matters 1" in done.stdout and "master key" in done.stdout
    refused = run("restore", str(tmp_path / "nightly"), data_dir=settings.data_dir)
    assert refused.returncode == 2 and "--force" in refused.stderr
    fresh = run("restore", str(tmp_path / "nightly"), data_dir=tmp_path / "fresh")
    assert fresh.returncode == 0 and "checksums verified" in fresh.stdout, fresh.stderr
    forced = run("restore", "--force", str(tmp_path / "nightly"), data_dir=settings.data_dir)
    assert forced.returncode == 0 and "kept as" in forced.stdout
    listing = run("db", "status", data_dir=tmp_path / "fresh")
    assert "matters: applied 5, known 5" in listing.stdout

"""Encryption at rest: sealed notes are unreadable in the store, do not survive being moved or altered,
and key rotation plus rewrap drains an old key to zero rows before it can be retired."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from mcp import Client

from cyrano_matters.migrations import migrations
from cyrano_matters.seals import matter_seals
from cyrano_mcp.crypto import SealedField
from cyrano_mcp.crypto.rewrap import rewrap, rewrap_field, usage
from cyrano_mcp.errors import ConfigError
from cyrano_mcp.security.keyfiles import load_master_key, new_key_text
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from cyrano_mcp.store.migrate import Component, upgrade
from tests.conftest import TEST_SETTINGS
from tests.utils.mcp import error, ok

pytestmark = pytest.mark.anyio

NOTE = "Client admitted the backdating of invoice 4471 (privileged)"
CYRANO = str(Path(sys.executable).parent / "cyrano-mcp")
ROOT = Path(__file__).resolve().parents[3]


class Interrupted(Exception):
    """Stands in for a crash or Ctrl-C between two batches."""


async def create(client: Client, notes: str, title: str = "Acme v. Widget") -> str:
    matter = ok(
        await client.call_tool(
            "matters_create", {"client_name": "Acme", "title": title, "practice_area": "litigation", "notes": notes}
        )
    )
    return str(matter["id"])


async def raw_notes(runtime: Runtime, matter_id: str) -> str:
    async with runtime.database.engine.connect() as conn:
        value = (
            await conn.execute(sa.text("SELECT notes FROM matters WHERE id = :id"), {"id": matter_id})
        ).scalar_one()
    return str(value)


async def set_raw_notes(runtime: Runtime, matter_id: str, value: str) -> None:
    async with runtime.database.write_engine.begin() as conn:
        await conn.execute(sa.text("UPDATE matters SET notes = :v WHERE id = :id"), {"v": value, "id": matter_id})


def matters_notes(runtime: Runtime) -> SealedField:
    # Engines declare their fields in the order they are loaded; pick this one by name.
    return next(field for field in runtime.security.fields.fields if field.table == "matters")


@pytest.fixture
async def runtime(any_store_settings: Settings) -> Runtime:
    return build_runtime(any_store_settings)


async def test_notes_are_ciphertext_in_the_store_and_plaintext_to_the_client(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter_id = await create(client, NOTE)
        assert ok(await client.call_tool("matters_get", {"matter_id": matter_id}))["notes"] == NOTE
        stored = await raw_notes(runtime, matter_id)
    assert stored.startswith("cy1$matters$1$") and NOTE not in stored
    if runtime.database.kind == "sqlite":
        database = runtime.settings.sqlite_path
        for path in (database, database.with_name(database.name + "-wal")):
            if path.exists():
                assert b"backdating" not in path.read_bytes()


async def test_a_ciphertext_copied_into_another_row_fails_to_open(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        victim = await create(client, NOTE)
        decoy = await create(client, "nothing to see", title="Decoy")
        await set_raw_notes(runtime, decoy, await raw_notes(runtime, victim))
        refused = await client.call_tool("matters_get", {"matter_id": decoy})
        assert "fails its integrity check" in error(refused, "data_integrity")
        assert NOTE not in str(refused.content)
        assert ok(await client.call_tool("matters_get", {"matter_id": victim}))["notes"] == NOTE


@pytest.mark.parametrize("where", ["tag", "nonce", "body"])
async def test_a_flipped_bit_anywhere_in_the_ciphertext_fails_to_open(runtime: Runtime, where: str) -> None:
    async with Client(runtime.server) as client:
        matter_id = await create(client, NOTE)
        sealed = await raw_notes(runtime, matter_id)
        head, payload = sealed.rsplit("$", 1)
        position = {"tag": len(payload) - 3, "nonce": 2, "body": 20}[where]
        flipped = payload[:position] + ("A" if payload[position] != "A" else "B") + payload[position + 1 :]
        await set_raw_notes(runtime, matter_id, f"{head}${flipped}")
        error(await client.call_tool("matters_get", {"matter_id": matter_id}), "data_integrity")


async def test_relabelling_the_key_id_fails_to_open(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter_id = await create(client, NOTE)
        await runtime.security.keyring.rotate("matters")
        sealed = await raw_notes(runtime, matter_id)
        await set_raw_notes(runtime, matter_id, sealed.replace("cy1$matters$1$", "cy1$matters$2$", 1))
        error(await client.call_tool("matters_get", {"matter_id": matter_id}), "data_integrity")
        await set_raw_notes(runtime, matter_id, sealed.replace("cy1$matters$", "cy1$audit$", 1))
        error(await client.call_tool("matters_get", {"matter_id": matter_id}), "data_integrity")


async def test_rotation_then_rewrap_drains_the_old_key_to_zero_rows(runtime: Runtime) -> None:
    security = runtime.security
    async with Client(runtime.server) as client:
        old_ids = [await create(client, f"{NOTE} #{n}") for n in range(5)]
        assert await security.keyring.rotate("matters") == 2
        new_id = await create(client, "written after the rotation")
        assert (await raw_notes(runtime, new_id)).startswith("cy1$matters$2$")
        assert await usage(runtime.database, security.fields, "matters", [1, 2]) == {"v1": 5, "v2": 1, "plaintext": 0}

        # Interrupted after its first batch of two, then run again: nothing lost, nothing done twice.
        notes = matters_notes(runtime)

        def stop_after_first_batch(done: int) -> None:
            raise Interrupted

        with pytest.raises(Interrupted):
            await rewrap_field(runtime.database, notes, batch=2, progress=stop_after_first_batch)
        assert await usage(runtime.database, security.fields, "matters", [1, 2]) == {"v1": 3, "v2": 3, "plaintext": 0}
        reports = await rewrap(runtime.database, security.fields, key_type="matters", batch=2)
        rewrapped = {report.column: (report.rewrapped, report.failed) for report in reports}
        # Every column sealed under the matters key is rewrapped (Chronometric's docket too: empty here).
        assert rewrapped["matters.notes"] == (3, []) and rewrapped["matters.responsible_attorney"] == (0, [])
        assert rewrapped["chronometric_deadlines.title"] == (0, [])
        assert rewrapped["chronometric_time_entries.narrative"] == (0, [])
        assert await usage(runtime.database, security.fields, "matters", [1, 2]) == {"v1": 0, "v2": 6, "plaintext": 0}

        await security.keyring.retire("matters", 1)
        for number, matter_id in enumerate(old_ids):
            assert ok(await client.call_tool("matters_get", {"matter_id": matter_id}))["notes"] == f"{NOTE} #{number}"
        with pytest.raises(ConfigError, match="current key"):
            await security.keyring.retire("matters", 2)


async def test_the_migration_encrypts_notes_stored_in_plaintext_before_it(any_store_settings: Settings) -> None:
    runtime = build_runtime(any_store_settings)
    await runtime.database.open()
    try:
        # The store as the release before this one left it: matters at version 1, notes in plaintext.
        seals = matter_seals(runtime.security.fields, runtime.database)
        security_component = runtime.registry.components()[0]
        await upgrade(runtime.database, [security_component, Component("matters", migrations(seals)[:1])])
        async with runtime.database.write_engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "INSERT INTO matters (id, client_name, title, practice_area, status, opened_on, notes, version, "
                    "created_at, updated_at) VALUES ('0d7a8a9e-0000-4000-8000-000000000001', 'Old', 'Old matter', "
                    "'tax', 'open', '2025-01-02', :notes, 1, '2025-01-02 00:00:00', '2025-01-02 00:00:00')"
                ),
                {"notes": NOTE},
            )
    finally:
        await runtime.database.close()
    async with Client(build_runtime(any_store_settings).server) as client:  # start-up applies migration 2
        fetched = ok(await client.call_tool("matters_get", {"matter_id": "0d7a8a9e-0000-4000-8000-000000000001"}))
    assert fetched["notes"] == NOTE
    check = build_runtime(any_store_settings)
    async with check.running():
        assert (await raw_notes(check, fetched["id"])).startswith("cy1$matters$1$")


async def test_the_wrong_master_key_stops_start_up(data_dir: Path) -> None:
    first = load_settings(data_dir=data_dir, **TEST_SETTINGS)
    async with build_runtime(first).running():
        pass
    wrong = load_settings(data_dir=data_dir, master_key=new_key_text(), **TEST_SETTINGS)
    with pytest.raises(ConfigError, match="master key does not open this store's keyring"):
        async with build_runtime(wrong).running():
            pass


def test_keys_are_never_defaulted_and_key_files_must_be_private(data_dir: Path, tmp_path: Path) -> None:
    shared = load_settings(data_dir=data_dir, database_url="postgresql+asyncpg://u@127.0.0.1/x")
    with pytest.raises(ConfigError, match="no master key: set CYRANO_MASTER_KEY"):
        load_master_key(shared)
    with pytest.raises(ConfigError, match="at least 256 random bits"):
        load_master_key(load_settings(data_dir=data_dir, master_key="short"))
    loose = tmp_path / "loose.key"
    loose.write_text(new_key_text())
    loose.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by other users"):
        load_master_key(load_settings(data_dir=data_dir, master_key_file=loose))
    embedded = load_settings(data_dir=data_dir)
    assert len(load_master_key(embedded)) == 32
    key_file = data_dir / "keys" / "master.key"
    assert key_file.stat().st_mode & 0o777 == 0o600 and (data_dir / "keys").stat().st_mode & 0o777 == 0o700


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CYRANO_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "CYRANO_ARGON2_MEMORY_KIB": "19456"}
    return subprocess.run(
        [CYRANO, *args], env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


async def test_the_keys_commands_rotate_rewrap_and_refuse_to_retire_a_key_in_use(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir, **TEST_SETTINGS)
    async with Client(build_runtime(settings).server) as client:
        await create(client, NOTE)
    assert "matters: new writes use v2" in cli("keys", "rotate", "--type", "matters", data_dir=data_dir).stdout
    refused = cli("keys", "retire", "--type", "matters", "--version", "1", data_dir=data_dir)
    assert refused.returncode == 2 and "1 stored values still use matters v1" in refused.stderr
    assert "1 values now on v2" in cli("keys", "rewrap", data_dir=data_dir).stdout
    assert cli("keys", "retire", "--type", "matters", "--version", "1", data_dir=data_dir).returncode == 0
    status = cli("keys", "status", data_dir=data_dir).stdout
    assert "matters      v1   retired" in status and "matters      v2   current" in status
    assert cli("keys", "retire", "--type", "audit", "--version", "1", data_dir=data_dir).returncode == 2
    actions = [record.action for record in await _audit(settings)]
    assert {"key_rotated", "keys_rewrapped", "key_retired"} <= set(actions)


async def _audit(settings: Settings) -> list[object]:
    runtime = build_runtime(settings)
    async with runtime.running():
        return list(await runtime.security.audit.query(limit=500))

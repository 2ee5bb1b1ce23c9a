"""Someone with write access to the database (not to the keys, which live outside it) empties the audit log,
cuts off its tail or touches its head row: `audit verify` says so, in process and at the command line.

Before: deleting every record and setting the head back to (0, zeros) verified as "0 records; intact", a tail
cut off with the head moved back verified as intact, and a missing head row crashed verify with a traceback.
"""

from pathlib import Path

import pytest

from cyrano_mcp.backup import create_backup, restore_backup
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from tests.core.test_cli import run
from tests.utils.audit import fill, problems, sql

pytestmark = pytest.mark.anyio

ZEROS = "0" * 64


async def head_row(runtime: Runtime) -> dict[str, object]:
    """The head row as it is now: what an attacker with a copy of the database keeps for later."""
    async with runtime.database.engine.connect() as conn:
        (head,) = (await conn.exec_driver_sql("SELECT seq, mac, seal, seal_version FROM security_audit_head")).all()
    return dict(head._mapping)


async def put_back(runtime: Runtime, head: dict[str, object]) -> None:
    statement = "UPDATE security_audit_head SET seq = :seq, mac = :mac, seal = :seal, seal_version = :seal_version"
    await sql(runtime, statement, **head)


def verify(settings: Settings) -> tuple[int, str]:
    """`cyrano-mcp audit verify` on the store: its exit code and what it printed (a traceback fails the test)."""
    done = run("audit", "verify", data_dir=settings.data_dir)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout


async def test_every_record_deleted_and_the_head_set_back_to_zero_is_reported(any_store_settings: Settings) -> None:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        await fill(runtime)
        await sql(runtime, "DELETE FROM security_audit")
        await sql(runtime, "UPDATE security_audit_head SET seq = 0, mac = :zeros", zeros=ZEROS)
        found = await problems(runtime)
    assert any("the head row does not match its seal" in p for p in found), found
    assert any("the chain is empty, but its head is sealed" in p for p in found), found
    assert any("the chain ends at record 0, but the anchor" in p for p in found), found


async def test_a_log_reset_to_a_brand_new_store_is_caught_by_the_anchor_even_after_a_restart(
    settings: Settings,
) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await fill(runtime)
        assert await problems(runtime) == []  # intact, and anchored (as within a second of any write)
        # As the migration left the head of a new store: nothing in the database says records ever existed.
        await sql(runtime, "DELETE FROM security_audit")
        await sql(
            runtime, "UPDATE security_audit_head SET seq = 0, mac = :z, seal = NULL, seal_version = NULL", z=ZEROS
        )
        assert any("the chain ends at record 0, but the anchor" in p for p in await problems(runtime))
    code, printed = verify(settings)  # a new process starts a new chain on the empty log; the anchor remembers
    assert code == 1 and "the chain ends at record 1, but the anchor" in printed and "vouches for record 7" in printed


async def test_a_cut_off_tail_is_reported_however_the_head_is_left(any_store_settings: Settings) -> None:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        await fill(runtime, 3)  # records 1 (the chain's start) to 4
        old_head = await head_row(runtime)
        await fill(runtime, 3)  # to 7
        await sql(runtime, "DELETE FROM security_audit WHERE seq > 4")
        assert any("the head says record 7 is last, the chain ends at 4" in p for p in await problems(runtime))
        await sql(runtime, "UPDATE security_audit_head SET seq = 4, mac = :mac", mac=old_head["mac"])
        assert any("the head row does not match its seal" in p for p in await problems(runtime))
        await put_back(runtime, old_head)  # the head as it really was at record 4, seal and all: only the anchor tells
        found = await problems(runtime)
    assert found == [found[0]] and "the chain ends at record 4, but the anchor" in found[0], found


async def test_a_missing_head_row_is_reported_not_a_traceback_and_stays_on_the_record(settings: Settings) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await fill(runtime)
        await sql(runtime, "DELETE FROM security_audit_head")
        assert "the head row is missing (deleted behind the log's back)" in await problems(runtime)
    # The next writer (here the verifying process itself) notes it in the chain and puts a sealed head back.
    code, printed = verify(settings)
    assert code == 1 and "record 8: the head row had been deleted behind the log's back" in printed
    code, printed = verify(settings)
    assert code == 1 and "record 8: the head row had been deleted" in printed  # still there on every verify


async def test_a_head_edited_while_the_server_runs_is_noted_by_the_next_append(any_store_settings: Settings) -> None:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        await fill(runtime)
        await sql(runtime, "UPDATE security_audit_head SET seq = 3")
        await fill(runtime, 1)  # chains onto the real last record, after one saying what it found
        found = await problems(runtime)
    assert len(found) == 1, found
    assert found[0].startswith(
        "record 8: the head row had been moved or edited behind the log's back (it said record 3;"
    )


async def test_restoring_an_older_backup_is_not_mistaken_for_a_wipe(settings: Settings, tmp_path: Path) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await fill(runtime, 2)
    create_backup(settings, tmp_path / "backup")
    async with runtime.running():
        await fill(runtime, 3)  # records the restore will take back
    known = {component.name: component.latest for component in runtime.registry.components()}
    restore_backup(settings, tmp_path / "backup", known=known, force=True)
    code, printed = verify(settings)
    assert code == 0 and "the chain is intact" in printed, printed
    (set_aside,) = (settings.data_dir / "keys").glob("audit-anchor.replaced-*")  # kept, as evidence of before
    assert '"seq":6' in set_aside.read_text(encoding="utf-8")


async def test_an_anchor_the_chain_contradicts_is_kept_as_evidence_however_long_the_log_grows_again(
    settings: Settings,
) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await fill(runtime, 3)  # to record 4
        old_head = await head_row(runtime)
        await fill(runtime, 3)  # to 7
        assert await problems(runtime) == []  # anchored at 7
        await sql(runtime, "DELETE FROM security_audit WHERE seq > 4")
        await put_back(runtime, old_head)
        await fill(runtime, 5)  # to 9: past the anchored record 7, which is not the same record any more
        found = await problems(runtime)
    assert len(found) == 1 and found[0].startswith("record 7 is not the record the anchor written at"), found
    code, printed = verify(settings)
    assert code == 1 and "record 7 is not the record the anchor" in printed

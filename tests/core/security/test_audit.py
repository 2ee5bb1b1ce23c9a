"""The audit log: every call is recorded (never its arguments), and any edit, deletion, reordering or
insertion shows up in `audit verify`; concurrent appenders never fork the chain."""

import time

import anyio
import pytest
import sqlalchemy as sa
from mcp import Client

from cyrano_mcp.principal import Role
from cyrano_mcp.security.audit import Actor
from cyrano_mcp.security.audit_chain import record_mac
from cyrano_mcp.security.migrations import GENESIS_MAC, MIGRATIONS
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.migrate import Component, upgrade
from tests.core.test_cli import run
from tests.utils.audit import fill, problems, sql
from tests.utils.auth import PASSWORD, add_user
from tests.utils.mcp import error, ok

pytestmark = pytest.mark.anyio


async def test_tool_calls_are_recorded_with_who_what_where_and_outcome_but_no_arguments(settings: Settings) -> None:
    runtime = build_runtime(settings.model_copy(update={"local_user_role": "admin"}))  # audit_query is admin-only
    async with runtime.running():
        await add_user(runtime, "clerk", Role.VIEWER)
        async with Client(runtime.server) as client:
            created = ok(
                await client.call_tool(
                    "matters_create",
                    {"client_name": "Zed", "title": "T", "practice_area": "tax", "notes": "CANARY-NOTE-7781"},
                )
            )
            ok(await client.call_tool("auth_login", {"username": "clerk", "password": PASSWORD}))
            error(
                await client.call_tool("auth_login", {"username": "clerk", "password": "CANARY-PW-wrong-4412"}),
                "invalid_credentials",
            )
            page = ok(await client.call_tool("audit_query", {"action": "tool_call", "limit": 10}))
        calls = {record["target"]: record for record in page["records"]}
        assert calls["matters_create"]["actor"] == "local" and calls["matters_create"]["outcome"] == "ok"
        assert calls["matters_create"]["source"] == "memory" and calls["matters_create"]["role"] == "admin"
        assert len(calls["matters_create"]["correlation_id"]) == 24
        assert [r["outcome"] for r in page["records"] if r["target"] == "auth_login"] == ["invalid_credentials", "ok"]
        logins = await runtime.security.audit.query(action="login")
        assert [(r.outcome, r.actor, r.target) for r in logins] == [
            ("failed", "anonymous", "clerk"),
            ("ok", "clerk", None),
        ]
        async with runtime.database.engine.connect() as conn:
            everything = str((await conn.execute(sa.text("SELECT * FROM security_audit"))).all())
    for secret in ("CANARY-NOTE-7781", "CANARY-PW-wrong-4412", PASSWORD, created["id"]):
        assert secret not in everything


async def test_an_intact_chain_verifies(any_store_settings: Settings) -> None:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        await fill(runtime)
        report = await runtime.security.audit.verify()
        first = (await runtime.security.audit.query(before_seq=2))[0]
    assert report.ok and report.records == 7 and report.head_seq == 7  # the chain's start, then the six
    assert (first.seq, first.action, first.actor, first.detail) == (
        1,
        "audit_chain_started",
        "system",
        '{"records_before":0}',
    )


@pytest.mark.parametrize(
    ("tamper", "finding"),
    [
        ("UPDATE security_audit SET outcome = 'denied' WHERE seq = 3", "record 3 was altered"),
        ("UPDATE security_audit SET actor = 'someone-else' WHERE seq = 6", "record 6 was altered"),
        ("DELETE FROM security_audit WHERE seq = 3", "records 3..3 are missing"),
        ("UPDATE security_audit SET seq = seq + 100 WHERE seq IN (2, 4)", "does not follow"),
    ],
    ids=["edit", "edit-last", "delete", "reorder"],
)
async def test_tampering_is_detected(any_store_settings: Settings, tamper: str, finding: str) -> None:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        await fill(runtime)
        if "seq + 100" in tamper:  # swap records 2 and 4: renumber both through a free range
            await sql(runtime, tamper)
            await sql(runtime, "UPDATE security_audit SET seq = 4 WHERE seq = 102")
            await sql(runtime, "UPDATE security_audit SET seq = 2 WHERE seq = 104")
        else:
            await sql(runtime, tamper)
        found = await problems(runtime)
    assert any(finding in problem for problem in found), found


async def test_a_forged_record_and_a_rewritten_head_are_detected(runtime: Runtime) -> None:
    await fill(runtime)
    last_mac = (await runtime.security.audit.verify()).head_mac
    await sql(
        runtime,
        "INSERT INTO security_audit (seq, at, actor, action, outcome, detail, key_version, prev_mac, mac) "
        "VALUES (8, '2026-01-01T00:00:00.000000Z', 'admin', 'test', 'ok', '{}', 1, :prev, :mac)",
        prev=last_mac,
        mac="f" * 64,
    )
    assert any("record 8 was altered" in p for p in await problems(runtime))
    await sql(runtime, "UPDATE security_audit_head SET seq = 8, mac = :mac", mac="f" * 64)
    found = await problems(runtime)
    assert any("record 8 was altered" in p for p in found) and any("does not match its seal" in p for p in found)


async def test_a_cut_off_tail_is_caught_by_the_head_seal_the_anchor_file_and_a_kept_checkpoint(
    runtime: Runtime,
) -> None:
    await fill(runtime)
    checkpoint = (7, (await runtime.security.audit.verify()).head_mac)
    (sixth,) = [r for r in await runtime.security.audit.query(limit=10) if r.seq == 6]
    await sql(runtime, "DELETE FROM security_audit WHERE seq = 7")
    assert any("the head says record 7" in p for p in await problems(runtime))
    await sql(runtime, "UPDATE security_audit_head SET seq = 6, mac = :mac", mac=sixth.mac)
    found = await problems(runtime)
    assert any("does not match its seal" in p for p in found)  # moving the head back takes the audit key...
    assert any("the chain ends at record 6, but the anchor" in p for p in found)  # ...and the anchor saw record 7
    assert any("anchor 7:" in p for p in await problems(runtime, checkpoint))  # as does a checkpoint kept aside


async def test_concurrent_appends_from_two_processes_never_fork_the_chain(any_store_settings: Settings) -> None:
    one, two = build_runtime(any_store_settings), build_runtime(any_store_settings)
    async with one.running(), two.running():
        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                for number in range(40):
                    runtime = (one, two)[number % 2]
                    group.start_soon(fill, runtime, 1)
        report = await one.security.audit.verify()
        seqs = sorted(record.seq for record in await one.security.audit.query(limit=100))
    assert report.ok, report.problems
    assert seqs == list(range(1, 42))  # the chain's start and the 40


async def test_audit_verify_exits_1_on_tampering(settings: Settings) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await fill(runtime)
    intact = run("audit", "verify", data_dir=settings.data_dir)
    assert intact.returncode == 0 and "the chain is intact" in intact.stdout
    head = intact.stdout.split("head ")[1].split()[0]
    assert run("audit", "verify", "--anchor", head, data_dir=settings.data_dir).returncode == 0
    async with runtime.running():
        await sql(runtime, "UPDATE security_audit SET target = 'x' WHERE seq = 2")
    broken = run("audit", "verify", data_dir=settings.data_dir)
    assert broken.returncode == 1 and "record 2 was altered" in broken.stdout


async def test_only_admins_may_query_the_audit_log(settings: Settings) -> None:
    async with Client(build_runtime(settings).server) as client:  # the default local user, an attorney
        error(await client.call_tool("audit_query", {}), "permission_denied")
    runtime = build_runtime(settings)
    async with runtime.running():
        await runtime.security.accounts.add("admin-local", Role.ADMIN, None, by=Actor("tests"))
    admin = build_runtime(settings.model_copy(update={"local_user": "admin-local"}))
    async with Client(admin.server) as client:
        page = ok(await client.call_tool("audit_query", {"limit": 2}))
        older = ok(await client.call_tool("audit_query", {"limit": 2, "before_seq": page["next_before_seq"]}))
    assert len(page["records"]) == 2 and older["records"][0]["seq"] < page["records"][-1]["seq"]


def test_record_times_are_utc_iso_8601_to_the_microsecond() -> None:
    from datetime import UTC, datetime, timedelta

    from cyrano_mcp.security.audit_chain import now as _now

    for _ in range(3):
        stamp = _now()
        parsed = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - parsed) < timedelta(seconds=1)
        assert len(stamp) == len("2026-11-25T23:46:49.007168Z")
        time.sleep(0.6)  # across a whole second at least once


async def test_a_chain_from_before_sealed_heads_verifies_after_the_upgrade(any_store_settings: Settings) -> None:
    old = build_runtime(any_store_settings)
    await old.database.open()
    try:  # the store as the release before this one left it: security at version 1, three records, no seal
        await upgrade(old.database, [Component("security", MIGRATIONS[:1])])
        version, key = await old.security.keyring.current("audit")
        mac = GENESIS_MAC
        for seq in (1, 2, 3):
            record = {
                "seq": seq,
                "at": f"2026-01-0{seq}T00:00:00.000000Z",
                "actor_id": None,
                "actor": "admin",
                "role": "admin",
                "action": "login",
                "target": None,
                "outcome": "ok",
                "source": "127.0.0.1",
                "correlation_id": None,
                "detail": "{}",
                "key_version": version,
                "prev_mac": mac,
            }
            record["mac"] = mac = record_mac(key, record)
            columns = ", ".join(record)
            await sql(
                old, f"INSERT INTO security_audit ({columns}) VALUES ({', '.join(':' + c for c in record)})", **record
            )
        await sql(old, "UPDATE security_audit_head SET seq = 3, mac = :mac", mac=mac)
    finally:
        await old.database.close()
    runtime = build_runtime(any_store_settings)
    async with runtime.running():  # migration 2 adds the seal; start-up chains the start record and seals the head
        report = await runtime.security.audit.verify()
        (started,) = await runtime.security.audit.query(action="audit_chain_started")
    assert report.ok and report.records == 4 and report.head_seq == 4, report.problems
    assert (started.seq, started.detail) == (4, '{"records_before":3}')

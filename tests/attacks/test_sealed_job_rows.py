"""A reader of the raw store finds neither the names nor the paths of the files a batch ingest was given, while
`jobs_status` and `jobs_list` still show them; the `jobs` key rotates, rewraps and retires like the others; and
the migration seals the job rows stored before it. On both stores."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from mcp import Client

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from cyrano_mcp.store.migrate import Component, upgrade
from tests.attacks.test_sealed_columns import raw_store, store_bytes
from tests.core.security.test_crypto import cli
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

FOLDER = "Quillonvexhall Estate"
LEASE, WILL, SCRAP = "Zephyrinelease 2024.txt", "Marrowgatewill.txt", "Obsidiannecodicil.bin"
MISSING = "Thornquistaffidavit.txt"
PLANTED = ("quillonvexhall", "zephyrinelease", "marrowgatewill", "obsidiannecodicil", "thornquistaffidavit")
OLD_JOB = "0d7a8a9e-0000-4000-8000-0000000000b1"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / LEASE).write_text("The tenant pays rent on the first day of each month.")
    (folder / WILL).write_text("I leave my house to my niece.")
    (folder / SCRAP).write_bytes(bytes(range(256)) * 8)  # not a document: its item fails (with include_all)
    return folder


@pytest.fixture
async def runtime(any_store_settings: Settings, inbox: Path) -> AsyncIterator[Runtime]:
    runtime = build_runtime(load_settings(**{**any_store_settings.model_dump(), "allowed_roots": [inbox.parent]}))
    async with runtime.running():
        yield runtime


async def run_batch(client: Client, arguments: dict[str, Any]) -> dict[str, Any]:
    job_id = ok(await client.call_tool("arkiver_ingest_batch", arguments))["job"]["id"]
    report = ok(await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 60}))
    assert report["job"]["status"] == "completed", report["job"]
    return report


def by_label(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["label"]: item for item in report["items"]}


async def assert_nothing_planted_in_clear(runtime: Runtime) -> None:
    stored = await raw_store(runtime)
    assert [planted for planted in PLANTED if planted in stored] == []
    if runtime.database.kind == "sqlite":  # nor in the file's bytes (WAL included, and free pages)
        assert [planted for planted in PLANTED if planted.encode() in store_bytes(runtime)] == []


async def test_a_batch_ingest_leaves_no_file_name_or_path_in_clear_and_the_jobs_tools_show_them(
    runtime: Runtime, inbox: Path
) -> None:
    async with Client(runtime.server) as client:
        folder_job = await run_batch(client, {"folder": str(inbox), "include_all": True})
        paths = [str(inbox / LEASE), str(inbox / MISSING)]
        paths_job = await run_batch(client, {"paths": paths})

        assert folder_job["job"]["title"] == f"ingest 3 files from {FOLDER}"
        items = by_label(folder_job)
        assert sorted(items) == sorted([LEASE, WILL, SCRAP])
        assert items[LEASE]["status"] == "done" and items[LEASE]["result"]["filename"] == LEASE
        assert items[WILL]["result"]["filename"] == WILL
        assert items[SCRAP]["status"] == "failed" and items[SCRAP]["error"].startswith("invalid_input: ")
        again = by_label(paths_job)
        assert again[LEASE]["result"]["duplicate"] is True
        assert again[MISSING]["status"] == "failed" and again[MISSING]["error"].startswith("not_found: ")
        listed = ok(await client.call_tool("jobs_list", {}))["items"]
        assert [job["title"] for job in listed] == ["ingest 2 files", f"ingest 3 files from {FOLDER}"]

    await assert_nothing_planted_in_clear(runtime)
    async with runtime.database.engine.connect() as connection:
        title = (await connection.execute(sa.text("SELECT title FROM jobs WHERE title LIKE 'cy1$%'"))).all()
        sealed_items = await connection.execute(sa.text("SELECT label, payload, result, error FROM job_items"))
        values = [value for row in sealed_items for value in row if value is not None]
    assert len(title) == 2 and len(values) == 5 * 3  # per item: its label, its payload, and a result or an error
    assert all(value.startswith("cy1$jobs$1$") for value in values)


async def test_an_item_whose_sealed_payload_was_moved_fails_alone(runtime: Runtime, inbox: Path) -> None:
    await runtime.job_runner.stop()  # submitted, not yet run
    async with Client(runtime.server) as client:
        job_id = ok(await client.call_tool("arkiver_ingest_batch", {"paths": [str(inbox / LEASE), str(inbox / WILL)]}))[
            "job"
        ]["id"]
        async with runtime.database.write_engine.begin() as connection:  # the second item gets the first one's path
            first = (await connection.execute(sa.text("SELECT payload FROM job_items WHERE position = 1"))).scalar_one()
            await connection.execute(sa.text("UPDATE job_items SET payload = :p WHERE position = 2"), {"p": first})
        runtime.job_runner.start()
        report = ok(await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 60}))
    first_item, second_item = report["items"]
    assert first_item["status"] == "done" and first_item["label"] == LEASE
    assert second_item["status"] == "failed" and second_item["error"].startswith("data_integrity: ")


async def test_the_jobs_key_rotates_rewraps_and_retires_like_the_others(settings: Settings, inbox: Path) -> None:
    settings = load_settings(**{**settings.model_dump(), "allowed_roots": [inbox.parent]})
    runtime = build_runtime(settings)
    async with runtime.running(), Client(runtime.server) as client:
        job_id = (await run_batch(client, {"folder": str(inbox), "include_all": True}))["job"]["id"]
    data_dir = settings.data_dir
    assert "jobs: new writes use v2" in cli("keys", "rotate", "--type", "jobs", data_dir=data_dir).stdout
    assert "jobs         v1   old      created" in cli("keys", "status", data_dir=data_dir).stdout
    refused = cli("keys", "retire", "--type", "jobs", "--version", "1", data_dir=data_dir)
    assert refused.returncode == 2 and "10 stored values still use jobs v1" in refused.stderr
    rewrapped = cli("keys", "rewrap", "--type", "jobs", data_dir=data_dir).stdout
    assert "jobs.title: 1 values now on v2" in rewrapped and "job_items.payload: 3 values now on v2" in rewrapped
    assert cli("keys", "retire", "--type", "jobs", "--version", "1", data_dir=data_dir).returncode == 0
    assert "jobs         v1   retired" in cli("keys", "status", data_dir=data_dir).stdout

    after = build_runtime(settings)
    async with after.running(), Client(after.server) as client:
        report = ok(await client.call_tool("jobs_status", {"job_id": job_id}))
    assert report["job"]["title"] == f"ingest 3 files from {FOLDER}" and sorted(by_label(report)) == sorted(
        [LEASE, WILL, SCRAP]
    )


async def test_the_migration_seals_job_rows_stored_before_it(any_store_settings: Settings, inbox: Path) -> None:
    settings = load_settings(**{**any_store_settings.model_dump(), "allowed_roots": [inbox.parent]})
    before = build_runtime(settings)
    await before.database.open()
    try:
        # The store as the release before this one left it: jobs at version 1, in plaintext. One item done, one
        # failed, one still pending (the runner takes it up after the upgrade, from its sealed payload).
        components = [
            Component(component.name, component.migrations[:1]) if component.name == "jobs" else component
            for component in before.registry.components()
        ]
        await upgrade(before.database, components)
        now = datetime(2025, 1, 2, tzinfo=UTC).replace(tzinfo=None)
        items = [
            (1, WILL, "done", json.dumps({"document_id": "d-1", "filename": WILL}), None),
            (2, MISSING, "failed", None, f"not_found: there is no file at {inbox / MISSING}"),
            (3, LEASE, "pending", None, None),
        ]
        async with before.database.write_engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO jobs (id, kind, title, status, item_count, created_at, updated_at) "
                    "VALUES (:id, 'arkiver.ingest', :title, 'running', 3, :now, :now)"
                ),
                {"id": OLD_JOB, "title": f"ingest 3 files from {FOLDER}", "now": now},
            )
            for position, label, status, result, failure in items:
                await connection.execute(
                    sa.text(
                        "INSERT INTO job_items (job_id, position, kind, label, payload, status, attempts, due_at, "
                        "result, error, updated_at) VALUES (:job, :position, 'arkiver.ingest', :label, :payload, "
                        ":status, :attempts, :now, :result, :error, :now)"
                    ),
                    {
                        "job": OLD_JOB,
                        "position": position,
                        "label": label,
                        "payload": json.dumps({"path": str(inbox / label), "matter_id": None}),
                        "status": status,
                        "attempts": 0 if status == "pending" else 1,
                        "result": result,
                        "error": failure,
                        "now": now,
                    },
                )
    finally:
        await before.database.close()

    after = build_runtime(settings)
    async with after.running():  # start-up applies the new steps
        async with Client(after.server) as client:
            report = ok(await client.call_tool("jobs_status", {"job_id": OLD_JOB, "wait_seconds": 60}))
        assert report["job"]["status"] == "completed" and report["job"]["title"] == f"ingest 3 files from {FOLDER}"
        done, failed, resumed = report["items"]
        assert (done["label"], done["result"]) == (WILL, {"document_id": "d-1", "filename": WILL})
        assert failed["label"] == MISSING and failed["error"] == f"not_found: there is no file at {inbox / MISSING}"
        assert resumed["label"] == LEASE and resumed["status"] == "done" and resumed["result"]["filename"] == LEASE
        await assert_nothing_planted_in_clear(after)
        async with after.database.engine.connect() as connection:
            refs = (await connection.execute(sa.text("SELECT ref FROM job_items"))).scalars().all()
        assert len(set(refs)) == 3 and all(len(ref) == 32 for ref in refs)

"""arkiver_ingest_batch: many files as a job, each its own unit of work, followed with jobs_status."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.modules.cyrano_arkiver import mail_samples as samples
from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT, counts
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    for number in range(3):
        (folder / f"contract-{number}.txt").write_text(CONTRACT.replace("May 8, 2014", f"May {number + 1}, 2014"))
    (folder / "sub" / "deep.txt").write_text(CONTRACT.replace("two (2) years", "three (3) years"))
    (folder / "garbage.bin").write_bytes(bytes(range(256)) * 8)
    (folder / ".hidden.txt").write_text(CONTRACT)
    return folder


@pytest.fixture
async def runtime(any_store_settings: Settings, inbox: Path) -> AsyncIterator[Runtime]:
    runtime = build_runtime(load_settings(**{**any_store_settings.model_dump(), "allowed_roots": [inbox]}))
    async with runtime.running():
        yield runtime


async def run_batch(client: Client, arguments: dict[str, Any]) -> dict[str, Any]:
    submitted = ok(await client.call_tool("arkiver_ingest_batch", arguments))
    assert submitted["job"]["kind"] == "arkiver.ingest" and "jobs_status" in submitted["hint"]
    report = ok(await client.call_tool("jobs_status", {"job_id": submitted["job"]["id"], "wait_seconds": 60}))
    assert report["job"]["status"] == "completed", report["job"]
    return report


@pytest.mark.parametrize("mode", MODES)
async def test_a_folder_is_ingested_file_by_file_and_a_bad_file_fails_alone(
    runtime: Runtime, inbox: Path, mode: str
) -> None:
    async with Client(runtime.server, mode=mode) as client:
        report = await run_batch(client, {"folder": str(inbox), "include_all": True})
        items = {item["label"]: item for item in report["items"]}
        assert sorted(items) == ["contract-0.txt", "contract-1.txt", "contract-2.txt", "garbage.bin"]
        assert items["garbage.bin"]["status"] == "failed"
        assert items["garbage.bin"]["error"].startswith("invalid_input: this is not a document Arkiver can read")
        for name in ("contract-0.txt", "contract-1.txt", "contract-2.txt"):
            assert items[name]["status"] == "done" and items[name]["result"]["duplicate"] is False
            document_id = items[name]["result"]["document_id"]
            insights = ok(await client.call_tool("arkiver_insights", {"document_id": document_id}))
            assert insights["key_terms"]["governing_law"]["jurisdiction"] == "California"
    assert (await counts(runtime))[:2] == (3, 3)


async def test_recursive_folders_and_lists_of_paths_into_a_matter(runtime: Runtime, inbox: Path) -> None:
    async with Client(runtime.server) as client:
        matter = ok(
            await client.call_tool(
                "matters_create", {"client_name": "Harbor", "title": "Consulting", "practice_area": "commercial"}
            )
        )
        folder = {"folder": str(inbox), "recursive": True, "matter_id": matter["id"], "include_all": True}
        report = await run_batch(client, folder)
        assert report["job"]["counts"]["done"] == 4 and report["job"]["counts"]["failed"] == 1
        listed = ok(await client.call_tool("arkiver_list_documents", {"matter_id": matter["id"]}))
        assert listed["total"] == 4
        paths = [str(inbox / "contract-0.txt"), str(inbox / "missing.txt"), "/etc/passwd"]
        again = await run_batch(client, {"paths": paths, "matter_id": matter["id"]})
        items = [(item["status"], item["result"], item["error"]) for item in again["items"]]
        assert items[0][0] == "done" and items[0][1]["duplicate"] is True  # the same content, stored once
        assert items[1][0] == "failed" and items[1][2].startswith("not_found: there is no file at")
        assert items[2][0] == "failed" and items[2][2].startswith("permission_denied:")


async def test_files_that_are_not_documents_are_skipped_unless_asked_and_the_answer_says_which(
    runtime: Runtime, inbox: Path
) -> None:
    for name in ("manifest.json", "Thumbs.db", "desktop.ini", "~$contract-0.docx", "notes", "old.doc"):
        (inbox / name).write_bytes(b"not a document")
    (inbox / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (inbox / "sub" / "Lease.PDF").write_bytes(b"%PDF-1.7 not really")
    (inbox / "sub" / ".gitkeep").write_text("")
    async with Client(runtime.server) as client:
        submitted = ok(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox), "recursive": True}))
        skipped = submitted["skipped"]
        assert skipped["count"] == 10
        assert skipped["names"] == sorted(
            [".DS_Store", ".hidden.txt", "Thumbs.db", "desktop.ini", "garbage.bin", "manifest.json", "notes"]
            + ["old.doc", "~$contract-0.docx"]
            + ["sub/.gitkeep"]
        )
        assert "7 not named like a document" in skipped["reason"] and "3 hidden" in skipped["reason"]
        assert "include_all" in skipped["reason"]
        report = ok(await client.call_tool("jobs_status", {"job_id": submitted["job"]["id"], "wait_seconds": 60}))
        labels = sorted(item["label"] for item in report["items"])
        assert labels == ["Lease.PDF", "contract-0.txt", "contract-1.txt", "contract-2.txt", "deep.txt"]

        every = ok(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox), "include_all": True}))
        assert every["skipped"]["count"] == 2 and every["skipped"]["names"] == [".DS_Store", ".hidden.txt"]
        assert "include_all" not in every["skipped"]["reason"]
        assert every["job"]["item_count"] == 10

        (inbox / "sub" / "Lease.PDF").unlink()
        for name in ("deep.txt", ".gitkeep"):
            (inbox / "sub" / name).unlink()
        (inbox / "sub" / "a.json").write_text("{}")
        message = error(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox / "sub")}), "invalid_input")
        assert "holds no documents (1 other files skipped; see include_all)" in message


async def test_many_skipped_files_are_counted_but_only_the_first_are_named(runtime: Runtime, inbox: Path) -> None:
    for number in range(50):
        (inbox / f"export-{number:02}.json").write_text("{}")
    async with Client(runtime.server) as client:
        submitted = ok(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox)}))
    assert submitted["skipped"]["count"] == 52  # with garbage.bin and .hidden.txt
    assert len(submitted["skipped"]["names"]) == 20 and submitted["skipped"]["names"][0] == ".hidden.txt"


async def test_a_batch_is_refused_at_once_when_it_cannot_start(runtime: Runtime, inbox: Path, tmp_path: Path) -> None:
    async with Client(runtime.server) as client:
        error(await client.call_tool("arkiver_ingest_batch", {}), "invalid_input")
        error(await client.call_tool("arkiver_ingest_batch", {"paths": []}), "invalid_input")
        error(await client.call_tool("arkiver_ingest_batch", {"folder": str(tmp_path)}), "permission_denied")
        error(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox / "nowhere")}), "not_found")
        (inbox / "empty").mkdir()
        error(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox / "empty")}), "invalid_input")
        missing = "00000000-0000-4000-8000-000000000000"
        error(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox), "matter_id": missing}), "not_found")
        assert ok(await client.call_tool("jobs_list", {}))["total"] == 0


async def test_an_email_in_a_folder_is_ingested_with_its_attachment(runtime: Runtime, inbox: Path) -> None:
    (inbox / "mail").mkdir()
    attached = [(CONTRACT.encode(), "text", "plain", "consulting.txt")]
    (inbox / "mail" / "Re consulting.eml").write_bytes(samples.with_attachments("Signed copy attached.", attached))
    (inbox / "mail" / "Re consulting.msg").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    async with Client(runtime.server) as client:
        report = await run_batch(client, {"folder": str(inbox / "mail"), "include_all": True})
        items = {item["label"]: item for item in report["items"]}
        assert items["Re consulting.msg"]["error"].startswith("invalid_input: Outlook .msg is not supported yet")
        message = ok(await client.call_tool("arkiver_list_documents", {"format": "eml"}))["items"]
        assert [item["id"] for item in message] == [items["Re consulting.eml"]["result"]["document_id"]]
        [attachment_id] = message[0]["attachments"]
        insights = ok(await client.call_tool("arkiver_insights", {"document_id": attachment_id}))
        assert insights["key_terms"]["governing_law"]["jurisdiction"] == "California"

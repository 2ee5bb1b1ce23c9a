"""Ingesting by path cannot be led out of the allowed roots: not by a folder swapped for a symlink while the
server opens the path, not by a symlink that stays inside, not by a hard link, and a FIFO cannot hang it."""

import ctypes
import os
import platform
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT
from tests.utils.mcp import error, ok, text_of

pytestmark = pytest.mark.anyio

SECRET = "OUTSIDE-THE-ROOT-7f3a9c"
SECRET_TEXT = f"Privileged memo {SECRET}: this file lives outside every allowed folder.\n"
INSIDE_TEXT = "Engagement letter for the Harbor matter, kept in the inbox.\n"
_RENAMEAT2 = {"x86_64": 316, "aarch64": 276}  # syscall numbers; glibc's wrapper is not always exported
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An allowed root holding `case/note.txt`, beside a folder outside it holding a secret `note.txt`."""
    inbox = tmp_path / "inbox"
    (inbox / "case").mkdir(parents=True)
    (inbox / "case" / "note.txt").write_text(INSIDE_TEXT, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "note.txt").write_text(SECRET_TEXT, encoding="utf-8")
    return inbox


async def running(settings: Settings, inbox: Path, **extra: Any) -> AsyncIterator[Runtime]:
    values = {**settings.model_dump(), "allowed_roots": [inbox], "rate_limit_user": "100000/minute", **extra}
    runtime = build_runtime(load_settings(**values))
    async with runtime.running():
        yield runtime


@pytest.fixture
async def runtime(settings: Settings, inbox: Path) -> AsyncIterator[Runtime]:
    async for runtime in running(settings, inbox):
        yield runtime


def exchanger() -> Callable[[Path, Path], None]:
    """Atomically swap two names (renameat2 with RENAME_EXCHANGE), or skip where the kernel cannot."""
    number = _RENAMEAT2.get(platform.machine())
    if number is None:
        pytest.skip(f"no renameat2 syscall number known for {platform.machine()}")
    libc = ctypes.CDLL(None, use_errno=True)

    def exchange(first: Path, second: Path) -> None:
        flags = ctypes.c_long(_RENAME_EXCHANGE)
        at = ctypes.c_long(_AT_FDCWD)
        if libc.syscall(ctypes.c_long(number), at, bytes(first), at, bytes(second), flags) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))

    return exchange


async def test_a_folder_swapped_for_a_symlink_while_ingesting_never_leads_out(
    runtime: Runtime, inbox: Path, tmp_path: Path
) -> None:
    case, decoy = inbox / "case", inbox / "decoy"
    decoy.symlink_to(tmp_path / "outside")
    exchange = exchanger()
    try:
        exchange(case, decoy)
        exchange(case, decoy)
    except OSError as exc:
        pytest.skip(f"this kernel or file system cannot exchange names: {exc.strerror}")
    stop = threading.Event()
    swaps = 0

    def swap_until_stopped() -> None:
        nonlocal swaps
        while not stop.is_set():
            exchange(case, decoy)
            swaps += 1

    swapper = threading.Thread(target=swap_until_stopped, daemon=True)
    outcomes: Counter[str] = Counter()
    stored: Counter[str] = Counter()  # document id -> calls that answered with it
    async with Client(runtime.server) as client:
        swapper.start()
        try:
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline and sum(outcomes.values()) < 400:
                result = await client.call_tool("arkiver_ingest", {"path": str(case / "note.txt")})
                if result.is_error:
                    outcomes[text_of(result).split(":", 1)[0]] += 1
                else:
                    outcomes["stored"] += 1
                    stored[ok(result)["document"]["id"]] += 1
        finally:
            stop.set()
            swapper.join()
        leaked = 0
        for document_id, calls in stored.items():
            pages = ok(await client.call_tool("arkiver_read_document", {"document_id": document_id}))["pages"]
            leaked += calls * any(SECRET in page["text"] for page in pages)
    print(f"swaps={swaps} outcomes={dict(outcomes)} calls_answered_with_the_secret={leaked}")
    assert swaps > 100 and outcomes["stored"] > 0, (swaps, outcomes)  # the race was really run
    assert leaked == 0, outcomes
    assert outcomes["internal_error"] == 0, outcomes
    assert set(outcomes) <= {"stored", "permission_denied", "not_found"}, outcomes


async def test_a_symlink_below_the_root_is_refused_even_when_it_stays_inside(runtime: Runtime, inbox: Path) -> None:
    (inbox / "alias").symlink_to(inbox / "case")
    (inbox / "latest.txt").symlink_to(inbox / "case" / "note.txt")
    async with Client(runtime.server) as client:
        for path in (inbox / "alias" / "note.txt", inbox / "latest.txt"):
            refused = error(await client.call_tool("arkiver_ingest", {"path": str(path)}), "permission_denied")
            assert "symbolic link" in refused and str(inbox / "case") not in refused  # not where it leads
        ok(await client.call_tool("arkiver_ingest", {"path": str(inbox / "case" / "note.txt")}))


async def test_dot_dot_is_refused_before_anything_is_opened(runtime: Runtime, inbox: Path) -> None:
    async with Client(runtime.server) as client:
        for path in (inbox / "case" / ".." / "case" / "note.txt", inbox / ".." / "outside" / "note.txt"):
            refused = error(await client.call_tool("arkiver_ingest", {"path": str(path)}), "invalid_input")
            assert "'..'" in refused


async def test_a_hard_link_to_an_outside_file_is_refused_unless_the_operator_allows_them(
    runtime: Runtime, settings: Settings, inbox: Path, tmp_path: Path
) -> None:
    os.link(tmp_path / "outside" / "note.txt", inbox / "case" / "linked.txt")
    arguments = {"path": str(inbox / "case" / "linked.txt")}
    async with Client(runtime.server) as client:
        refused = error(await client.call_tool("arkiver_ingest", arguments), "permission_denied")
        assert "2 hard links" in refused and "CYRANO_ALLOW_HARDLINKS" in refused
    async for allowing in running(settings, inbox, allow_hardlinks=True, data_dir=tmp_path / "other-data"):
        async with Client(allowing.server) as client:
            assert ok(await client.call_tool("arkiver_ingest", arguments))["document"]["filename"] == "linked.txt"


async def test_a_fifo_is_refused_at_once_rather_than_waited_on(runtime: Runtime, inbox: Path) -> None:
    os.mkfifo(inbox / "case" / "pipe")
    async with Client(runtime.server) as client:
        with anyio.fail_after(5):
            result = await client.call_tool("arkiver_ingest", {"path": str(inbox / "case" / "pipe")})
        refused = error(result, "invalid_input")
        assert "FIFO" in refused


async def test_a_batch_skips_symlinks_and_fails_a_hard_linked_file_alone(
    runtime: Runtime, inbox: Path, tmp_path: Path
) -> None:
    (inbox / "case" / "contract.txt").write_text(CONTRACT, encoding="utf-8")
    (inbox / "outside-folder").symlink_to(tmp_path / "outside")
    (inbox / "case" / "outside-file.txt").symlink_to(tmp_path / "outside" / "note.txt")
    (inbox / "case" / "inside-alias.txt").symlink_to(inbox / "case" / "note.txt")
    os.link(tmp_path / "outside" / "note.txt", inbox / "case" / "hard.txt")
    os.mkfifo(inbox / "case" / "pipe")
    async with Client(runtime.server) as client:
        submitted = ok(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox), "recursive": True}))
        report = ok(await client.call_tool("jobs_status", {"job_id": submitted["job"]["id"], "wait_seconds": 60}))
        items = {item["label"]: item for item in report["items"]}
        assert sorted(items) == ["contract.txt", "hard.txt", "note.txt"]
        hard = items["hard.txt"]
        assert hard["status"] == "failed" and hard["error"].startswith("permission_denied:")
        assert "hard links" in hard["error"]
        assert items["note.txt"]["status"] == items["contract.txt"]["status"] == "done"
        texts = [
            page["text"]
            for item in items.values()
            if item["status"] == "done"
            for page in ok(
                await client.call_tool("arkiver_read_document", {"document_id": item["result"]["document_id"]})
            )["pages"]
        ]
    assert texts and not any(SECRET in text for text in texts)


async def test_a_batch_of_a_folder_reached_through_a_symlink_is_refused(runtime: Runtime, inbox: Path) -> None:
    (inbox / "alias").symlink_to(inbox / "case")
    async with Client(runtime.server) as client:
        refused = error(
            await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox / "alias")}), "permission_denied"
        )
        assert "symbolic link" in refused
        assert ok(await client.call_tool("jobs_list", {}))["total"] == 0

"""MCP roots: over stdio the local user may ingest under the folders their client declares, through the same
link-free walk as under CYRANO_ALLOWED_ROOTS; over HTTP (or in memory) declared roots open nothing."""

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp_types import ListRootsResult, Root

from cyrano_mcp.callpath.client_roots import path_of_file_uri
from cyrano_mcp.http import build_http_app
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings
from tests.utils.http import no_auth, serve_app
from tests.utils.mcp import MODES, error, ok

pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

ROOT = Path(__file__).resolve().parents[3]
PYTHONPATH = os.pathsep.join(str(ROOT / part) for part in ("", "modules", "engines"))
PDF = ROOT / "tests" / "data" / "strategic_alliance.pdf"


class DeclaredRoots:
    """The client's side of roots: the folders it declares, and how often the server asked for them."""

    def __init__(self, *folders: Path) -> None:
        self.folders = list(folders)
        self.asked = 0

    async def __call__(self, context: Any) -> ListRootsResult:
        self.asked += 1
        return ListRootsResult(roots=[Root(uri=folder.as_uri(), name=folder.name) for folder in self.folders])


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Path]:
    """A client's workspace holding a PDF and a folder of documents, beside a secret outside it."""
    workspace = tmp_path / "workspace"
    (workspace / "deals").mkdir(parents=True)
    shutil.copy(PDF, workspace / "alliance.pdf")
    (workspace / "deals" / "lease.txt").write_text("This Lease is governed by the laws of Oregon.\n")
    (workspace / "deals" / "manifest.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("Privileged: outside every root.\n")
    (workspace / "deals" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    yield workspace


def stdio(data_dir: Path, **env: str) -> StdioServerParameters:
    environment = {"CYRANO_DATA_DIR": str(data_dir), "PYTHONPATH": PYTHONPATH, **env}
    return StdioServerParameters(command=sys.executable, args=["-m", "cyrano_mcp", "serve"], env=environment)


@pytest.mark.parametrize("mode", MODES)
async def test_over_stdio_files_under_the_clients_roots_can_be_ingested_and_nothing_else(
    data_dir: Path, desk: Path, tmp_path: Path, mode: str
) -> None:
    roots = DeclaredRoots(desk)
    async with Client(stdio(data_dir), mode=mode, list_roots_callback=roots, read_timeout_seconds=60) as client:
        stored = ok(await client.call_tool("arkiver_ingest", {"path": str(desk / "alliance.pdf")}))
        assert stored["document"]["format"] == "pdf" and stored["document"]["page_count"] > 1
        outside = error(
            await client.call_tool("arkiver_ingest", {"path": str(tmp_path / "secret.txt")}), "permission_denied"
        )
        assert f"outside the folders Cyrano may read ({desk})" in outside
        link = error(
            await client.call_tool("arkiver_ingest", {"path": str(desk / "deals" / "leak.txt")}), "permission_denied"
        )
        assert "symbolic link" in link and "secret" not in link
    assert roots.asked >= 1


async def test_without_declared_roots_or_settings_the_refusal_says_how_to_open_a_folder(
    data_dir: Path, desk: Path
) -> None:
    async with Client(stdio(data_dir), mode="legacy", read_timeout_seconds=60) as client:
        message = error(
            await client.call_tool("arkiver_ingest", {"path": str(desk / "alliance.pdf")}), "permission_denied"
        )
    assert "CYRANO_ALLOWED_ROOTS" in message and "cyrano-mcp client-config --install --allow FOLDER" in message


async def test_roots_are_kept_until_the_client_says_they_changed(data_dir: Path, desk: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "memo.txt").write_text("A memo kept in the other folder.\n")
    roots = DeclaredRoots(desk)
    async with Client(stdio(data_dir), mode="legacy", list_roots_callback=roots, read_timeout_seconds=60) as client:
        for name in ("alliance.pdf", "deals/lease.txt"):
            ok(await client.call_tool("arkiver_ingest", {"path": str(desk / name)}))
        assert roots.asked == 1  # the client declared listChanged: one answer holds until it says otherwise
        roots.folders = [other]
        await client.send_roots_list_changed()
        ok(await client.call_tool("arkiver_ingest", {"path": str(other / "memo.txt")}))
        error(await client.call_tool("arkiver_ingest", {"path": str(desk / "alliance.pdf")}), "permission_denied")
        assert roots.asked == 2


async def test_configured_roots_are_read_without_asking_the_client(data_dir: Path, desk: Path) -> None:
    roots = DeclaredRoots(desk)
    params = stdio(data_dir, CYRANO_ALLOWED_ROOTS=str(desk))
    async with Client(params, list_roots_callback=roots, read_timeout_seconds=60) as client:
        ok(await client.call_tool("arkiver_ingest", {"path": str(desk / "alliance.pdf")}))
    assert roots.asked == 0  # under MCP 2026-07-28 asking costs the client a second call


@pytest.mark.parametrize("mode", MODES)
async def test_a_batch_from_a_folder_under_a_clients_root_runs_after_the_call_has_ended(
    data_dir: Path, desk: Path, mode: str
) -> None:
    roots = DeclaredRoots(desk)
    async with Client(stdio(data_dir), mode=mode, list_roots_callback=roots, read_timeout_seconds=60) as client:
        submitted = ok(await client.call_tool("arkiver_ingest_batch", {"folder": str(desk), "recursive": True}))
        assert submitted["skipped"]["names"] == ["deals/manifest.json"]
        report = ok(await client.call_tool("jobs_status", {"job_id": submitted["job"]["id"], "wait_seconds": 60}))
    items = {item["label"]: item for item in report["items"]}
    assert items["alliance.pdf"]["status"] == "done" and items["lease.txt"]["status"] == "done"


@pytest.mark.parametrize("mode", MODES)
async def test_over_http_declared_roots_open_nothing_even_for_the_local_user(
    data_dir: Path, desk: Path, mode: str
) -> None:
    roots = DeclaredRoots(desk)
    runtime = build_runtime(no_auth(load_settings(data_dir=data_dir)))
    async with serve_app(build_http_app(runtime)) as url, httpx2.AsyncClient() as http:
        transport = streamable_http_client(f"{url}/mcp", http_client=http)
        async with Client(transport, mode=mode, list_roots_callback=roots) as client:
            for path in (desk / "alliance.pdf", desk):
                tool, argument = ("arkiver_ingest", "path") if path.suffix else ("arkiver_ingest_batch", "folder")
                message = error(await client.call_tool(tool, {argument: str(path)}), "permission_denied")
                assert "no folder is open" in message
    assert roots.asked == 0


async def test_in_memory_declared_roots_open_nothing(data_dir: Path, desk: Path) -> None:
    roots = DeclaredRoots(desk)
    async with Client(build_runtime(load_settings(data_dir=data_dir)).server, list_roots_callback=roots) as client:
        error(await client.call_tool("arkiver_ingest", {"path": str(desk / "alliance.pdf")}), "permission_denied")
    assert roots.asked == 0


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("file:///home/jane/Client%20files", "/home/jane/Client files"),
        ("file://localhost/srv/deals", "/srv/deals"),
        ("file:///", "/"),
        ("file://fileserver/share", None),
        ("https://example.com/docs", None),
        ("file:///home/jane/../root", None),
        ("file:///home/%00jane", None),
        ("file:relative/folder", None),
        ("file:///srv/deals?x=1", None),
    ],
)
def test_only_local_file_uris_name_folders(uri: str, path: str | None) -> None:
    found = path_of_file_uri(uri)
    assert (str(found) if found is not None else None) == path

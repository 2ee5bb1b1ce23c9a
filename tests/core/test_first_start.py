"""A lawyer's first start: `client-config --install` writes Claude Desktop's configuration, and the server that
entry starts, with nothing in its environment but HOME and the entry's env, ingests a PDF from the folder."""

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from tests.core.test_client_config import PYTHONPATH, cyrano
from tests.utils.mcp import MODES, ok, text_of

pytestmark = pytest.mark.anyio

PDF = Path(__file__).resolve().parents[1] / "data" / "strategic_alliance.pdf"
ADMINISTRATION = ("auth_", "system_", "audit_")
ANSWER_LIMIT = 16_000  # characters: the ceiling for any default answer


def as_the_host_starts_it(entry: dict[str, Any], home: Path) -> StdioServerParameters:
    """The entry's command, args and env, with HOME and nothing else: `env -i` drops what the SDK client would
    pass on (PATH, USER...). PYTHONPATH only because these tests run the worktree's code, not an installed one."""
    env = shutil.which("env")
    if env is None:
        pytest.skip("needs env(1) to start a process with an empty environment")
    settings = {"HOME": str(home), **entry["env"], "PYTHONPATH": PYTHONPATH}
    assignments = [f"{name}={value}" for name, value in settings.items()]
    return StdioServerParameters(command=env, args=["-i", *assignments, entry["command"], *entry["args"]])


@pytest.mark.parametrize("mode", MODES)
async def test_install_then_ingest_a_pdf_from_the_allowed_folder_with_only_home_set(tmp_path: Path, mode: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    folder = home / "Documents" / "Cyrano"
    done = cyrano(home, "client-config", "--install", "--system", "linux", "--allow", str(folder))
    assert done.returncode == 0, done.stderr
    config = json.loads((home / ".config" / "Claude" / "claude_desktop_config.json").read_text())
    entry = config["mcpServers"]["cyrano"]
    assert entry["command"] == sys.executable and entry["env"]["CYRANO_ALLOWED_ROOTS"] == str(folder)

    folder.mkdir(parents=True)
    shutil.copy(PDF, folder / "Strategic Alliance.pdf")
    async with Client(as_the_host_starts_it(entry, home), mode=mode, read_timeout_seconds=60) as client:
        stored = ok(await client.call_tool("arkiver_ingest", {"path": str(folder / "Strategic Alliance.pdf")}))
        document = stored["document"]
        assert document["format"] == "pdf" and document["page_count"] > 1 and stored["duplicate"] is False
        assert document["filename"] == "Strategic Alliance.pdf"
        again = ok(await client.call_tool("arkiver_ingest", {"path": str(folder / "Strategic Alliance.pdf")}))
        assert again["duplicate"] is True and again["document"]["id"] == document["id"]  # it was stored
        # What the host shows: the lawyer's toolsets only, the prompts, and the document in the attach menu.
        tools = {tool.name for tool in (await client.list_tools()).tools}
        assert "arkiver_search" in tools and not {name for name in tools if name.startswith(ADMINISTRATION)}
        prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
        assert {"summarise_contract", "find_in_documents"} <= prompts
        assert document["uri"] in {str(item.uri) for item in (await client.list_resources()).resources}
        # Answers sized for a model's context (bench/answer_sizes.py holds the budget on the shared PDFs).
        for tool, arguments in (
            ("arkiver_insights", {"document_id": document["id"]}),
            ("arkiver_read_document", {"document_id": document["id"]}),
            ("arkiver_search", {"query": "governing law", "document_id": document["id"]}),
        ):
            answer = await client.call_tool(tool, arguments)
            assert not answer.is_error and len(text_of(answer)) <= ANSWER_LIMIT, tool
    assert (home / ".local" / "share" / "cyrano" / "cyrano.db").is_file()  # the data dir the entry names

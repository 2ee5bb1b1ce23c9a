"""The installed `cyrano-mcp serve`, in a subprocess, driven by the Python SDK's `Client` over every transport.

Each transport runs in both protocol generations: `mode="auto"` (2026-07-28, no handshake, no sessions)
and `mode="legacy"` (the 2025-11-25 `initialize` handshake). Every test creates a matter, reads it back
as a tool result and as the `cyrano://matters/{id}` resource, checks a field-level validation error, and files a
contract under the matter to read the matter's clause grid.
"""

import json
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Literal

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import TextResourceContents
from mcp_types.version import LATEST_HANDSHAKE_VERSION, LATEST_MODERN_VERSION

from tests.interop._servers import cyrano_executable, cyrano_http_server, stdio_settings
from tests.utils.mcp import MODES, error, ok

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

Mode = Literal["auto", "legacy"]
CONTRACT = (
    "SERVICES AGREEMENT\n\nThis Services Agreement is made as of May 8, 2014 between Harbor Analytics LLC "
    '("Consultant") '
    'and Pier Nine Properties, Inc. (the "Company").\n\n7. Assignment. Neither party may assign this Agreement '
    "without the prior written consent of the other party.\n\n8. Governing Law. This Agreement is governed by the "
    "laws of the State of California.\n"
)
# Expires 2015-03-18 with 90 days' notice: the notice is due by 2014-12-18.
SUPPLY = (
    "SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of March 18, 2010 between Harbor Analytics LLC and Pier "
    "Nine Properties, Inc.\n\n2. Term. This Agreement shall expire on March 18, 2015 and shall automatically renew "
    "for successive one (1) year periods unless either party gives written notice of non-renewal at least ninety "
    "(90) days prior to the expiration of the then-current term.\n"
)
EXPECTED_PROTOCOL: dict[str, str] = {"auto": LATEST_MODERN_VERSION, "legacy": LATEST_HANDSHAKE_VERSION}
CALL_TIMEOUT = 30.0  # a whole test's client session, connection included
READ_TIMEOUT = 15.0  # one request


async def exercise(client: Client, mode: str, *, stdio: bool = False) -> dict[str, Any]:
    """The same conversation on every transport; returns the matter it created."""
    assert client.protocol_version == EXPECTED_PROTOCOL[mode]

    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    # stdio offers the lawyer's toolsets; HTTP all of them (an admin's view here).
    assert ("system_info" in tools) is not stdio, sorted(tools)
    for name in ("matters_create", "matters_get", "arkiver_search"):
        assert name in tools, sorted(tools)
        output_schema = tools[name].output_schema
        assert tools[name].input_schema.get("type") == "object"
        assert output_schema is not None and output_schema.get("properties")

    draft = {"client_name": "Interop Client (Python)", "title": "Interop v. Wire", "practice_area": "litigation"}
    created = ok(await client.call_tool("matters_create", draft))
    assert {key: created[key] for key in draft} == draft
    assert created["status"] == "open"

    fetched = ok(await client.call_tool("matters_get", {"matter_id": created["id"]}))
    assert fetched == created

    resource = await client.read_resource(f"cyrano://matters/{created['id']}")
    (contents,) = resource.contents
    assert isinstance(contents, TextResourceContents)
    assert json.loads(contents.text) == created

    message = error(await client.call_tool("matters_create", {"title": "x" * 301}), "invalid_input")
    assert "client_name" in message and "practice_area" in message and "title" in message

    listed = [str(item.uri) for item in (await client.list_resources()).resources]
    assert created["uri"] in listed
    prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
    assert {"summarise_contract", "find_in_documents"} <= prompts
    found = await client.get_prompt("find_in_documents", {"question": "governing law", "matter_id": created["id"]})
    assert found.messages

    filed = {"text": CONTRACT, "matter_id": created["id"]}
    assert ok(await client.call_tool("arkiver_ingest", filed))["insight_counts"]["clauses"] >= 2
    asked = {"matter_id": created["id"], "categories": ["anti_assignment", "governing_law"]}
    grid = ok(await client.call_tool("arkiver_clauses", asked))
    cells = {item["category"]: item for item in grid["documents"][0]["present"]}
    assert cells["anti_assignment"]["value"]["consent_required"] is True
    assert cells["governing_law"]["value"]["text"] == "California"

    summary = "The agreement was made as of 8 May 2014. Nevada law governs it."
    checked = ok(await client.call_tool("potemkin_verify", {"text": summary, "matter_id": created["id"]}))
    assert [claim["verdict"] for claim in checked["claims"]] == ["supported", "contradicted"]
    assert checked["claims"][1]["source_value"] == "California"
    assert "check_draft" in prompts

    ok(await client.call_tool("arkiver_ingest", {"text": SUPPLY, "matter_id": created["id"]}))
    asked = {"matter_id": created["id"], "start": "2014-01-01", "end": "2015-12-31"}
    deadlines = ok(await client.call_tool("chronometric_deadlines", asked))["deadlines"]
    assert [(item["kind"], item["due"]) for item in deadlines] == [
        ("non_renewal_notice", "2014-12-18"),
        ("expiry", "2015-03-18"),
    ]
    assert "due_this_week" in prompts
    return created


@asynccontextmanager
async def stdio_client(tmp_path: Path, mode: Mode) -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=cyrano_executable(), args=["serve"], env=stdio_settings(tmp_path / "data"), cwd=tmp_path
    )
    async with Client(params, mode=mode, read_timeout_seconds=READ_TIMEOUT) as client:
        yield client


async def test_stdio_creates_and_reads_back_a_matter(tmp_path: Path, mode: Mode) -> None:
    with anyio.fail_after(CALL_TIMEOUT):
        async with stdio_client(tmp_path, mode) as client:
            await exercise(client, mode, stdio=True)


@pytest.mark.parametrize("stateless", [False, True], ids=["stateful", "stateless"])
@pytest.mark.parametrize("json_response", [False, True], ids=["sse-responses", "json-responses"])
async def test_streamable_http_creates_and_reads_back_a_matter(
    tmp_path: Path, mode: Mode, stateless: bool, json_response: bool
) -> None:
    async with cyrano_http_server(tmp_path, stateless=stateless, json_response=json_response) as server:
        with anyio.fail_after(CALL_TIMEOUT):
            async with (
                httpx2.AsyncClient(headers=server.auth_headers) as http,
                Client(
                    streamable_http_client(server.mcp_url, http_client=http),
                    mode=mode,
                    read_timeout_seconds=READ_TIMEOUT,
                ) as client,
            ):
                created = await exercise(client, mode)
        # A second, independent client sees the same store.
        with anyio.fail_after(CALL_TIMEOUT):
            async with (
                httpx2.AsyncClient(headers=server.auth_headers) as http,
                Client(
                    streamable_http_client(server.mcp_url, http_client=http),
                    mode=mode,
                    read_timeout_seconds=READ_TIMEOUT,
                ) as client,
            ):
                assert ok(await client.call_tool("matters_get", {"matter_id": created["id"]})) == created


@pytest.mark.parametrize("stateless", [False, True], ids=["stateful-app", "stateless-app"])
async def test_sse_creates_and_reads_back_a_matter(tmp_path: Path, mode: Mode, stateless: bool) -> None:
    async with cyrano_http_server(tmp_path, stateless=stateless) as server:
        transport: AbstractAsyncContextManager[Any] = sse_client(
            server.sse_url, headers=server.auth_headers, timeout=5.0, sse_read_timeout=30.0
        )
        with anyio.fail_after(CALL_TIMEOUT):
            async with Client(transport, mode=mode, read_timeout_seconds=READ_TIMEOUT) as client:
                await exercise(client, mode)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value

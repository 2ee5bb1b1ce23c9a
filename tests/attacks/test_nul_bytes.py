"""NUL and other C0 control characters in tool arguments: refused at validation with an `invalid_input` naming
the field, on SQLite and PostgreSQL, before anything reaches the store.

On PostgreSQL a NUL in any text made the driver fail (`unavailable` or `internal_error`); on SQLite a NUL in
the matters_list client filter ended the LIKE pattern early, so the filter matched every row.
"""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from sqlalchemy import func
from sqlmodel import select

from cyrano_arkiver.models import Document
from cyrano_matters.models import Matter
from cyrano_mcp.http import build_http_app
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.auth import PASSWORD, add_user
from tests.utils.http import serve_app
from tests.utils.mcp import error, ok

pytestmark = pytest.mark.anyio

NUL = "\x00"
ACME = {"client_name": "Acme Corp", "title": "Supply dispute", "practice_area": "litigation"}
SECRET = "CANARY-8841"  # part of every refused value: the error must not echo it


@pytest.fixture
async def runtime(any_store_settings: Settings, tmp_path: Path) -> AsyncIterator[Runtime]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    runtime = build_runtime(load_settings(**{**any_store_settings.model_dump(), "allowed_roots": [inbox]}))
    async with runtime.running():
        yield runtime


async def rows(runtime: Runtime, table: Any) -> int:
    async with runtime.database.session() as session:
        return int((await session.exec(select(func.count()).select_from(table))).one())


def refused(message: str, field: str) -> None:
    assert message.startswith(f"invalid_input: {field}: "), message
    assert "control character" in message and SECRET not in message, message


async def test_a_nul_in_any_matters_create_field_is_refused_naming_it_and_nothing_is_stored(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        # (reference has a pattern of its own, which never let a NUL through)
        for field in ("client_name", "title", "practice_area", "responsible_attorney", "notes"):
            arguments = {**ACME, field: f"{SECRET}{NUL}x"}
            refused(error(await client.call_tool("matters_create", arguments), "invalid_input"), field)
    assert await rows(runtime, Matter) == 0


async def test_a_nul_in_the_matters_list_filters_is_refused_not_read_as_match_everything(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        ok(await client.call_tool("matters_create", ACME))
        ok(await client.call_tool("matters_create", {**ACME, "client_name": "Widget Co"}))
        for field in ("client", "query", "practice_area", "responsible_attorney"):
            result = await client.call_tool("matters_list", {field: f"{SECRET}{NUL}"})
            refused(error(result, "invalid_input"), field)
        assert ok(await client.call_tool("matters_list", {"client": "widget"}))["total"] == 1


async def test_other_c0_controls_are_refused_but_tab_newline_and_carriage_return_are_kept(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        for control in ("\x1b[2J", "\x08", "\x07", "\x0b", "\x1f"):
            result = await client.call_tool("matters_create", {**ACME, "title": f"{SECRET}{control}x"})
            refused(error(result, "invalid_input"), "title")
        notes = "Call the client.\r\nThen:\tfile the claim.\nDone."
        created = ok(await client.call_tool("matters_create", {**ACME, "notes": notes}))
    assert created["notes"] == notes
    assert await rows(runtime, Matter) == 1


async def test_a_nul_in_arkiver_strings_is_refused_naming_the_field(runtime: Runtime, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    async with Client(runtime.server) as client:
        calls: list[tuple[str, dict[str, Any], str]] = [
            ("arkiver_ingest", {"text": f"An agreement. {SECRET}{NUL}"}, "text"),
            ("arkiver_ingest", {"text": "An agreement.", "filename": f"{SECRET}\x1b[2J.txt"}, "filename"),
            ("arkiver_ingest", {"path": f"{inbox}/{SECRET}{NUL}.txt"}, "path"),
            ("arkiver_ingest_batch", {"paths": [f"{inbox}/a.txt", f"{inbox}/{SECRET}{NUL}.txt"]}, "paths"),
            ("arkiver_ingest_batch", {"folder": f"{inbox}/{SECRET}{NUL}"}, "folder"),
            ("arkiver_search", {"query": f"{SECRET}{NUL}"}, "query"),
            ("arkiver_list_documents", {"filename": f"{SECRET}{NUL}"}, "filename"),
            ("arkiver_list_documents", {"format": f"{NUL}"}, "format"),
        ]
        for tool, arguments, field in calls:
            refused(error(await client.call_tool(tool, arguments), "invalid_input"), field)
        assert await rows(runtime, Document) == 0
        # A document's own text keeps its page breaks (form feeds); only NUL is refused there.
        two_pages = ok(await client.call_tool("arkiver_ingest", {"text": "Page one.\fPage two.\x0bsame line"}))
    assert two_pages["document"]["page_count"] == 2


async def test_a_control_character_in_a_resource_uri_parameter_is_refused(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        with pytest.raises(MCPError):  # the SDK refuses NUL in a URI parameter itself...
            await client.read_resource(f"cyrano://matters/{SECRET}%00")
        with pytest.raises(MCPError) as refusal:  # ...and Cyrano's validation the other controls
            await client.read_resource(f"cyrano://matters/{SECRET}%1B%5B2J")
    assert str(refusal.value).startswith("invalid_input: matter_id: "), refusal.value
    assert "control character" in str(refusal.value) and SECRET not in str(refusal.value)


async def test_a_nul_in_a_login_over_http_is_refused_before_the_store(any_store_settings: Settings) -> None:
    """/auth/login has its own body model: a NUL username fails the username rules (no such account can
    exist) and a password is only ever hashed, so neither reaches the store; the answer is a plain 401."""
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        await add_user(runtime, "admin")
        async with serve_app(build_http_app(runtime)) as url, httpx2.AsyncClient(base_url=url) as http:
            for body in (
                {"username": f"admin{NUL}{SECRET}", "password": PASSWORD},
                {"username": "admin", "password": f"{PASSWORD}{NUL}"},
            ):
                response = await http.post("/auth/login", json=body)
                assert response.status_code == 401 and response.json()["error"] == "invalid_credentials", response.text
            assert (await http.post("/auth/login", json={"username": "admin", "password": PASSWORD})).status_code == 200

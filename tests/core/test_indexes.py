"""Every hot query has an index: the statements real tool calls send are EXPLAINed on both databases.

A scenario drives the tools the way clients do while a listener records each SELECT, UPDATE and DELETE
the store receives. Each is then explained: on SQLite a `SCAN` of a checked table fails the test unless
the statement has no WHERE clause and reads through an index (an unfiltered listing stops at its LIMIT);
on PostgreSQL, with sequential scans discouraged (`enable_seqscan = off`, so tiny tables do not hide a
missing index), any `Seq Scan` of a checked table fails. Substring searches (client names, titles, file
names: `LIKE '%...%'`) are left out: no B-tree serves them.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

CHECKED = ("matters", "documents", "document_pages", "insights", "jobs", "job_items")
_CHECKED = "|".join(CHECKED)
_SQLITE_SCAN = re.compile(rf"\bSCAN ({_CHECKED})\b(?! VIRTUAL)(.*)")
_POSTGRES_SEQ_SCAN = re.compile(rf"Seq Scan on ({_CHECKED})\b")
_TOUCHES = re.compile(rf"\b(FROM|JOIN|UPDATE)\s+({_CHECKED})\b", re.IGNORECASE)


@contextmanager
def recorded(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if not many and verb in ("SELECT", "UPDATE", "DELETE") and _TOUCHES.search(statement):
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def scenario(runtime: Runtime, inbox: Path) -> None:
    async with Client(runtime.server) as client:
        matter = ok(
            await client.call_tool(
                "matters_create",
                {"client_name": "Harbor", "title": "Consulting", "practice_area": "Commercial", "reference": "M-1"},
            )
        )
        for index in range(3):
            ok(
                await client.call_tool(
                    "matters_create", {"client_name": f"C{index}", "title": "t", "practice_area": "x"}
                )
            )
        ok(await client.call_tool("matters_get", {"matter_id": matter["id"]}))
        for order_by in ("opened_on", "updated_at", "client_name", "title"):
            page = ok(await client.call_tool("matters_list", {"order_by": order_by, "limit": 2}))
            ok(
                await client.call_tool(
                    "matters_list", {"order_by": order_by, "limit": 2, "cursor": page["next_cursor"]}
                )
            )
        for filters in (
            {"status": "open"},
            {"practice_area": "commercial"},
            {"responsible_attorney": "Ng"},
            {"opened_from": "2020-01-01", "opened_to": "2030-01-01"},
        ):
            ok(await client.call_tool("matters_list", filters))
        ok(await client.call_tool("matters_update", {"matter_id": matter["id"], "title": "Consulting 2"}))

        document = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "matter_id": matter["id"]}))
        document_id = document["document"]["id"]
        ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "matter_id": matter["id"]}))  # duplicate
        ok(await client.call_tool("arkiver_list_documents", {}))
        ok(await client.call_tool("arkiver_list_documents", {"matter_id": matter["id"]}))
        ok(await client.call_tool("arkiver_list_documents", {"format": "text"}))
        ok(await client.call_tool("arkiver_insights", {"document_id": document_id}))
        ok(await client.call_tool("arkiver_read_document", {"document_id": document_id}))
        ok(await client.call_tool("arkiver_search", {"query": "occupancy report"}))
        ok(await client.call_tool("arkiver_search", {"query": "occupancy", "matter_id": matter["id"]}))

        submitted = ok(await client.call_tool("arkiver_ingest_batch", {"folder": str(inbox)}))
        job_id = submitted["job"]["id"]
        ok(await client.call_tool("jobs_status", {"job_id": job_id, "wait_seconds": 30}))
        ok(await client.call_tool("jobs_status", {"job_id": job_id, "item_status": "done"}))
        ok(await client.call_tool("jobs_list", {}))
        ok(await client.call_tool("jobs_list", {"status": "completed"}))
        ok(await client.call_tool("jobs_list", {"kind": "arkiver.ingest"}))
        ok(await client.call_tool("jobs_cancel", {"job_id": job_id}))
        ok(await client.call_tool("arkiver_delete", {"document_id": document_id}))
        ok(await client.call_tool("matters_close", {"matter_id": matter["id"]}))


async def full_scans(runtime: Runtime, statements: list[tuple[str, Any]]) -> list[str]:
    found: list[str] = []
    async with runtime.database.engine.connect() as conn:
        if runtime.database.kind == "postgresql":
            await conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            if runtime.database.kind == "sqlite":
                plan = [
                    str(row[-1]) for row in await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                ]
                filtered = " WHERE " in statement.upper()
                bad = [
                    line
                    for line in plan
                    if (match := _SQLITE_SCAN.search(line)) and (filtered or "INDEX" not in match.group(2))
                ]
            else:
                plan = [str(row[0]) for row in await conn.exec_driver_sql("EXPLAIN " + statement, parameters)]
                bad = [line for line in plan if _POSTGRES_SEQ_SCAN.search(line)]
            if bad:
                found.append(f"{' '.join(statement.split())}\n    -> {bad}")
        await conn.rollback()
    return found


async def test_hot_queries_never_scan_a_whole_table(any_store_settings: Settings, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(3):
        (inbox / f"c{number}.txt").write_text(CONTRACT.replace("May 8", f"May {number + 1}"))
    runtime = build_runtime(load_settings(**{**any_store_settings.model_dump(), "allowed_roots": [inbox]}))
    async with runtime.running():
        with recorded(runtime.database.engine) as statements:
            if runtime.database.write_engine is not runtime.database.engine:
                with recorded(runtime.database.write_engine) as written:
                    await scenario(runtime, inbox)
                statements.extend(written)
            else:
                await scenario(runtime, inbox)
        assert len(statements) > 40
        scans = await full_scans(runtime, statements)
        assert not scans, "\n".join(scans)

"""The archive of model answers: recorded and imported (ChatGPT and Claude exports) through MCP sessions, sealed at
rest, listed with previews, paged and filtered; bad input is refused and stores nothing."""

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from sqlalchemy import text

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

DATA = Path(__file__).parents[2] / "data"
CHATGPT = (DATA / "potemkin_chatgpt_conversations.json").read_text()
CLAUDE = (DATA / "potemkin_claude_conversations.json").read_text()
SECRET_ANSWER = "Ms Okafor's severance of $240,000 is payable on 3 March 2026."


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(load_settings(**any_store_settings.model_dump()))
    async with runtime.running():
        yield runtime


async def _stored_rows(runtime: Runtime) -> list[dict[str, Any]]:
    async with runtime.database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT * FROM potemkin_records"))
        return [dict(row._mapping) for row in rows]


@pytest.mark.parametrize("mode", MODES)
async def test_exports_of_both_formats_are_imported_once_and_listed(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        chatgpt = ok(await client.call_tool("potemkin_import", {"content": CHATGPT}))
        encoded = base64.b64encode(CLAUDE.encode()).decode()
        claude = ok(await client.call_tool("potemkin_import", {"content": encoded, "model": "claude-3-5-sonnet"}))
        again = ok(await client.call_tool("potemkin_import", {"content": CHATGPT}))
        listed = ok(await client.call_tool("potemkin_records", {"limit": 3}))
        rest = ok(await client.call_tool("potemkin_records", {"limit": 3, "cursor": listed["next_cursor"]}))
        gpt4 = ok(await client.call_tool("potemkin_records", {"model": "gpt-4"}))
        topic = ok(await client.call_tool("potemkin_records", {"topic": "  arbitration CLAUSE "}))
        early = ok(await client.call_tool("potemkin_records", {"until": "2024-06-01T00:00:00Z"}))

    assert (chatgpt["format"], chatgpt["recorded"], chatgpt["models"]) == ("chatgpt", 2, ["gpt-4", "gpt-4o"])
    first = chatgpt["first"][0]
    assert first["prompt"].startswith("Is a two-year non-compete clause enforceable")
    assert first["output"].startswith("No. A non-compete clause is not enforceable")  # the branch shown, no tool call
    assert (first["topic"], first["source"], first["answered_at"]) == (
        "Non-compete in California",
        "chatgpt-export",
        "2024-01-01T10:00:30Z",
    )
    assert (claude["format"], claude["recorded"], claude["models"]) == ("claude", 2, ["claude-3-5-sonnet"])
    assert claude["first"][0]["output"].startswith("Yes. Under AT&T Mobility LLC v. Concepcion")  # from content blocks
    assert claude["first"][1]["prompt"] == "And in an employment contract?"
    assert (again["recorded"], again["already_archived"]) == (0, 2)
    assert len(listed["items"]) == 3 and rest["next_cursor"] is None and len(rest["items"]) == 1
    times = [item["answered_at"] for item in listed["items"] + rest["items"]]
    assert times == sorted(times, reverse=True)
    assert [item["model"] for item in gpt4["items"]] == ["gpt-4"]
    assert len(topic["items"]) == 2 and {item["topic"] for item in topic["items"]} == {"Arbitration clause"}
    assert len(early["items"]) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_a_recorded_answer_is_sealed_at_rest(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        recorded = ok(
            await client.call_tool(
                "potemkin_record",
                {
                    "model": "gpt-4o",
                    "prompt": "When is Ms Okafor's severance due?",
                    "topic": "Okafor severance",
                    "output": SECRET_ANSWER,
                },
            )
        )
        listed = ok(await client.call_tool("potemkin_records", {}))
        full = ok(await client.call_tool("potemkin_record_get", {"record_id": recorded["id"]}))
    assert recorded["source"] == "manual" and recorded["output"] == SECRET_ANSWER
    assert (full["prompt"], full["output"], full["topic"]) == (
        "When is Ms Okafor's severance due?",
        SECRET_ANSWER,
        "Okafor severance",
    )
    assert listed["items"][0]["id"] == recorded["id"]
    (row,) = await _stored_rows(runtime)
    stored = json.dumps(row, default=str)
    for secret in ("Okafor", "240,000", "severance"):
        assert secret not in stored
    assert row["model"] == "gpt-4o"  # what filters compare stays in clear


@pytest.mark.parametrize(
    ("arguments", "code", "says"),
    [
        ({"content": "[]"}, "invalid_input", "no conversations"),
        ({"content": "{not json"}, "invalid_input", "not JSON"),
        ({"content": '[{"title": "x", "messages": []}]'}, "invalid_input", "not a ChatGPT export"),
        ({"content": '[{"mapping": "nodes"}]'}, "invalid_input", "without its `mapping`"),
        ({"content": '[{"chat_messages": [{"sender": "human", "text": "hi"}]}]'}, "invalid_input", "no assistant"),
        ({"content": "!!!not base64!!!"}, "invalid_input", "neither JSON text nor base64"),
        ({"content": CLAUDE, "format": "chatgpt"}, "invalid_input", "without its `mapping`"),
    ],
)
async def test_bad_exports_are_refused_and_store_nothing(
    runtime: Runtime, arguments: dict[str, Any], code: str, says: str
) -> None:
    async with Client(runtime.server) as client:
        message = error(await client.call_tool("potemkin_import", arguments), code)
    assert says in message
    assert await _stored_rows(runtime) == []


async def test_other_bad_input_gets_a_typed_error(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        no_question = error(await client.call_tool("potemkin_record", {"model": "m", "output": "x"}), "invalid_input")
        unknown = await client.call_tool("potemkin_records", {"probe_id": "not-an-id"})
        foreign = error(await client.call_tool("potemkin_records", {"cursor": "bm9wZQ"}), "invalid_input")
        missing = error(
            await client.call_tool("potemkin_record_get", {"record_id": "00000000-0000-4000-8000-00000000000f"}),
            "not_found",
        )
        remove = error(
            await client.call_tool("potemkin_probes_remove", {"probe_id": "00000000-0000-4000-8000-000000000000"}),
            "not_found",
        )
    assert "prompt, the topic, or both" in no_question
    assert unknown.is_error and "probe id" in unknown.content[0].text  # type: ignore[union-attr]
    assert "cursor" in foreign and "no probe has id" in remove
    assert "no archived answer has id 00000000-0000-4000-8000-00000000000f" in missing
    assert await _stored_rows(runtime) == []


async def test_an_export_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data", toolsets=["all"], potemkin_max_import_bytes=1_000, log_format="json"
    )
    runtime = build_runtime(settings)
    async with runtime.running(), Client(runtime.server) as client:
        message = error(await client.call_tool("potemkin_import", {"content": CHATGPT}), "too_large")
    assert "at most 1,000" in message

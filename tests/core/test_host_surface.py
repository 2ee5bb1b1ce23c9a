"""What a host sees: toolsets per transport, the catalogue's cost, truthful annotations, prompts, and the
resources an attach menu lists."""

from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp_types import TextContent

from cyrano_mcp.catalogue import DEFAULT_STDIO_TURN_BUDGET, tool_costs
from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit import Engine, Parts, Permissions, Prompt, PromptMessage, Role, ToolInput
from cyrano_mcp.registry import EngineSource, discover_engine_sources
from cyrano_mcp.server import build_runtime, build_server
from cyrano_mcp.settings import load_settings
from tests.conftest import TEST_SETTINGS
from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio

LAWYER_TOOLSETS = {"chronometric", "documents", "jobs", "matters", "potemkin"}
ADMINISTRATION = ("auth_", "system_", "audit_")
CONTRACT = (
    "MASTER SERVICES AGREEMENT\n\nThis Master Services Agreement is made between Northwind Traders LLC "
    '("Client") and Blue Harbor Consulting Inc. ("Consultant"). This Agreement shall be governed by the laws '
    "of the State of Delaware. Consultant shall deliver the monthly report to Client. Either party may "
    "terminate this Agreement for convenience on thirty (30) days' written notice.\n"
)


def _settings(data_dir: Path, **overrides: Any) -> Any:
    given = {key: value for key, value in TEST_SETTINGS.items() if key != "toolsets"}
    return load_settings(data_dir=data_dir, **{**given, **overrides})


def test_stdio_offers_the_lawyers_toolsets_and_http_all(data_dir: Path) -> None:
    stdio = build_runtime(_settings(data_dir))
    assert stdio.toolsets == LAWYER_TOOLSETS
    names = [row["name"] for row in stdio.registry.catalogue(stdio.toolsets)]
    assert names and not [name for name in names if name.startswith(ADMINISTRATION)]
    assert {"arkiver_ingest", "matters_create", "jobs_status"} <= set(names)
    http = build_runtime(_settings(data_dir, transport="http"))
    assert http.toolsets == set(http.registry.toolsets())
    assert {"session", "accounts", "audit", "system"} <= http.toolsets


def test_toolsets_combine_and_refuse_unknown_names(data_dir: Path) -> None:
    runtime = build_runtime(_settings(data_dir, toolsets="default,accounts"))
    assert runtime.toolsets == LAWYER_TOOLSETS | {"accounts"}
    with pytest.raises(ConfigError, match="'contracts'.*choose from all, default, accounts"):
        build_runtime(_settings(data_dir, toolsets="matters,contracts"))


async def test_a_stdio_session_lists_only_the_lawyers_tools(data_dir: Path) -> None:
    async with Client(build_server(_settings(data_dir))) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        refused = await client.call_tool("auth_users_list", {})
    assert not [name for name in names if name.startswith(ADMINISTRATION)]
    assert "arkiver_search" in names
    assert refused.is_error  # not offered at all, not merely hidden


def test_the_default_stdio_catalogue_stays_under_its_budget(data_dir: Path) -> None:
    runtime = build_runtime(_settings(data_dir))
    costs = tool_costs(runtime.registry.catalogue(runtime.toolsets))
    per_turn = sum(cost.per_turn for cost in costs)
    assert per_turn <= DEFAULT_STDIO_TURN_BUDGET, f"{per_turn:,} characters per turn"
    everything = build_runtime(_settings(data_dir, toolsets="all"))
    assert per_turn < sum(cost.per_turn for cost in tool_costs(everything.registry.catalogue()))


def test_schemas_carry_no_generated_titles(data_dir: Path) -> None:
    runtime = build_runtime(_settings(data_dir, toolsets="all"))
    matters_create = next(row for row in runtime.registry.catalogue() if row["name"] == "matters_create")
    assert "title" in matters_create["inputSchema"]["properties"]  # the matter's title: a property, kept
    assert '"title": "' not in str(matters_create["inputSchema"]).replace("'", '"')


def test_optional_arguments_are_listed_by_type_unless_their_null_means_something(data_dir: Path) -> None:
    runtime = build_runtime(_settings(data_dir))
    schemas = {row["name"]: row["inputSchema"]["properties"] for row in runtime.registry.catalogue(runtime.toolsets)}
    assert schemas["arkiver_search"]["matter_id"]["type"] == "string"  # leaving it out is how to say "none"
    assert (
        "anyOf" not in schemas["arkiver_search"]["matter_id"]
        and "default" not in schemas["arkiver_search"]["matter_id"]
    )
    clears = schemas["matters_update"]["reference"]  # null clears the reference: it stays expressible
    assert {"type": "null"} in clears["anyOf"] and "x-null-clears" not in clears


async def test_an_explicit_null_for_an_optional_argument_is_still_accepted(data_dir: Path) -> None:
    async with Client(build_server(_settings(data_dir))) as client:
        found = ok(await client.call_tool("arkiver_search", {"query": "lease", "matter_id": None}))
    assert found["hits"] == []


@pytest.mark.parametrize("mode", MODES)
async def test_annotations_say_what_ends_or_overwrites(data_dir: Path, mode: str) -> None:
    async with Client(build_server(_settings(data_dir, toolsets="all")), mode=mode) as client:
        tools = {tool.name: tool.annotations for tool in (await client.list_tools()).tools}
    for name in ("matters_update", "matters_close", "jobs_cancel"):
        hints = tools[name]
        assert hints is not None and hints.destructive_hint is True and hints.read_only_hint is False, name
    ingest = tools["arkiver_ingest"]
    assert ingest is not None and ingest.idempotent_hint is True and ingest.destructive_hint is False


def test_account_tools_that_end_or_overwrite_say_so(data_dir: Path) -> None:
    runtime = build_runtime(_settings(data_dir, toolsets="all"))
    hints = {row["name"]: row["annotations"] for row in runtime.registry.catalogue()}
    assert hints["auth_users_set_role"]["destructiveHint"] is True
    assert hints["auth_logout"]["destructiveHint"] is True
    assert hints["auth_whoami"]["readOnlyHint"] is True


@pytest.mark.parametrize("mode", MODES)
async def test_prompts_start_from_what_cyrano_knows(data_dir: Path, mode: str) -> None:
    async with Client(build_server(_settings(data_dir)), mode=mode) as client:
        prompts = {prompt.name: prompt for prompt in (await client.list_prompts()).prompts}
        assert {"summarise_contract", "find_in_documents"} <= set(prompts)
        arguments = {argument.name: argument.required for argument in prompts["find_in_documents"].arguments or []}
        assert arguments == {"question": True, "matter_id": False}
        stored = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "filename": "msa.txt"}))
        document_id = stored["document"]["id"]
        summary = await client.get_prompt("summarise_contract", {"document_id": document_id})
        found = await client.get_prompt("find_in_documents", {"question": "terminate convenience"})
    texts = [message.content.text for message in summary.messages if isinstance(message.content, TextContent)]
    assert document_id in texts[0] and "Northwind Traders" in texts[1]
    leads = [message.content.text for message in found.messages if isinstance(message.content, TextContent)]
    assert "page 1" in leads[1] and document_id in leads[1]


async def test_a_prompt_for_a_missing_document_is_a_clear_error(data_dir: Path) -> None:
    async with Client(build_server(_settings(data_dir))) as client:
        with pytest.raises(Exception, match="not_found"):
            await client.get_prompt("summarise_contract", {"document_id": "6f1c1a8e-0000-4000-8000-000000000000"})


class _Nothing(ToolInput):
    pass


async def _secret(_: _Nothing) -> list[PromptMessage]:
    return [PromptMessage(text="the partners' view")]


SECRETS = Engine(
    name="secrets",
    description="A test engine whose one prompt attorneys may not use.",
    build=lambda _context: Parts(
        prompts=[Prompt("partners_only", "Partners only", "Only admins.", _Nothing, _secret, permission="vault:open")]
    ),
    permissions=[Permissions("vault", {"open": "open the vault"}, grants={Role.ADMIN: ["*"]})],
)


async def test_prompts_a_role_may_not_use_are_hidden_and_refused(data_dir: Path) -> None:
    settings = _settings(data_dir)
    sources = [*discover_engine_sources(settings), EngineSource("test", SECRETS)]
    async with Client(build_runtime(settings, sources).server) as client:
        names = {prompt.name for prompt in (await client.list_prompts()).prompts}
        assert "partners_only" not in names and "summarise_contract" in names
        with pytest.raises(Exception, match="permission_denied"):
            await client.get_prompt("partners_only", {})


async def test_an_empty_listing_never_makes_an_empty_page(data_dir: Path) -> None:
    async with Client(build_server(_settings(data_dir))) as client:
        assert (await client.list_resources()).resources == []  # nothing stored yet: one empty, final page
        stored = ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT, "filename": "msa.txt"}))
        page = await client.list_resources()  # no matters: the documents fill the first page
    assert [str(item.uri) for item in page.resources] == [stored["document"]["uri"]] and page.next_cursor is None


@pytest.mark.parametrize("mode", MODES)
async def test_resources_list_pages_through_matters_and_documents(data_dir: Path, mode: str) -> None:
    async with Client(build_server(_settings(data_dir)), mode=mode) as client:
        matters = []
        for number in range(60):
            created = ok(
                await client.call_tool(
                    "matters_create",
                    {"client_name": f"Client {number}", "title": f"Matter {number}", "practice_area": "corporate"},
                )
            )
            matters.append(created["uri"])
        documents = []
        for number in range(3):
            text = f"{CONTRACT}\nSchedule {number}."
            stored = ok(await client.call_tool("arkiver_ingest", {"text": text, "filename": f"msa-{number}.txt"}))
            documents.append(stored["document"]["uri"])
        listed: list[str] = []
        pages = 0
        cursor = None
        while True:
            page = await client.list_resources(cursor=cursor)
            listed += [str(resource.uri) for resource in page.resources]
            pages += 1
            cursor = page.next_cursor
            if cursor is None:
                break
    assert pages == 2  # 50 matters, then the other 10 and the documents: pages are filled across listings
    assert len(listed) == len(set(listed)) == 63
    assert set(listed) == set(matters) | set(documents)
    assert listed[0] == matters[-1]  # the most recently changed matter first


async def test_a_forged_resources_cursor_is_refused(data_dir: Path) -> None:
    async with Client(build_server(_settings(data_dir))) as client:
        with pytest.raises(Exception, match="cursor"):
            await client.list_resources(cursor="bm90IG91cnM")

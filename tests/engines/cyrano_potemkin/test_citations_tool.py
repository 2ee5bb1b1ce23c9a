"""potemkin_citations and the library of authorities through MCP client sessions, in both protocol generations."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

BRIEF = (
    "Segregated schools are unconstitutional. Brown v. Board of Education, 347 U.S. 483, 495 (1954). The same "
    "rule was applied in Cooper v. Aaron, 358 U.S. 1 (1958)."
)
MEMO = "Our client relies on Palsgraf v. Long Island R.R. Co., 248 N.Y. 339 (1928), which the court followed."


def settings_with(base: Settings, **extra: Any) -> Settings:
    return load_settings(**{**base.model_dump(), **extra})


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(settings_with(any_store_settings, toolsets=["default", "potemkin_library"]))
    async with runtime.running():
        yield runtime


async def check(client: Client, text: str, **extra: Any) -> dict[str, Any]:
    return ok(await client.call_tool("potemkin_citations", {"text": text, **extra}))


@pytest.mark.parametrize("mode", MODES)
async def test_a_real_citation_is_unverified_and_the_answer_says_nothing_was_checked_online(
    runtime: Runtime, mode: str
) -> None:
    async with Client(runtime.server, mode=mode) as client:
        answer = await check(client, BRIEF)
    assert answer["summary"] == {
        "citations": 2, "malformed": 0, "impossible": 0, "found": 0, "unverified": 2, "name_mismatches": 0,
        "not_found_online": 0,
    }  # fmt: skip
    assert answer["problems"] == [] and answer["next_cursor"] is None
    assert answer["online"].startswith("nothing was checked online")
    brown = answer["citations"][0]
    assert brown["text"] == "347 U.S. 483" and BRIEF[brown["start"] : brown["end"]] == "347 U.S. 483"
    assert brown["case_name"] == "Brown v. Board of Education" and brown["method"] == "none"


@pytest.mark.parametrize("mode", MODES)
async def test_invented_reporters_and_impossible_years_and_courts_are_flagged(runtime: Runtime, mode: str) -> None:
    text = (
        "See Varghese v. China Southern Airlines Co., 925 F.3d 1339 (11th Cir. 2019); Hale v. Dorn, 12 Fed. Rptr. "
        "5th 88 (2020); Ames v. Ward, 41 F.5th 210 (2d Cir. 2022); Stone v. Ritter, 911 A.2d 362 (Del. 2016); "
        "Lee v. Park, 55 Cal. Rptr. 3d 100 (9th Cir. 2007)."
    )
    async with Client(runtime.server, mode=mode) as client:
        answer = await check(client, text)
    statuses = {item["text"]: (item["status"], item["method"]) for item in answer["citations"]}
    assert statuses["925 F.3d 1339"] == ("unverified", "none")
    assert statuses["12 Fed. Rptr. 5th 88"] == ("malformed", "reporters-db")
    assert statuses["41 F.5th 210"] == ("malformed", "reporters-db")
    assert statuses["911 A.2d 362"] == ("impossible", "reporters-db")
    assert statuses["55 Cal. Rptr. 3d 100"] == ("impossible", "courts-db")
    assert answer["problems"] == [2, 3, 4, 5]
    assert answer["alert_id"]  # fabricated citations raise an alert
    reasons = {item["text"]: item["reason"] for item in answer["citations"]}
    assert "F. has no 5th series" in reasons["41 F.5th 210"] and "2016" in reasons["911 A.2d 362"]


@pytest.mark.parametrize("mode", MODES)
async def test_an_added_authority_is_found_and_its_citation_under_another_name_is_not(
    runtime: Runtime, mode: str
) -> None:
    async with Client(runtime.server, mode=mode) as client:
        added = ok(
            await client.call_tool(
                "potemkin_authorities_add",
                {"citation": "347 U. S. 483", "case_name": "Brown v. Board of Education of Topeka", "year": 1954,
                 "note": "Checked in the official reports."},
            )
        )  # fmt: skip
        assert added["already_stored"] is False and added["authority"]["citation"] == "347 U.S. 483"
        again = ok(
            await client.call_tool(
                "potemkin_authorities_add",
                {"citation": "347 U.S. 483", "case_name": "Brown v. Board of Education of Topeka"},
            )
        )
        assert again["already_stored"] is True and again["authority"]["id"] == added["authority"]["id"]
        error(
            await client.call_tool(
                "potemkin_authorities_add", {"citation": "347 U.S. 483", "case_name": "Roe v. Wade"}
            ),
            "conflict",
        )
        found = await check(client, BRIEF)
        brown = found["citations"][0]
        assert (brown["status"], brown["method"], brown["found_in"]) == ("found", "library", "library")
        assert found["summary"]["found"] == 1

        invented = await check(client, "As held in Roe v. Wade, 347 U.S. 483 (1954), the rule is settled.")
        [wrong] = invented["citations"]
        assert wrong["status"] == "unverified" and wrong["detail"] == "name_mismatch"
        assert wrong["authority_name"] == "Brown v. Board of Education of Topeka" and invented["problems"] == [1]

        listed = ok(await client.call_tool("potemkin_authorities_list", {}))
        assert listed["total"] == 1 and listed["authorities"][0]["note"] == "Checked in the official reports."
        removed = ok(await client.call_tool("potemkin_authorities_remove", {"authority_id": added["authority"]["id"]}))
        assert removed["removed"]["case_name"] == "Brown v. Board of Education of Topeka"
        assert (await check(client, BRIEF))["citations"][0]["status"] == "unverified"
        error(
            await client.call_tool("potemkin_authorities_remove", {"authority_id": added["authority"]["id"]}),
            "not_found",
        )


@pytest.mark.parametrize("mode", MODES)
async def test_a_citation_in_an_ingested_matter_document_is_found_there(runtime: Runtime, mode: str) -> None:
    opinion = "OPINION\n\nThe duty runs only to the foreseeable plaintiff. " + MEMO.replace(
        "Our client", "The defendant"
    )
    async with Client(runtime.server, mode=mode) as client:
        matter = ok(
            await client.call_tool("matters_create", {"client_name": "Rowe", "title": "Tort", "practice_area": "tort"})
        )["id"]
        document = ok(
            await client.call_tool("arkiver_ingest", {"text": opinion, "filename": "opinion.txt", "matter_id": matter})
        )["document"]["id"]
        without_matter = await check(client, MEMO)
        answer = await check(client, MEMO, matter_id=matter)
        renamed = await check(client, MEMO.replace("Palsgraf", "Kessler"), matter_id=matter)
    assert without_matter["citations"][0]["status"] == "unverified"
    [palsgraf] = answer["citations"]
    assert palsgraf["status"] == "found" and palsgraf["method"] == "document"
    assert palsgraf["found_in"] == f"document {document}, page 1" and matter in answer["checked_against"]
    assert renamed["citations"][0]["detail"] == "name_mismatch"


@pytest.mark.parametrize("mode", MODES)
async def test_bad_input_is_a_typed_error(any_store_settings: Settings, mode: str) -> None:
    runtime = build_runtime(
        settings_with(any_store_settings, potemkin_max_text_chars=1_000, toolsets=["default", "potemkin_library"])
    )
    async with runtime.running(), Client(runtime.server, mode=mode) as client:
        error(await client.call_tool("potemkin_citations", {"text": " ... "}), "invalid_input")
        error(await client.call_tool("potemkin_citations", {"text": BRIEF * 10}), "too_large")
        error(await client.call_tool("potemkin_citations", {"text": BRIEF, "cursor": "nonsense"}), "invalid_input")
        error(
            await client.call_tool(
                "potemkin_citations", {"text": BRIEF, "matter_id": "7c6f1f5e-9d1a-4c1b-8f43-1c2b3d4e5f60"}
            ),
            "not_found",
        )
        error(
            await client.call_tool("potemkin_authorities_add", {"citation": "12 Foo. Rptr. 34", "case_name": "A v. B"}),
            "invalid_input",
        )
        assert ok(await client.call_tool("potemkin_authorities_list", {}))["total"] == 0


@pytest.mark.parametrize("mode", MODES)
async def test_a_viewer_may_check_citations_but_not_add_authorities(any_store_settings: Settings, mode: str) -> None:
    runtime = build_runtime(
        settings_with(any_store_settings, local_user_role="viewer", toolsets=["default", "potemkin_library"])
    )
    async with runtime.running(), Client(runtime.server, mode=mode) as client:
        assert (await check(client, BRIEF))["summary"]["citations"] == 2
        error(
            await client.call_tool(
                "potemkin_authorities_add", {"citation": "347 U.S. 483", "case_name": "Brown v. Board"}
            ),
            "permission_denied",
        )
        assert ok(await client.call_tool("potemkin_authorities_list", {}))["total"] == 0


@pytest.mark.parametrize("mode", MODES)
async def test_a_long_list_of_citations_is_paged_with_a_cursor(runtime: Runtime, mode: str) -> None:
    text = " ".join(f"Case{n} v. Party{n}, {100 + n} F.3d {200 + n} (9th Cir. 2001)." for n in range(120))
    async with Client(runtime.server, mode=mode) as client:
        first = ok(await client.call_tool("potemkin_citations", {"text": text}))
        pages, cursor = [first], first["next_cursor"]
        while cursor is not None:
            pages.append(await check(client, text, cursor=cursor))
            cursor = pages[-1]["next_cursor"]
        error(
            await client.call_tool("potemkin_citations", {"text": text + ".", "cursor": first["next_cursor"]}),
            "invalid_input",
        )
    assert first["summary"]["citations"] == 120 and len(pages) > 1
    assert [item["index"] for page in pages for item in page["citations"]] == list(range(1, 121))
    assert len(str(first)) < 10_000

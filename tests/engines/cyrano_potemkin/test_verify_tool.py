"""potemkin_verify through MCP client sessions: a contract ingested, an AI summary of it with one planted wrong
date checked, paging, and the errors a client can show."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

# Two pages (a form feed between them), so that a quote's page is checked, not assumed.
LICENCE = (
    "SOFTWARE LICENCE AGREEMENT\n\n"
    'This Software Licence Agreement (the "Agreement") is made as of the 11th day of December, 2006 (the '
    '"Effective Date") by and between Kestrel Analytics Corp., a Delaware corporation ("Licensor"), and '
    'Marlow & Finch LLP, a New York limited liability partnership ("Licensee").\n\n'
    "1. Licence. Licensor grants Licensee a non-exclusive licence to use the Software at its offices.\n\n"
    "2. Fees. Licensee shall pay Licensor an annual fee of $48,000 within thirty (30) days after each invoice.\n"
    "\f"
    "3. Term. This Agreement begins on the Effective Date and continues for five (5) years. Thereafter it renews\n"
    "automatically for successive one (1) year periods unless either party gives written notice of non-renewal\n"
    "at least sixty (60) days before the end of the then-current term.\n\n"
    "4. Governing Law. This Agreement shall be governed by the laws of the State of New York.\n"
)
SUMMARY = (
    "Summary of the licence:\n"
    "- The agreement is between Kestrel Analytics Corp. and Marlow & Finch LLP.\n"
    "- It was made as of 11 December 2007.\n"  # planted: the contract says 2006
    "- The initial term is five years, so it expires on 12/11/2011.\n"
    "- It renews for successive one-year periods unless notice is given 60 days before the term ends.\n"
    "- New York law governs the agreement.\n"
    "- The annual fee is $48,000.\n"
    "- The licensee seems satisfied with the software.\n"
)


def potemkin_settings(base: Settings, **extra: Any) -> Settings:
    return load_settings(**{**base.model_dump(), **extra})


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(potemkin_settings(any_store_settings))
    async with runtime.running():
        yield runtime


async def _matter_with_licence(client: Client) -> tuple[str, str]:
    matter = ok(
        await client.call_tool(
            "matters_create", {"client_name": "Marlow & Finch", "title": "Software licence", "practice_area": "ip"}
        )
    )["id"]
    ingested = ok(
        await client.call_tool("arkiver_ingest", {"text": LICENCE, "filename": "licence.txt", "matter_id": matter})
    )
    return matter, ingested["document"]["id"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_planted_wrong_date_is_contradicted_with_the_right_one_quoted(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        matter, document_id = await _matter_with_licence(client)
        checked = ok(await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": matter}))
        page_two = ok(
            await client.call_tool(
                "arkiver_read_document", {"document_id": document_id, "first_page": 2, "last_page": 2}
            )
        )["pages"][0]["text"]

    claims = {claim["index"]: claim for claim in checked["claims"]}
    verdicts = [claims[index]["verdict"] for index in sorted(claims)]
    assert verdicts == [
        "unverifiable",  # "Summary of the licence:" states nothing
        "supported",
        "contradicted",
        "supported",
        "supported",
        "supported",
        "supported",
        "unverifiable",
    ]
    assert checked["summary"] == {"claims": 8, "supported": 5, "contradicted": 1, "unverifiable": 2}
    assert checked["contradicted"] == [3]
    assert checked["sources"] == [{"document_id": document_id, "name": "licence.txt", "pages": 2}]

    wrong = claims[3]
    assert wrong["topic"] == "agreement_date" and wrong["claimed"] == "2007-12-11"
    assert wrong["source_value"] == "2006-12-11"
    assert wrong["evidence"][0]["role"] == "contradicts" and wrong["evidence"][0]["page"] == 1
    assert "11th day of December, 2006" in wrong["evidence"][0]["quote"]

    expiry = claims[4]  # five years from the Effective Date, counted
    assert expiry["method"] == "computed"
    assert [item["role"] for item in expiry["evidence"]] == ["supports", "counted_from"]
    renewal = claims[5]["evidence"][0]
    assert renewal["page"] == 2 and page_two[renewal["start"] : renewal["end"]] == renewal["quote"]
    assert "sixty (60) days" in renewal["quote"]
    assert claims[8]["reason"] and not claims[8]["evidence"]


async def test_a_changed_party_place_period_or_amount_is_contradicted(runtime: Runtime) -> None:
    wrong = (
        "The agreement is between Kestrel Analytics Corp. and Harlow & Finch LLP.\n"
        "Delaware law governs the agreement.\n"
        "Notice of non-renewal is due 90 days before the term ends.\n"
        "Licensee shall pay Licensor an annual fee of $84,000 within thirty days after each invoice.\n"
    )
    async with Client(runtime.server) as client:
        _, document_id = await _matter_with_licence(client)
        checked = ok(await client.call_tool("potemkin_verify", {"text": wrong, "document_ids": [document_id]}))
    claims = checked["claims"]
    assert [claim["verdict"] for claim in claims] == ["contradicted"] * 4
    assert "Harlow & Finch LLP" in claims[0]["reason"]
    assert claims[1]["source_value"] == "New York"
    assert claims[2]["source_value"] == "60 days"
    assert claims[3]["source_value"] == "USD 48000"


async def test_claims_page_by_cursor_and_filter_by_verdict(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        arguments = {"text": SUMMARY, "matter_id": matter, "limit": 3}
        first = ok(await client.call_tool("potemkin_verify", arguments))
        second = ok(await client.call_tool("potemkin_verify", {**arguments, "cursor": first["next_cursor"]}))
        only = ok(await client.call_tool("potemkin_verify", {**arguments, "verdict": "contradicted"}))
        refused = await client.call_tool(
            "potemkin_verify", {**arguments, "verdict": "supported", "cursor": first["next_cursor"]}
        )
    assert [claim["index"] for claim in first["claims"] + second["claims"]] == [1, 2, 3, 4, 5, 6]
    assert [claim["index"] for claim in only["claims"]] == [3] and only["next_cursor"] is None
    assert only["summary"]["claims"] == 8  # the summary counts every claim, whatever the filter
    assert "cursor" in error(refused, "invalid_input")


async def test_bad_input_gets_a_clear_error(any_store_settings: Settings) -> None:
    runtime = build_runtime(potemkin_settings(any_store_settings, potemkin_max_text_chars=2_000))
    async with runtime.running(), Client(runtime.server) as client:
        matter, document_id = await _matter_with_licence(client)
        other = ok(
            await client.call_tool("matters_create", {"client_name": "Other", "title": "Other", "practice_area": "ip"})
        )["id"]
        no_sources = await client.call_tool("potemkin_verify", {"text": SUMMARY})
        empty = await client.call_tool("potemkin_verify", {"text": "  \n ", "matter_id": matter})
        no_words = await client.call_tool("potemkin_verify", {"text": "-- ... --", "matter_id": matter})
        too_long = await client.call_tool("potemkin_verify", {"text": "word " * 1_000, "matter_id": matter})
        elsewhere = await client.call_tool(
            "potemkin_verify", {"text": SUMMARY, "matter_id": other, "document_ids": [document_id]}
        )
        empty_matter = await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": other})
        unknown = await client.call_tool(
            "potemkin_verify", {"text": SUMMARY, "document_ids": ["00000000-0000-4000-8000-000000000000"]}
        )
    assert "matter_id, document_ids" in error(no_sources, "invalid_input")
    assert "text" in error(empty, "invalid_input")
    assert "no words" in error(no_words, "invalid_input")
    assert "2,000" in error(too_long, "too_large")
    assert "not a document of matter" in error(elsewhere, "invalid_input")
    assert "no documents" in error(empty_matter, "invalid_input")
    error(unknown, "not_found")


async def test_a_five_megabyte_text_is_refused(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        refused = await client.call_tool("potemkin_verify", {"text": "a" * 5_000_001, "matter_id": matter})
    assert refused.is_error and "Traceback" not in str(refused.content)


@pytest.mark.parametrize("mode", MODES)
async def test_quotations_are_checked_verbatim_and_an_altered_one_is_a_contradiction(
    runtime: Runtime, mode: str
) -> None:
    text = (
        'The licence says that "Licensor grants Licensee a non-exclusive licence to use the Software at its '
        'offices." It also provides that "either party may give written notice of non-renewal at least thirty '
        '(30) days before the end of the then-current term." Finally, "the Licensee may sublicense the Software '
        'to its affiliates without consent."'
    )
    async with Client(runtime.server, mode=mode) as client:
        matter, _ = await _matter_with_licence(client)
        claims = ok(await client.call_tool("potemkin_verify", {"text": text, "matter_id": matter}))["claims"]
    exact, altered, invented = claims
    assert (exact["verdict"], exact["method"], exact["quotation"]["status"]) == ("supported", "quotation", "exact")
    assert exact["evidence"][0]["quote"].startswith("Licensor grants Licensee a non-exclusive licence")
    assert (altered["verdict"], altered["quotation"]["status"]) == ("contradicted", "close")
    assert {"quoted": "thirty 30", "source": "sixty 60"} in altered["quotation"]["changes"]  # words, not brackets
    assert altered["evidence"][0]["page"] == 2 and altered["evidence"][0]["role"] == "contradicts"
    assert (invented["verdict"], invented["quotation"]["status"]) == ("unverifiable", "not_found")


async def test_the_check_draft_prompt_starts_from_the_check(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        prompt = await client.get_prompt("check_draft", {"draft": SUMMARY, "matter_id": matter})
    task, draft, checked = (message.content.text for message in prompt.messages)  # type: ignore[union-attr]
    assert "contradicted claim" in task and "never correct from general knowledge" in task.lower()
    assert SUMMARY.strip() in draft  # prompt arguments are trimmed
    assert '"contradicted":[3]' in checked and "11th day of December, 2006" in checked


async def test_a_claims_citations_take_the_citation_checks_verdict(runtime: Runtime) -> None:
    text = (
        "The leading case is Brown v. Board of Education, 347 U.S. 483 (1954).\n"
        "Damages follow Hale v. Dorn, 12 Fed. Rptr. 5th 88 (2020).\n"
    )
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        ok(
            await client.call_tool(
                "potemkin_authorities_add", {"citation": "347 U.S. 483", "case_name": "Brown v. Board of Education"}
            )
        )
        claims = ok(await client.call_tool("potemkin_verify", {"text": text, "matter_id": matter}))["claims"]
    found, invented = claims
    assert (found["verdict"], found["method"]) == ("supported", "citation")
    assert (invented["verdict"], invented["method"]) == ("contradicted", "citation")
    assert "12 Fed. Rptr. 5th 88" in invented["reason"]


async def test_names_outside_a_claim_about_the_parties_support_or_stay_unverified(runtime: Runtime) -> None:
    text = (
        "Kestrel Analytics Corp. and Marlow & Finch LLP signed the licence.\n"
        "Kestrel Analytics Corp. and Harbor Freight Inc. signed the licence.\n"
        "The Software is reliable.\n"
    )
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        claims = ok(await client.call_tool("potemkin_verify", {"text": text, "matter_id": matter}))["claims"]
    both, unknown, words = claims
    assert both["verdict"] == "supported" and both["topic"] == "parties"
    assert unknown["verdict"] == "unverifiable" and "Harbor Freight Inc." in unknown["reason"]  # maybe an agent
    assert words["verdict"] == "unverifiable" and words["method"] == "none"  # capitalised words are no parties

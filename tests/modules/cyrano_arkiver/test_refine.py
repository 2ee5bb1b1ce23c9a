"""arkiver_refine: a model's proposals are kept only where their quote stands in the document."""

from pathlib import Path

import pytest
from mcp import Client
from pydantic import SecretStr

from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.fakes.models import answer, running
from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

GUARANTOR = "Blue Harbor Capital LP"
TEXT = CONTRACT + (
    f'\n5. Guarantee. {GUARANTOR} (the  "Guarantor") guarantees the Company\'s payment obligations.\n'
    "6. Notices. Send notices to the Company, attention SSN 123-45-6789 on file.\n"
)
PROPOSALS = {
    "parties": [
        {"name": GUARANTOR, "role": "Guarantor", "quote": f'{GUARANTOR} (the "Guarantor") guarantees'},
        {"name": "Invented Holdings Ltd.", "role": None, "quote": "Invented Holdings Ltd. shall indemnify"},
        {"name": "Harbor Analytics LLC", "role": "Consultant", "quote": "Harbor Analytics LLC"},
    ],
    "dates": [{"date": "2030-01-01", "kind": "deadline", "quote": "a date the contract never mentions"}],
    "governing_law": {"jurisdiction": "Nevada", "quote": "laws of the State of Nevada"},
}


def arkiver(settings: Settings, **extra: object) -> Settings:
    return load_settings(**{**settings.model_dump(), **extra})


def with_fake_openai(settings: Settings, url: str) -> Settings:
    """Settings whose model provider is the loopback OpenAI fake at `url`."""
    return arkiver(
        settings,
        openai_api_key=SecretStr("sk-test-key-0123456789abcdef"),
        openai_base_url=url,
        openai_model="test-model",
    )


async def test_without_a_model_refine_returns_the_rules_result_and_says_why(settings: Settings) -> None:
    async with Client(build_runtime(arkiver(settings)).server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"text": TEXT}))["document"]
        before = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))
        refined = ok(await client.call_tool("arkiver_refine", {"document_id": document["id"]}))
        after = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))
    assert refined["method"] == refined["model"] == "rules" and refined["kept"] == refined["dropped"] == []
    assert "OPENAI_API_KEY is not set" in refined["fallback_reason"]
    assert after == before


async def test_grounded_new_proposals_are_kept_and_invented_ones_dropped(settings: Settings, tmp_path: Path) -> None:
    async with running("openai") as (fake, url):
        fake.default = answer(structured=PROPOSALS)
        async with Client(build_runtime(with_fake_openai(settings, url)).server) as client:
            document = ok(await client.call_tool("arkiver_ingest", {"text": TEXT}))["document"]
            refined = ok(await client.call_tool("arkiver_refine", {"document_id": document["id"]}))
            again = ok(await client.call_tool("arkiver_refine", {"document_id": document["id"]}))
            pages = ok(await client.call_tool("arkiver_read_document", {"document_id": document["id"]}))["pages"]
            stored = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))

    assert refined["model"] == "llm:openai/test-model"
    # Only what changed: the guarantor kept; the rest invented, known, or already decided.
    assert refined["kept"] == [
        {
            "kind": "parties",
            "value": f"{GUARANTOR} (Guarantor)",
            "page": 1,
            "quote": f'{GUARANTOR} (the  "Guarantor") guarantees',  # the page's own spacing
        }
    ]
    assert refined["dropped"] == [
        "Invented Holdings Ltd.: its quote is not in the document",
        "deadline date: its quote is not in the document",
    ]
    assert "insights" not in refined and "key_terms" not in refined
    assert refined["redacted"] is True
    assert refined["method"] == stored["method"] == "rules+llm:openai/test-model"
    parties = stored["key_terms"]["parties"]
    guarantor = [party for party in parties if party["name"] == GUARANTOR]
    assert len(guarantor) == 1 and guarantor[0]["method"] == "model"
    provenance = guarantor[0]["provenance"]
    page = pages[provenance["page"] - 1]["text"]
    assert page[provenance["start"] : provenance["end"]] == provenance["quote"] == refined["kept"][0]["quote"]
    assert stored["key_terms"]["governing_law"]["jurisdiction"] == "California"  # the rules' finding stands
    assert again["kept"] == []  # nothing is added twice
    assert "123-45-6789" not in fake.everything_received()  # masked before it left the machine


async def test_a_model_adds_a_clause_the_classifier_missed_only_with_a_quote_from_the_document(
    settings: Settings,
) -> None:
    penalty = "a late delivery charge of $250 per day, which the parties agree is a reasonable estimate of loss"
    text = CONTRACT + f"\n5. Delays. Consultant shall pay {penalty}.\n"
    proposals = {
        "clauses": [
            {"category": "liquidated_damages", "quote": f"pay {penalty}"},
            {"category": "liquidated_damages", "quote": "a second quote for the same category"},
            {"category": "source_code_escrow", "quote": "Consultant shall deposit the source code in escrow"},
            {"category": "golden_parachute", "quote": "Services"},
        ]
    }
    async with running("openai") as (fake, url):
        fake.default = answer(structured=proposals)
        async with Client(build_runtime(with_fake_openai(settings, url)).server) as client:
            document_id = ok(await client.call_tool("arkiver_ingest", {"text": text}))["document"]["id"]
            before = ok(await client.call_tool("arkiver_clauses", {"document_id": document_id}))
            refined = ok(await client.call_tool("arkiver_refine", {"document_id": document_id}))
            again = ok(await client.call_tool("arkiver_refine", {"document_id": document_id}))
            after = ok(await client.call_tool("arkiver_clauses", {"document_id": document_id}))
            asked = fake.everything_received()

    assert "liquidated_damages" in before["documents"][0]["absent"]
    assert "liquidated_damages: Liquidated Damages" in asked and "- governing_law:" not in asked
    assert [(kept["kind"], kept["value"]) for kept in refined["kept"]] == [("clauses", "Liquidated Damages")]
    assert refined["kept"][0]["quote"] == f"pay {penalty}"
    assert "Source Code Escrow: its quote is not in the document" in refined["dropped"]
    assert "golden_parachute: not a clause category" in refined["dropped"]
    clause = {item["category"]: item for item in after["documents"][0]["present"]}["liquidated_damages"]
    assert clause["method"] == "model" and clause["score"] is None
    assert clause["value"]["kind"] == "money" and float(clause["value"]["amount"]) == 250
    assert clause["passage"]["quote"] == f"pay {penalty}"
    assert after["summary"]["present"] == before["summary"]["present"] + 1
    assert again["kept"] == []  # the category is present now: not asked, not added twice

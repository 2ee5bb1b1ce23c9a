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


async def test_without_a_model_refine_returns_the_rules_result_and_says_why(settings: Settings) -> None:
    async with Client(build_runtime(arkiver(settings)).server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"text": TEXT}))["document"]
        before = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))
        refined = ok(await client.call_tool("arkiver_refine", {"document_id": document["id"]}))
    assert refined["method"] == "rules" and refined["model"]["method"] == "rules"
    assert "OPENAI_API_KEY is not set" in refined["model"]["fallback_reason"]
    assert refined["insights"] == before["insights"]


async def test_grounded_new_proposals_are_kept_and_invented_ones_dropped(settings: Settings, tmp_path: Path) -> None:
    async with running("openai") as (fake, url):
        fake.default = answer(structured=PROPOSALS)
        configured = arkiver(
            settings,
            openai_api_key=SecretStr("sk-test-key-0123456789abcdef"),
            openai_base_url=url,
            openai_model="test-model",
        )
        async with Client(build_runtime(configured).server) as client:
            document = ok(await client.call_tool("arkiver_ingest", {"text": TEXT}))["document"]
            refined = ok(await client.call_tool("arkiver_refine", {"document_id": document["id"]}))
            again = ok(await client.call_tool("arkiver_refine", {"document_id": document["id"]}))
            pages = ok(await client.call_tool("arkiver_read_document", {"document_id": document["id"]}))["pages"]
            stored = ok(await client.call_tool("arkiver_insights", {"document_id": document["id"]}))

    assert refined["model"]["method"] == "llm:openai/test-model"
    assert refined["model"]["accepted"] == 1  # the guarantor; the rest invented, known, or already decided
    assert refined["model"]["rejected"] == [
        "Invented Holdings Ltd.: its quote is not in the document",
        "deadline date: its quote is not in the document",
    ]
    assert refined["model"]["redacted"] is True
    assert refined["method"] == stored["method"] == "rules+llm:openai/test-model"
    guarantor = [party for party in stored["insights"]["parties"] if party["name"] == GUARANTOR]
    assert len(guarantor) == 1 and guarantor[0]["method"] == "model"
    provenance = guarantor[0]["provenance"]
    page = pages[provenance["page"] - 1]["text"]
    assert page[provenance["start"] : provenance["end"]] == provenance["quote"]
    assert provenance["quote"] == f'{GUARANTOR} (the  "Guarantor") guarantees'  # the page's own spacing
    assert stored["insights"]["governing_law"]["jurisdiction"] == "California"  # the rules' finding stands
    assert again["model"]["accepted"] == 0  # nothing is added twice
    assert "123-45-6789" not in fake.everything_received()  # masked before it left the machine

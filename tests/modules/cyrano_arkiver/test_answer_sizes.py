"""What a host passes to its model stays small on a long real contract, and nothing is lost: the rest of every
list is behind a cursor, the rest of the text behind next_page (bench/answer_sizes.py prints the figures)."""

from typing import Any

import pytest
from mcp import Client

from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.conftest import shared_data
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

FRANCHISE = "cuad_dev_pdf/MRSFIELDSORIGINALCOOKIESINC_01_29_1998-EX-10-FRANCHISE AGREEMENT.PDF"  # 45 pages
MOST = 16_000  # characters of one answer, the ceiling


def size(result: Any) -> int:
    assert not result.is_error, result.content
    return max(len(block.text) for block in result.content)


async def test_a_long_contracts_answers_fit_and_the_rest_is_a_cursor_away(settings: Settings) -> None:
    franchise = shared_data(FRANCHISE)
    runtime = build_runtime(load_settings(**{**settings.model_dump(), "allowed_roots": [franchise.parent]}))
    async with Client(runtime.server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"path": str(franchise)}))["document"]
        arguments = {"document_id": document["id"]}

        first = await client.call_tool("arkiver_insights", arguments)
        assert size(first) < MOST
        answer = first.structured_content or {}
        assert answer["key_terms"]["governing_law"]["jurisdiction"] == "Pennsylvania"
        total = answer["counts"]["obligations"]
        assert total > 200 and sum(answer["obligors"].values()) == total and answer["next_cursor"]
        obligations = list(answer["lists"]["obligations"])
        while answer["next_cursor"]:
            page = await client.call_tool("arkiver_insights", {**arguments, "cursor": answer["next_cursor"]})
            assert size(page) < MOST
            answer = page.structured_content or {}
            obligations += answer["lists"]["obligations"]
        assert len(obligations) == len({(o["provenance"]["page"], o["provenance"]["start"]) for o in obligations})
        assert len(obligations) == total

        franchisee = ok(await client.call_tool("arkiver_insights", {**arguments, "obligor": "the franchisee"}))
        assert {o["obligor"] for o in franchisee["lists"]["obligations"]} == {"Franchisee"}
        assert franchisee["key_terms"]["parties"] == [] and franchisee["lists"]["amounts"] == []

        pages: list[int] = []
        next_page: int | None = 1
        while next_page is not None:
            read = await client.call_tool("arkiver_read_document", {**arguments, "first_page": next_page})
            assert size(read) < MOST
            content = read.structured_content or {}
            pages += [page["page"] for page in content["pages"]]
            next_page = content["next_page"]
        assert pages == list(range(1, document["page_count"] + 1))

        resource = await client.read_resource(f"cyrano://documents/{document['id']}")
        assert len(getattr(resource.contents[0], "text", "")) < MOST
        refined = await client.call_tool("arkiver_refine", arguments)
        assert size(refined) < 1_000

"""Arkiver's prompts: the jobs lawyers bring to their documents, started with what Cyrano already knows."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from cyrano_arkiver.insight_service import InsightService
from cyrano_arkiver.models import DocumentId, InsightsRequest, SearchRequest
from cyrano_arkiver.service import ArkiverService
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import Prompt, PromptMessage, ToolInput

_SEARCH_HITS = 8


class SummariseArguments(ToolInput):
    document_id: DocumentId = Field(description="The stored contract (arkiver_list_documents or arkiver_search).")


class FindArguments(ToolInput):
    question: Annotated[str, StringConstraints(min_length=1, max_length=500)] = Field(
        description="What to find, in the lawyer's words (e.g. who may terminate for convenience)."
    )
    matter_id: MatterId | None = Field(default=None, description="Only this matter's documents (default: all).")


def arkiver_prompts(service: ArkiverService, insights: InsightService) -> list[Prompt[Any]]:
    async def summarise(arguments: SummariseArguments) -> list[PromptMessage]:
        found = await insights.insights(InsightsRequest(document_id=arguments.document_id))
        task = (
            f"Summarise the contract stored in Cyrano as document {arguments.document_id} for a lawyer: the "
            "parties and their roles, the key dates, term, renewal and notice, governing law, the money, and each "
            "party's main obligations, then anything unusual or one-sided. Every statement must cite its page and "
            "quote the contract's own words; read the pages with arkiver_read_document (and find clauses with "
            "arkiver_search, document_id set) rather than relying on memory. Say plainly what the contract does not "
            "say or what you could not find. The insights Cyrano extracted, each with its page and quote, follow."
        )
        return [PromptMessage(text=task), PromptMessage(text=found.model_dump_json(exclude_none=True))]

    async def find(arguments: FindArguments) -> list[PromptMessage]:
        found = await service.search(
            SearchRequest(query=arguments.question, matter_id=arguments.matter_id, limit=_SEARCH_HITS)
        )
        scope = f"the documents of matter {arguments.matter_id}" if arguments.matter_id else "the stored documents"
        task = (
            f"Find where {scope} say this: {arguments.question}\n"
            "Answer with each place it is said: the document, the page and the exact words quoted. Search with "
            "arkiver_search (try the key words and quoted phrases a contract would use, not the whole question), "
            "then read the pages found with arkiver_read_document to quote them whole. If the documents do not "
            "say it, say so; never answer from general knowledge."
        )
        if found.hits:
            hits = "\n".join(
                f"- {hit.filename or hit.document_id} (document {hit.document_id}), page {hit.page}: {hit.snippet}"
                for hit in found.hits
            )
            lead = f"A search for the question's own words found {len(found.hits)} page(s) to start from:\n{hits}"
        else:
            lead = "A search for the question's own words found nothing: search for its key words."
        return [PromptMessage(text=task), PromptMessage(text=lead)]

    return [
        Prompt(
            "summarise_contract",
            "Summarise a contract with its sources",
            "A lawyer's summary of one stored contract, every point cited to its page and quoted.",
            SummariseArguments,
            summarise,
            permission="documents:read",
        ),
        Prompt(
            "find_in_documents",
            "Find where the documents say X",
            "Find each place a matter's documents (or all stored documents) say something, quoted with its page.",
            FindArguments,
            find,
            permission="documents:read",
        ),
    ]

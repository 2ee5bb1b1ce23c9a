"""Arkiver's prompts: the jobs lawyers bring to their documents, started with what Cyrano already knows."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from cyrano_arkiver.clause_service import ClauseService
from cyrano_arkiver.clause_views import ClausesRequest
from cyrano_arkiver.insight_service import InsightService
from cyrano_arkiver.models import DocumentId, InsightsRequest, SearchRequest
from cyrano_arkiver.search_service import PageSearch
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


class ClauseReviewArguments(ToolInput):
    document_id: DocumentId | None = Field(default=None, description="One stored contract.")
    matter_id: MatterId | None = Field(default=None, description="Every contract of this matter (a data room).")
    categories: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = Field(
        default=None,
        description="Only these clause categories, separated by commas (e.g. change_of_control, anti_assignment); "
        "default: all 41.",
    )

    @model_validator(mode="after")
    def _one_scope(self) -> "ClauseReviewArguments":
        if (self.document_id is None) == (self.matter_id is None):
            raise ValueError("give either document_id or matter_id")
        return self


def arkiver_prompts(pages: PageSearch, insights: InsightService, clauses: ClauseService) -> list[Prompt[Any]]:
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
        found = await pages.search(
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

    async def review(arguments: ClauseReviewArguments) -> list[PromptMessage]:
        grid = await clauses.clauses(
            ClausesRequest.model_validate(
                {
                    "document_id": arguments.document_id,
                    "matter_id": arguments.matter_id,
                    "categories": arguments.categories.split(",") if arguments.categories else None,
                }
            )
        )
        scope = (
            f"the contract stored as document {arguments.document_id}"
            if arguments.document_id
            else f"every contract of matter {arguments.matter_id}"
        )
        task = (
            f"Review {scope} clause by clause for a lawyer. Start with a table: one row per contract, one column "
            "per clause category asked, each cell present (with the value the clause sets, e.g. a cap's amount or "
            "whether assignment needs consent) or absent. Then, for the clauses that matter most to the client "
            "(assignment and change of control, exclusivity and non-compete, liability caps and uncapped "
            "liability, termination for convenience, renewal and notice, IP ownership and licences), say what "
            "each contract provides, quoting its words with the page. Flag a standard protection that is absent, "
            "and any value that is unusual across the contracts. The review grid comes from a clause classifier: "
            "before relying on a cell, read the passage (arkiver_read_document) and say where the classifier was "
            "wrong; continue the grid with arkiver_clauses and next_cursor when it has more. Cyrano's review grid "
            "follows."
        )
        return [PromptMessage(text=task), PromptMessage(text=grid.model_dump_json(exclude_none=True))]

    return [
        Prompt(
            "review_clauses",
            "Review contracts clause by clause",
            "The clause review grid of a contract or a matter's contracts (CUAD's 41 categories), each clause "
            "quoted with its page, with what is missing or unusual.",
            ClauseReviewArguments,
            review,
            permission="documents:read",
        ),
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

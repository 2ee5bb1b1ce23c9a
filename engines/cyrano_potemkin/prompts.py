"""Potemkin's prompt: the check a careful lawyer runs on a draft before relying on it, started with the check."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from cyrano_matters.api import MatterId
from cyrano_mcp.kit import Prompt, PromptMessage, ToolInput
from cyrano_potemkin.models import TEXT_CEILING, VerifyRequest
from cyrano_potemkin.service import VerifyService


class CheckDraftArguments(ToolInput):
    draft: Annotated[str, StringConstraints(min_length=1, max_length=TEXT_CEILING)] = Field(
        description="The AI-written draft, summary or answer to check."
    )
    matter_id: MatterId = Field(description="The matter whose documents the draft should rest on.")


def potemkin_prompts(verifier: VerifyService) -> list[Prompt[Any]]:
    async def check_draft(arguments: CheckDraftArguments) -> list[PromptMessage]:
        checked = await verifier.verify(VerifyRequest(text=arguments.draft, matter_id=arguments.matter_id, limit=100))
        task = (
            f"A lawyer wants to rely on the draft below, written with AI help, about matter {arguments.matter_id}. "
            "Cyrano checked each of its claims against the matter's documents (the result follows the draft). "
            "Report to the lawyer: first every contradicted claim, with what the document says instead, quoted "
            "with its page; then the claims that could not be verified, and what would settle each (a passage to "
            "read with arkiver_read_document, a search with arkiver_search). Then give the draft corrected: change "
            "only what a source contradicts, to the source's value, and mark each unverified claim [unverified]. "
            "Never present an unverified claim as checked, and never correct from general knowledge."
        )
        return [
            PromptMessage(text=task),
            PromptMessage(text=f"The draft:\n{arguments.draft}"),
            PromptMessage(text=checked.model_dump_json(exclude_none=True)),
        ]

    return [
        Prompt(
            "check_draft",
            "Check a draft against the matter's documents",
            "Every claim of an AI-written draft checked against the matter's documents: what they contradict, "
            "what cannot be verified, and the draft corrected from the sources.",
            CheckDraftArguments,
            check_draft,
            permission="potemkin:verify",
        )
    ]

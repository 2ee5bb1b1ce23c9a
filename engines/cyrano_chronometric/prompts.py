"""Chronometric's prompt: what is due this week, and what is computed but not docketed yet."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from cyrano_chronometric.models import DeadlineListRequest
from cyrano_chronometric.service import DeadlineService
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import InvalidInputError, Prompt, PromptMessage, ToolInput


class DueArguments(ToolInput):
    days: Annotated[str, StringConstraints(pattern=r"^\d{1,3}$")] = Field(
        default="7", description="How many days ahead (default 7: this week)."
    )
    matter_id: MatterId | None = Field(default=None, description="Only this matter (default: every matter).")


def chronometric_prompts(deadlines: DeadlineService) -> list[Prompt[Any]]:
    async def due_this_week(arguments: DueArguments) -> list[PromptMessage]:
        days = int(arguments.days)
        if days > 366:
            raise InvalidInputError("days: at most 366")
        docket = await deadlines.list_deadlines(
            DeadlineListRequest(within_days=days, matter_id=arguments.matter_id, limit=100)
        )
        task = (
            f"A lawyer asks what is due in the next {days} days and what is not docketed yet. The docket follows "
            "(overdue open deadlines first, then by day). Answer in this order: (1) anything overdue; (2) what is "
            "due, soonest first, each with its matter, its day (and weekday), and how it was counted; (3) the "
            "deadlines computed from documents but still `proposed`: quote the clause each comes from with its "
            "page, and ask the lawyer to docket each (chronometric_deadline_add with its deadline_id) or dismiss "
            "it (chronometric_deadline_complete, status dismissed). Flag every caution. If the docket may be "
            "incomplete because a matter's documents were never read for deadlines, say so and suggest "
            "chronometric_deadlines for that matter. Never invent a deadline that is not listed."
        )
        return [PromptMessage(text=task), PromptMessage(text=docket.model_dump_json(exclude_none=True))]

    return [
        Prompt(
            "due_this_week",
            "What is due, and what is not docketed yet",
            "The firm's (or a matter's) deadlines for the coming days, overdue ones first, and the deadlines "
            "computed from documents that nobody has docketed yet.",
            DueArguments,
            due_this_week,
            permission="chronometric:read",
        )
    ]

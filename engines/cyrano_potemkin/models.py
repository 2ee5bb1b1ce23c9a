"""The inputs and answers of Potemkin's tools."""

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from cyrano_arkiver.api import DocumentId
from cyrano_matters.api import MatterId
from cyrano_mcp.kit import ToolInput, ToolOutput
from cyrano_potemkin.verdicts import ClaimCheck, Verdict

# The schema's own ceiling; the setting potemkin_max_text_chars (lower) is what a call is held to.
TEXT_CEILING = 5_000_000


class VerifyRequest(ToolInput):
    text: Annotated[str, StringConstraints(min_length=1, max_length=TEXT_CEILING)] = Field(
        description="The AI-written text to check: an answer, a summary, a draft."
    )
    matter_id: MatterId | None = Field(default=None, description="Check against every document of this matter.")
    document_ids: list[DocumentId] | None = Field(
        default=None, min_length=1, max_length=50, description="Check against these documents."
    )
    use_model: bool = Field(
        default=False,
        description="Also ask the configured model about the claims left unverifiable; its verdicts are kept only "
        "with a quote found in the sources.",
    )
    verdict: Verdict | None = Field(default=None, description="Only list claims with this verdict.")
    limit: int = Field(default=20, ge=1, le=100, description="Most claims listed in one answer.")
    cursor: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="next_cursor from the previous answer (with the same text, sources and verdict)."
    )

    @model_validator(mode="after")
    def _some_sources(self) -> "VerifyRequest":
        if self.matter_id is None and self.document_ids is None:
            raise ValueError("give the sources: matter_id, document_ids, or both")
        return self


class Counts(ToolOutput):
    claims: int
    supported: int
    contradicted: int
    unverifiable: int


class ModelUse(ToolOutput):
    method: str | None = Field(description='The model asked ("llm:<provider>/<model>"), or null if none answered.')
    settled: int = Field(description="Claims the model settled with a quote found in the sources.")
    dropped: list[str] = Field(description="Model verdicts dropped, and why (no such quote in the sources, ...).")
    unavailable: str | None = Field(description="Why no model could be asked, when none could.")


class SourceRef(ToolOutput):
    document_id: str
    name: str
    pages: int


class Verification(ToolOutput):
    summary: Counts
    contradicted: list[int] = Field(description="The indices of the contradicted claims: read these first.")
    method: str = Field(
        description="How the claims were checked; each claim also says what decided it. Offline, no text leaves "
        "Cyrano and no model judges."
    )
    model: ModelUse | None = Field(default=None, description="What a model added, when use_model was asked.")
    alert_id: str | None = Field(default=None, description="The alert this check raised (potemkin_alerts), if any.")
    sources: list[SourceRef]
    claims: list[ClaimCheck] = Field(description="This page of the claims (of the verdict asked for), in order.")
    next_cursor: str | None = Field(description="Pass as cursor (with the same arguments) for the next claims.")

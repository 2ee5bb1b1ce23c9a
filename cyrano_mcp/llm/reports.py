"""What `system_llm_usage` and `system_llm_check` take and return."""

from datetime import UTC, datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from cyrano_mcp.models import ToolInput, ToolOutput

Dimension = Literal["provider", "model", "tool"]
CheckStatus = Literal["ok", "invalid_output", "no_model"]


def _every_dimension() -> list[Dimension]:
    return ["provider", "model", "tool"]


class LLMUsageQuery(ToolInput):
    since: datetime | None = Field(default=None, description="Start of the period (default: 30 days before `until`).")
    until: datetime | None = Field(default=None, description="End of the period, exclusive (default: now).")
    group_by: list[Dimension] = Field(
        default_factory=_every_dimension,
        description="Which of provider, model and tool to total by; an empty list gives only the grand total.",
    )

    @field_validator("since", "until")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        # A bare date-time from a client is read as UTC, the zone the ledger keeps.
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("group_by")
    @classmethod
    def _distinct(cls, value: list[Dimension]) -> list[Dimension]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _ordered(self) -> "LLMUsageQuery":
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise ValueError("since must be before until")
        return self


class UsageTotals(ToolOutput):
    provider: str | None = Field(default=None, description="Set when grouping by provider.")
    model: str | None = Field(default=None, description="Set when grouping by model (null: no model answered).")
    tool: str | None = Field(default=None, description="Set when grouping by tool (null: called outside a tool).")
    calls: int
    answered: int = Field(description="Calls a model answered (including cached answers).")
    cached: int
    failed: int = Field(description="Calls that got no usable answer (failures, invalid output, no model).")
    input_tokens: int
    output_tokens: int
    average_latency_ms: float | None


class LLMUsageReport(ToolOutput):
    since: datetime
    until: datetime
    group_by: list[Dimension]
    groups: list[UsageTotals]
    totals: UsageTotals


class ProviderStatus(ToolOutput):
    name: str
    configured: bool
    available: bool = Field(description="Whether it could take a request now (in this call, for sampling).")
    model: str | None
    detail: str
    circuit: Literal["closed", "open", "half_open"] | None = Field(description="Vendor APIs only.")


class LLMCheckReport(ToolOutput):
    status: CheckStatus = Field(
        description="ok: a model answered in the requested shape; invalid_output: it answered but not in that "
        "shape; no_model: nothing answered, so engines use their rules."
    )
    selection: str = Field(description="CYRANO_LLM_PROVIDER.")
    provider: str | None
    model: str | None
    method: str = Field(description="The label engines put on results: llm:<provider>/<model>, or rules.")
    latency_ms: float | None
    structured_output_valid: bool
    input_tokens: int | None = None
    output_tokens: int | None = None
    detail: str
    providers: list[ProviderStatus]

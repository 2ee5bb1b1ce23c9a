"""The alert tools' inputs and answers."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from cyrano_mcp.kit import ToolInput, ToolOutput

CheckName = Literal["verify", "citations", "drift", "bias", "probe"]
AlertStatus = Literal["open", "acknowledged"]
# What a threshold means per check, and where it starts: a lawyer is told of any contradicted claim or any
# citation that cannot exist; drift and bias are scores between 0 and 1.
DEFAULT_THRESHOLDS: dict[str, float] = {"verify": 1, "citations": 1, "drift": 0.3, "bias": 0.2, "probe": 1}
MEASURES: dict[str, str] = {
    "verify": "contradicted claims in one check",
    "citations": "citations malformed, impossible or under another case name, in one check",
    "drift": "drift score (0 to 1) of a model's answers on a topic",
    "bias": "share of counterfactual variants whose answer changed (0 to 1)",
    "probe": "probes that could not run in one probe run",
}


class AlertView(ToolOutput):
    id: str
    check: CheckName
    outcome: Literal["breach", "not_run"] = Field(description='"not_run": the check could not run; never a pass.')
    subject: str = Field(description="What was checked: a matter, documents, a model and topic.")
    value: float
    threshold: float
    summary: str
    status: AlertStatus
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    reason: str | None = Field(description="Why it was acknowledged.")
    webhook: Literal["off", "pending", "delivered", "failed"]


class ThresholdView(ToolOutput):
    check: CheckName
    threshold: float
    measures: str = Field(description="What the threshold is compared with; an alert is raised at or above it.")
    default: bool = Field(description="Whether this is the default, never set by a user.")


class AlertsRequest(ToolInput):
    status: AlertStatus | None = Field(default="open", description="Only alerts in this state (null: all).")
    check: CheckName | None = Field(default=None, description="Only alerts of this check.")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="next_cursor from the previous answer (with the same filters)."
    )


class AlertList(ToolOutput):
    open: int = Field(description="Open alerts, of every check.")
    thresholds: list[ThresholdView]
    alerts: list[AlertView] = Field(description="Newest first.")
    next_cursor: str | None


class AckRequest(ToolInput):
    alert_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        description="Why the alert needs no more action (kept sealed with the alert)."
    )


class ThresholdRequest(ToolInput):
    check: CheckName
    threshold: float = Field(ge=0, le=1_000_000, description="Raise an alert when the check's measure reaches this.")

"""The model layer: one interface to OpenAI, Anthropic, the MCP client's own model, or no model at all.

Engines get an `LLMGateway` as `context.llm` and call `complete(request)` or
`complete(request, ResponseModel)`. On `LLMError` they run their deterministic method instead, and
label every result with `method_label(completion_or_None)`: `llm:<provider>/<model>` or `rules`.
"""

from cyrano_mcp.kit.model import (
    RULES,
    Completion,
    LLMError,
    LLMRequest,
    Message,
    ModelOutputError,
    ModelUnavailableError,
    Usage,
    method_label,
)
from cyrano_mcp.llm.build import build_gateway
from cyrano_mcp.llm.check import run_check
from cyrano_mcp.llm.component import LLM_COMPONENT
from cyrano_mcp.llm.gateway import LLMGateway
from cyrano_mcp.llm.reports import LLMCheckReport, LLMUsageQuery, LLMUsageReport, ProviderStatus, UsageTotals

__all__ = [
    "LLM_COMPONENT",
    "RULES",
    "Completion",
    "LLMCheckReport",
    "LLMError",
    "LLMGateway",
    "LLMRequest",
    "LLMUsageQuery",
    "LLMUsageReport",
    "Message",
    "ModelOutputError",
    "ModelUnavailableError",
    "ProviderStatus",
    "Usage",
    "UsageTotals",
    "build_gateway",
    "method_label",
    "run_check",
]

"""`system_llm_check`: one fixed, harmless request through the selected provider, start to finish."""

from typing import Literal

from pydantic import BaseModel

from cyrano_mcp.kit.model import RULES, LLMRequest, Message, ModelOutputError, ModelUnavailableError
from cyrano_mcp.llm.gateway import LLMGateway
from cyrano_mcp.llm.reports import LLMCheckReport


class CheckReply(BaseModel):
    status: Literal["ok"]


CHECK_REQUEST = LLMRequest(
    system="You are answering an automated connectivity check.",
    messages=(Message.user('Reply with the JSON object {"status": "ok"} and nothing else.'),),
    max_tokens=50,
    temperature=0.0,
    cacheable=False,  # a check must reach the provider
)


async def run_check(gateway: LLMGateway) -> LLMCheckReport:
    try:
        completion = await gateway.complete(CHECK_REQUEST, CheckReply)
    except ModelUnavailableError as exc:
        return LLMCheckReport(
            status="no_model",
            selection=gateway.selection,
            provider=None,
            model=None,
            method=RULES,
            latency_ms=None,
            structured_output_valid=False,
            detail=exc.message,
            providers=gateway.statuses(),
        )
    except ModelOutputError as exc:
        return LLMCheckReport(
            status="invalid_output",
            selection=gateway.selection,
            provider=exc.provider,
            model=exc.model,
            method=RULES,
            latency_ms=None,
            structured_output_valid=False,
            detail=exc.message,
            providers=gateway.statuses(),
        )
    note = f"answered after {completion.attempts} attempts" if completion.attempts > 1 else "answered"
    return LLMCheckReport(
        status="ok",
        selection=gateway.selection,
        provider=completion.provider,
        model=completion.model,
        method=completion.method,
        latency_ms=round(completion.latency_ms, 2),
        structured_output_valid=True,
        input_tokens=completion.usage.input_tokens,
        output_tokens=completion.usage.output_tokens,
        detail=f"{note}, with a repair turn" if completion.repaired else note,
        providers=gateway.statuses(),
    )

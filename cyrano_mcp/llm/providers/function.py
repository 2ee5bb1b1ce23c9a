"""A model that is a function: it gets each request and returns the answer. For engine authors' tests.

    model = FunctionProvider(lambda request: {"parties": [...]})   # a structured answer as a dict
    runtime = runtime_with([MY_ENGINE], settings, model=model)        # cyrano_mcp.testing

The function may be sync or async and return text, a dict (the JSON of a structured answer) or a pydantic model.
It sees exactly what a vendor would (after redaction), and every gateway feature (validation, repair, the
cache, the ledger, `method` labels: `llm:function/scripted`) applies to its answers as to a vendor's.
"""

import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from cyrano_mcp.kit.model import LLMRequest, ProviderName, Usage
from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.provider import Availability, OutputSchema, Probe, ProviderKind, ProviderReply

Answer = str | dict[str, Any] | BaseModel
AnswerFunction = Callable[[LLMRequest], Answer | Awaitable[Answer]]


class FunctionProvider:
    kind: ProviderKind = "api"
    configured = True

    def __init__(self, answer: AnswerFunction, *, name: ProviderName = "function", model: str = "scripted") -> None:
        self._answer = answer
        self.name = name
        self.model = model
        self.requests: list[LLMRequest] = []  # what it was asked, for the test to read

    def availability(self) -> Availability:
        return Availability.ready("a scripted function")

    async def send(self, request: LLMRequest, schema: OutputSchema | None, *, timeout: float) -> ProviderReply:
        self.requests.append(request)
        try:
            answer = self._answer(request)
            if inspect.isawaitable(answer):
                answer = await answer
        except UpstreamFailure:
            raise
        except Exception as exc:  # the function's own failure, as a vendor's 500 would be
            raise UpstreamFailure("server_error", f"the scripted model failed: {exc}", retryable=False) from exc
        return ProviderReply(text=_text(answer), model=self.model, usage=Usage())

    async def probe(self, *, timeout: float) -> Probe:
        return Probe("ok", "a scripted function", latency_ms=0.0)

    async def aclose(self) -> None:
        return None


def _text(answer: Answer) -> str:
    if isinstance(answer, BaseModel):
        return answer.model_dump_json()
    if isinstance(answer, dict):
        return json.dumps(answer)
    return answer

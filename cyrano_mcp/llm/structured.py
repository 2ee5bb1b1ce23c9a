"""Structured answers: the schema sent for a response model, validating the answer, and the repair turn."""

import json
import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from cyrano_mcp.kit.model import LLMRequest, Message
from cyrano_mcp.llm.provider import OutputSchema

ModelT = TypeVar("ModelT", bound=BaseModel)

_FENCE = re.compile(r"^```(?:json)?\s*(?P<body>.*?)\s*```$", re.DOTALL)
_NAME = re.compile(r"[^A-Za-z0-9_-]")


def output_schema(model: type[BaseModel]) -> OutputSchema:
    return OutputSchema(name=_NAME.sub("_", model.__name__)[:64], json_schema=model.model_json_schema())


def schema_instruction(schema: OutputSchema) -> str:
    """For providers with no native structured output (MCP sampling): the schema, in words."""
    return (
        "Answer with one JSON object and nothing else (no prose, no code fence). "
        f"It must validate against this JSON schema:\n{json.dumps(schema.json_schema, separators=(',', ':'))}"
    )


def parse(model: type[ModelT], text: str) -> ModelT:
    """Validate an answer against `model`. Raises `ValidationError` (which covers text that is not JSON)."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    return model.model_validate_json(fenced.group("body") if fenced else stripped)


def problem_summary(exc: ValidationError) -> str:
    """What was wrong, by field, without echoing the values (they may be client material)."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:10]:
        location = ".".join(str(part) for part in error["loc"]) or "answer"
        parts.append(f"{location}: {error['msg']}")
    return "; ".join(parts)


def repair_request(request: LLMRequest, answer: str, problem: str) -> LLMRequest:
    """The original conversation, the rejected answer, and one turn saying what to fix."""
    correction = Message.user(
        f"That answer was not valid ({problem}). Reply again with only the JSON object, matching the schema exactly."
    )
    return request.model_copy(
        update={"messages": (*request.messages, Message.assistant(answer or "(empty)"), correction), "cacheable": False}
    )

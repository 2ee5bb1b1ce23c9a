"""A small engine that asks for a model the way Arkiver, Potemkin or GoodCounsel will, with a rules fallback."""

from pydantic import BaseModel

from cyrano_mcp.kit import (
    Engine,
    EngineContext,
    LLMError,
    LLMRequest,
    Message,
    Operation,
    Parts,
    ToolInput,
    ToolOutput,
    method_label,
)


class Ask(ToolInput):
    text: str
    structured: bool = False


class Answer(ToolOutput):
    method: str
    answer: str
    redacted: bool
    fallback_reason: str | None = None


class Finding(BaseModel):
    finding: str


def _build(context: EngineContext) -> Parts:
    async def ask(params: Ask) -> Answer:
        request = LLMRequest(system="You review legal documents.", messages=(Message.user(params.text),))
        try:
            if params.structured:
                found = await context.llm.complete(request, Finding)
                return Answer(method=method_label(found), answer=found.output.finding, redacted=found.redacted)
            said = await context.llm.complete(request)
        except LLMError as exc:
            words = len(params.text.split())
            return Answer(
                method=method_label(None), answer=f"{words} words", redacted=False, fallback_reason=exc.message
            )
        return Answer(method=method_label(said), answer=said.output, redacted=said.redacted)

    return Parts(
        operations=[
            Operation(
                name="ask",
                description="Ask the model about a text.",
                input_model=Ask,
                output_model=Answer,
                handler=ask,
                permission="test:read",
            )
        ]
    )


ENGINE = Engine(name="probe", description="Asks a model about a text, or counts its words without one.", build=_build)

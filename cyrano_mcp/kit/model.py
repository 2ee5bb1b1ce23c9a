"""What engines send to a model, what they get back, how a model can fail them, and the gateway they ask.

DomainError (cyrano_mcp.errors)
└── LLMError                  engines catch this and run their rules instead
    ├── ModelUnavailableError no provider answered: none configured, offline, circuit open, client cannot
    │                         sample, or each one tried failed; `reasons` says why, per provider
    └── ModelOutputError      a model answered, but not in the requested shape, even after one repair
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cyrano_mcp.errors import DomainError
from cyrano_mcp.settings import RedactionKind

__all__ = [
    "RULES",
    "Completion",
    "LLMError",
    "LLMRequest",
    "Message",
    "ModelGateway",
    "ModelOutputError",
    "ModelUnavailableError",
    "ProviderName",
    "RedactionKind",
    "Selection",
    "Usage",
    "method_label",
]

ProviderName = str
"""`openai`, `anthropic`, `sampling` (the client's own model), `offline`, or a provider plugin's name."""
Selection = str
"""`auto`, or the name of the one provider to use (CYRANO_LLM_PROVIDER)."""

RULES = "rules"
"""The `method` label of a result an engine produced without a model."""

OutputT = TypeVar("OutputT")


class Message(BaseModel):
    """One turn of the conversation (the system prompt is separate, on `LLMRequest`)."""

    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    content: str

    @classmethod
    def user(cls, content: str) -> "Message":
        return cls(role="user", content=content)

    @classmethod
    def assistant(cls, content: str) -> "Message":
        return cls(role="assistant", content=content)


class LLMRequest(BaseModel):
    """A model call: a system prompt, the turns so far (ending with the user's), and sampling limits."""

    model_config = ConfigDict(frozen=True)

    messages: tuple[Message, ...] = Field(min_length=1)
    system: str | None = None
    max_tokens: int = Field(default=1024, ge=1, le=64_000)
    # 1.0 is the highest value every provider accepts; engines want 0 (repeatable answers) almost always.
    temperature: float = Field(default=0.0, ge=0.0, le=1.0)
    cacheable: bool = Field(default=True, description="May a temperature-0 answer be served from the cache?")

    @model_validator(mode="after")
    def _ends_with_user(self) -> "LLMRequest":
        if self.messages[-1].role != "user":
            raise ValueError("the last message must be the user's")
        return self

    def fingerprint(self) -> str:
        """SHA-256 of the prompt (system prompt and turns): identifies it in the ledger without keeping it."""
        prompt = {"system": self.system, "messages": [[m.role, m.content] for m in self.messages]}
        return hashlib.sha256(json.dumps(prompt, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens the provider counted; `None` where it does not say (MCP sampling reports none)."""

    input_tokens: int | None = None
    output_tokens: int | None = None

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(_add(self.input_tokens, other.input_tokens), _add(self.output_tokens, other.output_tokens))


def _add(left: int | None, right: int | None) -> int | None:
    if left is None and right is None:
        return None
    return (left or 0) + (right or 0)


@dataclass(frozen=True, slots=True)
class Completion(Generic[OutputT]):
    """A model's answer: the text, or the validated object when a `response_model` was given."""

    output: OutputT
    text: str
    provider: ProviderName
    model: str
    usage: Usage
    latency_ms: float
    attempts: int
    redactions: Mapping[RedactionKind, int] = field(default_factory=dict)
    cached: bool = False
    repaired: bool = False

    @property
    def redacted(self) -> bool:
        """Whether anything was masked out of the prompt before it left the machine."""
        return any(self.redactions.values())

    @property
    def method(self) -> str:
        return f"llm:{self.provider}/{self.model}"


def method_label(completion: "Completion[Any] | None") -> str:
    """What produced a result: `llm:<provider>/<model>`, or `rules` when the engine used no model."""
    return RULES if completion is None else completion.method


class LLMError(DomainError):
    code = "model_error"


class ModelUnavailableError(LLMError):
    code = "model_unavailable"

    def __init__(self, reasons: Mapping[str, str]) -> None:
        detail = "; ".join(f"{name}: {reason}" for name, reason in reasons.items()) or "no provider is enabled"
        super().__init__(f"no model available ({detail})", details={"reasons": dict(reasons)})
        self.reasons = dict(reasons)


class ModelOutputError(LLMError):
    code = "model_output_invalid"

    def __init__(self, *, provider: str, model: str, problem: str) -> None:
        super().__init__(
            f"{provider}/{model} did not answer in the requested shape, even after a repair attempt: {problem}",
            details={"provider": provider, "model": model},
        )
        self.provider = provider
        self.model = model


ModelT = TypeVar("ModelT", bound=BaseModel)


class ModelGateway(Protocol):
    """What an engine asks a model through (`context.llm`): the configured provider, or none.

    The gateway redacts, retries, falls back, caches and records each call; an engine only asks. On
    `LLMError` an engine runs its rules instead and labels the result `rules` (`method_label(None)`).
    """

    @overload
    async def complete(self, request: LLMRequest) -> Completion[str]: ...

    @overload
    async def complete(self, request: LLMRequest, response_model: type[ModelT]) -> Completion[ModelT]: ...

    async def complete(self, request: LLMRequest, response_model: type[BaseModel] | None = None) -> Completion[Any]:
        """The first answering provider's text, or the validated `response_model`; raises `LLMError`."""
        ...

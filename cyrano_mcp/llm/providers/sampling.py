"""The connected MCP client's own model, through MCP sampling (`sampling/createMessage`).

This lets someone whose client has a model (and declares the `sampling` capability) get model-backed
analysis with no key on the server. What SDK 2.3 can do, checked against it (tests/core/llm/test_sampling.py):

- MCP 2025-11-25 with a back-channel (stdio, in-memory, stateful HTTP with SSE): the server sends the request in
  the middle of the tool call, tied to the call's request id, and waits for the answer. Supported.
- MCP 2026-07-28: there is no mid-call back-channel. A server gets a sample only by ending the call with
  an `InputRequiredResult` and having the client call again with the answer, so the tool's handler runs
  again from the start. Engines ask for a model halfway through their work, from text they just read,
  and replaying that work is not safe in general; so here the provider says it is unavailable and the
  engine falls back.
- Stateless HTTP, or HTTP answering with plain JSON instead of SSE (CYRANO_JSON_RESPONSE), has no
  back-channel in either generation: unavailable.
- A client that did not declare `sampling` is never asked: unavailable.

The client, not Cyrano, picks the model, and reports no token counts.
"""

from mcp.server.mcpserver import Context
from mcp.server.session import ServerSession
from mcp.shared.exceptions import MCPError, NoBackChannelError
from mcp.shared.message import ServerMessageMetadata
from mcp_types import (
    CreateMessageRequest,
    CreateMessageRequestParams,
    CreateMessageResult,
    SamplingMessage,
    TextContent,
)
from mcp_types.version import is_version_at_least
from pydantic import ValidationError

from cyrano_mcp.calls import current_call
from cyrano_mcp.kit.model import LLMRequest, ProviderName, Usage
from cyrano_mcp.llm.errors import UpstreamFailure
from cyrano_mcp.llm.provider import Availability, OutputSchema, Probe, ProviderKind, ProviderReply
from cyrano_mcp.llm.structured import schema_instruction

NO_MID_CALL_SAMPLING = "2026-07-28"
"""The first protocol version without server-to-client requests in the middle of a call."""


class SamplingProvider:
    @property
    def name(self) -> ProviderName:
        return "sampling"

    @property
    def kind(self) -> ProviderKind:
        return "client"

    @property
    def model(self) -> None:
        return None

    @property
    def configured(self) -> bool:
        return True  # nothing to configure: it depends on the client of each call

    def availability(self) -> Availability:
        context, reason = _client_context()
        if context is None:
            return Availability.unavailable(reason)
        return Availability.ready(f"the client's model (MCP {context.protocol_version})")

    async def send(self, request: LLMRequest, schema: OutputSchema | None, *, timeout: float) -> ProviderReply:
        context, reason = _client_context()
        if context is None:
            raise UpstreamFailure("unavailable", reason, retryable=False)
        system = request.system
        if schema is not None:
            # Sampling has no structured-output option: the schema travels in the system prompt.
            system = f"{system}\n\n{schema_instruction(schema)}" if system else schema_instruction(schema)
        params = CreateMessageRequestParams(
            messages=[
                SamplingMessage(role=m.role, content=TextContent(type="text", text=m.content)) for m in request.messages
            ],
            system_prompt=system,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
        )
        session: ServerSession = context.session
        try:
            result = await session.send_request(
                CreateMessageRequest(params=params),
                CreateMessageResult,
                request_read_timeout_seconds=timeout,
                metadata=ServerMessageMetadata(related_request_id=context.request_id),
            )
        except NoBackChannelError:
            raise UpstreamFailure("unavailable", "no channel back to the client", retryable=False) from None
        except MCPError as exc:
            raise UpstreamFailure(
                "declined", f"the client did not sample (MCP error {exc.error.code})", retryable=False
            ) from None
        except ValidationError:
            raise UpstreamFailure(
                "bad_response", "the client's answer was not a sampling result", retryable=False
            ) from None
        if not isinstance(result.content, TextContent):
            raise UpstreamFailure(
                "bad_response", f"the client's model answered with {result.content.type}, not text", retryable=False
            )
        return ProviderReply(text=result.content.text, model=result.model, usage=Usage())

    async def probe(self, *, timeout: float) -> Probe:
        return Probe(
            "not_applicable",
            "used inside tool calls from clients that declare sampling and speak MCP 2025-11-25 over stdio or "
            "stateful HTTP; other clients fall back",
        )

    async def aclose(self) -> None:
        return None


def _client_context() -> tuple[Context | None, str]:
    """The current call's MCP context if its client can sample mid-call, else None and the reason."""
    call = current_call()
    context = call.mcp_context if call is not None else None
    if not isinstance(context, Context):
        return None, "no MCP client here: sampling works only inside a tool call"
    version = context.protocol_version
    if version is not None and is_version_at_least(version, NO_MID_CALL_SAMPLING):
        return None, f"the client speaks MCP {version}, where a server cannot sample in the middle of a tool call"
    session: ServerSession = context.session
    if not session.can_send_request:
        return None, "this connection cannot carry requests to the client (stateless HTTP, or JSON-only responses)"
    capabilities = context.client_capabilities
    if capabilities is None or capabilities.sampling is None:
        return None, "the client did not declare the sampling capability"
    return context, "ready"

"""The one path every tool call takes: correlation id, interceptors, validation, the service, error mapping.

Cross-cutting concerns (auth, RBAC, rate limits, audit, metrics) are interceptors: each is called with
the call and a `proceed` continuation, so it can refuse, observe or time what happens inside it.
Validation of the arguments is the innermost step, right before the service handler.
"""

import json
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, get_args, get_origin

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools.base import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp_types import CallToolResult, InputRequiredResult, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import to_json

from cyrano_mcp.callpath.client_roots import ClientRoots
from cyrano_mcp.callpath.schemas import compact_schema
from cyrano_mcp.calls import REQUEST_ID, CallContext, bind_call, current_call, new_correlation_id, unbind_call
from cyrano_mcp.errors import (
    ClientInputRequired,
    DomainError,
    InvalidInputError,
    PermissionDeniedError,
    UnavailableError,
)
from cyrano_mcp.kit.declarations import Operation
from cyrano_mcp.observability.logging import get_logger

log = get_logger("cyrano.calls")

Proceed = Callable[[], Awaitable[BaseModel]]
META_CORRELATION = "cyrano/correlation_id"
META_ERROR_CODE = "cyrano/error_code"
META_DETAILS = "cyrano/details"  # e.g. {"retry_after": 12} on rate_limited
MAX_NESTING = 8  # tools calling tools: deeper than this is a loop, not a workflow


class CallInterceptor(Protocol):
    """A cross-cutting step around every tool call. Raise a `DomainError` to refuse the call."""

    async def __call__(self, call: CallContext, operation: Operation[Any, Any], proceed: Proceed) -> BaseModel: ...


def validation_message(exc: ValidationError) -> str:
    """Field-level messages without echoing the rejected values (they are the caller's data)."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in error["loc"]) or "arguments"
        parts.append(f"{location}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _accepts_json_text(annotation: Any) -> bool:
    """Whether a field holds lists, dicts or models (some hosts send those as JSON strings)."""
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel | list | dict | tuple | set)
    origin = get_origin(annotation)
    if origin in (list, dict, tuple, set):
        return True
    return any(_accepts_json_text(arg) for arg in get_args(annotation))


class CallPath:
    """Runs operations for the tools the registry builds."""

    def __init__(self, interceptors: Sequence[CallInterceptor] = ()) -> None:
        self.interceptors: list[CallInterceptor] = list(interceptors)
        # What to call a transport that carries no HTTP headers: in-memory unless the CLI serves stdio.
        self.headerless_transport = "memory"
        # The stdio client's MCP roots; also SDK middleware, to hear when they change.
        self.client_roots = ClientRoots()

    def add_interceptor(self, interceptor: CallInterceptor) -> None:
        self.interceptors.append(interceptor)

    def use(self, steps: Sequence[CallInterceptor]) -> None:
        """Put `steps` after the ones already installed (outermost first)."""
        self.interceptors.extend(steps)

    async def execute(
        self, tool_name: str, operation: Operation[Any, Any], arguments: dict[str, Any], context: Context[Any, Any]
    ) -> CallToolResult | InputRequiredResult:
        call = _call_context(tool_name, context, self.headerless_transport)
        if call.transport == "stdio" and call.mcp_context is not None:
            call.client_roots = self.client_roots.lookup(context)
        call.arguments = arguments
        token = bind_call(call)
        try:  # the call stays current until its last log line is written
            return await self._answer(call, operation, arguments)
        finally:
            unbind_call(token)

    async def _answer(
        self, call: CallContext, operation: Operation[Any, Any], arguments: dict[str, Any]
    ) -> CallToolResult | InputRequiredResult:
        try:
            result = await self._run_chain(call, operation, arguments)
        except ClientInputRequired as needed:  # the client answers, then calls again (MCP 2026-07-28)
            log.debug("tool_call", tool=call.tool, outcome=needed.code, correlation_id=call.correlation_id)
            return InputRequiredResult(input_requests={needed.key: needed.request})
        except DomainError as exc:
            level = "warning" if isinstance(exc, UnavailableError) else "info"
            return self._failure(call, exc.code, exc.message, level=level, details=exc.details)
        except Exception:
            # One line per call, crashes included: it carries the traceback (redacted) and counts once.
            return self._failure(
                call,
                "internal_error",
                f"an unexpected error occurred; quote correlation id {call.correlation_id} to the operator",
                level="error",
                exc_info=True,
            )
        # A change is a business event (INFO); a successful read is detail (DEBUG) — the audit log records every
        # call either way, and a log line costs as much as the rest of the call path.
        line_level = _DEBUG if operation.read_only else _INFO
        if _enabled_for(line_level):
            log.log(
                line_level,
                "tool_call",
                tool=call.tool,
                outcome="ok",
                correlation_id=call.correlation_id,
                duration_ms=round(call.elapsed_ms, 2),
                transport=call.transport,
            )
        structured = result.model_dump(mode="json")  # serialised once: the text block is its JSON
        return CallToolResult(
            content=[TextContent(type="text", text=to_json(structured).decode())],
            structured_content=structured,
            _meta={META_CORRELATION: call.correlation_id},
        )

    async def invoke(
        self, tool_name: str, operation: Operation[Any, Any], arguments: dict[str, Any] | BaseModel
    ) -> BaseModel:
        """Run another tool from inside a tool call, as its caller: every step again, under the same correlation id.

        Raises the `DomainError` the steps or the handler raised; the engine that asked decides what to do.
        """
        parent = current_call()
        if parent is None or parent.principal is None:
            raise PermissionDeniedError(f"{tool_name} can only be run inside a tool call, on its caller's behalf")
        if parent.depth >= MAX_NESTING:
            raise InvalidInputError(f"{tool_name}: tools calling tools may nest {MAX_NESTING} deep at most")
        call = parent.nested(tool_name)
        # Both calls' arguments are client material that log lines must not carry.
        given = arguments if isinstance(arguments, dict) else arguments.model_dump()
        call.arguments = {**parent.arguments, **{f"{tool_name}:{name}": value for name, value in given.items()}}
        token = bind_call(call)
        try:
            return await self._run_chain(call, operation, arguments)
        finally:
            unbind_call(token)

    async def read_resource(
        self, name: str, operation: Operation[Any, Any], arguments: dict[str, Any], context: Context[Any, Any]
    ) -> BaseModel:
        """A resource read takes the same path as a tool call; a refusal raises the `DomainError`."""
        call = _call_context(name, context, self.headerless_transport)
        token = bind_call(call)
        try:
            result = await self._run_chain(call, operation, arguments)
        except DomainError as exc:
            log.info("resource_read", resource=name, outcome=exc.code, correlation_id=call.correlation_id)
            raise
        finally:
            unbind_call(token)
        log.info("resource_read", resource=name, outcome="ok", correlation_id=call.correlation_id)
        return result

    async def _run_chain(
        self, call: CallContext, operation: Operation[Any, Any], arguments: dict[str, Any] | BaseModel
    ) -> BaseModel:
        return await _Chain(self.interceptors, call, operation, arguments).proceed()

    def _failure(
        self,
        call: CallContext,
        code: str,
        message: str,
        *,
        level: str,
        exc_info: bool = False,
        details: dict[str, Any] | None = None,
    ) -> CallToolResult:
        log.log(
            _LEVELS[level],
            "tool_call",
            tool=call.tool,
            outcome=code,
            correlation_id=call.correlation_id,
            duration_ms=round(call.elapsed_ms, 2),
            transport=call.transport,
            exc_info=exc_info,
        )
        return CallToolResult(
            content=[TextContent(type="text", text=f"{code}: {message}")],
            is_error=True,
            _meta={META_CORRELATION: call.correlation_id, META_ERROR_CODE: code}
            | ({META_DETAILS: details} if details else {}),
        )


_LEVELS = {"info": 20, "warning": 30, "error": 40}
_DEBUG, _INFO = logging.DEBUG, logging.INFO
_enabled_for = logging.getLogger("cyrano.calls").isEnabledFor


class _Chain:
    """One call's walk through the interceptors, then validation and the handler: one object per call rather
    than a closure per interceptor. Each interceptor calls `proceed` at most once."""

    __slots__ = ("_arguments", "_call", "_interceptors", "_next", "_operation")

    def __init__(
        self,
        interceptors: Sequence[CallInterceptor],
        call: CallContext,
        operation: Operation[Any, Any],
        arguments: dict[str, Any] | BaseModel,
    ) -> None:
        self._interceptors = interceptors
        self._call = call
        self._operation = operation
        self._arguments = arguments
        self._next = 0

    async def proceed(self) -> BaseModel:
        index = self._next
        if index < len(self._interceptors):
            self._next = index + 1
            return await self._interceptors[index](self._call, self._operation, self.proceed)
        operation = self._operation
        arguments = self._arguments
        if isinstance(arguments, operation.input_model):
            params = arguments  # an engine's typed call: validated when the model was made
        else:
            try:
                params = operation.input_model.model_validate(_pre_parse(operation.input_model, dict(arguments)))
            except ValidationError as exc:
                raise InvalidInputError(validation_message(exc)) from None
        result: BaseModel = await operation.handler(params)
        return result


def _pre_parse(model: type[BaseModel], arguments: dict[str, Any]) -> dict[str, Any]:
    if not arguments:
        return arguments
    parsed = arguments
    for name, value in arguments.items():
        field = model.model_fields.get(name)
        if (
            field is not None
            and isinstance(value, str)
            and value[:1] in ("[", "{")
            and _accepts_json_text(field.annotation)
        ):
            try:
                decoded = json.loads(value)
            except ValueError:
                continue
            parsed = {**parsed, name: decoded}
    return parsed


def _call_context(tool_name: str, context: Context[Any, Any], headerless_transport: str) -> CallContext:
    correlation_id: str | None = None
    transport = headerless_transport
    protocol_version: str | None = None
    source: str | None = None
    progress_sink = None
    try:
        request_context = context.request_context
    except ValueError:
        request_context = None
    if request_context is not None:
        # The raw ASGI scope, not `context.headers`: building a Headers object per call costs more than this.
        scope = getattr(request_context.request, "scope", None)
        if scope is not None:
            transport = "http"
            for name, value in scope.get("headers", ()):
                if name == b"x-request-id":
                    candidate = value.decode("latin-1")
                    if REQUEST_ID.match(candidate):
                        correlation_id = candidate
                    break
            client = scope.get("client")
            source = client[0] if client else None
        protocol_version = context.protocol_version
        progress_sink = context.report_progress
    call = CallContext(
        tool=tool_name,
        correlation_id=correlation_id or new_correlation_id(),
        transport=transport,
        protocol_version=protocol_version,
        mcp_context=context if request_context is not None else None,
        source=source or transport,
    )
    if progress_sink is not None:
        call.progress_sink = progress_sink

        async def log_to_client(level: str, data: Any) -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # logging is deprecated in 2026-07-28, still carried by both
                await context.log(level, data, logger_name="cyrano")  # type: ignore[arg-type]

        call.log_sink = log_to_client
    return call


class RegistryTool(Tool):
    """An SDK tool whose every call goes through Cyrano's call path instead of the SDK's own validation."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    operation: Any = Field(exclude=True)
    call_path: Any = Field(exclude=True)

    async def run(
        self, arguments: dict[str, Any], context: Context[Any, Any], convert_result: bool = False
    ) -> CallToolResult | InputRequiredResult:
        result: CallToolResult | InputRequiredResult = await self.call_path.execute(
            self.name, self.operation, arguments, context
        )
        return result


class _NoArguments(ArgModelBase):
    """Placeholder: Cyrano validates against the operation's own input model."""


def build_tool(tool_name: str, operation: Operation[Any, Any], call_path: CallPath) -> RegistryTool:
    async def unused(**_: Any) -> None:  # the SDK requires a callable; `run` never calls it
        return None

    input_schema = compact_schema(operation.input_model.model_json_schema(), optional_as_omitted=True)
    output_schema = compact_schema(operation.output_model.model_json_schema(mode="serialization"))
    return RegistryTool(
        fn=unused,
        name=tool_name,
        title=operation.title,
        description=operation.description,
        parameters=input_schema,
        fn_metadata=FuncMetadata(arg_model=_NoArguments, output_schema=output_schema),
        is_async=True,
        annotations=ToolAnnotations(
            title=operation.title,
            read_only_hint=operation.read_only,
            destructive_hint=operation.destructive,
            idempotent_hint=operation.idempotent,
            open_world_hint=operation.open_world,
        ),
        operation=operation,
        call_path=call_path,
    )

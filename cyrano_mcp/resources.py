"""Resources on the MCP server: the engines' templates (how to read one) and listings (which exist, for a host's
attach menu), each read going through the call path like a tool call (audit, authentication, limits, RBAC).
"""

import base64
import binascii
import inspect
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS
from pydantic import BaseModel, create_model

from cyrano_mcp.callpath import CallPath
from cyrano_mcp.errors import DomainError, PermissionDeniedError
from cyrano_mcp.kit.declarations import Operation, ResourceTemplate
from cyrano_mcp.kit.listings import ListingPage, ListingRequest, ResourceListing
from cyrano_mcp.models import ToolInput
from cyrano_mcp.observability.logging import get_logger

log = get_logger(__name__)

LISTING_PAGE_SIZE = 50


def install_templates(server: MCPServer[Any], templates: Sequence[ResourceTemplate], call_path: CallPath) -> None:
    for template in templates:
        server.resource(
            template.uri_template, name=template.name, description=template.description, mime_type=template.mime_type
        )(_template_reader(template, call_path))


class ResourceText(BaseModel):
    text: str


def _template_reader(template: ResourceTemplate, call_path: CallPath) -> Callable[..., Awaitable[str]]:
    """A reader that sends every read through the call path.

    The SDK matches the reader's parameters to the URI template and injects the `Context` parameter, so
    the reader gets the handler's own parameters plus `ctx`.
    """
    handler_signature = inspect.signature(template.handler)
    params_model = create_model(  # type: ignore[call-overload]
        f"{template.name}_params",
        __base__=ToolInput,  # the same input checks as a tool's arguments (control characters refused)
        **dict.fromkeys(handler_signature.parameters, (str, ...)),
    )

    async def handle(params: BaseModel) -> ResourceText:
        return ResourceText(text=await template.handler(**params.model_dump()))

    operation: Operation[BaseModel, ResourceText] = Operation(
        name="read_" + re.sub(r"[^a-z0-9_]", "_", template.name.lower())[:35],
        description=template.description,
        input_model=params_model,
        output_model=ResourceText,
        handler=handle,
        permission=template.permission,
        read_only=True,
    )

    async def read(**arguments: Any) -> str:
        ctx = arguments.pop("ctx")
        try:
            result = await call_path.read_resource(f"resource:{template.name}", operation, arguments, ctx)
        except DomainError as exc:
            raise ResourceError(f"{exc.code}: {exc.message}") from None
        assert isinstance(result, ResourceText)
        return result.text

    keyword_only = [
        parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY) for parameter in handler_signature.parameters.values()
    ]
    context_parameter = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)
    read.__signature__ = inspect.Signature([*keyword_only, context_parameter], return_annotation=str)  # type: ignore[attr-defined]
    read.__annotations__ = {**template.handler.__annotations__, "ctx": Context, "return": str}
    read.__name__ = template.name
    return read


class ListResources:
    """SDK middleware: answers `resources/list` with the engines' listings, chained and paged.

    The cursor names the listing and that listing's own cursor, so one page never mixes two listings and a
    listing the caller's role may not read is skipped. Static resources (the SDK's own) come on the first page.
    """

    def __init__(self, listings: Sequence[ResourceListing], call_path: CallPath) -> None:
        self._listings = [(listing, _listing_operation(listing)) for listing in listings]
        self._call_path = call_path

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method != "resources/list" or not self._listings:
            return await call_next(ctx)
        position, inner = _read_cursor((ctx.params or {}).get("cursor"), len(self._listings))
        # The SDK's own answer carries what the protocol version requires beside the list (cache hints).
        result = await call_next(ctx)
        answer = dict(
            result.model_dump(by_alias=True, exclude_none=True) if isinstance(result, BaseModel) else result or {}
        )
        static = list(answer.pop("resources", [])) if position == 0 and inner is None else []
        answer.pop("nextCursor", None)
        context = Context(request_context=ctx)
        listed: list[dict[str, Any]] = []
        # Fill the page from one listing after another, so that an empty listing never makes an empty page.
        while position < len(self._listings) and len(static) + len(listed) < LISTING_PAGE_SIZE:
            listing, operation = self._listings[position]
            room = LISTING_PAGE_SIZE - len(static) - len(listed)
            try:
                page = await self._call_path.read_resource(
                    f"resources:{listing.name}", operation, {"cursor": inner, "limit": room}, context
                )
            except PermissionDeniedError:
                position, inner = position + 1, None
                continue
            except DomainError as exc:
                raise MCPError(code=INVALID_PARAMS, message=f"{exc.code}: {exc.message}") from None
            assert isinstance(page, ListingPage)
            listed += [_wire_form(item.model_dump()) for item in page.resources]
            position, inner = (position, page.next_cursor) if page.next_cursor is not None else (position + 1, None)
        more = position < len(self._listings)
        return {
            **answer,
            "resources": [*static, *listed],
            **({"nextCursor": _write_cursor(position, inner)} if more else {}),
        }


def _listing_operation(listing: ResourceListing) -> Operation[ListingRequest, ListingPage]:
    return Operation(
        name="list_" + listing.name,
        description=listing.description,
        input_model=ListingRequest,
        output_model=ListingPage,
        handler=listing.handler,
        permission=listing.permission,
        read_only=True,
    )


def _wire_form(item: Mapping[str, Any]) -> dict[str, Any]:
    wire = {"mimeType" if key == "mime_type" else key: value for key, value in item.items() if value is not None}
    return wire


def _write_cursor(position: int, inner: str | None) -> str:
    return base64.urlsafe_b64encode(json.dumps([position, inner]).encode()).decode().rstrip("=")


def _read_cursor(cursor: object, listings: int) -> tuple[int, str | None]:
    if cursor is None:
        return 0, None
    try:
        position, inner = json.loads(base64.urlsafe_b64decode(str(cursor) + "=" * (-len(str(cursor)) % 4)))
        if isinstance(position, int) and 0 <= position < listings and (inner is None or isinstance(inner, str)):
            return position, inner
    except (binascii.Error, ValueError, TypeError):
        pass
    raise MCPError(code=INVALID_PARAMS, message="invalid_input: cursor: not a cursor this server issued; start again")

"""Security on the call path: every tool call and resource read passes these, outermost first.

    AuditCalls     one audit record per call (who, what, when, from where, outcome, correlation id)
    Authenticate   who is calling: the bearer token's account, or the local user on stdio
    LimitCalls     the per-user quota (over HTTP the HTTP app has charged it already; over stdio the local user
                   only with `CYRANO_RATE_LIMIT_LOCAL_USER`)
    Authorize      the role must grant the operation's permission

`HideForbiddenTools` is the one piece outside the call path: an SDK middleware that drops from
`tools/list` and `prompts/list` whatever the caller's role may not use.
"""

from collections.abc import Callable
from typing import Any

import anyio
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from pydantic import BaseModel

from cyrano_mcp.callpath import Proceed
from cyrano_mcp.calls import CallContext
from cyrano_mcp.errors import DomainError, PermissionDeniedError, RateLimitedError
from cyrano_mcp.kit.declarations import Operation
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.permissions import PermissionTable
from cyrano_mcp.principal import Principal
from cyrano_mcp.security.accounts import AccountService
from cyrano_mcp.security.audit import Actor, AuditLog
from cyrano_mcp.security.principals import UnauthenticatedError, token_principal
from cyrano_mcp.security.ratelimit import RateLimiter, charged_upstream

log = get_logger("cyrano.security")


class PrincipalResolver:
    def __init__(self, accounts: AccountService, *, http_auth_required: bool) -> None:
        self._accounts = accounts
        self._http_auth_required = http_auth_required

    async def resolve(self, *, over_http: bool) -> Principal:
        principal = token_principal()
        if principal is not None:
            return principal
        if over_http and self._http_auth_required:
            # Unreachable while the SDK's RequireAuthMiddleware guards every MCP route; kept so that a
            # mistake there fails closed instead of handing HTTP callers the local (admin) account.
            raise UnauthenticatedError("this request carried no valid bearer token")
        return await self._accounts.local_principal()


def _principal(call: CallContext) -> Principal:
    if call.principal is None:
        raise UnauthenticatedError("the call has no authenticated principal")
    return call.principal


class AuditCalls:
    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    async def __call__(self, call: CallContext, operation: Operation[Any, Any], proceed: Proceed) -> BaseModel:
        outcome = "internal_error"
        try:
            result = await proceed()
            outcome = "ok"
            return result
        except DomainError as exc:
            outcome = exc.code
            raise
        finally:
            actor = Actor.of(call.principal)
            detail = {"via": call.caller} if call.caller is not None else None  # a tool an engine called
            if outcome == "ok":  # routine: written in the background with others, within 50 ms
                self._audit.record(
                    "tool_call",
                    actor=actor,
                    outcome=outcome,
                    target=call.tool,
                    source=call.source,
                    correlation_id=call.correlation_id,
                    detail=detail,
                )
            else:  # a refusal or a failure is a security event: committed before the caller hears of it
                with anyio.CancelScope(shield=True):  # a cancelled call is still recorded
                    try:
                        await self._audit.append(
                            "tool_call",
                            actor=actor,
                            outcome=outcome,
                            target=call.tool,
                            source=call.source,
                            correlation_id=call.correlation_id,
                            detail=detail,
                        )
                    except Exception:
                        # The call's effect has happened; failing it now would invite a duplicate retry.
                        log.exception("audit_write_failed", tool=call.tool, correlation_id=call.correlation_id)


class Authenticate:
    def __init__(self, resolver: PrincipalResolver) -> None:
        self._resolver = resolver

    async def __call__(self, call: CallContext, operation: Operation[Any, Any], proceed: Proceed) -> BaseModel:
        if call.caller is None:  # a tool an engine calls acts for the caller of the tool that called it
            call.principal = await self._resolver.resolve(over_http=call.transport == "http")
        return await proceed()


class LimitCalls:
    """Refuses a call over its caller's quota, before it reaches its engine.

    Over HTTP the gate has charged the request and passes its decision on (a refused tool call of an
    authenticated session is let through to be refused here, as a tool error a model can act on). Other calls
    are charged here: the local user's over stdio or in memory only when `limit_local_user` says so.
    """

    def __init__(self, limiter: RateLimiter, *, limit_local_user: bool) -> None:
        self._limiter = limiter
        self._limit_local_user = limit_local_user

    async def __call__(self, call: CallContext, operation: Operation[Any, Any], proceed: Proceed) -> BaseModel:
        # Charged once per client call: not again for the tools an engine runs on its behalf.
        if call.caller is None:
            decision = charged_upstream.get()
            if decision is None and (call.transport == "http" or self._limit_local_user):
                decision = await self._limiter.hit("user", _principal(call).user_id)
            if decision is not None and not decision.allowed:
                raise RateLimitedError(
                    f"too many calls ({decision.limit} per {decision.window_seconds} s); "
                    f"retry after {decision.retry_after} s",
                    retry_after=decision.retry_after,
                )
        return await proceed()


class Authorize:
    def __init__(self, permissions: PermissionTable) -> None:
        self._permissions = permissions

    async def __call__(self, call: CallContext, operation: Operation[Any, Any], proceed: Proceed) -> BaseModel:
        principal = _principal(call)
        if not self._permissions.allows(principal.role, operation.permission):
            raise PermissionDeniedError(
                f"the {principal.role.value} role may not use {call.tool} (it needs {operation.permission})"
            )
        return await proceed()


class HideForbiddenTools:
    """SDK middleware: `tools/list` and `prompts/list` show a caller only what their role may use."""

    # The listing methods filtered, and the key of their answers' items.
    _LISTS = {"tools/list": "tools", "prompts/list": "prompts"}

    def __init__(
        self,
        resolver: PrincipalResolver,
        permissions: PermissionTable,
        permission_of: Callable[[str, str], str | None],
    ) -> None:
        """`permission_of(kind, name)`: the permission the tool or prompt (`kind`) needs, None if none."""
        self._resolver = resolver
        self._permissions = permissions
        self._permission_of = permission_of

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        result = await call_next(ctx)
        key = self._LISTS.get(ctx.method)
        if key is None:
            return result
        # The chain hands back the wire form (a dict); a model is handled too, in case that changes.
        listing = result.model_dump(by_alias=True, exclude_none=True) if isinstance(result, BaseModel) else result
        if not isinstance(listing, dict) or not isinstance(listing.get(key), list):
            return result
        try:
            principal = await self._resolver.resolve(over_http=ctx.request is not None)
        except DomainError:
            return {**listing, key: []}
        visible = []
        for item in listing[key]:
            permission = self._permission_of(key, str(item.get("name")))
            if permission is None or self._permissions.allows(principal.role, permission):
                visible.append(item)
        return {**listing, key: visible}

"""MCP roots: the folders the local stdio client declared, as paths the engines may read files under.

Only the stdio transport gets a lookup (`CallPath` sets it on the call): the client and the server then run on
one machine as one user, so a root names a folder this user can open anyway. Over HTTP a client's roots name
folders of another machine, and believing them would let any remote caller open any folder of the server.

How the roots are fetched follows the protocol generation:
- MCP 2025-11-25 (the `initialize` handshake; what desktop and IDE hosts speak): a `roots/list` request to the
  client in the middle of the call. The answer is kept until the client says `notifications/roots/list_changed`
  (if it declared `listChanged`; otherwise it is asked every time). stdio serves one client per process, so
  there is one answer to keep.
- MCP 2026-07-28 has no requests in the middle of a call: the call ends with an `InputRequiredResult` asking
  `roots/list`, and the client calls again with the answer, which nothing keeps (that protocol has no session).
"""

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import anyio
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context
from mcp.shared.exceptions import MCPError, NoBackChannelError
from mcp_types import ListRootsRequest, ListRootsResult
from mcp_types.version import is_version_at_least
from pydantic import ValidationError

from cyrano_mcp.calls import RootsLookup
from cyrano_mcp.errors import ClientInputRequired, UnavailableError
from cyrano_mcp.observability.logging import get_logger

log = get_logger("cyrano.roots")

ROOTS_ANSWER = "cyrano/roots"  # the key of the roots request inside an InputRequiredResult
NO_MID_CALL_REQUESTS = "2026-07-28"
MAX_ROOTS = 64
LIST_TIMEOUT_SECONDS = 10.0
LIST_CHANGED = "notifications/roots/list_changed"


class ClientRoots:
    """Fetches the stdio client's roots for a call, keeps them while they hold, and forgets them when the client
    says they changed (as SDK middleware: it sees every notification)."""

    def __init__(self) -> None:
        self._kept: tuple[Path, ...] | None = None
        self._changes = 0  # notifications seen; an answer that raced one is not kept

    def lookup(self, context: Context[Any, Any]) -> RootsLookup | None:
        """The lookup for one call, or None when the client declared no roots."""
        capabilities = context.client_capabilities
        if capabilities is None or capabilities.roots is None:
            return None
        keep = bool(capabilities.roots.list_changed)

        async def roots() -> Sequence[Path]:
            return await self._roots(context, keep=keep)

        return roots

    async def _roots(self, context: Context[Any, Any], *, keep: bool) -> tuple[Path, ...]:
        version = context.protocol_version
        if version is not None and is_version_at_least(version, NO_MID_CALL_REQUESTS):
            answer = (context.input_responses or {}).get(ROOTS_ANSWER)
            if answer is None:
                raise ClientInputRequired(ROOTS_ANSWER, ListRootsRequest())
            return _answer_paths(answer)
        if keep and self._kept is not None:
            return self._kept
        changes = self._changes
        roots = await _ask(context)
        if keep and changes == self._changes:
            self._kept = roots
        return roots

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method == LIST_CHANGED:
            self._kept = None
            self._changes += 1
        return await call_next(ctx)


async def _ask(context: Context[Any, Any]) -> tuple[Path, ...]:
    """`roots/list`, sent to the client in the middle of the call (MCP 2025-11-25)."""
    try:
        with anyio.fail_after(LIST_TIMEOUT_SECONDS), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # roots are deprecated in 2026-07-28, not in the protocol spoken here
            result = await context.session.list_roots()
    except TimeoutError:
        raise UnavailableError(f"the client did not list its roots within {LIST_TIMEOUT_SECONDS:g} s") from None
    except (MCPError, NoBackChannelError, ValidationError) as exc:
        log.warning("client_roots_unavailable", error=type(exc).__name__)  # no paths: they are the client's
        return ()
    return paths_of(result)


def _answer_paths(answer: object) -> tuple[Path, ...]:
    try:
        result = answer if isinstance(answer, ListRootsResult) else ListRootsResult.model_validate(answer)
    except ValidationError:
        log.warning("client_roots_unreadable")
        return ()
    return paths_of(result)


def paths_of(result: ListRootsResult) -> tuple[Path, ...]:
    """The local folders among the roots: `file://` URIs of this machine, as absolute paths without `..`."""
    paths: list[Path] = []
    for root in result.roots[:MAX_ROOTS]:
        path = path_of_file_uri(str(root.uri))
        if path is not None and path not in paths:
            paths.append(path)
    return tuple(paths)


def path_of_file_uri(uri: str) -> Path | None:
    """The path a `file://` URI names on this machine, or None for anything else."""
    parts = urlsplit(uri)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
        return None
    text = url2pathname(parts.path) if parts.path.startswith("/") else ""
    if not text or "\x00" in text:
        return None
    path = Path(text)
    if not path.is_absolute() or ".." in path.parts:
        return None
    return path

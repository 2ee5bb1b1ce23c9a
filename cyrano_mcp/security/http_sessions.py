"""Open MCP sessions per user, so that one account cannot pile them up (each holds a server task and its
streams in this process until it ends).

The SDK's session manager caps sessions for the whole process only. The request gate keeps this ledger
beside it: it sees a session opened (an `initialize` answered with an `Mcp-Session-Id`, or a legacy SSE
stream), every request made in it, and its end (DELETE, or a 404 once the SDK has dropped it). Idle expiry
follows the SDK's rule with the same setting: a session with no request in flight for
`CYRANO_HTTP_SESSION_IDLE_SECONDS` is gone.

At the cap a new session is refused, not the oldest idle one evicted: a refusal is visible to the client that
asked (429 with Retry-After, the time until the oldest idle session expires), where an eviction would break
another client of the same user in the middle of its work.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(eq=False, slots=True)
class SessionUse:
    """One session of one owner: its id once the SDK has given one, and the requests it has in flight."""

    session_id: str | None = None
    in_flight: int = 1  # a session is opened by a request, which is in flight until it is answered
    idle_since: float = 0.0


class SessionLedger:
    def __init__(self, per_owner: int, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._per_owner = per_owner
        self._idle_seconds = idle_seconds
        self._clock = clock
        self._owners: dict[str, list[SessionUse]] = {}

    def open(self, owner: str) -> SessionUse | None:
        """A place for a new session of `owner` (in flight from now), or None at the cap."""
        if len(self._live(owner)) >= self._per_owner:
            return None
        use = SessionUse()
        self._owners.setdefault(owner, []).append(use)
        return use

    def enter(self, owner: str, session_id: str) -> SessionUse | None:
        """A request in `owner`'s session; None when it is not one of theirs (the SDK answers those with 404)."""
        for use in self._live(owner):
            if use.session_id == session_id:
                use.in_flight += 1
                return use
        return None

    def knows(self, owner: str, session_id: str) -> bool:
        """Whether `session_id` is one of `owner`'s live sessions."""
        return any(use.session_id == session_id for use in self._live(owner))

    def leave(self, owner: str, use: SessionUse, *, ended: bool) -> None:
        use.in_flight -= 1
        use.idle_since = self._clock()
        if ended or use.session_id is None:  # an SSE stream, or an opening request that got no session
            self._keep(owner, [kept for kept in self._owners.get(owner, []) if kept is not use])

    def retry_after(self, owner: str) -> int:
        """Seconds until one of `owner`'s sessions expires if it stays idle (the full idle time if none is)."""
        now = self._clock()
        idle = [use.idle_since for use in self._live(owner) if use.in_flight == 0]
        wait = min(idle) + self._idle_seconds - now if idle else self._idle_seconds
        return max(1, math.ceil(wait))

    def _live(self, owner: str) -> list[SessionUse]:
        """`owner`'s sessions, dropping those the SDK has expired by now."""
        uses = self._owners.get(owner, [])
        expired_before = self._clock() - self._idle_seconds
        live = [use for use in uses if use.in_flight or use.idle_since > expired_before]
        if len(live) != len(uses):
            self._keep(owner, live)
        return live

    def _keep(self, owner: str, uses: list[SessionUse]) -> None:
        if uses:
            self._owners[owner] = uses
        else:
            self._owners.pop(owner, None)  # an owner without sessions takes no memory

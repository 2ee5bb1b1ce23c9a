"""How long a process may trust what it read about an account: one second, or until it changes an account itself.

Every call needs its caller's account (is it enabled, which role, is this login revoked?). Reading it from the
store on each call costs more than the rest of the call path together, so answers are kept briefly. A change made
in this process (role, disable, password, logout, refresh-token reuse) drops them all at once; a change made by
another process (a second worker, the CLI) is seen within `ACCOUNT_CHECK_SECONDS` — the bound the operator is
promised for revocations across processes.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from cyrano_mcp.observability.logging import get_logger

log = get_logger(__name__)

ACCOUNT_CHECK_SECONDS = 1.0
_MAX_ENTRIES = 10_000

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_generation = 0


def accounts_changed() -> None:
    """Forget every cached account check in this process (call after committing an account change)."""
    global _generation
    _generation += 1


class RecentChecks(Generic[K, V]):
    def __init__(self, ttl: float = ACCOUNT_CHECK_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[K, tuple[V, float, int]] = {}

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, checked_at, generation = entry
        if generation != _generation or self._clock() - checked_at > self._ttl:
            del self._entries[key]
            return None
        return value

    def put(self, key: K, value: V) -> None:
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.clear()  # bounded; a burst of distinct logins just costs a re-read
        self._entries[key] = (value, self._clock(), _generation)


REFRESH_AFTER_SECONDS = 0.4
# How long a reload waits for more keys to fall due: the keys read together stay in step from then on, so N busy
# users cost one read per cycle rather than one each (they drifted apart: 100 users made ~100 reads a second).
GATHER_SECONDS = 0.1


class RefreshedChecks(RecentChecks[K, V]):
    """`RecentChecks` that re-reads its entries before they expire, all of them in one batch, off the call path.

    A value older than `refresh_after` is still served (it is within the one-second bound) and marked due;
    `gather` seconds later one background task reloads every key then due with a single `load_many` call. So
    a busy user's calls never wait on the store for their account check, and N active users cost one query
    per cycle instead of N per second: under load, each such read waited behind every other ready task on the
    event loop, and made about 3% of calls take 0.3–5 s. A key whose check now fails is dropped: the next
    call checks it in the foreground and gets the reason. Values are never served past `ttl`, so the bound
    on seeing another process's change is unchanged (`refresh_after + gather` stays well inside it).
    """

    def __init__(
        self,
        load_many: Callable[[list[K]], Awaitable[dict[K, V]]],
        ttl: float = ACCOUNT_CHECK_SECONDS,
        refresh_after: float = REFRESH_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        gather: float = GATHER_SECONDS,
    ) -> None:
        super().__init__(ttl, clock)
        self._load_many = load_many
        self._refresh_after = refresh_after
        self._gather = gather
        self._due: set[K] = set()
        self._scheduled: asyncio.TimerHandle | None = None
        self._refreshing: asyncio.Task[None] | None = None

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        value = super().get(key)
        if value is not None and entry is not None and self._clock() - entry[1] > self._refresh_after:
            self._due.add(key)
            self._schedule()
        return value

    def _schedule(self) -> None:
        if self._scheduled is None and self._refreshing is None:
            self._scheduled = asyncio.get_running_loop().call_later(self._gather, self._start_refresh)

    def _start_refresh(self) -> None:
        self._scheduled = None
        self._refreshing = asyncio.get_running_loop().create_task(self._refresh(), name="cyrano-account-checks")

    async def _refresh(self) -> None:
        keys, self._due = list(self._due), set()
        started, generation = self._clock(), _generation
        try:
            fresh = await self._load_many(keys)
        except Exception as exc:  # the entries expire instead; the foreground check reports the problem
            log.warning("account_refresh_failed", keys=len(keys), error=type(exc).__name__)
            return
        finally:
            self._refreshing = None
        for key in keys:
            value = fresh.get(key)
            if value is None:
                self._entries.pop(key, None)
            elif generation == _generation:  # an account changed here meanwhile: let the entry expire
                self._entries[key] = (value, started, generation)
        if self._due:  # keys that fell due during this read go next, rather than waiting for their next call
            self._schedule()

    async def close(self) -> None:
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None
        task, self._refreshing = self._refreshing, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

"""How long a process may trust what it read about an account: one second, or until it changes an account itself.

Every call needs its caller's account (is it enabled, which role, is this login revoked?). Reading it from the
store on each call costs more than the rest of the call path together, so answers are kept briefly. A change made
in this process (role, disable, password, logout, refresh-token reuse) drops them all at once; a change made by
another process (a second worker, the CLI) is seen within `ACCOUNT_CHECK_SECONDS` — the bound the operator is
promised for revocations across processes.
"""

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

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

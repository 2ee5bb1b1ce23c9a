"""Where rate-limit counters live: this process's memory, or Redis (shared by every process).

Both count quotas the same way, as sliding-window counters: a request is allowed while the previous window's
count, weighted by how much of that window the sliding window still covers (rounded down), plus the current
window's count stays under the quota. Windows start at multiples of their length. Besides the windows,
the limiter keeps plain counters that expire (penalty strikes, blocks, login failures and locks).

In memory this is a few dictionary operations per request. The `limits` library's memory storage does the
same behind per-key locks and a background expiry task, at several times the cost; it is kept for Redis,
where its atomic scripts are what make the counters safe to share.
"""

import math
import time
from collections.abc import Callable
from typing import NamedTuple, Protocol

from limits import RateLimitItem
from limits.aio.storage import RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

_PRUNE_EVERY = 10_000  # operations between sweeps of expired entries


class Window(NamedTuple):
    allowed: bool
    remaining: int
    reset_after: int  # seconds until the current window ends


class Counters(Protocol):
    async def hit(self, item: RateLimitItem, *identifiers: str) -> Window: ...

    async def incr(self, key: str, expiry: int) -> int:
        """Add one; the expiry is set when the counter is created. Returns the new count."""
        ...

    async def seconds_left(self, key: str) -> int:
        """Seconds until the counter expires; 0 when it is not set."""
        ...

    async def clear(self, key: str) -> None: ...


class LocalCounters:
    """Counters in this process's memory."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._windows: dict[str, list[float]] = {}  # key -> [window start, previous count, current count, length]
        self._expiring: dict[str, tuple[int, float]] = {}  # key -> (count, expires at)
        self._operations = 0

    async def hit(self, item: RateLimitItem, *identifiers: str) -> Window:
        self._tick()
        now = self._clock()
        length = float(item.get_expiry())
        start = now - now % length
        key = "/".join((*identifiers, str(item.amount), str(length)))
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = [start, 0.0, 0.0, length]
        elif window[0] != start:
            # The current window became the previous one, or both lie further back.
            window[1] = window[2] if start - window[0] == length else 0.0
            window[0], window[2] = start, 0.0
        elapsed = now - start
        weighted = math.floor(window[1] * (length - elapsed) / length) + window[2]
        allowed = weighted < item.amount
        if allowed:
            window[2] += 1
            weighted += 1
        return Window(allowed, max(0, int(item.amount - weighted)), max(1, math.ceil(length - elapsed)))

    async def incr(self, key: str, expiry: int) -> int:
        self._tick()
        now = self._clock()
        count, expires_at = self._expiring.get(key, (0, 0.0))
        if expires_at <= now:
            count, expires_at = 0, now + expiry
        self._expiring[key] = (count + 1, expires_at)
        return count + 1

    async def seconds_left(self, key: str) -> int:
        entry = self._expiring.get(key)
        if entry is None:
            return 0
        left = entry[1] - self._clock()
        if left <= 0:
            del self._expiring[key]
            return 0
        return max(1, math.ceil(left))

    async def clear(self, key: str) -> None:
        self._expiring.pop(key, None)

    def _tick(self) -> None:
        """Now and then, forget what has expired, so that memory follows the active callers, not all callers ever."""
        self._operations += 1
        if self._operations % _PRUNE_EVERY:
            return
        now = self._clock()
        self._expiring = {key: entry for key, entry in self._expiring.items() if entry[1] > now}
        self._windows = {key: w for key, w in self._windows.items() if now - w[0] < 2 * w[3]}


class SharedCounters:
    """Counters in Redis, through the `limits` library's atomic scripts."""

    def __init__(self, storage: RedisStorage) -> None:
        self._storage = storage
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    async def hit(self, item: RateLimitItem, *identifiers: str) -> Window:
        allowed = await self._limiter.hit(item, *identifiers)
        stats = await self._limiter.get_window_stats(item, *identifiers)
        return Window(allowed, max(stats.remaining, 0), max(1, math.ceil(stats.reset_time - time.time())))

    async def incr(self, key: str, expiry: int) -> int:
        return await self._storage.incr(key, expiry)

    async def seconds_left(self, key: str) -> int:
        if await self._storage.get(key) <= 0:
            return 0
        return max(1, math.ceil(await self._storage.get_expiry(key) - time.time()))

    async def clear(self, key: str) -> None:
        await self._storage.clear(key)

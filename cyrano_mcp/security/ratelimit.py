"""Rate limits: sliding-window counters in memory or in Redis (see `counters`), plus escalating penalties.

A sliding-window counter rather than a log of every hit: it costs the same per call whatever the quota,
where a moving-window log grows with the quota and, in memory, inserted at the front of a list on every hit.

Policies: `user` (tool calls per authenticated user), `anonymous` (per client address, for callers without
a token) and `login` (login and refresh attempts per address). A refused request is a violation; each
violation within an hour of the first doubles the block that follows it (up to a ceiling), so a client
that keeps pushing waits longer each time instead of getting back in at every window edge.

Over HTTP a refused tool call of an authenticated user is answered as a tool error, which a model can read
and wait on; so that a flood cannot use those answers to keep reaching the server, at most one quota's worth
of them per window (`over_limit_call`) are given; past that the refusals are plain HTTP 429s again.

Login failures are counted per username, for names that exist and names that do not alike (so the
lockout reveals nothing about which accounts exist). First per (username, client address) pair: after five
failures from one address each further one locks the name, from that address only, for twice as long as the
last. A stranger guessing from other addresses therefore does not keep the owner out. Then per username from
every address together: `CYRANO_LOGIN_LOCKOUT_ACCOUNT_FAILURES` within an hour of the first lock the name
everywhere for the rest of that hour, which bounds guessing spread over many addresses.

With Redis (`CYRANO_REDIS_URL`) every process sees the same counters. If Redis stops answering, limits fall
back to this process's memory rather than failing open or refusing everyone.
"""

import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal, TypeVar

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from redis.asyncio import ConnectionPool

from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.observability.metrics import record_rate_limited
from cyrano_mcp.security.counters import Counters, LocalCounters, SharedCounters
from cyrano_mcp.settings import Settings

log = get_logger(__name__)

Policy = Literal["user", "anonymous", "login"]
T = TypeVar("T")
STRIKE_MEMORY_SECONDS = 3600
LOGIN_FAILURES_ALLOWED = 5  # from one address, before that address is locked out of the username
LOGIN_LOCK_BASE_SECONDS = 30
ACCOUNT_FAILURE_WINDOW_SECONDS = 3600

TOOL_ERRORS_PER_QUOTA = 1  # refused calls answered as tool errors per window, in quotas; then 429


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    policy: Policy
    limit: int
    window_seconds: int
    remaining: int
    reset_after: int
    retry_after: int = 0
    new_violation: bool = False

    def headers(self) -> list[tuple[str, str]]:
        """IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers), plus Retry-After when refused."""
        headers = [
            ("RateLimit-Policy", f'"{self.policy}";q={self.limit};w={self.window_seconds}'),
            ("RateLimit", f'"{self.policy}";r={self.remaining};t={self.reset_after}'),
        ]
        if not self.allowed:
            headers.append(("Retry-After", str(self.retry_after)))
        return headers


# The HTTP app's decision when it has already charged this request to a limit: the call path refuses the call
# if the decision did, and does not charge the same call a second time (the value travels with the request
# into the MCP session task).
charged_upstream: ContextVar[Decision | None] = ContextVar("cyrano_rate_limit_charged", default=None)


@dataclass(frozen=True, slots=True)
class LoginLock:
    seconds: int
    everywhere: bool  # the username from every address; else from the failing address only


def _counters(settings: Settings) -> tuple[Counters, ConnectionPool | None]:
    if settings.redis_url is None:
        return LocalCounters(), None
    url = settings.redis_url.get_secret_value()
    # Our own pool, so that stopping the server closes its connections.
    pool = ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    storage = RedisStorage(
        f"async+{url}",
        implementation="redispy",
        key_prefix="cyrano",
        connection_pool=pool,  # type: ignore[arg-type]
    )
    return SharedCounters(storage), pool


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.policies: dict[Policy, RateLimitItem] = {
            "user": parse(settings.rate_limit_user),
            "anonymous": parse(settings.rate_limit_anonymous),
            "login": parse(settings.rate_limit_login),
        }
        self._max_penalty = settings.rate_limit_max_penalty_seconds
        self._account_failures = settings.login_lockout_account_failures
        self._primary, self._pool = _counters(settings)
        self._fallback = LocalCounters()
        self._degraded_until = 0.0

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()

    async def _use(self, action: Callable[[Counters], Awaitable[T]]) -> T:
        """Run `action` on the counters; if Redis fails, switch to in-memory counters for a minute."""
        if time.monotonic() < self._degraded_until:
            return await action(self._fallback)
        try:
            return await action(self._primary)
        except Exception as exc:
            if self._primary is self._fallback or isinstance(self._primary, LocalCounters):
                raise
            log.error("rate_limit_storage_unavailable", error=type(exc).__name__, fallback="memory for 60 s")
            self._degraded_until = time.monotonic() + 60
            return await action(self._fallback)

    async def blocked_for(self, policy: Policy, identity: str) -> int:
        """Seconds left of a penalty block (0 when there is none)."""
        return await self._use(lambda counters: counters.seconds_left(f"block/{policy}/{identity}"))

    async def hit(self, policy: Policy, identity: str) -> Decision:
        item = self.policies[policy]
        window = item.get_expiry()
        blocked_for = await self.blocked_for(policy, identity)
        if blocked_for > 0:
            record_rate_limited(policy)
            return Decision(False, policy, item.amount, window, 0, blocked_for, blocked_for)
        counted = await self._use(lambda counters: counters.hit(item, policy, identity))
        if counted.allowed:
            return Decision(True, policy, item.amount, window, counted.remaining, counted.reset_after)
        record_rate_limited(policy)
        strikes = await self._use(lambda counters: counters.incr(f"strikes/{policy}/{identity}", STRIKE_MEMORY_SECONDS))
        block = min(counted.reset_after * 2 ** (strikes - 1), self._max_penalty)
        await self._use(lambda counters: counters.incr(f"block/{policy}/{identity}", block))
        return Decision(False, policy, item.amount, window, 0, counted.reset_after, block, new_violation=True)

    async def over_limit_call(self, identity: str) -> int:
        """Count one refused tool call of user `identity` answered as a tool error; returns how many beyond
        the ceiling this one is (0 while within it, 1 for the first past it).

        The ceiling is `TOOL_ERRORS_PER_QUOTA` quotas per window, counted from the first such refusal.
        """
        item = self.policies["user"]
        count = await self._use(lambda counters: counters.incr(f"over/user/{identity}", item.get_expiry()))
        return max(0, count - item.amount * TOOL_ERRORS_PER_QUOTA)

    def refusal(self, policy: Policy, retry_after: int) -> Decision:
        """A refusal under `policy` decided elsewhere (a locked username), for an answer with the RateLimit fields."""
        item = self.policies[policy]
        return Decision(False, policy, item.amount, item.get_expiry(), 0, retry_after, retry_after)

    # --- login failures per username -----------------------------------------------------------------
    async def login_locked_for(self, username_key: str, address: str) -> int:
        """Seconds before `username_key` may try again from `address` (0 when it may now)."""
        from_here = await self._use(lambda counters: counters.seconds_left(f"lock/{username_key}/{address}"))
        everywhere = await self._use(lambda counters: counters.seconds_left(f"lock/{username_key}"))
        return max(from_here, everywhere)

    async def login_failed(self, username_key: str, address: str) -> LoginLock | None:
        """Count a failure; returns the lock it imposes, None while still under both thresholds."""
        lock = None
        failures = await self._use(
            lambda counters: counters.incr(f"failures/{username_key}/{address}", STRIKE_MEMORY_SECONDS)
        )
        if failures >= LOGIN_FAILURES_ALLOWED:
            seconds = min(LOGIN_LOCK_BASE_SECONDS * 2 ** (failures - LOGIN_FAILURES_ALLOWED), self._max_penalty)
            await self._lock(f"lock/{username_key}/{address}", seconds)
            lock = LoginLock(seconds, everywhere=False)
        everywhere = f"failures/{username_key}"
        total = await self._use(lambda counters: counters.incr(everywhere, ACCOUNT_FAILURE_WINDOW_SECONDS))
        if total >= self._account_failures:
            seconds = await self._use(lambda counters: counters.seconds_left(everywhere))  # the rest of the hour
            await self._lock(f"lock/{username_key}", seconds)
            lock = LoginLock(max(seconds, lock.seconds if lock else 0), everywhere=True)
        return lock

    async def login_succeeded(self, username_key: str, address: str) -> None:
        """Forget this address's failures; the count from every address stays (a cap on guesses per hour)."""
        await self._use(lambda counters: counters.clear(f"failures/{username_key}/{address}"))

    async def _lock(self, key: str, seconds: int) -> None:
        await self._use(lambda counters: counters.clear(key))
        await self._use(lambda counters: counters.incr(key, seconds))

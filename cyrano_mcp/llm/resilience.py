"""Retries with backoff and a circuit breaker, for the vendor APIs.

Retried: rate limits (429), server errors (5xx), timeouts, dropped connections and garbled bodies; never a
request the vendor rejected (400, 401, 403...), which would fail the same way again. Waits grow
exponentially with full jitter, honour the vendor's Retry-After, and stop at `max_attempts` or when
the next wait would overrun `budget_seconds`, whichever comes first.
"""

import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal, TypeVar

import anyio

from cyrano_mcp.llm.errors import UpstreamFailure

ResultT = TypeVar("ResultT")
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]
BreakerState = Literal["closed", "open", "half_open"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 3
    budget_seconds: float = 90.0
    base_delay: float = 0.5
    max_delay: float = 8.0

    def backoff(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """The wait after failed attempt number `attempt` (1-based)."""
        jittered = rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))
        return jittered if retry_after is None else max(jittered, retry_after)


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `cooldown` seconds lets one trial call through.

    While open, calls fail at once (and the gateway falls back) instead of each waiting out its own timeouts
    against a vendor that is down.
    """

    def __init__(self, threshold: int, cooldown: float, clock: Clock = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self._trial_running or self._clock() - self._opened_at >= self.cooldown:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def abandon(self) -> None:
        """The call was cancelled before it told us anything: free the trial slot."""
        self._trial_running = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._trial_running or self._failures >= self.threshold:
            self._opened_at = self._clock()
        self._trial_running = False


class CircuitOpen(Exception):
    """The breaker refused the attempt."""


async def call_with_retries(
    attempt: Callable[[float], Awaitable[ResultT]],
    *,
    policy: RetryPolicy,
    timeout: float,
    breaker: CircuitBreaker | None,
    sleep: Sleep = anyio.sleep,
    clock: Clock = time.monotonic,
    rng: random.Random | None = None,
) -> tuple[ResultT, int]:
    """Run `attempt(timeout_for_this_try)` until it succeeds; returns its result and how many tries it took.

    Raises the last `UpstreamFailure` (its `attempts` set) when giving up, or `CircuitOpen` when the
    breaker refuses the first try.
    """
    rng = rng or random.Random()
    deadline = clock() + policy.budget_seconds
    number = 0
    failure: UpstreamFailure | None = None
    while True:
        if breaker is not None and not breaker.allow():
            if failure is None:
                raise CircuitOpen
            raise failure  # our own failures just opened it: report them, not the breaker
        number += 1
        this_timeout = max(0.001, min(timeout, deadline - clock()))
        try:
            with anyio.fail_after(this_timeout):
                result = await attempt(this_timeout)
        except TimeoutError:
            failure = UpstreamFailure("timeout", f"no answer within {this_timeout:.3g} s", retryable=True)
        except UpstreamFailure as exc:
            failure = exc
        except BaseException:
            if breaker is not None:
                breaker.abandon()
            raise
        else:
            if breaker is not None:
                breaker.record_success()
            return result, number
        failure.attempts = number
        if breaker is not None:
            # Only outage-like failures count; a rejected request proves the vendor is up.
            if failure.retryable:
                breaker.record_failure()
            else:
                breaker.record_success()
        if not failure.retryable or number >= policy.max_attempts:
            raise failure
        wait = policy.backoff(number, failure.retry_after, rng)
        if clock() + wait >= deadline:
            raise failure
        await sleep(wait)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a 429 or 503 asks for: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())

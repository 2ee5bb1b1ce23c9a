"""The circuit breaker's states, backoff bounds and Retry-After parsing."""

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from cyrano_mcp.llm.resilience import CircuitBreaker, RetryPolicy, retry_after_seconds
from tests.utils.timing import ManualClock


def test_the_breaker_opens_after_consecutive_failures_and_lets_one_trial_through_after_the_cooldown() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker(threshold=2, cooldown=10, clock=clock)

    breaker.record_failure()
    assert (breaker.state, breaker.allow()) == ("closed", True)
    breaker.record_failure()
    assert (breaker.state, breaker.allow()) == ("open", False)

    clock.now += 10
    assert breaker.allow()  # the trial
    assert not breaker.allow()  # only one at a time
    breaker.record_failure()
    assert breaker.state == "open"  # a failed trial reopens it for a full cooldown

    clock.now += 10
    assert breaker.allow()
    breaker.record_success()
    assert (breaker.state, breaker.allow()) == ("closed", True)


def test_a_success_resets_the_count_of_consecutive_failures() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown=10, clock=ManualClock())

    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()

    assert breaker.state == "closed"


def test_a_cancelled_trial_frees_the_slot() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker(threshold=1, cooldown=10, clock=clock)
    breaker.record_failure()
    clock.now += 10

    assert breaker.allow()
    breaker.abandon()
    assert breaker.allow()


def test_backoff_is_jittered_below_an_exponential_cap_and_never_shorter_than_retry_after() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    rng = random.Random(7)

    for attempt, cap in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (8, 4.0)]:
        assert all(0 <= policy.backoff(attempt, None, rng) <= cap for _ in range(50))
    assert policy.backoff(1, 12.0, rng) == 12.0


def test_retry_after_is_read_in_milliseconds_seconds_or_as_a_date() -> None:
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)

    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert 55 < (retry_after_seconds({"retry-after": in_a_minute}) or 0) <= 60
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None

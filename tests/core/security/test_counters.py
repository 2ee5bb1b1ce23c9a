"""In-memory rate-limit counters: sliding windows, expiring counters, and memory that follows the active callers."""

import pytest
from limits import parse

from cyrano_mcp.security import counters
from cyrano_mcp.security.counters import LocalCounters

pytestmark = pytest.mark.anyio

THREE_PER_TEN_SECONDS = parse("3/10 seconds")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_a_window_allows_its_quota_then_refuses() -> None:
    clock = Clock(1000.0)  # a window boundary
    local = LocalCounters(clock)
    clock.now += 4
    seen = [await local.hit(THREE_PER_TEN_SECONDS, "user", "u") for _ in range(4)]
    assert [w.allowed for w in seen] == [True, True, True, False]
    assert [w.remaining for w in seen] == [2, 1, 0, 0]
    assert {w.reset_after for w in seen} == {6}  # the window ends at 1010
    assert (await local.hit(THREE_PER_TEN_SECONDS, "user", "someone else")).allowed


async def test_the_previous_window_weighs_in_as_it_slides_out() -> None:
    clock = Clock(1000.0)
    local = LocalCounters(clock)
    for _ in range(3):
        await local.hit(THREE_PER_TEN_SECONDS, "user", "u")
    clock.now = 1012.0  # 80% of the previous window still covered: floor(3 * 0.8) = 2 of 3 used
    assert [(await local.hit(THREE_PER_TEN_SECONDS, "user", "u")).allowed for _ in range(2)] == [True, False]
    clock.now = 1031.0  # two windows on: nothing counts any more
    assert [(await local.hit(THREE_PER_TEN_SECONDS, "user", "u")).allowed for _ in range(4)] == [True] * 3 + [False]


async def test_expiring_counters_keep_their_first_expiry_and_restart_after_it() -> None:
    clock = Clock(50.0)
    local = LocalCounters(clock)
    assert [await local.incr("strikes/u", 60) for _ in range(3)] == [1, 2, 3]
    clock.now += 59.5
    assert await local.incr("strikes/u", 60) == 4 and await local.seconds_left("strikes/u") == 1
    clock.now += 1
    assert await local.seconds_left("strikes/u") == 0
    assert await local.incr("strikes/u", 60) == 1
    await local.clear("strikes/u")
    assert await local.seconds_left("strikes/u") == 0


async def test_memory_follows_the_active_callers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(counters, "_PRUNE_EVERY", 100)
    clock = Clock(0.0)
    local = LocalCounters(clock)
    for caller in range(99):
        await local.hit(THREE_PER_TEN_SECONDS, "anonymous", f"10.0.0.{caller}")
        await local.incr(f"strikes/{caller}", 5)
    clock.now = 100.0  # every window and counter above is long gone
    for _ in range(2):
        await local.hit(THREE_PER_TEN_SECONDS, "user", "active")
    assert len(local._windows) == 1 and not local._expiring

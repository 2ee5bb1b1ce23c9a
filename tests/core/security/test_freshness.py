"""Account checks re-read ahead of time, in batches, off the call path; never served past their bound."""

import anyio
import pytest

from cyrano_mcp.security.freshness import RefreshedChecks, accounts_changed

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Store:
    """What the store says about each key now; records every batch it was asked for."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.batches: list[list[str]] = []
        self.fail = False

    async def load_many(self, keys: list[str]) -> dict[str, str]:
        self.batches.append(sorted(keys))
        if self.fail:
            raise OSError("store away")
        return {key: self.values[key] for key in keys if key in self.values}


def checks(store: Store, clock: Clock) -> RefreshedChecks[str, str]:
    return RefreshedChecks(store.load_many, ttl=1.0, refresh_after=0.4, clock=clock, gather=0)


async def settle() -> None:
    for _ in range(5):
        await anyio.sleep(0)


async def test_due_entries_are_served_and_reloaded_together_in_the_background() -> None:
    store, clock = Store(), Clock()
    cache = checks(store, clock)
    cache.put("alice", "v1")
    cache.put("bob", "v1")
    clock.now += 0.5
    store.values = {"alice": "v2", "bob": "v2"}
    assert cache.get("alice") == "v1" and cache.get("bob") == "v1"  # served at once, not waited for
    await settle()
    assert store.batches == [["alice", "bob"]]  # one read for both
    clock.now += 0.9  # past the first check's bound, within the reload's
    assert cache.get("alice") == "v2" and cache.get("bob") == "v2"


async def test_keys_falling_due_moments_apart_are_reloaded_in_one_read_and_stay_in_step() -> None:
    store, clock = Store(), Clock()
    store.values = {"alice": "v2", "bob": "v2"}
    cache = RefreshedChecks(store.load_many, ttl=1.0, refresh_after=0.4, clock=clock, gather=0.05)
    cache.put("alice", "v1")
    clock.now += 0.02
    cache.put("bob", "v1")
    clock.now += 0.4
    assert cache.get("alice") == "v1"  # due; bob is not, yet
    clock.now += 0.03
    assert cache.get("bob") == "v1"  # due within the gathering window
    await anyio.sleep(0.1)
    assert store.batches == [["alice", "bob"]]
    clock.now += 0.45  # both due again at once: they were read together
    assert cache.get("alice") == "v2" and cache.get("bob") == "v2"
    await anyio.sleep(0.1)
    assert store.batches == [["alice", "bob"], ["alice", "bob"]]


async def test_a_key_the_reload_no_longer_finds_is_dropped() -> None:
    store, clock = Store(), Clock()
    cache = checks(store, clock)
    cache.put("alice", "v1")
    clock.now += 0.5
    assert cache.get("alice") == "v1"
    await settle()  # the store no longer has alice (revoked, disabled, ...)
    assert cache.get("alice") is None  # the caller checks in the foreground and learns why


async def test_nothing_is_served_past_the_bound_when_reloads_fail() -> None:
    store, clock = Store(), Clock()
    store.fail = True
    cache = checks(store, clock)
    cache.put("alice", "v1")
    clock.now += 0.5
    assert cache.get("alice") == "v1"
    await settle()
    clock.now += 0.6
    assert cache.get("alice") is None
    await cache.close()


async def test_an_account_change_here_during_a_reload_is_not_papered_over() -> None:
    store, clock = Store(), Clock()
    store.values = {"alice": "v2"}
    reading, release = anyio.Event(), anyio.Event()

    async def slow_load(keys: list[str]) -> dict[str, str]:
        reading.set()
        await release.wait()  # the read saw the store before the change below
        return await store.load_many(keys)

    cache: RefreshedChecks[str, str] = RefreshedChecks(slow_load, ttl=1.0, refresh_after=0.4, clock=clock, gather=0)
    cache.put("alice", "v1")
    clock.now += 0.5
    assert cache.get("alice") == "v1"
    await reading.wait()
    accounts_changed()  # e.g. an admin here disabled alice while the read was under way
    release.set()
    await settle()
    assert cache.get("alice") is None

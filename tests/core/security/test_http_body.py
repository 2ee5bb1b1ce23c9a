"""The request gate's body reader: whole bodies, deadlines (one timer for every read), size limits."""

import asyncio
from collections.abc import Sequence

import anyio
import pytest
from starlette.types import Message, Receive

from cyrano_mcp.security.http_body import BodyReader, BodyTimedOut, BodyTooLarge, NestedTooDeeply, rpc_methods

pytestmark = pytest.mark.anyio


def chunks(parts: Sequence[bytes], *, then_stall: bool = False, pause: float = 0.0) -> Receive:
    pending = list(parts)

    async def receive() -> Message:
        if pending:
            await anyio.sleep(pause)
            part = pending.pop(0)
            return {"type": "http.request", "body": part, "more_body": bool(pending) or then_stall}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    return receive


async def test_a_body_in_pieces_is_read_whole() -> None:
    reader = BodyReader(max_bytes=100, timeout=1)
    assert await reader.read(chunks([b"ab", b"cd", b"ef"], pause=0.01)) == b"abcdef"
    assert await reader.read(chunks([b"ab", b"cd"]), keep=False) == b""


async def test_a_stalled_body_times_out_within_a_tick() -> None:
    reader = BodyReader(max_bytes=100, timeout=0.1, tick=0.05)
    with anyio.fail_after(1), pytest.raises(BodyTimedOut) as refused:
        await reader.read(chunks([b"{"], then_stall=True))
    assert refused.value.complete is False
    # The reader is left clean: the next read has its own deadline.
    assert await reader.read(chunks([b"{}"])) == b"{}"


async def test_a_cancellation_from_elsewhere_is_not_taken_for_a_timeout() -> None:
    reader = BodyReader(max_bytes=100, timeout=0, tick=3600)  # due at once, but the sweep only runs when called
    scope = anyio.CancelScope()
    outcome: list[bool] = []

    async def read_in_scope() -> None:
        with scope:
            await reader.read(chunks([b"{"], then_stall=True))
        outcome.append(scope.cancelled_caught)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(read_in_scope)
        await anyio.wait_all_tasks_blocked()
        scope.cancel()
        reader._sweep(asyncio.get_running_loop())  # the read's deadline passes at the same moment
    assert outcome == [True]  # the scope's cancellation, not BodyTimedOut


async def test_the_rest_of_a_body_that_is_too_large_is_read_and_dropped() -> None:
    reader = BodyReader(max_bytes=4, timeout=1)
    with pytest.raises(BodyTooLarge) as whole:
        await reader.read(chunks([b"abc", b"def", b"ghi"]))
    assert whole.value.complete is True
    reader = BodyReader(max_bytes=4, timeout=0.1, tick=0.05)
    with pytest.raises(BodyTooLarge) as cut:
        await reader.read(chunks([b"abc", b"def"], then_stall=True))
    assert cut.value.complete is False


def test_json_nested_too_deeply_is_named_not_a_recursion_error() -> None:
    assert rpc_methods(b'[{"jsonrpc": "2.0", "method": "ping", "id": 1}, {"method": 3}]') == {"ping"}
    assert rpc_methods(b"not json") == frozenset()
    with pytest.raises(NestedTooDeeply):
        rpc_methods(b"[" * 100_000 + b"]" * 100_000)

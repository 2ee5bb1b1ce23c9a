"""Request bodies in the request gate: read within a size limit and a deadline, replayed to the app, and
scanned for the JSON-RPC methods they carry.

Nothing else bounds a body's arrival: uvicorn times out idle keep-alive connections, not a request whose
body trickles in (or never comes). Each such request holds a connection, so its file descriptor, until the
deadline; bodies without a valid token are also counted per client address (`AddressSlots`), so one address
cannot hold more than a few of them open at once.
"""

import asyncio
import json
from typing import Any

from starlette.types import Message, Receive


class BodyRefused(Exception):
    """The body cannot be taken: the answer's status and error code, and whether the body was received whole
    (if not, the answer must close the connection, or the rest of the body would keep it open)."""

    status: int
    error: str

    def __init__(self, *, complete: bool) -> None:
        super().__init__(self.error)
        self.complete = complete


class BodyTooLarge(BodyRefused):
    status, error = 413, "request_too_large"


class BodyTimedOut(BodyRefused):
    status, error = 408, "request_timeout"


class NestedTooDeeply(ValueError):
    """JSON nested deeper than Python's parser recurses (it raises RecursionError)."""


class BodyReader:
    """Reads bodies within `max_bytes` and `timeout` seconds.

    One timer watches every read under way, ticking once a second while there is any, rather than a timer
    per read: a cancel scope or `asyncio.timeout` per request cost 5-8 µs, as much as the rest of the gate's
    checks. A read past its deadline is cancelled the way `asyncio.timeout` does it (so a cancellation
    from elsewhere still wins) and ends in `BodyTimedOut`; it may run up to one tick over.
    """

    def __init__(self, *, max_bytes: int, timeout: float, tick: float = 1.0) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._tick = tick
        self._deadlines: dict[asyncio.Task[Any], float] = {}
        self._expired: set[asyncio.Task[Any]] = set()
        self._timer: asyncio.TimerHandle | None = None

    async def read(self, receive: Receive, *, keep: bool = True) -> bytes | None:
        """The whole body (or, without `keep`, an empty one: read and dropped), or None when the client went away.

        Raises `BodyTimedOut`, or `BodyTooLarge` past `max_bytes`; the rest of a body that is too large is still
        read (and dropped) within the deadline, so that its client gets the answer rather than a reset connection.
        """
        task = asyncio.current_task()
        assert task is not None
        cancelling = task.cancelling()
        self._watch(task)
        body = bytearray()
        size = 0
        try:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return None
                chunk: bytes = message.get("body", b"")
                size += len(chunk)
                if keep and size <= self.max_bytes:
                    body.extend(chunk)
                if not message.get("more_body", False):
                    if size > self.max_bytes:
                        raise BodyTooLarge(complete=True)
                    return bytes(body)
        except asyncio.CancelledError:
            if task in self._expired and task.uncancel() <= cancelling:
                raise BodyTooLarge(complete=False) if size > self.max_bytes else BodyTimedOut(complete=False) from None
            raise
        finally:
            del self._deadlines[task]
            self._expired.discard(task)

    def _watch(self, task: asyncio.Task[Any]) -> None:
        loop = task.get_loop()
        self._deadlines[task] = loop.time() + self.timeout
        if self._timer is None:
            self._timer = loop.call_later(self._tick, self._sweep, loop)

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        for task, deadline in self._deadlines.items():
            if deadline <= now and task not in self._expired:
                self._expired.add(task)
                task.cancel()
        self._timer = loop.call_later(self._tick, self._sweep, loop) if self._deadlines else None


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the body read already to the app first, then passes through (disconnects)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def rpc_methods(body: bytes) -> frozenset[str]:
    """The JSON-RPC methods a request body carries (a single message or a batch); empty if it is not JSON-RPC.

    Raises `NestedTooDeeply` rather than letting the parser's RecursionError escape as a 500.
    """
    try:
        parsed = json.loads(body)
    except ValueError:
        return frozenset()
    except RecursionError:
        raise NestedTooDeeply from None
    messages = parsed if isinstance(parsed, list) else [parsed]
    return frozenset(m["method"] for m in messages if isinstance(m, dict) and isinstance(m.get("method"), str))


class AddressSlots:
    """How many bodies without a valid token each client address is sending right now, up to a cap."""

    def __init__(self, per_address: int) -> None:
        self._per_address = per_address
        self._held: dict[str, int] = {}

    def take(self, address: str) -> bool:
        held = self._held.get(address, 0)
        if held >= self._per_address:
            return False
        self._held[address] = held + 1
        return True

    def give_back(self, address: str) -> None:
        held = self._held[address] - 1
        if held:
            self._held[address] = held
        else:
            del self._held[address]  # an address that holds nothing takes no memory

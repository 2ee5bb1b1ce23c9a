"""The audit anchor: outside the database, the newest audit record this host has seen committed.

Everything in the database can be rewritten by whoever can write to it, head and seal included if they kept an
old copy, or reset together to the state of a store that has never logged anything. The anchor is a small file
beside the key files (`<data dir>/keys/audit-anchor`, mode 0600): the (seq, mac) of a committed record and when
it was written, MAC'd under the audit key. `audit verify` then requires that record in the chain, so a wiped log
or a cut-off tail shows even when the database is consistent with itself.

Writing a file on every audit record would cost more than the record, so the anchor follows the chain at most
once a second (and at a clean shutdown): the records of the last second before a crash may be cut off unseen.
It only moves forward, never over an anchor the chain contradicts (that stays as evidence until the operator
moves the file aside), and several processes on one host take turns under a lock on the keys directory. With
PostgreSQL each host keeps its own anchor, of the records it wrote itself.
"""

import asyncio
import contextlib
import fcntl
import functools
import hmac
import json
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import anyio

from cyrano_mcp.errors import UnavailableError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.security.audit_chain import now
from cyrano_mcp.settings import Settings

log = get_logger(__name__)

ANCHOR_FILE = "audit-anchor"


class AnchorDamaged(ValueError):
    """The anchor file is there but is not an anchor."""


def anchor_path(settings: Settings) -> Path:
    return settings.data_dir / "keys" / ANCHOR_FILE


@dataclass(frozen=True, slots=True)
class Anchor:
    seq: int
    mac: str
    key_version: int
    at: str
    tag: str

    @classmethod
    def sealed(cls, *, seq: int, mac: str, key_version: int, at: str, key: bytes) -> "Anchor":
        return cls(seq, mac, key_version, at, _tag(key, seq, mac, key_version, at))

    def genuine(self, key: bytes) -> bool:
        return hmac.compare_digest(_tag(key, self.seq, self.mac, self.key_version, self.at), self.tag)

    def to_text(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":")) + "\n"

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        try:
            body = json.loads(text)
            return cls(int(body["seq"]), str(body["mac"]), int(body["key_version"]), str(body["at"]), str(body["tag"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorDamaged(f"not an audit anchor ({type(exc).__name__})") from None


def _tag(key: bytes, seq: int, mac: str, key_version: int, at: str) -> str:
    return hmac.digest(key, f"cyrano/audit-anchor/v1|{seq}|{mac}|{key_version}|{at}".encode(), "sha256").hex()


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on the keys directory, between the processes of this host."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def replace(path: Path, anchor: Anchor, *, expected: str | None) -> bool:
    """Write `anchor` if the file still holds `expected` (None: no file), atomically; False if another process
    changed it meanwhile (its anchor is as good: it checked it as this one was checked)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _locked(path.parent):
        if read_text(path) != expected:
            return False
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(anchor.to_text())
            stream.flush()
            os.fsync(stream.fileno())  # never a torn anchor after a crash: that would read as tampering
        os.replace(partial, path)
    return True


KeyOf = Callable[[int], Awaitable[bytes | None]]
RecordedMac = Callable[[int], Awaitable[str | None]]


class AnchorKeeper:
    """Moves the anchor up to the newest committed record, at most once every `interval` seconds, in the
    background; `close` writes the last one at once."""

    def __init__(self, path: Path, *, key_of: KeyOf, recorded_mac: RecordedMac, interval: float = 1.0) -> None:
        self.path = path
        self._key_of = key_of
        self._recorded_mac = recorded_mac
        self._interval = interval
        self._pending: tuple[int, str, int] | None = None  # (seq, mac, key version) committed, not yet anchored
        self._anchored_seq = 0
        self._written_at = -interval
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._writer = anyio.Lock()
        self._halted = False  # the file holds an anchor the chain contradicts: left alone, as evidence
        self._failed = False

    def committed(self, seq: int, mac: str, key_version: int) -> None:
        """Note a committed record; the anchor follows within `interval`."""
        if self._halted or (self._pending is not None and self._pending[0] >= seq):
            return
        self._pending = (seq, mac, key_version)
        if self._timer is None and self._task is None:
            loop = asyncio.get_running_loop()
            delay = max(0.0, self._written_at + self._interval - time.monotonic())
            self._timer = loop.call_later(delay, self._start_write, loop)

    def _start_write(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        self._task = loop.create_task(self._write_in_background(), name="cyrano-audit-anchor")

    async def _write_in_background(self) -> None:
        try:
            await self.write_pending()
        finally:
            self._task = None
            if self._pending is not None and not self._halted:  # committed while this write ran
                pending, self._pending = self._pending, None
                self.committed(*pending)

    async def start(self, seq: int, mac: str, key_version: int) -> None:
        """At start-up: check the anchor against the chain's end (`audit_anchor_contradicted` if the chain lost
        the anchored record), or write the first anchor."""
        self._pending = (seq, mac, key_version)
        await self.write_pending()

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        with anyio.CancelScope(shield=True):
            if self._task is not None:
                await self._task
            await self.write_pending()

    async def write_pending(self) -> None:
        """Anchor the newest committed record, unless the file already holds a newer one or one the chain
        contradicts. Never raises: the audit log goes on without its anchor, and says so in the log."""
        async with self._writer:
            pending, self._pending = self._pending, None
            if pending is None or self._halted or pending[0] <= self._anchored_seq:
                return
            seq, mac, version = pending
            try:
                key = await self._key_of(version)
                assert key is not None, "the audit key that just chained a record"
                current = await anyio.to_thread.run_sync(read_text, self.path)
                if current is not None and not await self._vouches(current, newer_than=seq):
                    return
                anchor = Anchor.sealed(seq=seq, mac=mac, key_version=version, at=now(), key=key)
                if await anyio.to_thread.run_sync(functools.partial(replace, self.path, anchor, expected=current)):
                    self._anchored_seq = seq
                self._written_at = time.monotonic()
                self._failed = False
            except (OSError, UnavailableError) as exc:  # the disk or the store: the next commit or close retries
                if self._pending is None:
                    self._pending = pending
                if not self._failed:  # once, not every second
                    log.warning("audit_anchor_not_written", path=str(self.path), error=type(exc).__name__)
                self._failed = True

    async def _vouches(self, text: str, *, newer_than: int) -> bool:
        """Whether the anchor in the file may be replaced by one at record `newer_than`: it is genuine, names a
        record the chain still holds, and an older one. Otherwise halt, and say why."""
        try:
            anchor = Anchor.parse(text)
        except AnchorDamaged:
            return self._halt("damaged", None)
        key = await self._key_of(anchor.key_version)
        if key is None or not anchor.genuine(key):
            return self._halt("not_genuine", anchor)
        if await self._recorded_mac(anchor.seq) != anchor.mac:
            return self._halt("contradicted", anchor)
        self._anchored_seq = anchor.seq
        return anchor.seq < newer_than

    def _halt(self, reason: str, anchor: Anchor | None) -> bool:
        self._halted = True
        log.error(
            "audit_anchor_contradicted",
            reason=reason,
            path=str(self.path),
            anchor_seq=anchor.seq if anchor is not None else None,
            note="run `cyrano-mcp audit verify`; the anchor is kept as it is until the file is moved aside",
        )
        return False

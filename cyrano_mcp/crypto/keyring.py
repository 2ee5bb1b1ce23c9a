"""The keyring: one data key per (type, version), each wrapped by the master key and stored in the database.

Keeping the wrapped keys in the store means every process that shares the store shares the keyring; each
only needs the master key. New writes use a type's newest version; older versions stay readable until
`keys rewrap` has moved every row off them and `keys retire` drops their material.
"""

import base64
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import anyio
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from cyrano_mcp.crypto.tables import KeyRecord
from cyrano_mcp.errors import ConfigError
from cyrano_mcp.store.database import Database

KEY_TYPE_PATTERN = "^[a-z][a-z0-9-]{0,39}$"
NONCE_BYTES = 12
# How stale a process's view of the keyring may get: a rotation made elsewhere reaches new writes within this.
REFRESH_SECONDS = 30.0

_TABLE = KeyRecord.__table__  # type: ignore[attr-defined]


def _aad(key_type: str, version: int) -> bytes:
    return f"cyrano/keyring/v1|{key_type}|{version}".encode()


@dataclass(frozen=True, slots=True)
class KeySet:
    """The unwrapped keys as of one read of the keyring."""

    keys: dict[str, dict[int, bytes]] = field(default_factory=dict)

    def current(self, key_type: str) -> tuple[int, bytes] | None:
        versions = self.keys.get(key_type)
        if not versions:
            return None
        version = max(versions)
        return version, versions[version]

    def get(self, key_type: str, version: int) -> bytes | None:
        return self.keys.get(key_type, {}).get(version)


class Keyring:
    def __init__(self, database: Database, master_key: Callable[[bool], bytes]) -> None:
        """`master_key(may_create)` reads the master key; it may make a new one only when `may_create` is true,
        which it is only while the keyring is empty (a new key could never open keys wrapped by another)."""
        self._database = database
        self._master_key = master_key
        self._master: AESGCM | None = None
        self._keyset = KeySet()
        self._read_at = 0.0
        self._lock = anyio.Lock()

    # --- the synchronous core, usable on any connection (migrations run inside their own transaction) ---------
    def _aead(self, *, empty_keyring: bool = False) -> AESGCM:
        if self._master is None:
            self._master = AESGCM(self._master_key(empty_keyring))
        return self._master

    def _wrap(self, key_type: str, version: int, key: bytes) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead().encrypt(nonce, key, _aad(key_type, version))
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def _unwrap(self, key_type: str, version: int, wrapped: str) -> bytes:
        raw = base64.urlsafe_b64decode(wrapped)
        try:
            return self._aead().decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(key_type, version))
        except InvalidTag:
            raise ConfigError(
                f"the master key does not open this store's keyring (key {key_type} v{version}); "
                "is CYRANO_MASTER_KEY / CYRANO_MASTER_KEY_FILE the key this store was created with?"
            ) from None

    def read_sync(self, conn: Connection, ensure: Iterable[str] = ()) -> KeySet:
        """Unwrap every live key, first creating version 1 of each type in `ensure` that has none."""
        present = {row.key_type for row in conn.execute(select(_TABLE.c.key_type).distinct())}
        self._aead(empty_keyring=not present)
        for key_type in sorted(set(ensure) - present):
            self._insert_sync(conn, key_type, 1)
        keys: dict[str, dict[int, bytes]] = {}
        rows = conn.execute(
            select(_TABLE.c.key_type, _TABLE.c.version, _TABLE.c.wrapped).where(_TABLE.c.wrapped.is_not(None))
        )
        for key_type, version, wrapped in rows:
            keys.setdefault(key_type, {})[version] = self._unwrap(key_type, version, wrapped)
        return KeySet(keys)

    def _insert_sync(self, conn: Connection, key_type: str, version: int) -> None:
        conn.execute(
            _TABLE.insert().values(
                key_type=key_type,
                version=version,
                wrapped=self._wrap(key_type, version, secrets.token_bytes(32)),
                created_at=datetime.now(UTC),
            )
        )

    # --- the running server's view ---------------------------------------------------------------------------
    async def load(self, ensure: Iterable[str] = ()) -> KeySet:
        """(Re)read the keyring, creating missing types; concurrent creators settle on one key."""
        wanted = tuple(ensure)
        # Only creating keys needs a write transaction (on SQLite, the database's one write lock).
        engine = self._database.write_engine if wanted else self._database.engine
        async with self._lock:
            for _ in range(3):
                try:
                    async with engine.begin() as conn:
                        keyset = await conn.run_sync(lambda c: self.read_sync(c, wanted))
                    break
                except IntegrityError:
                    continue  # another process created the same key first; read theirs
            else:
                raise ConfigError("could not initialise the keyring (keys kept being created concurrently)")
            self._keyset = keyset
            self._read_at = time.monotonic()
        return keyset

    async def keyset(self) -> KeySet:
        if time.monotonic() - self._read_at > REFRESH_SECONDS:
            await self.load()
        return self._keyset

    async def current(self, key_type: str) -> tuple[int, bytes]:
        found = (await self.keyset()).current(key_type)
        if found is None:
            found = (await self.load([key_type])).current(key_type)
        assert found is not None
        return found

    async def key(self, key_type: str, version: int) -> bytes | None:
        key = (await self.keyset()).get(key_type, version)
        if key is None:  # perhaps rotated by another process since the last read
            key = (await self.load()).get(key_type, version)
        return key

    # --- operator actions (`cyrano-mcp keys ...`) --------------------------------------------------------
    async def rotate(self, key_type: str) -> int:
        """Add a new version of a key type; new writes use it from now on."""

        def add(conn: Connection) -> int:
            versions = [
                row.version for row in conn.execute(select(_TABLE.c.version).where(_TABLE.c.key_type == key_type))
            ]
            version = max(versions, default=0) + 1
            self._insert_sync(conn, key_type, version)
            return version

        async with self._database.write_engine.begin() as conn:
            version = await conn.run_sync(add)
        await self.load()
        return version

    async def retire(self, key_type: str, version: int) -> None:
        """Destroy the material of an old version (callers first check that no row still uses it)."""
        current = (await self.load()).current(key_type)
        if current is not None and current[0] == version:
            raise ConfigError(f"{key_type} v{version} is the current key; rotate first, then rewrap, then retire")
        async with self._database.write_engine.begin() as conn:
            await conn.execute(
                update(_TABLE)
                .where(_TABLE.c.key_type == key_type, _TABLE.c.version == version)
                .values(wrapped=None, retired_at=datetime.now(UTC))
            )
        await self.load()

    async def versions(self) -> list[tuple[str, int, datetime, datetime | None]]:
        """(type, version, created, retired) of every key, for `cyrano-mcp keys status`."""
        async with self._database.engine.connect() as conn:
            rows = await conn.execute(
                select(_TABLE.c.key_type, _TABLE.c.version, _TABLE.c.created_at, _TABLE.c.retired_at).order_by(
                    _TABLE.c.key_type, _TABLE.c.version
                )
            )
            return [(row[0], row[1], row[2], row[3]) for row in rows]

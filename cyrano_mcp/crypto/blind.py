"""Blind-index tokens: a normalised word replaced by a keyed token, so a search index never holds the word.

A token is HMAC-SHA256(index key, term), truncated to 48 bits and spelled as 12 letters `a`-`p` (hex with
letters for digits). Letters only, because both full-text engines must take each token as one plain word:
PostgreSQL's parser reads a digit-led run such as `2e7abc` as a number followed by a word. 48 bits keep
accidental collisions negligible at a law firm's vocabulary (10^6 distinct terms: about one chance in 500
that any two collide at all, and a collision only adds a spurious hit) while keeping the index small;
truncation costs no secrecy, which rests on the key, not on the token length.

The index key is derived from a keyring data key (so the master key protects it) and the index's name,
so two indexes under the same key type never share tokens. Tokens of one key version are incomparable
with another's: rotating the key means rebuilding the index (`cyrano-mcp keys reindex`), and each entry
records the version it was built with so search keeps working while that runs.
"""

import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cyrano_mcp.crypto.keyring import KEY_TYPE_PATTERN, Keyring, KeySet
from cyrano_mcp.errors import ConfigError

TOKEN_BYTES = 6
_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
_KEY_TYPE = re.compile(KEY_TYPE_PATTERN)
# Tokens are cached per key version: a firm's vocabulary repeats heavily. Bounded so memory stays flat.
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class TokenKey:
    """The token function of one key version of one index."""

    version: int
    key: bytes = field(repr=False)
    _cache: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def token(self, term: str) -> str:
        cached = self._cache.get(term)
        if cached is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            digest = hmac.digest(self.key, term.encode(), hashlib.sha256)
            cached = self._cache[term] = digest[:TOKEN_BYTES].hex().translate(_HEX_AS_LETTERS)
        return cached


@dataclass(slots=True)
class BlindIndex:
    """The keyed tokens of one named index, under the keyring's key type `key_type`."""

    name: str
    key_type: str
    keyring: Keyring
    _keys: dict[int, TokenKey] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not _KEY_TYPE.match(self.key_type):
            raise ConfigError(f"key type {self.key_type!r} must match {KEY_TYPE_PATTERN}")

    def _derive(self, version: int, data_key: bytes) -> TokenKey:
        known = self._keys.get(version)
        derived = hmac.digest(data_key, f"cyrano/blind-index/v1|{self.name}".encode(), hashlib.sha256)
        if known is None or known.key != derived:
            known = self._keys[version] = TokenKey(version, derived)
        return known

    async def current(self) -> TokenKey:
        """Tokens under the newest key version: what new entries are built with."""
        return self._derive(*await self.keyring.current(self.key_type))

    def current_in(self, keyset: KeySet) -> TokenKey:
        """Tokens under the newest key version of `keyset` (a migration reads the keyring on its own connection)."""
        current = keyset.current(self.key_type)
        if current is None:
            raise ConfigError(f"the keyring has no {self.key_type} key")
        return self._derive(*current)

    async def version(self, version: int) -> TokenKey | None:
        """Tokens under an older version (entries built before a rotation); None once it is retired."""
        data_key = await self.keyring.key(self.key_type, version)
        if data_key is None:
            self._keys.pop(version, None)
            return None
        return self._derive(version, data_key)


@dataclass(slots=True)
class ReindexReport:
    index: str
    to_version: int
    reindexed: int = 0
    failed: list[str] = field(default_factory=list)


class KeyedIndex(Protocol):
    """A module's blind index, as key rotation sees it: count entries per version, rebuild onto the newest."""

    @property
    def blind(self) -> BlindIndex: ...

    async def usage(self, versions: Sequence[int]) -> dict[int, int]:
        """How many entries were built with each of `versions`."""
        ...

    async def reindex(self, *, batch: int, progress: Callable[[int], None] | None = None) -> ReindexReport:
        """Rebuild every entry of an older version under the newest, in batches that each commit on their own."""
        ...

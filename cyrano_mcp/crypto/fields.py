"""Sealed fields: a column value encrypted with AES-256-GCM under a keyring key.

A sealed value is text: `cy1$<key type>$<version>$<base64url(nonce | ciphertext | tag)>`. The nonce is 96
fresh random bits per value. The associated data is (table, column, row id, key type, version): a value
copied into another row, column or table, or relabelled with another key id, fails to open.

Modules declare each encrypted column once, `fields.field(table=..., column=..., key_type=...)`, and call
`seal`/`open` on the returned `SealedField` at their storage boundary. Declared fields are what
`cyrano-mcp keys rewrap` walks; declared blind indexes (`fields.index(...)`) are what `keys reindex` rebuilds.
"""

import base64
import binascii
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from alembic.operations import Operations
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cyrano_mcp.crypto.blind import KeyedIndex
from cyrano_mcp.crypto.keyring import KEY_TYPE_PATTERN, NONCE_BYTES, Keyring, KeySet
from cyrano_mcp.errors import ConfigError, DomainError
from cyrano_mcp.observability.logging import get_logger

log = get_logger(__name__)

SCHEME = "cy1"
_KEY_TYPE = re.compile(KEY_TYPE_PATTERN)


class TamperedDataError(DomainError):
    """A stored sealed value does not open: it was altered, moved from another row, or its key is gone."""

    code = "data_integrity"


@dataclass(frozen=True, slots=True)
class SealedField:
    table: str
    column: str
    key_type: str
    keyring: Keyring
    id_column: str = "id"

    def _aad(self, row_id: str, version: int) -> bytes:
        return f"{SCHEME}|{self.table}|{self.column}|{row_id}|{self.key_type}|{version}".encode()

    def prefix(self, version: int) -> str:
        """What every value sealed under `version` starts with (rewrap and retire look rows up by it)."""
        return f"{SCHEME}${self.key_type}${version}$"

    def _seal_with(self, version: int, key: bytes, row_id: str, plaintext: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), self._aad(row_id, version))
        return self.prefix(version) + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    async def seal(self, row_id: str, plaintext: str) -> str:
        version, key = await self.keyring.current(self.key_type)
        return self._seal_with(version, key, row_id, plaintext)

    def seal_sync(self, keyset: KeySet, row_id: str, plaintext: str) -> str:
        current = keyset.current(self.key_type)
        if current is None:
            raise ConfigError(f"the keyring has no {self.key_type} key")
        return self._seal_with(*current, row_id, plaintext)

    def version_of(self, value: str) -> int | None:
        """The key version a stored value was sealed with; None for a plaintext (never sealed) value."""
        parts = value.split("$", 3)
        if len(parts) != 4 or parts[0] != SCHEME or not parts[2].isdigit():
            return None
        return int(parts[2])

    async def open(self, row_id: str, value: str) -> str:
        parts = value.split("$", 3)
        if len(parts) != 4 or parts[0] != SCHEME or parts[1] != self.key_type or not parts[2].isdigit():
            raise self._refuse(row_id, "not a sealed value of this field")
        version = int(parts[2])
        key = await self.keyring.key(self.key_type, version)
        if key is None:
            raise self._refuse(row_id, f"key {self.key_type} v{version} is retired or unknown")
        try:
            raw = base64.urlsafe_b64decode(parts[3] + "=" * (-len(parts[3]) % 4))
            plaintext = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._aad(row_id, version))
        except (InvalidTag, binascii.Error, ValueError):
            raise self._refuse(row_id, "authentication tag mismatch") from None
        return plaintext.decode()

    def _refuse(self, row_id: str, reason: str) -> TamperedDataError:
        log.error("sealed_value_rejected", table=self.table, column=self.column, row_id=row_id, reason=reason)
        return TamperedDataError(
            f"the stored {self.column} of {self.table} {row_id} fails its integrity check "
            "(altered, copied from elsewhere, or its key was retired); restore it from a backup"
        )

    def encrypt_existing(self) -> Callable[[Operations], None]:
        """A migration step that seals every plaintext value of this column (values already sealed are left)."""

        def upgrade(op: Operations) -> None:
            conn = op.get_bind()
            keyset = self.keyring.read_sync(conn, ensure=[self.key_type])
            table = sa.table(self.table, sa.column(self.id_column), sa.column(self.column))
            ids, values = table.c[self.id_column], table.c[self.column]
            plain = conn.execute(
                sa.select(ids, values).where(values.is_not(None), sa.not_(values.startswith(f"{SCHEME}$")))
            ).all()
            for row_id, value in plain:
                sealed = self.seal_sync(keyset, str(row_id), value)
                conn.execute(sa.update(table).where(ids == row_id).values({self.column: sealed}))

        return upgrade


class FieldCipher:
    """Hands out `SealedField`s and remembers them and the blind indexes, so key rotation knows every keyed store."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._fields: dict[tuple[str, str], SealedField] = {}
        self._indexes: dict[str, KeyedIndex] = {}

    def field(self, *, table: str, column: str, key_type: str, id_column: str = "id") -> SealedField:
        if not _KEY_TYPE.match(key_type):
            raise ConfigError(f"key type {key_type!r} must match {KEY_TYPE_PATTERN}")
        declared = SealedField(table=table, column=column, key_type=key_type, keyring=self.keyring, id_column=id_column)
        existing = self._fields.setdefault((table, column), declared)
        if existing != declared:
            raise ConfigError(f"{table}.{column} is declared twice with different keys")
        return existing

    def index(self, index: KeyedIndex) -> None:
        """Declare a blind index, so its key is created on start, counted by `keys status` and rebuilt by
        `keys reindex`."""
        if self._indexes.setdefault(index.blind.name, index) is not index:
            raise ConfigError(f"the blind index {index.blind.name} is declared twice")

    @property
    def fields(self) -> list[SealedField]:
        return list(self._fields.values())

    @property
    def indexes(self) -> list[KeyedIndex]:
        return list(self._indexes.values())

    @property
    def key_types(self) -> set[str]:
        return {sealed.key_type for sealed in self._fields.values()} | {
            index.blind.key_type for index in self._indexes.values()
        }

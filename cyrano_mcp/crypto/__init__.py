"""Encryption at rest: a keyring of per-type data keys under a master key, and sealed fields.

keyring.py       data keys per type and version, wrapped by the master key, stored in `security_keys`
fields.py        seal/open one column value with AES-256-GCM, bound to (table, column, row id)
blind.py         keyed (HMAC) tokens that stand in for words in a search index
column_index.py  a sealed column that tools filter on, with its blind index kept in the same row
rewrap.py        re-encrypt old rows under the current key version, in resumable batches; count usage
"""

from cyrano_mcp.crypto.blind import BlindIndex, KeyedIndex, ReindexReport, TokenKey
from cyrano_mcp.crypto.column_index import SealedColumnIndex
from cyrano_mcp.crypto.fields import FieldCipher, SealedField, TamperedDataError
from cyrano_mcp.crypto.keyring import Keyring, KeySet

__all__ = [
    "BlindIndex",
    "FieldCipher",
    "KeySet",
    "KeyedIndex",
    "Keyring",
    "ReindexReport",
    "SealedColumnIndex",
    "SealedField",
    "TamperedDataError",
    "TokenKey",
]

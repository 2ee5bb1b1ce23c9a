"""Encryption at rest: a keyring of per-type data keys under a master key, and sealed fields.

keyring.py   data keys per type and version, wrapped by the master key, stored in `security_keys`
fields.py    seal/open one column value with AES-256-GCM, bound to (table, column, row id)
rewrap.py    re-encrypt old rows under the current key version, in resumable batches
"""

from cyrano_mcp.security.crypto.fields import FieldCipher, SealedField, TamperedDataError
from cyrano_mcp.security.crypto.keyring import Keyring, KeySet

__all__ = ["FieldCipher", "KeySet", "Keyring", "SealedField", "TamperedDataError"]

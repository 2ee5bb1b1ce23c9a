"""Secret key material: the master key and the token signing key, from a setting or a 0600 key file.

Neither has a default value. For the embedded SQLite store a missing key file is generated on first start
(the store and the key then live side by side in the data dir). With PostgreSQL several processes share
the store, so each must be given the same key explicitly: generating one per process would split them.
"""

import base64
import binascii
import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.files import KEY_DIR

log = get_logger(__name__)

KEY_BYTES = 32


def new_key_text() -> str:
    """A fresh 256-bit key, base64url without padding (how key files and settings hold keys)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")


def decode_key(text: str, *, what: str) -> bytes:
    """Key bytes from hex or base64(url) text; fewer than 256 bits is refused."""
    value = text.strip()
    key: bytes | None = None
    if len(value) >= 2 * KEY_BYTES and all(c in "0123456789abcdefABCDEF" for c in value):
        key = bytes.fromhex(value)
    else:
        try:
            key = base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_") + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            key = None
    if key is None or len(key) < KEY_BYTES:
        raise ConfigError(
            f"{what} must be at least 256 random bits written as base64url or hex "
            "(`cyrano-mcp keys generate-file PATH` writes one)"
        )
    return key


def check_private(path: Path, *, what: str) -> None:
    """Refuse a key file other users could read."""
    if os.name != "posix":
        return
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"{what} {path} is readable by other users (mode {mode:o}); run `chmod 600 {path}`")


def write_key_file(path: Path) -> None:
    """Create `path` with a fresh key, mode 0600, failing if it exists (never overwrite a key)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(new_key_text() + "\n")


def _load(
    settings: Settings,
    *,
    value: SecretStr | None,
    file: Path | None,
    default_name: str,
    variable: str,
    what: str,
    generated_advice: str,
    may_create: bool = True,
) -> bytes:
    if value is not None:
        return decode_key(value.get_secret_value(), what=f"CYRANO_{variable}")
    path = file or settings.data_dir / KEY_DIR / default_name
    if not path.exists():
        if file is not None or settings.database_kind != "sqlite":
            raise ConfigError(
                f"no {what}: set CYRANO_{variable} or CYRANO_{variable}_FILE (every process sharing the store needs "
                f"the same one; `cyrano-mcp keys generate-file PATH` writes a new key file)"
            )
        if not may_create:
            raise ConfigError(
                f"the store's keyring was made with a {what} that is missing: put that key back in {path} "
                f"(mode 0600), or set CYRANO_{variable} or CYRANO_{variable}_FILE; a new key could never open "
                "the store, so none is made"
            )
        try:
            write_key_file(path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        else:
            # `advice`, not `note`: the log redactor blanks `note` fields, which may hold client text.
            log.warning("key_generated", key=what, path=str(path), advice=generated_advice)
    check_private(path, what=what)
    return decode_key(path.read_text(encoding="ascii"), what=f"{what} file {path}")


def load_master_key(settings: Settings, *, may_create: bool = True) -> bytes:
    """The master key; a missing key file is generated only if `may_create` (the keyring is still empty)."""
    key = _load(
        settings,
        value=settings.master_key,
        file=settings.master_key_file,
        default_name="master.key",
        variable="MASTER_KEY",
        what="master key",
        generated_advice="BACK THIS FILE UP, away from this machine: without it the encrypted fields of the store "
        "cannot be read",
        may_create=may_create,
    )
    return key[:KEY_BYTES]


def load_jwt_secret(settings: Settings) -> bytes:
    return _load(
        settings,
        value=settings.jwt_secret,
        file=settings.jwt_secret_file,
        default_name="jwt.key",
        variable="JWT_SECRET",
        what="token signing key",
        generated_advice="losing it only logs everyone out",
    )

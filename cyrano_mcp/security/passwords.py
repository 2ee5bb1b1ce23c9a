"""Password hashing with Argon2id, off the event loop, and the password policy.

Verification of an unknown or password-less account still runs one Argon2 verification (against a
dummy hash with the same parameters), so the answer takes as long as for a wrong password.
"""

import secrets

import anyio
from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from cyrano_mcp.errors import InvalidInputError
from cyrano_mcp.settings import Settings

MIN_LENGTH = 12
# Argon2 cost grows with input length only slightly, but a megabyte "password" is never legitimate.
MAX_LENGTH = 256


def check_policy(password: str, username: str) -> None:
    """Length is what matters (NIST SP 800-63B); no composition rules."""
    if len(password) < MIN_LENGTH:
        raise InvalidInputError(f"password: use at least {MIN_LENGTH} characters (a passphrase is fine)")
    if len(password) > MAX_LENGTH:
        raise InvalidInputError(f"password: at most {MAX_LENGTH} characters")
    if password.strip().lower() == username.strip().lower():
        raise InvalidInputError("password: must not be the username")


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
            type=Type.ID,
        )
        # Each hash holds `memory_kib` of RAM while it runs: bound how many run at once.
        self._slots = anyio.CapacityLimiter(4)
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hasher.hash, password, limiter=self._slots)

    async def verify(self, stored: str | None, password: str) -> bool:
        if self._dummy is None:  # made before the first check of any kind, so no first answer is slower
            self._dummy = await self.hash(secrets.token_urlsafe(32))
        if stored is None:
            await self._check(self._dummy, password)
            return False
        return await self._check(stored, password)

    async def _check(self, stored: str, password: str) -> bool:
        try:
            return await anyio.to_thread.run_sync(self._hasher.verify, stored, password, limiter=self._slots)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """True when the stored hash used weaker parameters than the current settings (they only rise)."""
        try:
            used = extract_parameters(stored)
        except InvalidHashError:
            return True
        wanted = self._hasher
        return (
            used.type is not Type.ID
            or used.memory_cost < wanted.memory_cost
            or used.time_cost < wanted.time_cost
            or used.parallelism < wanted.parallelism
        )

"""Logging in, refreshing and logging out: the flows behind `POST /auth/*` and the `auth_*` tools.

A wrong username and a wrong password get the same answer after the same work (one Argon2 verification).
Attempts are limited per client address (`CYRANO_RATE_LIMIT_LOGIN`) and failures lock the username
with growing delays, from the failing address first and past a higher cap from every address, whether or
not such an account exists (see `ratelimit`).
"""

import hashlib

from cyrano_mcp.errors import DomainError, InvalidInputError, PermissionDeniedError, RateLimitedError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.principal import Principal
from cyrano_mcp.security.accounts import AccountService
from cyrano_mcp.security.audit import Actor, AuditLog
from cyrano_mcp.security.passwords import Passwords
from cyrano_mcp.security.ratelimit import RateLimiter
from cyrano_mcp.security.tables import User
from cyrano_mcp.security.tokens import REFRESH_TYP, InvalidTokenError, TokenPair, TokenService

log = get_logger(__name__)

FAILED_LOGIN = "invalid username or password"


class InvalidCredentialsError(DomainError):
    code = "invalid_credentials"


class InvalidGrantError(DomainError):
    """A refresh token that cannot be exchanged (expired, revoked, reused, or not a refresh token)."""

    code = "invalid_grant"


def lockout_key(username: str, account: User | None) -> str:
    """What login failures are counted under: a hash, so the store of counters never holds what people typed.

    An account's `updated_at` is part of it: `cyrano-mcp users unlock` (or any other administrative change to
    the account) starts its counters afresh, in every process and whichever store holds them.
    """
    name = username.strip().lower() if account is None else f"{account.username}\0{account.updated_at.isoformat()}"
    return hashlib.sha256(name.encode()).hexdigest()[:32]


class AuthService:
    def __init__(
        self,
        *,
        accounts: AccountService,
        passwords: Passwords,
        tokens: TokenService,
        limiter: RateLimiter,
        audit: AuditLog,
    ) -> None:
        self._accounts = accounts
        self._passwords = passwords
        self._tokens = tokens
        self._limiter = limiter
        self._audit = audit

    async def _throttle(self, source: str, action: str) -> None:
        decision = await self._limiter.hit("login", source)
        if not decision.allowed:
            if decision.new_violation:
                await self._audit.append(action, actor=Actor(name="anonymous"), outcome="rate_limited", source=source)
            raise RateLimitedError(
                f"too many attempts from this address; retry after {decision.retry_after} s",
                retry_after=decision.retry_after,
            )

    async def login(self, username: str, password: str, *, source: str) -> TokenPair:
        await self._throttle(source, "login")
        user = await self._accounts.find(username)
        key = lockout_key(username, user)
        locked_for = await self._limiter.login_locked_for(key, source)
        if locked_for:
            await self._audit.append("login", actor=Actor(name="anonymous"), outcome="locked", source=source)
            raise RateLimitedError(
                f"too many failed logins for this username; retry after {locked_for} s", retry_after=locked_for
            )
        stored = None if user is None or user.disabled else user.password_hash
        if not await self._passwords.verify(stored, password) or user is None:
            lock = await self._limiter.login_failed(key, source)
            # An unknown name is not recorded: people type passwords into the username field.
            await self._audit.append(
                "login",
                actor=Actor(name="anonymous"),
                outcome="failed",
                target=user.username if user is not None else None,
                source=source,
                detail=None if lock is None else {"locked_seconds": lock.seconds, "everywhere": lock.everywhere},
            )
            if lock is not None and lock.everywhere:
                log.warning("login_locked_everywhere", user_id=user.id if user else None, seconds=lock.seconds)
            raise InvalidCredentialsError(FAILED_LOGIN)
        await self._limiter.login_succeeded(key, source)
        assert stored is not None
        if self._passwords.needs_rehash(stored):
            await self._accounts.store_rehash(user.id, stored, await self._passwords.hash(password))
            log.info("password_rehashed", user_id=user.id)
        pair = await self._tokens.start_family(user)
        await self._audit.append(
            "login",
            actor=Actor(name=user.username, user_id=user.id, role=user.role),
            outcome="ok",
            source=source,
            detail={"login": pair.family_id},
        )
        return pair

    async def refresh(self, refresh_token: str, *, source: str) -> TokenPair:
        await self._throttle(source, "refresh")
        try:
            pair = await self._tokens.rotate(refresh_token)
        except InvalidTokenError as exc:
            reuse = exc.reason == "reuse"
            await self._audit.append(
                "refresh_reuse_detected" if reuse else "refresh",
                actor=Actor(name="anonymous", user_id=exc.user_id),
                outcome="revoked_login" if reuse else "refused",
                source=source,
                detail={"reason": exc.reason, "login": exc.family_id},
            )
            if reuse:
                raise InvalidGrantError(
                    "this refresh token was already used; its login has been revoked, log in again"
                ) from None
            raise InvalidGrantError("the refresh token is not valid (expired, revoked or malformed)") from None
        await self._audit.append(
            "refresh",
            actor=Actor(name="anonymous", user_id=pair.user_id),
            outcome="ok",
            source=source,
            detail={"replayed_within_grace": True} if pair.replayed else None,
        )
        return pair

    async def logout(self, principal: Principal, refresh_token: str | None, *, source: str | None) -> bool:
        """Revoke a login: the one `refresh_token` belongs to, or else the caller's own."""
        if refresh_token is not None:
            try:
                claims = self._tokens.decode(refresh_token, REFRESH_TYP, verify_exp=False)
            except InvalidTokenError:
                raise InvalidInputError("refresh_token: not a refresh token this server issued") from None
            if claims["sub"] != principal.user_id:
                raise PermissionDeniedError("that refresh token belongs to another account")
            family_id: str = claims["fid"]
        elif principal.family_id is not None:
            family_id = principal.family_id
        else:
            raise InvalidInputError("refresh_token: this session has no login to end; pass the refresh token")
        revoked = await self._tokens.revoke_family(family_id, "logout")
        await self._audit.append(
            "logout", actor=Actor.of(principal), outcome="ok" if revoked else "already_revoked", source=source
        )
        return revoked

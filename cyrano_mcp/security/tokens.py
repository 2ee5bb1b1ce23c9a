"""Access and refresh tokens: HS256 JWTs with an explicit `typ`, refresh tokens rotated on every use.

- Algorithms are a fixed allow-list of one (HS256): `none` and RS/HS confusion cannot apply.
- `typ` (`at+jwt` for access, `rt+jwt` for refresh) and distinct audiences keep one kind from ever being
  accepted as the other. `iss`, `aud`, `exp`, `iat`, `jti` and `sub` are required.
- Every access token is checked against the store: the account must be enabled, its `token_version`
  unchanged (a password change or disable bumps it) and its login (token family) not revoked.
- The store keeps only the SHA-256 of each refresh token. Exchanging one marks it used in a single
  conditional UPDATE, so of many concurrent exchanges exactly one wins; presenting a used one again is
  reuse, and revokes the whole family (the thief and the victim both have to log in again).
- Except within `CYRANO_REFRESH_GRACE_SECONDS` of the exchange, while the pair it gave is unused (RFC 9700
  allows such a window): then the losers of a race, or a client retrying a refresh whose answer it lost,
  get that same pair. Nothing secret is stored for this: the pair is derived from the token it replaces
  (its `jti`s) and the time it was issued (whole seconds, kept in the row), so it is encoded again,
  byte for byte, and the winner's tokens stay the only live ones.
"""

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
import sqlalchemy as sa
from mcp.server.auth.provider import AccessToken
from sqlalchemy.ext.asyncio import AsyncConnection

from cyrano_mcp.errors import UnavailableError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.principal import Principal, Role
from cyrano_mcp.security.audit import Actor, AuditLog
from cyrano_mcp.security.freshness import RecentChecks, RefreshedChecks, accounts_changed
from cyrano_mcp.security.principals import client_address
from cyrano_mcp.security.ratelimit import RateLimiter
from cyrano_mcp.security.tables import RefreshToken, TokenFamily, User
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.types import utc_now

log = get_logger(__name__)

ALGORITHM = "HS256"
ACCESS_TYP = "at+jwt"
REFRESH_TYP = "rt+jwt"
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti", "sub"]
LEEWAY_SECONDS = 5

_USERS = User.__table__  # type: ignore[attr-defined]
_FAMILIES = TokenFamily.__table__  # type: ignore[attr-defined]
_REFRESH = RefreshToken.__table__  # type: ignore[attr-defined]


class InvalidTokenError(Exception):
    """A token that must not be honoured; `reason` is for logs and the audit trail, never for the client."""

    def __init__(self, reason: str, *, family_id: str | None = None, user_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.family_id = family_id
        self.user_id = user_id


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    user_id: str
    family_id: str
    replayed: bool = False  # given again within the grace window, not newly issued


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_SUCCESSORS = uuid.UUID("5d0c3f2e-8a4b-4c1e-9f7a-2b6d1e0c9a81")


def _successor_jtis(previous_jti: str) -> tuple[str, str]:
    """The `jti`s of the access and refresh token that replace a refresh token: fixed, so they can be re-encoded."""
    return str(uuid.uuid5(_SUCCESSORS, f"{previous_jti}/access")), str(
        uuid.uuid5(_SUCCESSORS, f"{previous_jti}/refresh")
    )


_FAMILIES_PER_READ = 500
# Built once: constructing the statement cost more than running it (it is read several times a second).
_LOGINS_BY_FAMILY = (
    sa.select(_USERS, _FAMILIES.c.id.label("family_id"), _FAMILIES.c.revoked_at)
    .join(_FAMILIES, _FAMILIES.c.user_id == _USERS.c.id)
    .where(_FAMILIES.c.id.in_(sa.bindparam("families", expanding=True)))
)
LoginKey = tuple[str, str, int]  # (user id, token family id, token version): what an access token speaks for


def _refusal(user: User, revoked_at: object, *, version: int, family_id: str) -> InvalidTokenError | None:
    """Why a login no longer speaks for its account, or None while it does."""
    if user.disabled:
        return InvalidTokenError("account disabled", user_id=user.id)
    if user.token_version != version:
        return InvalidTokenError("password changed since the token was issued", user_id=user.id)
    if revoked_at is not None:
        return InvalidTokenError("login revoked", user_id=user.id, family_id=family_id)
    return None


class TokenService:
    def __init__(self, settings: Settings, database: Database, secret: Callable[[], bytes]) -> None:
        self._database = database
        self._secret = secret
        self.issuer = settings.public_url
        self.audience = f"{settings.public_url}/mcp"
        self.refresh_audience = f"{settings.public_url}/auth/refresh"
        self._access_ttl = timedelta(minutes=settings.access_token_minutes)
        self._refresh_ttl = timedelta(days=settings.refresh_token_days)
        self._grace = timedelta(seconds=settings.refresh_grace_seconds)
        self._live: RefreshedChecks[LoginKey, User] = RefreshedChecks(self._live_accounts)
        self._verified: RecentChecks[str, dict[str, Any]] = RecentChecks(ttl=60.0)

    # --- JWT --------------------------------------------------------------------------------------------
    def _encode(self, typ: str, user: User, family_id: str, jti: str, issued: datetime) -> str:
        access = typ == ACCESS_TYP
        claims = {
            "iss": self.issuer,
            "aud": self.audience if access else self.refresh_audience,
            "sub": user.id,
            "iat": issued,
            "exp": issued + (self._access_ttl if access else self._refresh_ttl),
            "jti": jti,
            "fid": family_id,
            "ver": user.token_version,
        }
        return jwt.encode(claims, self._secret(), algorithm=ALGORITHM, headers={"typ": typ})

    def decode(self, token: str, typ: str, *, verify_exp: bool = True) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidTokenError("malformed") from None
        if header.get("alg") != ALGORITHM:
            raise InvalidTokenError(f"algorithm {str(header.get('alg'))[:16]!r} not allowed")
        if header.get("typ") != typ:
            raise InvalidTokenError(f"wrong token type {str(header.get('typ'))[:16]!r}")
        audience = self.audience if typ == ACCESS_TYP else self.refresh_audience
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret(),
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS, "verify_exp": verify_exp},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidTokenError("expired") from None
        except jwt.InvalidAudienceError:
            raise InvalidTokenError("wrong audience") from None
        except jwt.InvalidIssuerError:
            raise InvalidTokenError("wrong issuer") from None
        except jwt.InvalidSignatureError:
            raise InvalidTokenError("bad signature") from None
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(f"invalid ({type(exc).__name__})") from None
        if not isinstance(claims.get("fid"), str) or not isinstance(claims.get("ver"), int):
            raise InvalidTokenError("missing login claims")
        return claims

    # --- issuing ----------------------------------------------------------------------------------------
    async def start_family(self, user: User) -> TokenPair:
        """A new login: a token family and its first pair."""
        family_id = str(uuid.uuid4())
        async with self._database.transaction() as session:
            conn = await session.connection()
            await conn.execute(_FAMILIES.insert().values(id=family_id, user_id=user.id, created_at=utc_now()))
            return await self._issue(conn, user, family_id)

    async def _issue(
        self, conn: AsyncConnection, user: User, family_id: str, *, replacing: str | None = None
    ) -> TokenPair:
        """A new pair, stored by its refresh token's hash; `replacing` is the `jti` of the refresh token it replaces."""
        jtis = (str(uuid.uuid4()), str(uuid.uuid4())) if replacing is None else _successor_jtis(replacing)
        issued = utc_now().replace(microsecond=0)  # what the tokens' `iat` says, so they can be encoded again
        pair = self._pair(user, family_id, jtis, issued)
        await conn.execute(
            _REFRESH.insert().values(
                jti=jtis[1],
                family_id=family_id,
                token_hash=_digest(pair.refresh_token),
                issued_at=issued,
                expires_at=issued + self._refresh_ttl,
            )
        )
        return pair

    def _pair(
        self, user: User, family_id: str, jtis: tuple[str, str], issued: datetime, *, replayed: bool = False
    ) -> TokenPair:
        age = utc_now() - issued
        return TokenPair(
            access_token=self._encode(ACCESS_TYP, user, family_id, jtis[0], issued),
            refresh_token=self._encode(REFRESH_TYP, user, family_id, jtis[1], issued),
            expires_in=int((self._access_ttl - age).total_seconds()),
            refresh_expires_in=int((self._refresh_ttl - age).total_seconds()),
            user_id=user.id,
            family_id=family_id,
            replayed=replayed,
        )

    # --- checking ---------------------------------------------------------------------------------------
    @staticmethod
    def _login_query(claims: dict[str, Any]) -> sa.Select[Any]:
        return (
            sa.select(_USERS, _FAMILIES.c.revoked_at)
            .join(_FAMILIES, _FAMILIES.c.user_id == _USERS.c.id)
            .where(_USERS.c.id == claims["sub"], _FAMILIES.c.id == claims["fid"])
        )

    @staticmethod
    def _still_good(row: sa.Row[Any] | None, claims: dict[str, Any]) -> User:
        """The account a token speaks for, if the account and its login are still good."""
        if row is None:
            raise InvalidTokenError("unknown account or login")
        mapping = dict(row._mapping)
        revoked_at = mapping.pop("revoked_at")
        user = User(**mapping)
        refusal = _refusal(user, revoked_at, version=claims["ver"], family_id=claims["fid"])
        if refusal is not None:
            raise refusal
        return user

    async def _live_account(self, conn: AsyncConnection, claims: dict[str, Any]) -> User:
        return self._still_good((await conn.execute(self._login_query(claims))).first(), claims)

    async def _live_accounts(self, keys: list[LoginKey]) -> dict[LoginKey, User]:
        """The accounts behind many logins in one read; a login whose account or family no longer passes is left out."""
        families = sorted({family_id for _, family_id, _ in keys})
        rows: list[sa.Row[Any]] = []
        for start in range(0, len(families), _FAMILIES_PER_READ):  # well under any driver's parameter limit
            batch = families[start : start + _FAMILIES_PER_READ]
            rows += await self._database.read_inline(_LOGINS_BY_FAMILY, {"families": batch})
        by_login: dict[tuple[str, str], tuple[User, Any]] = {}
        for row in rows:
            mapping = dict(row._mapping)
            family_id, revoked_at = mapping.pop("family_id"), mapping.pop("revoked_at")
            user = User(**mapping)
            by_login[(user.id, family_id)] = (user, revoked_at)
        fresh: dict[LoginKey, User] = {}
        for key in keys:
            user_id, family_id, version = key
            found = by_login.get((user_id, family_id))
            if found is not None and _refusal(*found, version=version, family_id=family_id) is None:
                fresh[key] = found[0]
        return fresh

    async def close(self) -> None:
        await self._live.close()

    async def verify_access(self, token: str) -> Principal:
        claims = self._verified.get(token)
        if claims is None or claims["exp"] + LEEWAY_SECONDS <= time.time():
            claims = self.decode(token, ACCESS_TYP)
            # A client sends the same access token with every request for 15 minutes: check its signature once.
            # The expiry is still checked on every use, and the account behind it via `_live` below.
            self._verified.put(token, claims)
        key = (str(claims["sub"]), str(claims["fid"]), int(claims["ver"]))
        user = self._live.get(key)
        if user is None:
            rows = await self._database.read_inline(self._login_query(claims))
            user = self._still_good(rows[0] if rows else None, claims)
            self._live.put(key, user)
        return Principal(
            user_id=user.id,
            username=user.username,
            role=Role(user.role),
            via="token",
            family_id=claims["fid"],
            expires_at=int(claims["exp"]),
        )

    async def rotate(self, refresh_token: str) -> TokenPair:
        """Exchange a refresh token for a new pair; raises `InvalidTokenError` (reason "reuse" on reuse)."""
        claims = self.decode(refresh_token, REFRESH_TYP)
        async with self._database.transaction() as session:
            conn = await session.connection()
            claimed = await conn.execute(
                sa.update(_REFRESH)
                .where(
                    _REFRESH.c.jti == claims["jti"],
                    _REFRESH.c.token_hash == _digest(refresh_token),
                    _REFRESH.c.used_at.is_(None),
                )
                .values(used_at=utc_now())
            )
            if claimed.rowcount == 1:
                user = await self._live_account(conn, claims)
                return await self._issue(conn, user, claims["fid"], replacing=claims["jti"])
            known = (
                await conn.execute(
                    sa.select(_REFRESH.c.family_id, _REFRESH.c.used_at).where(
                        _REFRESH.c.jti == claims["jti"], _REFRESH.c.token_hash == _digest(refresh_token)
                    )
                )
            ).first()
            if known is not None and known.used_at > utc_now() - self._grace:
                replayed = await self._replay(conn, claims)
                if replayed is not None:
                    return replayed
        if known is None:
            raise InvalidTokenError("unknown refresh token")
        await self.revoke_family(known.family_id, "refresh_reuse")
        raise InvalidTokenError("reuse", family_id=known.family_id, user_id=claims["sub"])

    async def _replay(self, conn: AsyncConnection, claims: dict[str, Any]) -> TokenPair | None:
        """The pair that replaced the refresh token of `claims`, if nobody has used that pair's refresh token yet.

        Only the token rotated last qualifies: once its successor has been exchanged, replaying it is reuse.
        """
        jtis = _successor_jtis(claims["jti"])
        successor = (
            await conn.execute(sa.select(_REFRESH.c.issued_at, _REFRESH.c.used_at).where(_REFRESH.c.jti == jtis[1]))
        ).first()
        if successor is None or successor.used_at is not None:
            return None
        user = await self._live_account(conn, claims)  # a login revoked meanwhile stays revoked
        return self._pair(user, claims["fid"], jtis, successor.issued_at, replayed=True)

    async def revoke_family(self, family_id: str, reason: str) -> bool:
        async with self._database.transaction() as session:
            result = await (await session.connection()).execute(
                sa.update(_FAMILIES)
                .where(_FAMILIES.c.id == family_id, _FAMILIES.c.revoked_at.is_(None))
                .values(revoked_at=utc_now(), revoke_reason=reason[:32])
            )
        accounts_changed()
        return bool(result.rowcount)


_MAX_HANDED_OUT = 10_000


class BearerVerifier:
    """The SDK's `TokenVerifier`: every HTTP request's bearer token passes through here."""

    def __init__(self, tokens: TokenService, audit: AuditLog, limiter: RateLimiter) -> None:
        self._tokens = tokens
        self._audit = audit
        self._limiter = limiter
        # The SDK object handed out for a token, reused while the token still speaks for the same principal.
        self._handed_out: dict[str, tuple[Principal, AccessToken]] = {}

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            principal = await self._tokens.verify_access(token)
        except InvalidTokenError as exc:
            log.info("token_rejected", reason=exc.reason)
            # Expiry is routine; anything else is worth an audit record, unless the address is already
            # blocked for flooding (its requests are refused anyway, and must not fill the audit log).
            source = client_address.get()
            if exc.reason != "expired" and not await self._limiter.blocked_for("anonymous", source or "unknown"):
                await self._audit.append(
                    "token_rejected",
                    actor=Actor(name="anonymous", user_id=exc.user_id),
                    outcome="refused",
                    source=source,
                    detail={"reason": exc.reason},
                )
            return None
        except UnavailableError:
            log.error("token_check_unavailable")
            return None
        known = self._handed_out.get(token)
        if known is not None and known[0] == principal:
            return known[1]
        access = AccessToken(
            token=token,
            client_id=principal.user_id,
            subject=principal.user_id,
            scopes=[],
            expires_at=principal.expires_at,
            claims=principal.claims(),
        )
        if len(self._handed_out) >= _MAX_HANDED_OUT:
            self._handed_out.clear()  # bounded; a burst of distinct tokens just rebuilds them
        self._handed_out[token] = (principal, access)
        return access

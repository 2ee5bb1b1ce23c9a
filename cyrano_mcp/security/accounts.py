"""User accounts: who may log in, with which role. No self-registration: admins (or the operator's CLI) add them.

Disabling an account or changing its password bumps its `token_version` and revokes its token families,
so every access and refresh token it holds stops working at once.

The stdio (local) user is made an attorney on first use (`CYRANO_LOCAL_USER_ROLE`), not an admin: whatever the
desktop host's model reads (a prompt-injected document) can steer its tool calls, and an admin's calls include
creating accounts that then log in over HTTP. Account administration stays with the operator's CLI.
"""

import re
import uuid

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cyrano_mcp.errors import ConflictError, InvalidInputError, NotFoundError
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.principal import Principal, Role
from cyrano_mcp.security.audit import Actor, AuditLog
from cyrano_mcp.security.freshness import RecentChecks, accounts_changed
from cyrano_mcp.security.passwords import Passwords, check_policy
from cyrano_mcp.security.principals import UnauthenticatedError
from cyrano_mcp.security.tables import TokenFamily, User
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.types import utc_now

log = get_logger(__name__)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
DEFAULT_LOCAL_USER = "local"
SYSTEM = Actor(name="system")
_USERS = User.__table__  # type: ignore[attr-defined]


def untouched_default_admin(user: User) -> bool:
    """The `local` account as created an admin by default (as releases before the attorney default did), and
    changed by nobody since: an operator's `users set-role local admin` moves `updated_at` and is kept."""
    return (
        user.username == DEFAULT_LOCAL_USER
        and user.role == Role.ADMIN
        and user.password_hash is None
        and user.updated_at == user.created_at
    )


def normalize_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InvalidInputError(
            "username: 2-64 characters: lower-case letters, digits and . _ @ - (starting with a letter or digit)"
        )
    return name


class AccountService:
    def __init__(self, *, settings: Settings, database: Database, passwords: Passwords, audit: AuditLog) -> None:
        self._settings = settings
        self._database = database
        self._passwords = passwords
        self._audit = audit
        self._local: RecentChecks[str, Principal] = RecentChecks()

    async def find(self, username: str) -> User | None:
        """The account, or None (also for names that are not valid usernames)."""
        try:
            name = normalize_username(username)
        except InvalidInputError:
            return None
        async with self._database.session() as session:
            return (await session.exec(select(User).where(User.username == name))).first()

    async def list(self) -> list[User]:
        async with self._database.session() as session:
            return list((await session.exec(select(User).order_by(col(User.username)))).all())

    async def add(self, username: str, role: Role, password: str | None, *, by: Actor) -> User:
        name = normalize_username(username)
        if password is not None:
            check_policy(password, name)
        password_hash = None if password is None else await self._passwords.hash(password)
        now = utc_now()
        user = User(
            id=str(uuid.uuid4()),
            username=name,
            role=role.value,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )
        async with self._database.transaction() as session:
            if (await session.exec(select(User.id).where(User.username == name))).first() is not None:
                raise ConflictError(f"an account named {name!r} already exists")
            session.add(user)
        accounts_changed()
        await self._audit.append("user_added", actor=by, outcome="ok", target=name, detail={"role": role.value})
        return user

    async def set_role(self, username: str, role: Role, *, by: Actor) -> User:
        async with self._database.transaction() as session:
            user = await self._load(session, username)
            if user.role == Role.ADMIN and role != Role.ADMIN:
                await self._keep_an_admin(session, user)
            before = user.role
            user.role, user.updated_at = role.value, utc_now()
            session.add(user)
        accounts_changed()
        await self._audit.append(
            "user_role_changed", actor=by, outcome="ok", target=user.username, detail={"from": before, "to": role.value}
        )
        return user

    async def set_disabled(self, username: str, disabled: bool, *, by: Actor) -> User:
        async with self._database.transaction() as session:
            user = await self._load(session, username)
            if disabled and user.role == Role.ADMIN:
                await self._keep_an_admin(session, user)
            user.disabled, user.updated_at = disabled, utc_now()
            if disabled:
                await self._invalidate_tokens(session, user, "account_disabled")
            session.add(user)
        accounts_changed()
        await self._audit.append(
            "user_disabled" if disabled else "user_enabled", actor=by, outcome="ok", target=user.username
        )
        return user

    async def reset_password(self, username: str, password: str, *, by: Actor) -> User:
        name = normalize_username(username)
        check_policy(password, name)
        password_hash = await self._passwords.hash(password)
        async with self._database.transaction() as session:
            user = await self._load(session, name)
            user.password_hash, user.updated_at = password_hash, utc_now()
            await self._invalidate_tokens(session, user, "password_changed")
            session.add(user)
        accounts_changed()
        await self._audit.append("password_reset", actor=by, outcome="ok", target=user.username)
        return user

    async def unlock(self, username: str, *, by: Actor) -> User:
        """Lift the account's login lockout from every address (its lockout counters are keyed by `updated_at`)."""
        async with self._database.transaction() as session:
            user = await self._load(session, username)
            user.updated_at = utc_now()
            session.add(user)
        await self._audit.append("user_unlocked", actor=by, outcome="ok", target=user.username)
        return user

    async def store_rehash(self, user_id: str, old_hash: str, new_hash: str) -> None:
        """Replace a hash made with weaker parameters (only if nobody changed the password meanwhile)."""
        async with self._database.transaction() as session:
            await session.exec(
                sa.update(_USERS)
                .where(_USERS.c.id == user_id, _USERS.c.password_hash == old_hash)
                .values(password_hash=new_hash)
            )

    async def local_principal(self) -> Principal:
        """The account stdio and in-process callers act as; the default `local` attorney is made on first use."""
        name = normalize_username(self._settings.local_user)
        known = self._local.get(name)
        if known is not None:
            return known
        principal = await self._read_local_principal(name)
        self._local.put(name, principal)
        return principal

    async def _read_local_principal(self, name: str) -> Principal:
        role = Role(self._settings.local_user_role)
        user = await self.find(name)
        if user is None:
            if name != DEFAULT_LOCAL_USER:
                raise UnauthenticatedError(
                    f"CYRANO_LOCAL_USER is {name!r}, but no such account exists; "
                    f"create it with `cyrano-mcp users add {name} --role <role>`"
                )
            try:
                user = await self.add(name, role, None, by=SYSTEM)
            except ConflictError:  # created by a concurrent first call
                user = await self.find(name)
                assert user is not None
        elif untouched_default_admin(user) and role != Role.ADMIN:
            user = await self._demote_default_local(user, role)
        if user.disabled:
            raise UnauthenticatedError(f"the local user {name!r} is disabled")
        return Principal(user_id=user.id, username=user.username, role=Role(user.role), via="local")

    async def _demote_default_local(self, user: User, role: Role) -> User:
        """Give the default `local` admin `role`, unless someone has changed the account since it was created.

        The conditional UPDATE makes one process do it (and audit it) when several start at once. The last-admin
        rule does not apply: the operator's CLI manages accounts whether or not an admin exists.
        """
        async with self._database.transaction() as session:
            demoted = await (await session.connection()).execute(
                sa.update(_USERS)
                .where(
                    _USERS.c.id == user.id,
                    _USERS.c.role == Role.ADMIN.value,
                    _USERS.c.password_hash.is_(None),
                    _USERS.c.updated_at == user.created_at,
                )
                .values(role=role.value, updated_at=utc_now())
            )
        if demoted.rowcount == 1:
            accounts_changed()
            await self._audit.append(
                "user_role_changed",
                actor=SYSTEM,
                outcome="ok",
                target=user.username,
                detail={"from": Role.ADMIN.value, "to": role.value, "reason": "CYRANO_LOCAL_USER_ROLE"},
            )
            log.warning(
                "local_user_demoted",
                user=user.username,
                role=role.value,
                hint=f"stdio callers are no longer admins; `cyrano-mcp users set-role {user.username} admin` "
                "gives it back (account administration is safer from the CLI)",
            )
        found = await self.find(user.username)
        assert found is not None
        return found

    # --- helpers ------------------------------------------------------------------------------------------
    async def _load(self, session: AsyncSession, username: str) -> User:
        name = normalize_username(username)
        user = (await session.exec(select(User).where(User.username == name).with_for_update())).first()
        if user is None:
            raise NotFoundError(f"no account is named {name!r}")
        return user

    async def _keep_an_admin(self, session: AsyncSession, leaving: User) -> None:
        others = select(User.id).where(
            User.role == Role.ADMIN.value, col(User.disabled).is_(False), User.id != leaving.id
        )
        if (await session.exec(others)).first() is None:
            raise ConflictError(f"{leaving.username!r} is the last enabled admin; make someone else admin first")

    async def _invalidate_tokens(self, session: AsyncSession, user: User, reason: str) -> None:
        user.token_version += 1
        families = TokenFamily.__table__  # type: ignore[attr-defined]
        await session.exec(
            sa.update(families)
            .where(families.c.user_id == user.id, families.c.revoked_at.is_(None))
            .values(revoked_at=utc_now(), revoke_reason=reason)
        )

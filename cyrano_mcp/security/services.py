"""Everything security-related for one Runtime, built once and wired into the call path and the server."""

import functools

from cyrano_mcp.callpath import CallInterceptor
from cyrano_mcp.crypto import FieldCipher, Keyring
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.permissions import PermissionTable
from cyrano_mcp.registry import EngineSource, Registry
from cyrano_mcp.security.accounts import AccountService
from cyrano_mcp.security.audit import KEY_TYPE as AUDIT_KEY_TYPE
from cyrano_mcp.security.audit import AuditLog
from cyrano_mcp.security.audit_anchor import anchor_path
from cyrano_mcp.security.audit_engine import create_audit_engine
from cyrano_mcp.security.auth_engine import create_auth_engine
from cyrano_mcp.security.authentication import AuthService
from cyrano_mcp.security.interceptors import (
    AuditCalls,
    Authenticate,
    Authorize,
    HideForbiddenTools,
    LimitCalls,
    PrincipalResolver,
)
from cyrano_mcp.security.key_admin import KeyAdministration
from cyrano_mcp.security.keyfiles import load_jwt_secret, load_master_key
from cyrano_mcp.security.passwords import Passwords
from cyrano_mcp.security.ratelimit import RateLimiter
from cyrano_mcp.security.tokens import BearerVerifier, TokenService
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database

log = get_logger("cyrano.security")


class Security:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        # Keys are read on first use, not here: listing tools must not create a data dir or key files.
        self.keyring = Keyring(database, lambda may_create: load_master_key(settings, may_create=may_create))
        self.fields = FieldCipher(self.keyring)
        self.audit = AuditLog(database, self.keyring, anchor_file=anchor_path(settings))
        self.passwords = Passwords(settings)
        self.accounts = AccountService(settings=settings, database=database, passwords=self.passwords, audit=self.audit)
        self.tokens = TokenService(settings, database, functools.cache(lambda: load_jwt_secret(settings)))
        self.limiter = RateLimiter(settings)
        self.auth = AuthService(
            accounts=self.accounts, passwords=self.passwords, tokens=self.tokens, limiter=self.limiter, audit=self.audit
        )
        self.http_auth = not settings.insecure_http_no_auth
        self.resolver = PrincipalResolver(self.accounts, http_auth_required=self.http_auth)
        self.verifier = BearerVerifier(self.tokens, self.audit, self.limiter)
        self.keys = KeyAdministration(database=database, keyring=self.keyring, fields=self.fields, audit=self.audit)

    # The call path's security steps; `cyrano_mcp.server.call_path_steps` puts them in their order.
    def audit_step(self) -> CallInterceptor:
        return AuditCalls(self.audit)

    def authenticate_step(self) -> CallInterceptor:
        return Authenticate(self.resolver)

    def rate_limit_step(self) -> CallInterceptor:
        return LimitCalls(self.limiter, limit_local_user=self.settings.rate_limit_local_user)

    def authorize_step(self, permissions: PermissionTable) -> CallInterceptor:
        return Authorize(permissions)

    def engine_sources(self, registry: Registry) -> list[EngineSource]:
        """The core's own engines; not entry points, so no setting can disable them."""
        return [
            EngineSource(
                "core cyrano_mcp.security.auth_engine", create_auth_engine(self.auth, self.accounts, registry)
            ),
            EngineSource("core cyrano_mcp.security.audit_engine", create_audit_engine(self.audit)),
        ]

    def tools_filter(self, registry: Registry) -> HideForbiddenTools:
        prompts = {prompt.name: prompt.permission for prompt in registry.prompts()}

        def permission_of(kind: str, name: str) -> str | None:
            if kind == "prompts":
                return prompts.get(name)
            return registry.operation(name).permission if name in registry.tool_names else None

        return HideForbiddenTools(self.resolver, registry.permissions, permission_of)

    async def stop(self) -> None:
        await self.tokens.close()
        await self.audit.close()  # queued tool-call records are written before the store closes
        await self.limiter.close()

    async def start(self, registry: Registry) -> None:
        """After migrations: unwrap the keyring (creating keys for new types) and warn about gaps."""
        load_jwt_secret(self.settings)  # a missing or unreadable signing key stops start-up, not the first login
        await self.keyring.load({AUDIT_KEY_TYPE, *self.fields.key_types})
        await self.audit.start()
        admins_only = registry.permissions.unknown(registry.operation(name).permission for name in registry.tool_names)
        if admins_only:
            log.warning(
                "permissions_not_in_table",
                permissions=admins_only,
                advice="only admins may use these tools until their engine declares them (Engine.permissions)",
            )

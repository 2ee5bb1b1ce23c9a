"""The `auth` engine: log in, refresh, log out, who am I, and account administration.

Like every engine it only declares operations: who may call which is the permission table's business
(`auth:self` for everyone, `users:*` for admins), enforced on the call path.
"""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, SecretStr, StringConstraints

from cyrano_mcp.calls import current_call
from cyrano_mcp.kit.declarations import Engine, Operation, Parts
from cyrano_mcp.kit.toolsets import Toolset
from cyrano_mcp.models import NoArguments, ToolInput, ToolOutput
from cyrano_mcp.principal import Principal, Role
from cyrano_mcp.security.accounts import AccountService
from cyrano_mcp.security.audit import Actor
from cyrano_mcp.security.authentication import AuthService
from cyrano_mcp.security.permissions import AUTH, KEYS, USERS
from cyrano_mcp.security.principals import UnauthenticatedError
from cyrano_mcp.security.tables import User
from cyrano_mcp.security.tokens import TokenPair

if TYPE_CHECKING:
    from cyrano_mcp.registry import Registry

Username = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Password = Annotated[SecretStr, Field(min_length=1, max_length=1024, json_schema_extra={"writeOnly": True})]
RefreshTokenText = Annotated[str, StringConstraints(min_length=16, max_length=4096)]


class LoginInput(ToolInput):
    username: Username
    password: Password


class TokensOutput(ToolOutput):
    access_token: str
    refresh_token: str = Field(description="Exchange it with auth_refresh (or POST /auth/refresh); single use.")
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_expires_in: int

    @classmethod
    def of(cls, pair: TokenPair) -> "TokensOutput":
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            expires_in=pair.expires_in,
            refresh_expires_in=pair.refresh_expires_in,
        )


class RefreshInput(ToolInput):
    refresh_token: RefreshTokenText


class LogoutInput(ToolInput):
    refresh_token: RefreshTokenText | None = Field(
        default=None, description="The login to end; omit it to end the login of the token this call carries."
    )


class LogoutOutput(ToolOutput):
    revoked: bool = Field(description="False if that login had already ended.")


class WhoAmI(ToolOutput):
    user_id: str
    username: str
    role: Role
    authenticated_by: str = Field(description="token (a bearer token) or local (the stdio local user).")
    token_expires_at: datetime | None
    grants: list[str] = Field(description="The role's permission grants (resource:action, * wildcards).")
    tools: list[str] = Field(description="The tools this role may call.")


class UserRecord(ToolOutput):
    username: str
    role: Role
    disabled: bool
    can_log_in: bool = Field(description="False for accounts without a password (the stdio local user).")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> "UserRecord":
        return cls(
            username=user.username,
            role=Role(user.role),
            disabled=user.disabled,
            can_log_in=user.password_hash is not None and not user.disabled,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )


class UserList(ToolOutput):
    users: list[UserRecord]


class UserAdd(ToolInput):
    username: Username
    role: Role
    password: Password = Field(description="The initial password; hand it over out of band.")


class UserSetRole(ToolInput):
    username: Username
    role: Role


class UserName(ToolInput):
    username: Username


class UserResetPassword(ToolInput):
    username: Username
    password: Password


def caller() -> Principal:
    call = current_call()
    if call is None or call.principal is None:
        raise UnauthenticatedError("no authenticated caller")
    return call.principal


def _source() -> str:
    call = current_call()
    return (call.source if call is not None else None) or "unknown"


def create_auth_engine(auth: AuthService, accounts: AccountService, registry: "Registry") -> Engine:
    def tools_for(role: Role) -> list[str]:
        allows = registry.permissions.allows
        return sorted(name for name in registry.tool_names if allows(role, registry.operation(name).permission))

    async def login(params: LoginInput) -> TokensOutput:
        pair = await auth.login(params.username, params.password.get_secret_value(), source=_source())
        return TokensOutput.of(pair)

    async def refresh(params: RefreshInput) -> TokensOutput:
        return TokensOutput.of(await auth.refresh(params.refresh_token, source=_source()))

    async def logout(params: LogoutInput) -> LogoutOutput:
        return LogoutOutput(revoked=await auth.logout(caller(), params.refresh_token, source=_source()))

    async def whoami(_: NoArguments) -> WhoAmI:
        principal = caller()
        expires = principal.expires_at
        return WhoAmI(
            user_id=principal.user_id,
            username=principal.username,
            role=principal.role,
            authenticated_by=principal.via,
            token_expires_at=None if expires is None else datetime.fromtimestamp(expires, UTC),
            grants=registry.permissions.grants(principal.role),
            tools=tools_for(principal.role),
        )

    async def users_list(_: NoArguments) -> UserList:
        return UserList(users=[UserRecord.of(user) for user in await accounts.list()])

    async def users_add(params: UserAdd) -> UserRecord:
        user = await accounts.add(
            params.username, params.role, params.password.get_secret_value(), by=Actor.of(caller())
        )
        return UserRecord.of(user)

    async def users_set_role(params: UserSetRole) -> UserRecord:
        return UserRecord.of(await accounts.set_role(params.username, params.role, by=Actor.of(caller())))

    async def users_disable(params: UserName) -> UserRecord:
        return UserRecord.of(await accounts.set_disabled(params.username, True, by=Actor.of(caller())))

    async def users_enable(params: UserName) -> UserRecord:
        return UserRecord.of(await accounts.set_disabled(params.username, False, by=Actor.of(caller())))

    async def users_reset_password(params: UserResetPassword) -> UserRecord:
        user = await accounts.reset_password(params.username, params.password.get_secret_value(), by=Actor.of(caller()))
        return UserRecord.of(user)

    parts = Parts(
        operations=[
            Operation(
                name="login",
                toolset="session",
                title="Log in",
                description="Exchange a username and password for an access token (15 minutes) and a refresh "
                "token (single use, 7 days). Over HTTP, POST /auth/login does the same without a token.",
                input_model=LoginInput,
                output_model=TokensOutput,
                handler=login,
                permission="auth:self",
            ),
            Operation(
                name="refresh",
                toolset="session",
                title="Refresh tokens",
                description="Exchange a refresh token for a new access and refresh token. Each refresh token "
                "works once; presenting a used one again ends its whole login, except a retry within seconds "
                "(while the new refresh token is unused), which gets the same new pair.",
                input_model=RefreshInput,
                output_model=TokensOutput,
                handler=refresh,
                permission="auth:self",
            ),
            Operation(
                name="logout",
                toolset="session",
                title="Log out",
                description="End a login: its refresh token and every access token it issued stop working.",
                input_model=LogoutInput,
                output_model=LogoutOutput,
                handler=logout,
                permission="auth:self",
                destructive=True,  # ends a login
                idempotent=True,
            ),
            Operation(
                name="whoami",
                toolset="session",
                title="Who am I",
                description="The account this session acts as, its role, and the tools that role may call.",
                input_model=NoArguments,
                output_model=WhoAmI,
                handler=whoami,
                permission="auth:self",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="users_list",
                toolset="accounts",
                title="List accounts",
                description="Every account with its role and whether it can log in.",
                input_model=NoArguments,
                output_model=UserList,
                handler=users_list,
                permission="users:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="users_add",
                toolset="accounts",
                title="Add an account",
                description="Create an account with a role (admin, attorney, paralegal or viewer) and an initial "
                "password of at least 12 characters.",
                input_model=UserAdd,
                output_model=UserRecord,
                handler=users_add,
                permission="users:manage",
            ),
            Operation(
                name="users_set_role",
                toolset="accounts",
                title="Change an account's role",
                description="Give an account another role; takes effect on its next call.",
                input_model=UserSetRole,
                output_model=UserRecord,
                handler=users_set_role,
                permission="users:manage",
                destructive=True,  # overwrites the account's role
                idempotent=True,
            ),
            Operation(
                name="users_disable",
                toolset="accounts",
                title="Disable an account",
                description="Stop an account from logging in; its tokens stop working at once.",
                input_model=UserName,
                output_model=UserRecord,
                handler=users_disable,
                permission="users:manage",
                destructive=True,
                idempotent=True,
            ),
            Operation(
                name="users_enable",
                toolset="accounts",
                title="Enable an account",
                description="Let a disabled account log in again.",
                input_model=UserName,
                output_model=UserRecord,
                handler=users_enable,
                permission="users:manage",
                idempotent=True,
            ),
            Operation(
                name="users_reset_password",
                toolset="accounts",
                title="Reset a password",
                description="Set a new password for an account; all its current logins end.",
                input_model=UserResetPassword,
                output_model=UserRecord,
                handler=users_reset_password,
                permission="users:manage",
                destructive=True,
            ),
        ]
    )
    return Engine(
        name="auth",
        description="Accounts and tokens: log in for bearer tokens, refresh and end logins, manage accounts.",
        build=lambda _context: parts,
        permissions=[AUTH, USERS, KEYS],
        toolsets=[
            Toolset(
                "session",
                "Log in, refresh and end logins over HTTP, and say who the caller is (off over stdio, where the "
                "local user needs no token).",
                on_stdio=False,
            ),
            Toolset("accounts", "Manage a firm's accounts and roles (off over stdio).", on_stdio=False),
        ],
    )

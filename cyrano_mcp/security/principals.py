"""Who is calling: a user account with a role, authenticated by a bearer token or as the local user.

Over HTTP the SDK's auth middleware has verified the bearer token before any handler runs; the verified
token carries the principal. stdio and in-process sessions are the local, single-user trust model: they
act as the configured local user. A call that arrived over HTTP without a token is never given the local
user (that would turn a missing token into an admin session) unless HTTP auth is explicitly switched off.
"""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

from mcp.server.auth.middleware.auth_context import get_access_token

from cyrano_mcp.errors import DomainError
from cyrano_mcp.security.rbac import Role

Via = Literal["token", "local"]

# The client address of the HTTP request being served (set by the HTTP app; None on stdio).
client_address: ContextVar[str | None] = ContextVar("cyrano_client_address", default=None)


class UnauthenticatedError(DomainError):
    code = "unauthenticated"


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    username: str
    role: Role
    via: Via
    family_id: str | None = None  # the login (token family) a token belongs to; None for the local user
    expires_at: int | None = None

    def claims(self) -> dict[str, Any]:
        """What the token verifier stores on the SDK's `AccessToken` for the call path to read back."""
        return {
            "cyrano_user_id": self.user_id,
            "cyrano_username": self.username,
            "cyrano_role": self.role.value,
            "cyrano_family": self.family_id,
        }

    @classmethod
    def from_claims(cls, claims: dict[str, Any], expires_at: int | None) -> "Principal":
        return cls(
            user_id=claims["cyrano_user_id"],
            username=claims["cyrano_username"],
            role=Role(claims["cyrano_role"]),
            via="token",
            family_id=claims.get("cyrano_family"),
            expires_at=expires_at,
        )


def token_principal() -> Principal | None:
    """The principal of the bearer token the current HTTP request carried, if any."""
    token = get_access_token()
    if token is None or token.claims is None or "cyrano_user_id" not in token.claims:
        return None
    return Principal.from_claims(token.claims, token.expires_at)

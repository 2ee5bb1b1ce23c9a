"""Who is calling: a user account with a role, authenticated by a bearer token or as the local user.

Over HTTP the SDK's auth middleware has verified the bearer token before any handler runs; the verified
token carries the principal. stdio and in-process sessions are the local, single-user trust model: they
act as the configured local user. A call that arrived over HTTP without a token is never given the local
user (that would turn a missing token into an admin session) unless HTTP auth is explicitly switched off.
"""

from contextvars import ContextVar

from mcp.server.auth.middleware.auth_context import get_access_token

from cyrano_mcp.errors import DomainError
from cyrano_mcp.principal import Principal

# The client address of the HTTP request being served (set by the HTTP app; None on stdio).
client_address: ContextVar[str | None] = ContextVar("cyrano_client_address", default=None)


class UnauthenticatedError(DomainError):
    code = "unauthenticated"


def token_principal() -> Principal | None:
    """The principal of the bearer token the current HTTP request carried, if any."""
    token = get_access_token()
    if token is None or token.claims is None or "cyrano_user_id" not in token.claims:
        return None
    return Principal.from_claims(token.claims, token.expires_at)

"""The permissions of accounts, logins, the audit log and keys: admins only, but for a caller's own login."""

from cyrano_mcp.kit.declarations import Permissions
from cyrano_mcp.principal import Role

AUTH = Permissions(
    "auth",
    {"self": "log in, refresh, log out, whoami"},
    grants={Role.ATTORNEY: ["*"], Role.PARALEGAL: ["*"], Role.VIEWER: ["*"]},
)
USERS = Permissions(
    "users", {"read": "list accounts", "manage": "add accounts, change roles, disable, reset passwords"}
)
AUDIT = Permissions("audit", {"read": "query the audit log"})
KEYS = Permissions("keys", {"manage": "rotate and retire encryption keys (the `cyrano-mcp keys` CLI today)"})

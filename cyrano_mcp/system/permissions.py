"""Who may see the server's state, spend a model call on checking it, and see its paths."""

from cyrano_mcp.kit.declarations import Permissions
from cyrano_mcp.principal import Role

SYSTEM = Permissions(
    "system",
    {
        "read": "server version and health",
        "check": "send a test prompt to the model provider (a paid call when one is configured)",
        "admin": "see the server's filesystem paths (the data dir in system_info)",
    },
    grants={Role.ATTORNEY: ["read", "check"], Role.PARALEGAL: ["read"], Role.VIEWER: ["read"]},
)

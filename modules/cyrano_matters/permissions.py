"""Who may see, change and delete matters."""

from cyrano_mcp.kit import Permissions, Role

MATTERS = Permissions(
    "matters",
    {"read": "see matters", "write": "open, change, close, reopen", "delete": "delete a matter"},
    grants={Role.ATTORNEY: ["*"], Role.PARALEGAL: ["read", "write"], Role.VIEWER: ["read"]},
)

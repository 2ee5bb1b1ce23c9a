"""Who may follow background jobs and who may cancel them."""

from cyrano_mcp.kit.declarations import Permissions
from cyrano_mcp.principal import Role

JOBS = Permissions(
    "jobs",
    {"read": "follow background jobs (batch ingests)", "write": "cancel background jobs"},
    grants={Role.ATTORNEY: ["*"], Role.PARALEGAL: ["read", "write"], Role.VIEWER: ["read"]},
)

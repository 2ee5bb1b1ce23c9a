"""Who may look for clauses. Reading the pages found still needs `documents:read` (Arkiver's own permission)."""

from cyrano_mcp.kit import Permissions, Role

CLAUSES = Permissions(
    "clauses",
    {"read": "find kinds of clauses in documents"},
    grants={Role.ATTORNEY: ["read"], Role.PARALEGAL: ["read"], Role.VIEWER: ["read"]},
)

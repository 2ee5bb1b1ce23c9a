"""Who may read, ingest and delete documents."""

from cyrano_mcp.kit import Permissions, Role

DOCUMENTS = Permissions(
    "documents",
    {"read": "read documents and their extracts", "write": "ingest and refine", "delete": "delete documents"},
    grants={Role.ATTORNEY: ["*"], Role.PARALEGAL: ["read", "write"], Role.VIEWER: ["read"]},
)

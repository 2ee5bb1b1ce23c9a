"""Who may check AI-written text, and who may keep Potemkin's records (authorities, archives, probes, alerts)."""

from cyrano_mcp.kit import Permissions, Role

POTEMKIN = Permissions(
    "potemkin",
    {
        "verify": "check AI-written text against documents and its citations; read archived model answers, "
        "drift and bias reports and alerts",
        "write": "keep the firm's authorities, archived model outputs, probes and alerts",
    },
    grants={Role.ATTORNEY: ["*"], Role.PARALEGAL: ["*"], Role.VIEWER: ["verify"]},
)

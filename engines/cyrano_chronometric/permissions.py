"""Who may see and compute deadlines, and who may docket, complete and configure them."""

from cyrano_mcp.kit import Permissions, Role

CHRONOMETRIC = Permissions(
    "chronometric",
    {
        "read": "compute deadlines, see a matter's deadlines computed from its documents, and the firm's docket; "
        "see time entries, days short of time and likely double entries",
        "write": "docket deadlines by hand or by a court rule, complete or dismiss them, and keep the firm's rules; "
        "record, import, change and delete time entries and set work profiles",
    },
    grants={Role.ATTORNEY: ["*"], Role.PARALEGAL: ["*"], Role.VIEWER: ["read"]},
)

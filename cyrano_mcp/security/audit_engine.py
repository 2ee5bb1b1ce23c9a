"""The `audit` engine: `audit_query`, for admins."""

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from cyrano_mcp.kit.declarations import Engine, Operation, Parts
from cyrano_mcp.kit.toolsets import Toolset
from cyrano_mcp.models import ToolInput, ToolOutput
from cyrano_mcp.security.audit import AuditLog
from cyrano_mcp.security.permissions import AUDIT
from cyrano_mcp.security.tables import AuditEntry

Word = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class AuditQuery(ToolInput):
    actor: Word | None = Field(default=None, description="A username (or `anonymous`, `system`, `cli:<user>`).")
    action: Word | None = Field(
        default=None, description="e.g. tool_call, login, refresh, logout, token_rejected, user_added, key_rotated."
    )
    outcome: Word | None = Field(default=None, description="ok, or an error code such as permission_denied.")
    target: Word | None = Field(default=None, description="A tool name, account name or key type.")
    since: datetime | None = None
    until: datetime | None = None
    before_seq: int | None = Field(default=None, ge=1, description="next_before_seq of the previous page.")
    limit: int = Field(default=50, ge=1, le=500)


class AuditRecord(ToolOutput):
    seq: int
    at: str
    actor: str
    role: str | None
    action: str
    target: str | None
    outcome: str
    source: str | None
    correlation_id: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, entry: AuditEntry) -> "AuditRecord":
        return cls(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            role=entry.role,
            action=entry.action,
            target=entry.target,
            outcome=entry.outcome,
            source=entry.source,
            correlation_id=entry.correlation_id,
            detail=json.loads(entry.detail),
        )


class AuditPage(ToolOutput):
    records: list[AuditRecord] = Field(description="Newest first.")
    next_before_seq: int | None = Field(description="Pass as before_seq for the next (older) page; null at the end.")


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def create_audit_engine(audit: AuditLog) -> Engine:
    async def query(params: AuditQuery) -> AuditPage:
        entries = await audit.query(
            actor=params.actor,
            action=params.action,
            outcome=params.outcome,
            target=params.target,
            since=_iso(params.since),
            until=_iso(params.until),
            before_seq=params.before_seq,
            limit=params.limit + 1,
        )
        records = [AuditRecord.of(entry) for entry in entries[: params.limit]]
        more = len(entries) > params.limit
        return AuditPage(records=records, next_before_seq=records[-1].seq if more else None)

    parts = Parts(
        operations=[
            Operation(
                name="query",
                title="Query the audit log",
                description="Audit records, newest first, filtered by actor, action, outcome, target or time; "
                "pages of up to 500. Records never hold tool arguments, passwords or tokens.",
                input_model=AuditQuery,
                output_model=AuditPage,
                handler=query,
                permission="audit:read",
                read_only=True,
                idempotent=True,
            )
        ]
    )
    return Engine(
        name="audit",
        description="The tamper-evident audit log of calls, logins, refusals and key operations.",
        build=lambda _context: parts,
        permissions=[AUDIT],
        toolsets=[
            Toolset("audit", "Query the audit log: for a firm's administrators (off over stdio).", on_stdio=False)
        ],
    )

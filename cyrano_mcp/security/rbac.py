"""Roles and what each may do: the permission table, by `resource:action`.

Operations declare the permission they need (`matters:read`, `documents:delete`, ...). A role is a list of
grants; a grant is an exact permission or a wildcard over a *known* resource (`matters:*`). Only the
admin grant `*:*` reaches permissions this table has never heard of: a new engine's `billing:read` is
refused to every other role until someone decides who gets it here.
"""

import functools
from collections.abc import Iterable

from cyrano_mcp.principal import Role

# Every resource and action the table knows, with what the action means (for the generated docs).
RESOURCES: dict[str, dict[str, str]] = {
    "matters": {"read": "see matters", "write": "open, change, close, reopen", "delete": "delete a matter"},
    "documents": {
        "read": "read documents and their extracts",
        "write": "ingest and draft",
        "delete": "delete documents",
    },
    "timelines": {"read": "read timelines", "write": "build and edit timelines"},
    "workflows": {"read": "see workflow runs", "run": "start workflows", "approve": "approve a step"},
    "jobs": {"read": "follow background jobs (batch ingests)", "write": "cancel background jobs"},
    "system": {
        "read": "server version and health",
        "check": "send a test prompt to the model provider (a paid call when one is configured)",
        "admin": "see the server's filesystem paths (the data dir in system_info)",
    },
    "auth": {"self": "log in, refresh, log out, whoami"},
    "users": {"read": "list accounts", "manage": "add accounts, change roles, disable, reset passwords"},
    "audit": {"read": "query the audit log"},
    "keys": {"manage": "rotate and retire encryption keys (the `cyrano-mcp keys` CLI today)"},
}

_VIEWER = (
    "matters:read",
    "documents:read",
    "timelines:read",
    "workflows:read",
    "jobs:read",
    "system:read",
    "auth:self",
)
GRANTS: dict[Role, tuple[str, ...]] = {
    Role.VIEWER: _VIEWER,
    Role.PARALEGAL: (*_VIEWER, "matters:write", "documents:write", "timelines:write", "workflows:run", "jobs:write"),
    Role.ATTORNEY: (
        "matters:*",
        "documents:*",
        "timelines:*",
        "workflows:*",
        "jobs:*",
        "system:read",
        "system:check",
        "auth:self",
    ),
    Role.ADMIN: ("*:*",),
}


def _matches(grant: str, permission: str) -> bool:
    if grant == "*:*":
        return True
    resource, _, action = permission.partition(":")
    grant_resource, _, grant_action = grant.partition(":")
    if grant_resource != resource or resource not in RESOURCES:
        return False
    return grant_action in ("*", action)


@functools.cache
def allows(role: Role | str, permission: str) -> bool:
    """Whether `role` may use an operation that needs `permission` (unknown roles may do nothing).

    Cached: it runs on every call, and its answer depends only on the fixed tables above.
    """
    try:
        grants = GRANTS[Role(role)]
    except ValueError:
        return False
    return any(_matches(grant, permission) for grant in grants)


def known_permissions() -> list[str]:
    return [f"{resource}:{action}" for resource, actions in RESOURCES.items() for action in actions]


def permission_table(tools_by_permission: dict[str, list[str]]) -> str:
    """The Markdown permission table: every known permission plus any a loaded tool declares."""
    roles = list(Role)
    permissions = known_permissions() + sorted(set(tools_by_permission) - set(known_permissions()))
    header = "| Permission | Meaning | " + " | ".join(role.value for role in roles) + " | Tools |"
    rows = [header, "|---|---|" + "---|" * len(roles) + "---|"]
    for permission in permissions:
        resource, _, action = permission.partition(":")
        meaning = RESOURCES.get(resource, {}).get(action, "*not in the table: admins only*")
        marks = " | ".join("✓" if allows(role, permission) else "—" for role in roles)
        tools = ", ".join(f"`{name}`" for name in tools_by_permission.get(permission, [])) or ""
        rows.append(f"| `{permission}` | {meaning} | {marks} | {tools} |")
    return "\n".join(rows)


def grants_table() -> str:
    rows = ["| Role | Grants |", "|---|---|"]
    rows.extend(f"| {role.value} | {', '.join(f'`{grant}`' for grant in GRANTS[role])} |" for role in Role)
    return "\n".join(rows)


def unknown(permissions: Iterable[str]) -> list[str]:
    """Permissions the table has never heard of: only admins hold them (start-up warns about these)."""
    known = set(known_permissions())
    return sorted({permission for permission in permissions if permission not in known})

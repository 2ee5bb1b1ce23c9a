"""The role table: every engine's `Permissions` merged at load, and what each role may do.

Operations declare the permission they need (`documents:read`, ...). Each engine declares the resources its
permissions belong to, what each action means and which roles hold it; the registry adds them here as it
loads the engines. Admins hold every permission, declared or not; a permission no engine declares is
admin-only (start-up logs `permissions_not_in_table`), so a new engine's tools are closed until it says who
may use them.
"""

from collections.abc import Iterable, Sequence

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.kit.declarations import Permissions
from cyrano_mcp.principal import Role


class PermissionTable:
    def __init__(self, permissions: Sequence[Permissions] = ()) -> None:
        self._resources: dict[str, Permissions] = {}
        self._owners: dict[str, str] = {}
        self._held: dict[Role, frozenset[str]] = {}
        for declared in permissions:
            self.add(declared, owner="core")

    def add(self, declared: Permissions, *, owner: str) -> None:
        if declared.resource in self._resources:
            raise ConfigError(
                f"engines {self._owners[declared.resource]!r} and {owner!r} both declare the permissions of "
                f"{declared.resource!r}"
            )
        self._resources[declared.resource] = declared
        self._owners[declared.resource] = owner
        self._held = {
            role: frozenset(p for resource in self._resources.values() for p in resource.granted_to(role))
            for role in Role
        }

    def allows(self, role: Role | str, permission: str) -> bool:
        """Whether `role` may use an operation that needs `permission` (unknown roles may do nothing)."""
        if role == Role.ADMIN:
            return True
        held = self._held.get(role)  # type: ignore[call-overload]
        return held is not None and permission in held

    def grants(self, role: Role) -> list[str]:
        """What `role` holds, as `resource:action` (admins: `*:*`)."""
        return ["*:*"] if role == Role.ADMIN else sorted(self._held.get(role, frozenset()))

    def known(self) -> list[str]:
        return [f"{resource}:{action}" for resource, declared in self._resources.items() for action in declared.actions]

    def meaning(self, permission: str) -> str | None:
        resource, _, action = permission.partition(":")
        declared = self._resources.get(resource)
        return declared.actions.get(action) if declared is not None else None

    def unknown(self, permissions: Iterable[str]) -> list[str]:
        """Permissions no engine declares: only admins hold them."""
        known = set(self.known())
        return sorted({permission for permission in permissions if permission not in known})

    def table(self, tools_by_permission: dict[str, list[str]]) -> str:
        """The Markdown permission table: every declared permission plus any a loaded tool needs."""
        roles = list(Role)
        permissions = self.known() + self.unknown(tools_by_permission)
        header = "| Permission | Meaning | " + " | ".join(role.value for role in roles) + " | Tools |"
        rows = [header, "|---|---|" + "---|" * len(roles) + "---|"]
        for permission in permissions:
            meaning = self.meaning(permission) or "*declared by no engine: admins only*"
            marks = " | ".join("✓" if self.allows(role, permission) else "—" for role in roles)
            tools = ", ".join(f"`{name}`" for name in tools_by_permission.get(permission, []))
            rows.append(f"| `{permission}` | {meaning} | {marks} | {tools} |")
        return "\n".join(rows)

    def grants_table(self) -> str:
        rows = ["| Role | Grants |", "|---|---|"]
        rows.extend(f"| {role.value} | {', '.join(f'`{grant}`' for grant in self.grants(role))} |" for role in Role)
        return "\n".join(rows)

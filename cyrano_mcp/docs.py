"""Tables in the docs that are generated from the code, so they cannot drift from it.

`python -m cyrano_mcp.docs README.md docs/security.md` rewrites every `<!-- name:begin -->...<!-- name:end -->`
block; a test fails when a document is out of date.
"""

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from cyrano_mcp.kit.declarations import Engine
from cyrano_mcp.settings import Settings

if TYPE_CHECKING:
    from cyrano_mcp.registry import Registry


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        value: Any = field.default_factory()  # type: ignore[call-arg]
    else:
        value = field.default
    if value is None:
        return "unset"
    if isinstance(value, list):
        return ", ".join(f"`{item}`" for item in value) or "empty"
    if isinstance(value, Path):
        return "per-user data dir (e.g. `~/.local/share/cyrano`)"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    return f"`{value}`"


def _env_name(name: str, field: FieldInfo) -> str:
    alias = field.validation_alias
    return alias if isinstance(alias, str) else f"CYRANO_{name.upper()}"


def settings_table(engines: Sequence[Engine]) -> str:
    """The core's settings, then each installed engine's own, with who reads each."""
    rows = ["| Variable | Default | Read by | Meaning |", "|---|---|---|---|"]
    models: list[tuple[str, type[BaseSettings]]] = [("core", Settings)]
    models += [(engine.name, engine.settings) for engine in engines if engine.settings is not None]
    for reader, model in models:
        for name, field in model.model_fields.items():
            if model is Settings and name == "engine_settings":
                continue  # given in code, never by a variable
            rows.append(f"| `{_env_name(name, field)}` | {_default(field)} | {reader} | {field.description or ''} |")
    return "\n".join(rows)


def tools_table(catalogue: list[dict[str, Any]]) -> str:
    rows = ["| Tool | Toolset | Kind | Permission | What it does |", "|---|---|---|---|---|"]
    for row in catalogue:
        hints = row["annotations"]
        kind = "destructive" if hints.get("destructiveHint") else "read-only" if hints.get("readOnlyHint") else "writes"
        rows.append(f"| `{row['name']}` | {row['toolset']} | {kind} | `{row['permission']}` | {row['description']} |")
    return "\n".join(rows)


def toolsets_table(registry: "Registry") -> str:
    rows = ["| Toolset | Over stdio | Over HTTP | Tools | What for |", "|---|---|---|---|---|"]
    for name, toolset in registry.toolsets().items():
        count = sum(registry.toolset_of(tool) == name for tool in registry.tool_names)
        on = {True: "on", False: "off"}
        rows.append(f"| `{name}` | {on[toolset.on_stdio]} | {on[toolset.on_http]} | {count} | {toolset.description} |")
    return "\n".join(rows)


def prompts_table(registry: "Registry") -> str:
    rows = ["| Prompt | Arguments | Permission | What it is for |", "|---|---|---|---|"]
    for prompt in registry.prompts():
        schema = prompt.arguments.model_json_schema()
        required = set(schema.get("required", []))
        arguments = ", ".join(
            f"`{name}`" + ("" if name in required else " (optional)") for name in schema.get("properties", {})
        )
        rows.append(f"| `{prompt.name}` | {arguments} | `{prompt.permission}` | {prompt.description} |")
    return "\n".join(rows)


# Which generated blocks each document holds (paths relative to the repository root).
DOCUMENTS: dict[str, tuple[str, ...]] = {
    "README.md": ("settings", "toolsets", "tools", "prompts"),
    "docs/security.md": ("grants", "permissions"),
}


def generated_blocks() -> dict[str, str]:
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.settings import load_settings

    registry = build_runtime(load_settings(plugins="", disabled_engines="")).registry
    catalogue = registry.catalogue()
    users: dict[str, list[str]] = {}
    for row in catalogue:
        users.setdefault(row["permission"], []).append(row["name"])
    for template in registry.resource_templates():
        users.setdefault(template.permission, []).append(template.uri_template)
    return {
        "settings": settings_table(registry.engines),
        "tools": tools_table(catalogue),
        "toolsets": toolsets_table(registry),
        "prompts": prompts_table(registry),
        "grants": registry.permissions.grants_table(),
        "permissions": registry.permissions.table(users),
    }


def _replacement(body: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group(1) + body + "\n" + match.group(2)


def render(document: str, blocks: dict[str, str]) -> str:
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.DOTALL)
        if not pattern.search(document):
            raise ValueError(f"no <!-- {name}:begin --> ... <!-- {name}:end --> block")
        document = pattern.sub(_replacement(body), document)
    return document


def main(paths: list[str]) -> None:
    blocks = generated_blocks()
    for name in paths:
        path = Path(name)
        wanted = DOCUMENTS.get(path.as_posix(), tuple(blocks))
        path.write_text(
            render(path.read_text(encoding="utf-8"), {block: blocks[block] for block in wanted}), encoding="utf-8"
        )


if __name__ == "__main__":
    main(sys.argv[1:])

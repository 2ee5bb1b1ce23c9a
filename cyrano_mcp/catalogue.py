"""What a tool catalogue costs a host: the characters it sends its model on every turn, and on the wire.

A host puts each tool's name, description and input schema in front of its model on every turn; `tools/list`
also carries titles, annotations and output schemas. Tokens are estimated at four characters each, the usual
rule of thumb for English text and JSON.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CHARACTERS_PER_TOKEN = 4
# The default stdio toolset's per-turn cost may not grow past this without a decision (tests/core/test_host_surface).
# Decided: 16,000 for documents, jobs and matters; 20,000 once Potemkin's checks (potemkin_verify, then
# potemkin_citations) joined them, since checking AI output is a lawyer's everyday job. Each later engine's
# everyday tool must fit in what is left, its other tools in toolsets off by default over stdio.
DEFAULT_STDIO_TURN_BUDGET = 20_000


@dataclass(frozen=True, slots=True)
class ToolCost:
    name: str
    toolset: str
    per_turn: int
    on_wire: int


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def tool_costs(catalogue: Sequence[Mapping[str, Any]]) -> list[ToolCost]:
    """Each tool of `Registry.catalogue()`'s rows: what a host's model reads per turn, and `tools/list`'s size."""
    costs = []
    for row in catalogue:
        per_turn = {"name": row["name"], "description": row["description"], "input_schema": row["inputSchema"]}
        wire = {key: value for key, value in row.items() if key not in ("engine", "toolset", "permission")}
        costs.append(ToolCost(row["name"], row["toolset"], len(_compact(per_turn)), len(_compact(wire))))
    return costs


def budget_table(costs: Sequence[ToolCost]) -> str:
    width = max((len(cost.name) for cost in costs), default=4)
    lines = [f"{'tool':<{width}}  {'toolset':<10}  {'per turn':>8}  {'on wire':>8}"]
    lines += [f"{c.name:<{width}}  {c.toolset:<10}  {c.per_turn:>8,}  {c.on_wire:>8,}" for c in costs]
    per_turn = sum(cost.per_turn for cost in costs)
    on_wire = sum(cost.on_wire for cost in costs)
    lines.append(
        f"{len(costs)} tools: {per_turn:,} characters per turn (about {per_turn // CHARACTERS_PER_TOKEN:,} tokens), "
        f"{on_wire:,} characters in tools/list"
    )
    return "\n".join(lines)

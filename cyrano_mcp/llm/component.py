"""The `llm` store component: its tables belong to the model layer, not to any one engine.

A core component of the registry, like security's: migrated on start, listed by `cyrano-mcp db status`
and checked by `system_health`.
"""

from cyrano_mcp.llm.migrations import MIGRATIONS
from cyrano_mcp.store.migrate import Component

LLM_COMPONENT = Component("llm", MIGRATIONS)

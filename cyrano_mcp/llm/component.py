"""The `llm` store component: its tables belong to the model layer, not to any one engine.

It is declared as an engine with no operations, so the registry migrates it, `cyrano-mcp db status`
lists it and `system_health` checks it like every other component.
"""

from cyrano_mcp.engine import Engine
from cyrano_mcp.llm.migrations import MIGRATIONS


def llm_component() -> Engine:
    return Engine(
        name="llm",
        description="Model providers: the ledger of every model call (system_llm_usage reports it).",
        migrations=MIGRATIONS,
    )

"""The `system` engine: `system_info`, `system_health`, `system_llm_usage` and `system_llm_check`."""

from datetime import datetime
from typing import TYPE_CHECKING

from cyrano_mcp.calls import current_call
from cyrano_mcp.kit.declarations import Engine, Operation, Parts
from cyrano_mcp.kit.toolsets import Toolset
from cyrano_mcp.llm import LLMCheckReport, LLMGateway, LLMUsageQuery, LLMUsageReport, run_check
from cyrano_mcp.models import NoArguments
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.system.models import SystemHealth, SystemInfo
from cyrano_mcp.system.permissions import SYSTEM
from cyrano_mcp.system.service import SystemService

if TYPE_CHECKING:
    from cyrano_mcp.registry import Registry


def create_system_engine(
    *, settings: Settings, database: Database, registry: "Registry", llm: LLMGateway, started_at: datetime
) -> Engine:
    """The core's `system` engine (built by the runtime, so no setting can disable it)."""
    service = SystemService(settings=settings, database=database, registry=registry, started_at=started_at)

    def caller_may(permission: str) -> bool:
        call = current_call()
        return (
            call is not None
            and call.principal is not None
            and registry.permissions.allows(call.principal.role, permission)
        )

    async def info(_: NoArguments) -> SystemInfo:
        # Where the store and keys live is an operator's business, not every reader's.
        return await service.info(reveal_paths=caller_may("system:admin"))

    async def health(_: NoArguments) -> SystemHealth:
        return await service.health()

    async def llm_usage(query: LLMUsageQuery) -> LLMUsageReport:
        return await llm.usage(query)

    async def llm_check(_: NoArguments) -> LLMCheckReport:
        return await run_check(llm)

    parts = Parts(
        operations=[
            Operation(
                name="info",
                title="Server information",
                description="Version, protocol versions, store kind, and the engines and tools this server has loaded "
                "(the data dir only for admins).",
                input_model=NoArguments,
                output_model=SystemInfo,
                handler=info,
                permission="system:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="health",
                title="Health check",
                description="Whether Cyrano is ready to serve: the database answers (and how fast), its schema "
                "is current, Redis answers (when configured) and the data dir's disk has room; each check with its "
                "timing. The same checks as GET /readyz.",
                input_model=NoArguments,
                output_model=SystemHealth,
                handler=health,
                permission="system:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="llm_usage",
                title="Model usage",
                description="Model calls over a period (default: the last 30 days), totalled by provider, model and "
                "calling tool: calls, answers, cached answers, failures, tokens and average latency. "
                "Prompts are never stored, only their SHA-256.",
                input_model=LLMUsageQuery,
                output_model=LLMUsageReport,
                handler=llm_usage,
                permission="system:read",
                read_only=True,
                idempotent=True,
            ),
            Operation(
                name="llm_check",
                title="Check the model provider",
                description="Send a fixed, harmless prompt to the selected model provider and report which provider "
                "and model answered, how fast, and whether its structured answer validated. With no model "
                "available it says why; engines then use their rules.",
                input_model=NoArguments,
                output_model=LLMCheckReport,
                handler=llm_check,
                permission="system:check",  # a paid call when a provider is configured: not for every reader
                open_world=True,
            ),
        ]
    )
    return Engine(
        name="system",
        description="Cyrano itself: version, loaded engines and tools, and the health of the store.",
        build=lambda _context: parts,
        permissions=[SYSTEM],
        toolsets=[
            Toolset(
                "system",
                "The server's version, health and model usage: for whoever runs the server (off over stdio, where "
                "`cyrano-mcp doctor` tells the same).",
                on_stdio=False,
            )
        ],
    )

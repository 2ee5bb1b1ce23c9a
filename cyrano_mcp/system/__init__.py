"""The `system` engine: `system_info` and `system_health`."""

from datetime import UTC, datetime

from cyrano_mcp.engine import Engine, EngineContext, Operation
from cyrano_mcp.models import NoArguments
from cyrano_mcp.system.models import SystemHealth, SystemInfo
from cyrano_mcp.system.service import SystemService


def create_engine(context: EngineContext) -> Engine:
    started_at = context.extras.get("started_at", datetime.now(UTC))
    service = SystemService(
        settings=context.settings,
        database=context.database,
        registry=context.registry,
        started_at=started_at,
    )

    async def info(_: NoArguments) -> SystemInfo:
        return await service.info()

    async def health(_: NoArguments) -> SystemHealth:
        return await service.health()

    return Engine(
        name="system",
        description="Cyrano itself: version, loaded engines and tools, and the health of the store.",
        operations=[
            Operation(
                name="info",
                title="Server information",
                description="Version, protocol versions, store kind, and the engines and tools this server has loaded.",
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
        ],
    )

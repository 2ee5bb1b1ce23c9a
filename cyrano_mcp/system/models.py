from datetime import datetime
from typing import Literal

from pydantic import Field

from cyrano_mcp.models import ToolOutput

CheckStatus = Literal["ok", "degraded", "failed"]


class EngineSummary(ToolOutput):
    name: str
    version: str
    description: str
    tools: list[str]
    origin: str = Field(description="The entry point or plugin it was loaded from.")


class SystemInfo(ToolOutput):
    name: str
    version: str
    python_version: str
    mcp_sdk_version: str
    protocol_versions: list[str] = Field(description="MCP protocol versions this server speaks.")
    store: Literal["sqlite", "postgresql"]
    data_dir: str | None = Field(description="Where the store and keys live; only for roles with system:admin.")
    engines: list[EngineSummary]
    tool_count: int
    started_at: datetime
    uptime_seconds: float


class HealthCheck(ToolOutput):
    name: str
    status: CheckStatus
    latency_ms: float | None = None
    detail: str = ""


class SystemHealth(ToolOutput):
    status: CheckStatus = Field(
        description="ok when every check is ok; degraded when one is degraded (still serving); failed when one failed."
    )
    version: str
    checks: list[HealthCheck]
    schema_versions: dict[str, int] = Field(description="Applied schema version per component.")
    schema_current: bool
    engine_count: int
    tool_count: int

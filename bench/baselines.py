"""What Cyrano's full server is compared with, each served in its own process (started by `servers.start_server`).

* `bare`: a bare `MCPServer("bare")` with one async tool, also named `system_info`, that builds and returns a
  pydantic model of the same shape and size as Cyrano's `SystemInfo` (the SDK version read once, as Cyrano
  does); stdlib logging at INFO.
* `core`: Cyrano's registry call path alone: the `system` engine's tools built by the registry, every call
  through `CallPath` and the request-id middleware, but none of the security layers.

Both are served by `servers.serve_app`, as `cyrano-mcp serve --transport http` serves Cyrano:

    python bench/baselines.py bare --port 8001 [--stateless] [--json-response] [--profile FILE]
    python bench/baselines.py core --port 8002 [--stateless] [--json-response]
"""

import argparse
import importlib.metadata
import json
import logging
import platform
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mcp_types.version import SUPPORTED_PROTOCOL_VERSIONS
from mcpwire import TOOL
from pydantic import BaseModel, Field
from servers import serve_app

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from starlette.applications import Starlette


def mcp_app(
    server: "MCPServer[Any]", stateless: bool, json_response: bool, hosts: list[str], origins: list[str]
) -> "Starlette":
    """`server`'s streamable HTTP app at /mcp, with DNS-rebinding protection for `hosts` and `origins`."""
    from mcp.server.transport_security import TransportSecuritySettings

    return server.streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=stateless,
        json_response=json_response,
        transport_security=TransportSecuritySettings(
            enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
        ),
    )


# --------------------------------------------------------------------------------------------------
# The bare server
# --------------------------------------------------------------------------------------------------
class BareEngine(BaseModel):
    name: str
    version: str
    description: str
    tools: list[str]
    origin: str = Field(description="The entry point or plugin it was loaded from.")


class BareInfo(BaseModel):
    """Same fields, types and roughly the same sizes as Cyrano's `SystemInfo`."""

    name: str
    version: str
    python_version: str
    mcp_sdk_version: str
    protocol_versions: list[str] = Field(description="MCP protocol versions this server speaks.")
    store: Literal["sqlite", "postgresql"]
    data_dir: str | None  # None unless the caller may see paths (system:admin), as in Cyrano
    engines: list[BareEngine]
    tool_count: int
    started_at: datetime
    uptime_seconds: float


BARE_STARTED = datetime.now(UTC)
BARE_SDK_VERSION = importlib.metadata.version("mcp")
# What the tool reports about "its" engines. The benchmarks replace it with what Cyrano's own system_info
# returned (`--profile`), so that both servers build and serialize the same amount of data per call.
BARE_PROFILE: dict[str, Any] = {
    "data_dir": str(Path(tempfile.gettempdir()) / "bare-data"),
    "tool_count": 2,
    "engines": [
        {
            "name": "system",
            "version": "0.1.0",
            "description": "The server itself.",
            "tools": ["system_info", "system_health"],
            "origin": "code",
        }
    ],
}


async def bare_system_info() -> BareInfo:
    """Version, protocol versions, store kind, and the engines and tools this server has loaded."""
    # Per call, the same work as Cyrano's SystemService.info(): engine summaries built afresh, protocol
    # versions sorted, uptime computed; the SDK version is read once at start, as Cyrano does.
    engines = [
        BareEngine(
            name=engine["name"],
            version=engine["version"],
            description=engine["description"],
            tools=list(engine["tools"]),
            origin=engine["origin"],
        )
        for engine in BARE_PROFILE["engines"]
    ]
    now = datetime.now(UTC)
    return BareInfo(
        name="bare",
        version="0.1.0",
        python_version=platform.python_version(),
        mcp_sdk_version=BARE_SDK_VERSION,
        protocol_versions=sorted(SUPPORTED_PROTOCOL_VERSIONS, reverse=True),
        store="sqlite",
        data_dir=BARE_PROFILE["data_dir"],
        engines=engines,
        tool_count=BARE_PROFILE["tool_count"],
        started_at=BARE_STARTED,
        uptime_seconds=round((now - BARE_STARTED).total_seconds(), 3),
    )


def serve_bare(port: int, *, stateless: bool, json_response: bool, profile: Path | None) -> None:
    """A bare `MCPServer` with one tool, served like Cyrano (see `servers.serve_app`)."""
    from mcp.server.mcpserver import MCPServer

    if profile is not None:
        BARE_PROFILE.update(json.loads(profile.read_text(encoding="utf-8")))
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    server: MCPServer[None] = MCPServer("bare", version="0.1.0")
    server.add_tool(bare_system_info, name=TOOL, title="Server information")
    hosts, origins = (
        ["127.0.0.1:*", "localhost:*", "[::1]:*"],
        ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )
    serve_app(mcp_app(server, stateless, json_response, hosts, origins), port)


# --------------------------------------------------------------------------------------------------
# Cyrano's call path alone
# --------------------------------------------------------------------------------------------------
def serve_core(port: int, *, stateless: bool, json_response: bool) -> None:
    """Cyrano's registry call path alone (`registry_overhead.py --layers core`): the `system` engine's tools built
    by the registry as the runtime builds them, every call through `CallPath` (correlation id, validation, error
    mapping, the call's log line, the metrics step) and the request-id middleware, with logging configured as
    `cyrano-mcp serve` does it — but none of the security layers (bearer tokens, RBAC, rate limits, audit, the
    tools/list filter), which `--layers full` adds. The store is never opened: `system_info` does not use it."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.tools import Tool

    from cyrano_mcp import __version__
    from cyrano_mcp.build_context import RegistryOperations, Services
    from cyrano_mcp.callpath import CallPath
    from cyrano_mcp.callpath.observing import ToolCallMetrics
    from cyrano_mcp.jobs import JobSeals, JobService
    from cyrano_mcp.llm import build_gateway
    from cyrano_mcp.observability.logging import configure_logging
    from cyrano_mcp.observability.requests import RequestContextMiddleware
    from cyrano_mcp.registry import EngineSource, Registry
    from cyrano_mcp.security.services import Security
    from cyrano_mcp.server import INSTRUCTIONS, settle_heap
    from cyrano_mcp.settings import load_settings
    from cyrano_mcp.store.database import Database
    from cyrano_mcp.system import create_system_engine

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    # The services the runtime shares with its engines, made as `Runtime.__init__` makes them; of the security
    # component only the field cipher (no key is read until a sealed field is), and no step of it on the path.
    database = Database(settings)
    llm = build_gateway(settings, database)
    fields = Security(settings, database).fields
    registry = Registry(CallPath())
    operations = RegistryOperations()
    services = Services(
        settings=settings,
        database=database,
        fields=fields,
        llm=llm,
        jobs=JobService(database, JobSeals.declare(fields)),
        operations=operations,
        registry=registry,
    )
    system = create_system_engine(
        settings=settings, database=database, registry=registry, llm=llm, started_at=datetime.now(UTC)
    )
    registry.load([EngineSource("core cyrano_mcp.system", system)], services)
    operations.attach(registry)
    registry.call_path.use([ToolCallMetrics(registry.tool_names)])
    server: MCPServer[None] = MCPServer(
        "cyrano",
        title="Cyrano",
        version=__version__,
        instructions=INSTRUCTIONS,
        tools=list[Tool](registry.build_tools()),
        warn_on_duplicate_tools=False,
    )
    app = mcp_app(server, stateless, json_response, settings.allowed_hosts, settings.allowed_origins)
    settle_heap()  # as `cyrano-mcp serve` does once it has started
    serve_app(RequestContextMiddleware(app), port)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("server", choices=["bare", "core"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stateless", action="store_true", help="stateless streamable HTTP (no sessions)")
    parser.add_argument("--json-response", action="store_true", help="plain JSON instead of SSE responses")
    parser.add_argument("--profile", type=Path, help="bare: a JSON file of system_info fields to answer with")
    args = parser.parse_args(argv)
    if args.server == "bare":
        serve_bare(args.port, stateless=args.stateless, json_response=args.json_response, profile=args.profile)
    else:
        serve_core(args.port, stateless=args.stateless, json_response=args.json_response)
    return 0


if __name__ == "__main__":
    sys.exit(main())

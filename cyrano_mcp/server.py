"""Assembles Cyrano: settings -> store -> registry of engines -> one `MCPServer`.

`Runtime` owns the store for as long as anything serves: the stdio loop, the HTTP app's lifespan, or
an in-memory client session (the MCP server's lifespan). The first user opens and migrates the store,
the last one closes it.
"""

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool
from pydantic import AnyHttpUrl

from cyrano_mcp import __version__
from cyrano_mcp.build_context import RegistryOperations, Services
from cyrano_mcp.callpath import CallInterceptor, CallPath
from cyrano_mcp.callpath.observing import ToolCallMetrics, ToolCallSpans
from cyrano_mcp.jobs import JobRunner, JobSeals, JobService, jobs_component
from cyrano_mcp.llm import LLM_COMPONENT, build_gateway
from cyrano_mcp.llm.provider import Provider
from cyrano_mcp.observability import metrics
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.observability.tracing import configure_tracing
from cyrano_mcp.prompts import install_prompts
from cyrano_mcp.registry import EngineSource, Registry, discover_engine_sources
from cyrano_mcp.resources import ListResources, install_templates
from cyrano_mcp.security.migrations import COMPONENT as SECURITY_COMPONENT
from cyrano_mcp.security.services import Security
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.database import Database
from cyrano_mcp.store.migrate import SchemaStatus, ensure_current
from cyrano_mcp.system import create_system_engine

log = get_logger(__name__)

INSTRUCTIONS = """Cyrano serves a small law practice's own data. Matters (client, title, practice area,
status) are the spine: create or find the matter first, then attach work to it by its id. Every tool
answers with structured content; errors start with a code such as not_found or invalid_input.
Answers are kept short, so long results come a page at a time: pass next_cursor (or next_offset,
next_page) back for more. For a document: arkiver_insights gives the key terms and counts first (kinds
and obligor narrow its lists); arkiver_search finds the pages that say something (document_id keeps it to
one document); arkiver_read_document then reads those pages."""


class Runtime:
    """One Cyrano instance: its settings, store, registry and MCP server."""

    def __init__(
        self, settings: Settings, sources: Sequence[EngineSource] | None = None, providers: Sequence[Provider] = ()
    ) -> None:
        """`sources`: the engines (by default the installed ones); `providers`: model providers given in code."""
        self.settings = settings
        self.started_at = datetime.now(UTC)
        self.database = Database(settings)
        self.llm = build_gateway(settings, self.database, providers)
        self.security = Security(settings, self.database)
        self.jobs = JobService(self.database, JobSeals.declare(self.security.fields))
        self.registry = Registry(CallPath(), core_components=[SECURITY_COMPONENT, LLM_COMPONENT])
        operations = RegistryOperations()
        services = Services(
            settings=settings,
            database=self.database,
            fields=self.security.fields,
            llm=self.llm,
            jobs=self.jobs,
            operations=operations,
            registry=self.registry,
        )
        engines = discover_engine_sources(settings) if sources is None else sources
        self.registry.load([*self._core_engines(), *engines], services)
        operations.attach(self.registry)
        for engine_name, kinds in self.registry.job_kinds().items():
            self.jobs.register(engine_name, kinds)
        self.job_runner = JobRunner(settings, self.database, self.jobs.kinds, self.jobs.seals)
        self.jobs.on_submit(self.job_runner.wake)
        self.registry.call_path.use(call_path_steps(self.security, self.registry))
        transport = "stdio" if settings.transport == "stdio" else "http"
        self.toolsets = self.registry.select_toolsets(settings.toolsets, transport)
        call_path = self.registry.call_path
        self.server: MCPServer[None] = MCPServer(
            "cyrano",
            title="Cyrano",
            version=__version__,
            instructions=INSTRUCTIONS,
            tools=list[Tool](self.registry.build_tools(self.toolsets)),
            lifespan=lambda _server: self.running(),
            warn_on_duplicate_tools=False,
            middleware=[
                self.security.tools_filter(self.registry),
                ListResources(self.registry.resource_listings(), call_path),
                call_path.client_roots,
            ],
            **self._http_auth(settings),
        )
        install_templates(self.server, self.registry.resource_templates(), call_path)
        install_prompts(self.server, self.registry.prompts(self.toolsets), call_path)
        self.schema: SchemaStatus | None = None
        self._users = 0
        self._lock = anyio.Lock()

    def _core_engines(self) -> list[EngineSource]:
        """The core's own engines, built from its services; not entry points, so no setting can disable them."""
        system = create_system_engine(
            settings=self.settings,
            database=self.database,
            registry=self.registry,
            llm=self.llm,
            started_at=self.started_at,
        )
        return [
            EngineSource("core cyrano_mcp.system", system),
            *self.security.engine_sources(self.registry),
            EngineSource("core cyrano_mcp.jobs", jobs_component(self.jobs)),
        ]

    def _http_auth(self, settings: Settings) -> dict[str, Any]:
        """Bearer tokens on every HTTP request (the SDK serves RFC 9728 metadata and answers 401)."""
        if not self.security.http_auth:
            return {}
        return {
            "token_verifier": self.security.verifier,
            "auth": AuthSettings(
                issuer_url=AnyHttpUrl(settings.public_url),
                resource_server_url=AnyHttpUrl(f"{settings.public_url}/mcp"),
                validate_token_resource=False,  # our verifier checks `aud` itself
            ),
        }

    async def start(self) -> None:
        await self.database.open()
        try:
            self.schema = await ensure_current(
                self.database, self.registry.components(), auto_migrate=self.settings.auto_migrate
            )
            await self.security.start(self.registry)
        except BaseException:
            await self.database.close()
            raise
        metrics.watch_store(self.database, self.settings.data_dir)
        self.job_runner.start()
        log.info(
            "cyrano_started",
            version=__version__,
            store=self.database.kind,
            engines=len(self.registry.engines),
            tools=len(self.registry.tool_names),
        )

    async def stop(self) -> None:
        await self.job_runner.stop()
        await self.llm.aclose()
        metrics.unwatch_store(self.database, self.settings.data_dir)
        await self.security.stop()
        await self.database.close()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Keep the store open while the block runs (re-entrant across sessions)."""
        async with self._lock:
            if self._users == 0:
                await self.start()
            self._users += 1
        try:
            yield None
        finally:
            async with self._lock:
                self._users -= 1
                if self._users == 0:
                    with anyio.CancelScope(shield=True):
                        await self.stop()


def call_path_steps(security: Security, registry: Registry) -> list[CallInterceptor]:
    """Every step a tool call or resource read takes before its handler, outermost first.

    After the last step come the validation of the arguments and the engine's handler (`callpath.path`).
    """
    return [
        *([ToolCallSpans()] if configure_tracing() else []),  # a span, when a tracer provider is installed
        ToolCallMetrics(registry.tool_names),  # counted and timed, refusals of the steps below included
        security.audit_step(),  # one audit record per call, refusals included
        security.authenticate_step(),  # who: the bearer token's account, or the local user on stdio
        security.rate_limit_step(),  # the per-user quota (charged by the HTTP gate; on stdio only if configured)
        security.authorize_step(registry.permissions),  # the caller's role must grant the operation's permission
    ]


def build_runtime(settings: Settings, sources: Sequence[EngineSource] | None = None) -> Runtime:
    return Runtime(settings, sources)


def build_server(settings: Settings, sources: Sequence[EngineSource] | None = None) -> MCPServer[Any]:
    """The MCP server alone; its lifespan opens the store, so `Client(build_server(s))` just works."""
    return build_runtime(settings, sources).server


def settle_heap() -> None:
    """Once a serving process has started: move everything alive so far out of the garbage collector's sight.

    What start-up builds (modules, schemas, SQLAlchemy and pydantic machinery: a few hundred thousand objects)
    lives as long as the process. Left in the collected heap, every full collection walks all of it: about
    100 ms each, several times a minute under load, stalling every request in flight. Frozen, those objects
    are never scanned again; what requests allocate still is.
    """
    gc.collect()
    gc.freeze()

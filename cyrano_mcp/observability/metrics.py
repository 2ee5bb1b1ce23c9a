"""Prometheus metrics: one registry per process, served at `GET /metrics` (and `serve --metrics-port`).

Each Cyrano process is its own scrape target: several processes behind a load balancer each listen on
their own port and Prometheus scrapes every one of them (docs/operations.md, "Metrics"). That keeps the
process collector's memory and CPU figures per process, which the memory alert needs, and avoids the
shared files and restrictions of prometheus-client's multiprocess mode.

Other components report through the small functions below (`record_auth_failure`, `record_rate_limited`,
`record_llm_call`, `set_llm_circuit_open`); engines register their own series through `cyrano_mcp.kit.metrics`;
the tool-call series are `ToolSeries`, which
the call path's metrics step records into.
"""

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.pool import Pool, QueuePool

from cyrano_mcp import __version__


class PooledStore(Protocol):
    """What the pool gauges read from a store (the store layer sits above this one)."""

    def pools(self) -> Mapping[str, Pool]: ...


REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

CONTENT_TYPE = CONTENT_TYPE_LATEST
OK, INTERNAL_ERROR, CANCELLED = "ok", "internal_error", "cancelled"
# Every outcome a tool call can have today; a code added later gets its series on first use.
TOOL_OUTCOMES = (
    OK,
    "invalid_input",
    "too_large",
    "not_found",
    "conflict",
    "permission_denied",
    "rate_limited",
    "unavailable",
    INTERNAL_ERROR,
    CANCELLED,
)
# The alert on p95 latency uses the 2 s bound; keep it.
TOOL_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
LLM_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)

BUILD = Info("cyrano_build", "The running Cyrano version.", registry=REGISTRY)
BUILD.info({"version": __version__})

TOOL_CALLS = Counter(
    "cyrano_tool_calls", "Tool calls by tool and outcome (ok or an error code).", ["tool", "outcome"], registry=REGISTRY
)
TOOL_DURATION = Histogram(
    "cyrano_tool_call_duration_seconds",
    "Time from a tool call's arrival in the call path to its answer, by tool.",
    ["tool"],
    buckets=TOOL_BUCKETS,
    registry=REGISTRY,
)
LOGGED_ERRORS = Counter(
    "cyrano_errors",
    "Log lines at ERROR or above (each needs an operator's action), by logger.",
    ["logger"],
    registry=REGISTRY,
)
RATE_LIMIT_REFUSALS = Counter(
    "cyrano_rate_limit_refusals", "Requests refused by a rate limit, by limit scope.", ["scope"], registry=REGISTRY
)
AUTH_FAILURES = Counter(
    "cyrano_auth_failures", "Failed authentications and authorizations, by reason.", ["reason"], registry=REGISTRY
)
LLM_CALLS = Counter(
    "cyrano_llm_calls",
    "Requests to model providers, by provider, model and outcome.",
    ["provider", "model", "outcome"],
    registry=REGISTRY,
)
LLM_TOKENS = Counter(
    "cyrano_llm_tokens",
    "Tokens sent to (input) and received from (output) model providers.",
    ["provider", "model", "direction"],
    registry=REGISTRY,
)
LLM_DURATION = Histogram(
    "cyrano_llm_call_duration_seconds",
    "Latency of model provider requests.",
    ["provider", "model"],
    buckets=LLM_BUCKETS,
    registry=REGISTRY,
)
LLM_CIRCUIT_OPEN = Gauge(
    "cyrano_llm_circuit_open",
    "1 while a provider's circuit breaker is open (requests are not sent).",
    ["provider"],
    registry=REGISTRY,
)


# --- what other components call -------------------------------------------------------------------
def record_auth_failure(reason: str) -> None:
    """A request failed authentication or authorization; `reason` is a short fixed word (e.g. invalid_token)."""
    AUTH_FAILURES.labels(reason).inc()


def record_rate_limited(scope: str) -> None:
    """A rate limit refused a request; `scope` names the limit (e.g. user, address, login)."""
    RATE_LIMIT_REFUSALS.labels(scope).inc()


def record_llm_call(
    provider: str, model: str, *, outcome: str, seconds: float, input_tokens: int = 0, output_tokens: int = 0
) -> None:
    """One model call by the gateway, whatever its outcome (the gateway also opens its span)."""
    LLM_CALLS.labels(provider, model, outcome).inc()
    LLM_DURATION.labels(provider, model).observe(seconds)
    if input_tokens:
        LLM_TOKENS.labels(provider, model, "input").inc(input_tokens)
    if output_tokens:
        LLM_TOKENS.labels(provider, model, "output").inc(output_tokens)


def set_llm_circuit_open(provider: str, is_open: bool) -> None:
    LLM_CIRCUIT_OPEN.labels(provider).set(1 if is_open else 0)


def record_logged_error(logger: str) -> None:
    LOGGED_ERRORS.labels(logger or "root").inc()


# --- tool calls -----------------------------------------------------------------------------------
class ToolSeries:
    """One tool's series, bound once so a call costs two lookups and two increments."""

    __slots__ = ("counters", "duration", "tool")

    def __init__(self, tool: str) -> None:
        self.tool = tool
        self.duration = TOOL_DURATION.labels(tool)
        self.counters = {outcome: TOOL_CALLS.labels(tool, outcome) for outcome in TOOL_OUTCOMES}

    def record(self, outcome: str, seconds: float) -> None:
        self.duration.observe(seconds)
        counter = self.counters.get(outcome)
        if counter is None:
            counter = self.counters[outcome] = TOOL_CALLS.labels(self.tool, outcome)
        counter.inc()


# --- read at scrape time --------------------------------------------------------------------------
def memory_limit_bytes() -> int | None:
    """The memory this process may use: its cgroup's limit, or else the machine's memory (None: unknown)."""
    for path, unlimited in (
        ("/sys/fs/cgroup/memory.max", "max"),
        ("/sys/fs/cgroup/memory/memory.limit_in_bytes", None),
    ):
        try:
            raw = Path(path).read_text(encoding="ascii").strip()
        except OSError:
            continue
        if raw != unlimited and raw.isdigit() and int(raw) < 2**60:  # cgroup v1 says "none" with a huge number
            return int(raw)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX
        return None


def existing_parent(path: Path) -> Path:
    """`path`, or its nearest ancestor that exists (a data dir not yet created still has a disk)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


class _RuntimeCollector(Collector):
    """Pool usage of the open store, free space of its data dir, and the memory limit, read when scraped."""

    def __init__(self) -> None:
        self.databases: list[PooledStore] = []
        self.data_dirs: list[Path] = []

    def describe(self) -> Iterable[Metric]:
        return self._families(read=False)

    def collect(self) -> Iterable[Metric]:
        return self._families(read=True)

    def _families(self, *, read: bool) -> Sequence[Metric]:
        connections = GaugeMetricFamily(
            "cyrano_db_pool_connections", "Database connections by pool role and state.", labels=["role", "state"]
        )
        limit = GaugeMetricFamily("cyrano_db_pool_limit", "Most connections a pool opens.", labels=["role"])
        free = GaugeMetricFamily("cyrano_data_dir_free_bytes", "Free space on the data dir's file system.")
        capacity = GaugeMetricFamily("cyrano_data_dir_capacity_bytes", "Size of the data dir's file system.")
        memory = GaugeMetricFamily(
            "cyrano_memory_limit_bytes", "The memory limit of this process (cgroup limit, else physical memory)."
        )
        families: list[Metric] = [connections, limit, free, capacity, memory]
        if not read:
            return families
        # One store per process in production; tests may open several, whose pools add up.
        totals: dict[str, list[int]] = {}
        for database in list(self.databases):
            for role, pool in database.pools().items():
                if not isinstance(pool, QueuePool):
                    continue
                total = totals.setdefault(role, [0, 0, 0])
                total[0] += pool.checkedout()
                total[1] += pool.checkedin()
                total[2] += pool.size() + max(0, getattr(pool, "_max_overflow", 0))
        for role, (in_use, idle, most) in totals.items():
            connections.add_metric([role, "in_use"], in_use)
            connections.add_metric([role, "idle"], idle)
            limit.add_metric([role], most)
        if self.data_dirs:
            usage = shutil.disk_usage(existing_parent(self.data_dirs[0]))
            free.add_metric([], usage.free)
            capacity.add_metric([], usage.total)
        limit_bytes = memory_limit_bytes()
        if limit_bytes is not None:
            memory.add_metric([], limit_bytes)
        return families


_RUNTIME = _RuntimeCollector()
REGISTRY.register(_RUNTIME)


def watch_store(database: PooledStore, data_dir: Path) -> None:
    """Report this store's pools and data dir while it is open (the runtime calls this on start)."""
    _RUNTIME.databases.append(database)
    _RUNTIME.data_dirs.append(data_dir)


def unwatch_store(database: PooledStore, data_dir: Path) -> None:
    if database in _RUNTIME.databases:
        _RUNTIME.databases.remove(database)
    if data_dir in _RUNTIME.data_dirs:
        _RUNTIME.data_dirs.remove(data_dir)


def exposition() -> bytes:
    """The Prometheus text format of every metric of this process."""
    return generate_latest(REGISTRY)


def serve_metrics(host: str, port: int) -> tuple[str, int]:
    """A separate metrics listener (a daemon thread) for stdio deployments; returns the bound address."""
    server, _ = start_http_server(port, addr=host, registry=REGISTRY)
    address: tuple[str, int] = server.server_address[:2]  # type: ignore[assignment]
    return address

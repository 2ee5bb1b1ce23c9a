"""The engine registry: discovery, declarations, duplicate names, dependency order and the call path."""

import json
import logging

import pytest
from mcp import Client
from pydantic import BaseModel, Field

from cyrano_mcp.build_context import Services
from cyrano_mcp.calls import CallContext
from cyrano_mcp.errors import ConfigError, PermissionDeniedError
from cyrano_mcp.kit import (
    Engine,
    EngineContext,
    EngineSettings,
    NoArguments,
    Operation,
    Parts,
    Permissions,
    Role,
    ToolOutput,
)
from cyrano_mcp.registry import EngineSource, Registry, discover_engine_sources
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from cyrano_mcp.store.migrate import Migration
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio


class Count(ToolOutput):
    value: int


async def _count(_: NoArguments) -> Count:
    return Count(value=1)


def _engine(name: str, *ops: str, requires: tuple[type, ...] = (), provides: tuple[type, ...] = ()) -> Engine:
    def build(context: EngineContext) -> Parts:
        given = {interface: object() for interface in provides}
        for interface in requires:
            context.require(interface)
        return Parts(operations=[Operation.read(op, _count, op, permission="x:read") for op in ops], provides=given)

    return Engine(name=name, description=name, build=build, requires=requires, provides=provides)


class Alpha:
    """An interface some test engines provide and others require."""


class Beta:
    pass


def _load(*engines: Engine, settings: Settings | None = None) -> Registry:
    registry = Registry()
    context_settings = settings or load_settings()
    services = Services(
        settings=context_settings,
        database=None,  # type: ignore[arg-type]  # these engines touch no store
        fields=None,  # type: ignore[arg-type]
        llm=None,  # type: ignore[arg-type]
        jobs=None,  # type: ignore[arg-type]
        operations=None,  # type: ignore[arg-type]
        registry=registry,
    )
    registry.load([EngineSource(f"test {engine.name}", engine) for engine in engines], services)
    return registry


def test_built_in_engines_come_from_the_entry_point_group(settings: Settings) -> None:
    origins = {source.origin for source in discover_engine_sources(settings)}
    assert "entry point cyrano_matters.engine:ENGINE" in origins
    assert "entry point cyrano_arkiver.engine:ENGINE" in origins


def test_disabled_engines_are_not_loaded(data_dir: object) -> None:
    runtime = build_runtime(load_settings(data_dir=data_dir, disabled_engines="arkiver,matters,potemkin,chronometric"))
    # The core's engines are not entry points: no setting can disable them.
    names = [engine.name for engine in runtime.registry.engines]
    assert not {"arkiver", "matters", "potemkin", "chronometric"} & set(names) and {
        "audit",
        "auth",
        "jobs",
        "system",
    } <= set(names)


def test_disabling_an_engine_others_require_is_refused(data_dir: object) -> None:
    with pytest.raises(ConfigError, match="'arkiver' requires MattersReader, which no installed engine provides"):
        build_runtime(load_settings(data_dir=data_dir, disabled_engines="matters"))


def test_plugins_load_like_third_party_engines(data_dir: object) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:noisy")
    runtime = build_runtime(settings)
    assert "noisy_shout" in runtime.registry.tool_names
    assert runtime.registry.origin("noisy") == "plugin tests.fixtures.engines:noisy"


def test_a_duplicate_engine_name_stops_start_up(data_dir: object) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:clashing")
    with pytest.raises(ConfigError, match="two engines are named 'matters'"):
        build_runtime(settings)


def test_the_same_operation_twice_in_one_engine_is_refused() -> None:
    # Engine names have no underscore, so `<engine>_<op>` can only clash within one engine or between two
    # engines of the same name (the test above).
    with pytest.raises(ConfigError, match="duplicate tool name 'gamma_run'"):
        _load(_engine("gamma", "run", "run"))


def test_engines_are_built_after_the_engines_providing_what_they_require() -> None:
    registry = _load(_engine("alpha", "b", requires=(Alpha,)), _engine("zeta", "a", provides=(Alpha,)))
    assert [engine.name for engine in registry.engines] == ["zeta", "alpha"]


def test_a_missing_provider_a_cycle_or_two_providers_stop_start_up() -> None:
    with pytest.raises(ConfigError, match="'alpha' requires Alpha, which no installed engine provides"):
        _load(_engine("alpha", "a", requires=(Alpha,)))
    with pytest.raises(ConfigError, match="cycle: one -> two -> one"):
        _load(
            _engine("one", "a", requires=(Beta,), provides=(Alpha,)),
            _engine("two", "b", requires=(Alpha,), provides=(Beta,)),
        )
    with pytest.raises(ConfigError, match="both provide Alpha"):
        _load(_engine("one", "a", provides=(Alpha,)), _engine("two", "b", provides=(Alpha,)))


def test_an_engine_gets_only_what_it_declared_and_gives_what_it_declared() -> None:
    def greedy(context: EngineContext) -> Parts:
        context.require(Alpha)
        return Parts()

    with pytest.raises(ConfigError, match="asks for Alpha without listing it in Engine.requires"):
        _load(_engine("zeta", "a", provides=(Alpha,)), Engine(name="greedy", description="x", build=greedy))
    with pytest.raises(ConfigError, match="declares it provides \\[Alpha\\] but its build did not give them"):
        _load(Engine(name="liar", description="x", build=lambda _: Parts(), provides=(Alpha,)))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nocolon", "must look like"),
        ("no_such_module_xyz:f", "cannot import"),
        ("tests.fixtures.engines:nope", "has no nope"),
        ("tests.fixtures.engines:Echo", "not a cyrano_mcp.kit.Engine"),
    ],
)
def test_bad_plugin_specs_name_the_problem(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings_and_discover(spec)


def load_settings_and_discover(spec: str) -> None:
    discover_engine_sources(load_settings(plugins=spec, disabled_engines="arkiver,matters"))


def test_declarations_are_checked() -> None:
    with pytest.raises(ConfigError, match="engine name"):
        Engine(name="Bad-Name", description="x", build=lambda _: Parts())
    with pytest.raises(ConfigError, match="numbered 1, 2, 3"):
        _load(Engine(name="good", description="x", build=lambda _: Parts(migrations=[Migration(2, "two", print)])))
    with pytest.raises(ConfigError, match="both read-only and destructive"):
        Operation("op", "x", NoArguments, Count, _count, "p", read_only=True, destructive=True)
    with pytest.raises(ConfigError, match="annotated with a pydantic model"):
        Operation.read("op", lambda params: params, "x", permission="p")  # type: ignore[arg-type, return-value]


def test_operation_helpers_read_the_models_and_say_what_the_operation_does() -> None:
    read = Operation.read("count", _count, "Counts.", permission="x:read")
    assert (read.input_model, read.output_model, read.read_only, read.idempotent) == (NoArguments, Count, True, True)
    gone = Operation.destructive_write("drop", _count, "Drops.", permission="x:delete", idempotent=True)
    assert gone.destructive and gone.idempotent and not gone.read_only


def test_an_engine_that_fails_to_build_is_reported_with_its_origin() -> None:
    def broken(_: EngineContext) -> Parts:
        raise RuntimeError("boom")

    with pytest.raises(ConfigError, match="engine 'broken' from test broken failed to start: boom"):
        _load(Engine(name="broken", description="x", build=broken))


def test_engine_permissions_join_the_role_table_and_a_resource_has_one_owner() -> None:
    reports = Permissions("reports", {"read": "read reports"}, grants={Role.VIEWER: ["read"]})
    registry = _load(Engine(name="reporter", description="x", build=lambda _: Parts(), permissions=[reports]))
    assert registry.permissions.allows(Role.VIEWER, "reports:read")
    assert not registry.permissions.allows(Role.VIEWER, "reports:write")  # not declared: admins only
    assert registry.permissions.allows(Role.ADMIN, "reports:write")
    with pytest.raises(ConfigError, match="both declare the permissions of 'reports'"):
        _load(
            Engine(name="one", description="x", build=lambda _: Parts(), permissions=[reports]),
            Engine(name="two", description="x", build=lambda _: Parts(), permissions=[reports]),
        )


class ReportSettings(EngineSettings):
    report_limit: int = Field(default=10, ge=1, description="Most reports.")


def test_an_engine_reads_its_own_settings_from_code_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def build(context: EngineContext) -> Parts:
        seen.append(context.settings(ReportSettings).report_limit)
        return Parts()

    engine = Engine(name="reporter", description="x", build=build, settings=ReportSettings)
    _load(engine, settings=load_settings(report_limit=3))
    monkeypatch.setenv("CYRANO_REPORT_LIMIT", "7")
    _load(engine)
    assert seen == [3, 7]
    monkeypatch.setenv("CYRANO_REPORT_LIMIT", "0")
    with pytest.raises(ConfigError, match="CYRANO_REPORT_LIMIT: Input should be greater than or equal to 1"):
        _load(engine)


def test_tools_carry_schemas_and_annotations(settings: Settings) -> None:
    catalogue = {row["name"]: row for row in build_runtime(settings).registry.catalogue()}
    create = catalogue["matters_create"]
    assert create["inputSchema"]["required"] == ["client_name", "title", "practice_area"]
    assert create["inputSchema"]["additionalProperties"] is False
    assert "id" in create["outputSchema"]["properties"]
    assert catalogue["matters_get"]["annotations"]["readOnlyHint"] is True
    assert catalogue["matters_create"]["annotations"]["readOnlyHint"] is False
    assert catalogue["system_health"]["permission"] == "system:read"


@pytest.mark.parametrize("mode", MODES)
async def test_a_crash_becomes_a_generic_error_with_a_correlation_id(
    mode: str, data_dir: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:faulty", local_user_role="admin")
    with caplog.at_level(logging.INFO):
        async with Client(build_runtime(settings).server, mode=mode) as client:
            result = await client.call_tool("faulty_crash", {})
    message = error(result, "internal_error")
    correlation_id = result.meta["cyrano/correlation_id"] if result.meta else None
    assert correlation_id and correlation_id in message
    assert "hunter2" not in message and "RuntimeError" not in message
    crash_logs = [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("outcome") == "internal_error"]
    assert len(crash_logs) == 1  # one line per call, crashes included
    assert "RuntimeError" in crash_logs[0]["exception"]  # the traceback stays in the server log


@pytest.mark.parametrize("mode", MODES)
async def test_domain_errors_reach_the_client_with_their_code(mode: str, data_dir: object) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:faulty", local_user_role="admin")
    async with Client(build_runtime(settings).server, mode=mode) as client:
        result = await client.call_tool("faulty_missing", {})
    assert error(result, "not_found") == "not_found: no such thing"
    assert result.meta and result.meta["cyrano/error_code"] == "not_found"


async def test_every_call_writes_one_structured_log_line(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="cyrano.calls"):  # a successful read logs at DEBUG
        async with Client(build_runtime(settings).server) as client:
            ok(await client.call_tool("system_info", {}))
            await client.call_tool("matters_get", {"matter_id": "not-a-matter-zq"})
    lines = [r.msg for r in caplog.records if r.name == "cyrano.calls"]
    assert [line["outcome"] for line in lines] == ["ok", "invalid_input"]  # type: ignore[index]
    for line in lines:
        assert {"tool", "correlation_id", "duration_ms", "transport"} <= set(line)  # type: ignore[arg-type]
    # Arguments are not logged. (The marker holds non-hex letters: a random correlation id cannot contain it.)
    assert json.dumps(lines, default=str).count("not-a-matter-zq") == 0


async def test_interceptors_wrap_every_call_in_order_and_can_refuse(settings: Settings) -> None:
    runtime = build_runtime(settings)
    seen: list[str] = []

    async def outer(call: CallContext, operation: Operation[BaseModel, BaseModel], proceed: object) -> BaseModel:
        seen.append(f"outer:{call.tool}")
        if call.tool == "matters_list":
            raise PermissionDeniedError("not for you")
        return await proceed()  # type: ignore[operator, no-any-return]

    async def inner(call: CallContext, operation: Operation[BaseModel, BaseModel], proceed: object) -> BaseModel:
        seen.append(f"inner:{operation.name}")
        return await proceed()  # type: ignore[operator, no-any-return]

    runtime.registry.call_path.add_interceptor(outer)
    runtime.registry.call_path.add_interceptor(inner)
    async with Client(runtime.server) as client:
        ok(await client.call_tool("system_info", {}))
        refused = await client.call_tool("matters_list", {})
    assert seen == ["outer:system_info", "inner:info", "outer:matters_list"]
    assert error(refused, "permission_denied") == "permission_denied: not for you"


async def test_an_x_request_id_header_is_not_trusted_blindly(settings: Settings) -> None:
    from cyrano_mcp.calls import REQUEST_ID

    assert REQUEST_ID.match("req-123.abc")
    assert not REQUEST_ID.match("x" * 65)
    assert not REQUEST_ID.match("bad id\nwith newline")

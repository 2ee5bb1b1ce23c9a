"""The engine registry: discovery, declarations, duplicate names, dependency order and the call path."""

import json
import logging

import pytest
from mcp import Client
from pydantic import BaseModel

from cyrano_mcp.calls import CallContext
from cyrano_mcp.engine import Engine, EngineContext, Migration, Operation
from cyrano_mcp.errors import ConfigError, PermissionDeniedError
from cyrano_mcp.models import NoArguments, ToolOutput
from cyrano_mcp.registry import EngineSource, Registry, discover_engine_sources, load_factory
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio


class Count(ToolOutput):
    value: int


def _engine(name: str, *ops: str, depends_on: tuple[str, ...] = ()) -> Engine:
    async def handler(_: NoArguments) -> Count:
        return Count(value=1)

    return Engine(
        name=name,
        description=name,
        depends_on=depends_on,
        operations=[
            Operation(
                name=op,
                description=op,
                input_model=NoArguments,
                output_model=Count,
                handler=handler,
                permission="x:read",
            )
            for op in ops
        ],
    )


def test_built_in_engines_come_from_the_entry_point_group(settings: Settings) -> None:
    origins = {source.origin for source in discover_engine_sources(settings)}
    assert "entry point cyrano_matters:create_engine" in origins
    assert "entry point cyrano_mcp.system:create_engine" in origins


def test_disabled_engines_are_not_loaded(data_dir: object) -> None:
    runtime = build_runtime(load_settings(data_dir=data_dir, disabled_engines="arkiver,matters"))
    # The core's auth and audit engines are not entry points: no setting can disable them.
    names = [engine.name for engine in runtime.registry.engines]
    assert not {"arkiver", "matters"} & set(names) and {"audit", "auth", "system"} <= set(names)


def test_disabling_an_engine_others_depend_on_is_refused(data_dir: object) -> None:
    with pytest.raises(ConfigError, match="'arkiver' depends on 'matters', which is not installed or is disabled"):
        build_runtime(load_settings(data_dir=data_dir, disabled_engines="matters"))


def test_plugins_load_like_third_party_engines(data_dir: object) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:noisy")
    runtime = build_runtime(settings)
    assert "noisy_shout" in runtime.registry.tool_names
    assert runtime.registry.origin("noisy") == "plugin tests.fixtures.engines:noisy"


def test_a_duplicate_tool_name_stops_start_up(data_dir: object) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:clashing")
    with pytest.raises(ConfigError, match="two engines are named 'matters'"):
        build_runtime(settings)


def test_the_same_operation_twice_in_one_engine_is_refused() -> None:
    # Engine names have no underscore, so `<engine>_<op>` can only clash within one engine or between two
    # engines of the same name (the test above).
    with pytest.raises(ConfigError, match="duplicate tool name 'gamma_run'"):
        Registry().add(_engine("gamma", "run", "run"))


def test_engines_are_ordered_by_their_dependencies() -> None:
    registry = Registry()
    registry.add(_engine("zeta", "a"))
    registry.add(_engine("alpha", "b", depends_on=("zeta",)))
    assert [engine.name for engine in registry.engines] == ["zeta", "alpha"]


def test_a_missing_dependency_or_a_cycle_stops_start_up() -> None:
    registry = Registry()
    registry.add(_engine("alpha", "a", depends_on=("ghost",)))
    with pytest.raises(ConfigError, match="depends on 'ghost'"):
        _ = registry.engines
    cyclic = Registry()
    cyclic.add(_engine("one", "a", depends_on=("two",)))
    cyclic.add(_engine("two", "b", depends_on=("one",)))
    with pytest.raises(ConfigError, match="cycle"):
        _ = cyclic.engines


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nocolon", "must look like"),
        ("no_such_module_xyz:f", "cannot import"),
        ("tests.fixtures.engines:nope", "not a callable"),
    ],
)
def test_bad_plugin_specs_name_the_problem(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_factory(spec)


def test_declarations_are_checked() -> None:
    with pytest.raises(ConfigError, match="engine name"):
        Engine(name="Bad-Name", description="x")
    with pytest.raises(ConfigError, match="numbered 1, 2, 3"):
        Engine(name="good", description="x", migrations=[Migration(2, "two", lambda op: None)])
    with pytest.raises(ConfigError, match="both read-only and destructive"):
        Operation(
            name="op",
            description="x",
            input_model=NoArguments,
            output_model=Count,
            handler=_engine("alpha", "b").operations[0].handler,
            permission="p",
            read_only=True,
            destructive=True,
        )


def test_an_engine_factory_that_fails_is_reported_with_its_origin(settings: Settings) -> None:
    def broken(_: EngineContext) -> Engine:
        raise RuntimeError("boom")

    registry = Registry()
    with pytest.raises(ConfigError, match="engine from plugin x:broken failed to start: boom"):
        registry.load([EngineSource(origin="plugin x:broken", factory=broken)], context=None)  # type: ignore[arg-type]


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

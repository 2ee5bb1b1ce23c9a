"""For engine authors' tests: a runtime with your engine in it, and a scripted model.

    from cyrano_mcp.testing import FunctionProvider, runtime_with

    runtime = runtime_with([ENGINE], load_settings(data_dir=tmp_path), model=FunctionProvider(answer))
    async with Client(runtime.server) as client:
        result = await client.call_tool("clauses_find", {...})

The runtime is the real one (call path, security, store), with the installed engines beside yours unless
`installed=False`; over an in-memory client session it acts as the local user (`CYRANO_LOCAL_USER_ROLE`).
"""

from collections.abc import Sequence

from cyrano_mcp.kit.declarations import Engine
from cyrano_mcp.llm.providers.function import FunctionProvider
from cyrano_mcp.registry import EngineSource, discover_engine_sources
from cyrano_mcp.server import Runtime
from cyrano_mcp.settings import Settings

__all__ = ["FunctionProvider", "runtime_with"]


def runtime_with(
    engines: Sequence[Engine],
    settings: Settings,
    *,
    model: FunctionProvider | None = None,
    installed: bool = True,
) -> Runtime:
    """A runtime with `engines` (and, unless `installed=False`, every installed engine) and, if given, `model`."""
    given = [EngineSource(f"test {engine.name}", engine) for engine in engines]
    # An engine under test may be installed too (its entry point found): it is loaded once, as given.
    found = discover_engine_sources(settings) if installed else []
    found = [source for source in found if source.engine not in engines]
    return Runtime(settings, [*found, *given], providers=[model] if model is not None else ())

"""The one path of every tool call: from the transport's `tools/call` to the engine's handler and back.

    RegistryTool.run (the SDK calls it)  ->  CallPath.execute  ->  steps, outermost first  ->  validation  ->  handler

The steps (spans and metrics here, audit, authentication, rate limits and authorization from `security`) are
put in order in one place, `cyrano_mcp.server.call_path_steps`.
"""

from cyrano_mcp.callpath.path import (
    META_CORRELATION,
    META_DETAILS,
    META_ERROR_CODE,
    CallInterceptor,
    CallPath,
    Proceed,
    RegistryTool,
    build_tool,
    validation_message,
)

__all__ = [
    "META_CORRELATION",
    "META_DETAILS",
    "META_ERROR_CODE",
    "CallInterceptor",
    "CallPath",
    "Proceed",
    "RegistryTool",
    "build_tool",
    "validation_message",
]

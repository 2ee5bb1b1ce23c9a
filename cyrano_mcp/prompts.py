"""The engines' prompts on the MCP server: each rendering goes through the call path like a tool call (the
caller authenticated, their role checked against the prompt's permission, the rendering audited)."""

from collections.abc import Sequence
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.prompts.base import AssistantMessage, Message, PromptArgument, UserMessage
from mcp.server.mcpserver.prompts.base import Prompt as SdkPrompt
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS
from pydantic import BaseModel

from cyrano_mcp.callpath import CallPath
from cyrano_mcp.errors import DomainError
from cyrano_mcp.kit.declarations import Operation
from cyrano_mcp.kit.prompts import Prompt, PromptMessage
from cyrano_mcp.models import ToolOutput


class RenderedPrompt(ToolOutput):
    messages: list[PromptMessage]


def install_prompts(server: MCPServer[Any], prompts: Sequence[Prompt[Any]], call_path: CallPath) -> None:
    for prompt in prompts:
        server.add_prompt(_sdk_prompt(prompt, call_path))


def _sdk_prompt(prompt: Prompt[Any], call_path: CallPath) -> SdkPrompt:
    async def handle(arguments: BaseModel) -> RenderedPrompt:
        return RenderedPrompt(messages=list(await prompt.render(arguments)))

    operation: Operation[Any, RenderedPrompt] = Operation(
        name="prompt_" + prompt.name,
        description=prompt.description,
        input_model=prompt.arguments,
        output_model=RenderedPrompt,
        handler=handle,
        permission=prompt.permission,
        read_only=True,
    )

    async def render(ctx: Context[Any], **arguments: Any) -> list[Message]:
        try:
            result = await call_path.read_resource(f"prompt:{prompt.name}", operation, arguments, ctx)
        except DomainError as exc:
            raise MCPError(code=INVALID_PARAMS, message=f"{exc.code}: {exc.message}") from None
        assert isinstance(result, RenderedPrompt)
        return [
            UserMessage(message.text) if message.role == "user" else AssistantMessage(message.text)
            for message in result.messages
        ]

    schema = prompt.arguments.model_json_schema()
    required = set(schema.get("required", []))
    return SdkPrompt(
        name=prompt.name,
        title=prompt.title,
        description=prompt.description,
        arguments=[
            PromptArgument(name=name, description=field.get("description"), required=name in required)
            for name, field in schema.get("properties", {}).items()
        ],
        fn=render,
        context_kwarg="ctx",
    )

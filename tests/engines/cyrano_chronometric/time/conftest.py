"""A matter to record time on (the server, every toolset on, is the `runtime` of the conftest above)."""

from mcp import Client

from tests.utils.mcp import ok


async def new_matter(client: Client, title: str = "Lease dispute", reference: str | None = None) -> str:
    arguments = {"client_name": "Marlow & Finch", "title": title, "practice_area": "litigation"}
    if reference is not None:
        arguments["reference"] = reference
    return str(ok(await client.call_tool("matters_create", arguments))["id"])

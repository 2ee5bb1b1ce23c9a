"""A scripted MCP session against Cyrano over stdio, as a host such as Claude Desktop would run it.

Starts `cyrano-mcp serve` (from this virtualenv) with a throw-away store, lists the tools, creates a matter,
reads it back as a tool result and as a resource, and checks every answer. Exits non-zero if anything is off.

    python examples/scripted_session.py            # the 2026-07-28 protocol (the SDK's default)
    python examples/scripted_session.py --legacy   # the 2025-11-25 handshake most hosts still speak
"""

import argparse
import json
import sys
import tempfile

import anyio
from mcp import Client, StdioServerParameters
from mcp_types import TextContent, TextResourceContents


def fail(message: str) -> None:
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)


async def main(legacy: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="cyrano-example-") as data_dir:
        server = StdioServerParameters(
            command=sys.executable,
            args=["-m", "cyrano_mcp", "serve"],
            env={"CYRANO_DATA_DIR": data_dir, "CYRANO_LOG_LEVEL": "WARNING"},
        )
        async with Client(server, mode="legacy" if legacy else "auto", read_timeout_seconds=30) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            for expected in ("matters_create", "matters_get", "matters_list", "arkiver_ingest", "arkiver_search"):
                if expected not in tools:
                    fail(f"tool {expected} is missing; got {sorted(tools)}")
                if tools[expected].output_schema is None:
                    fail(f"tool {expected} has no output schema")
            print(f"{len(tools)} tools (the lawyer's toolsets over stdio), including matters_create and arkiver_search")

            created = await client.call_tool(
                "matters_create",
                {"client_name": "Rivera Family Trust", "title": "Trust administration", "practice_area": "estates"},
            )
            if created.is_error or not created.structured_content:
                fail(f"matters_create failed: {created.content}")
            matter = created.structured_content
            print(f"created matter {matter['id']} ({matter['title']}, {matter['status']})")

            fetched = await client.call_tool("matters_get", {"matter_id": matter["id"]})
            if fetched.is_error or fetched.structured_content != matter:
                fail(f"matters_get returned something else: {fetched.structured_content}")
            text = fetched.content[0]
            if not isinstance(text, TextContent) or json.loads(text.text) != matter:
                fail("the text content does not match the structured content")

            resource = (await client.read_resource(f"cyrano://matters/{matter['id']}")).contents[0]
            if not isinstance(resource, TextResourceContents) or json.loads(resource.text)["id"] != matter["id"]:
                fail("the matter resource does not match")

            bad = await client.call_tool("matters_create", {"client_name": "X", "title": "", "practice_area": "tax"})
            if not bad.is_error:
                fail("an empty title was accepted")
            listed = [str(item.uri) for item in (await client.list_resources()).resources]
            if matter["uri"] not in listed:
                fail(f"resources/list does not list the matter: {listed}")
            prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
            if "summarise_contract" not in prompts:
                fail(f"prompts/list lacks summarise_contract: {sorted(prompts)}")
            protocol = "2025-11-25" if legacy else "2026-07-28"
            print(f"read back, resource, listing and prompts all check out (protocol {protocol})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--legacy", action="store_true", help="use the 2025-11-25 protocol (initialize handshake)")
    anyio.run(main, parser.parse_args().legacy)

"""`cyrano-mcp demo`: what a host such as Claude Desktop does, scripted, with every answer printed."""

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult, TextContent, TextResourceContents

from cyrano_mcp.errors import CyranoError

SAMPLE_LEASE = """LEASE RENEWAL AGREEMENT

This Lease Renewal Agreement is made and entered into as of March 3, 2026 (the "Effective Date"), by and
between Pier 9 Properties LLC, a California limited liability company ("Landlord"), and Harbor Bakery LLC,
a California limited liability company ("Tenant").

1. Term. The lease is renewed for a period of three (3) years commencing on the Effective Date.
2. Renewal notice. Tenant shall give Landlord written notice of renewal at least ninety (90) days before
the end of the term.
3. Rent. Tenant shall pay monthly rent of $8,500.00 on the first day of each month.
4. Governing law. This Agreement shall be governed by the laws of the State of California.
"""


def _show(title: str, payload: Any) -> None:
    print(f"\n== {title}")
    print(json.dumps(payload, indent=2, default=str, ensure_ascii=False))


def _text(result: CallToolResult) -> str:
    block = result.content[0]
    return block.text if isinstance(block, TextContent) else repr(block)


def _content(result: CallToolResult) -> Any:
    if result.is_error:
        raise CyranoError(f"the server answered with an error: {_text(result)}")
    return result.structured_content


async def run_demo(data_dir: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="cyrano-demo-") as scratch:
        store = data_dir or Path(scratch)
        server = StdioServerParameters(
            command=sys.executable,
            args=["-m", "cyrano_mcp", "serve", "--transport", "stdio"],
            env={"CYRANO_DATA_DIR": str(store), "CYRANO_LOG_LEVEL": "WARNING"},
        )
        print(f"Starting `cyrano-mcp serve` over stdio (store: {store}) ...")
        async with Client(server, read_timeout_seconds=30) as client:
            tools = (await client.list_tools()).tools
            _show(f"tools/list: {len(tools)} tools", [f"{tool.name}: {tool.description}" for tool in tools])

            created = _content(
                await client.call_tool(
                    "matters_create",
                    {
                        "client_name": "Harbor Bakery LLC",
                        "title": "Lease renewal dispute with Pier 9 Properties",
                        "practice_area": "real estate",
                        "reference": "2026-0042",
                        "responsible_attorney": "J. Alvarez",
                        "notes": "Landlord claims the renewal notice came late.",
                    },
                )
            )
            _show("matters_create", created)

            matter_id = created["id"]
            _show("matters_get", _content(await client.call_tool("matters_get", {"matter_id": matter_id})))
            updated = _content(
                await client.call_tool(
                    "matters_update",
                    {"matter_id": matter_id, "expected_version": created["version"], "practice_area": "litigation"},
                )
            )
            _show("matters_update (practice area -> litigation)", updated)
            listing = _content(await client.call_tool("matters_list", {"status": "open", "query": "lease"}))
            _show("matters_list (open, 'lease')", listing)
            resource = (await client.read_resource(f"cyrano://matters/{matter_id}")).contents[0]
            assert isinstance(resource, TextResourceContents)
            _show(f"resources/read cyrano://matters/{matter_id}", json.loads(resource.text))
            refused = await client.call_tool("matters_get", {"matter_id": "not-an-id"})
            _show(
                "matters_get with a bad id (a tool error, not a crash)",
                {"is_error": refused.is_error, "text": _text(refused)},
            )
            ingested = _content(
                await client.call_tool(
                    "arkiver_ingest", {"text": SAMPLE_LEASE, "filename": "renewal-letter.txt", "matter_id": matter_id}
                )
            )
            _show("arkiver_ingest (a short lease extract, filed under the matter)", ingested)
            insights = _content(await client.call_tool("arkiver_insights", {"document_id": ingested["document"]["id"]}))
            key = insights["key_terms"]
            _show(
                "arkiver_insights: the key terms first, then counts of the rest (each item has its page and words)",
                {
                    "parties": [(p["name"], p["role"], p["provenance"]["page"]) for p in key["parties"]],
                    "dates": [(d["date"], d["kind"], d["mention"]) for d in key["dates"]],
                    "governing_law": key["governing_law"] and key["governing_law"]["jurisdiction"],
                    "counts": {kind: count for kind, count in insights["counts"].items() if "." not in kind},
                    "more": insights["more"],
                },
            )
            hits = _content(await client.call_tool("arkiver_search", {"query": "renewal notice"}))["hits"]
            _show("arkiver_search 'renewal notice'", [(hit["page"], hit["snippet"]) for hit in hits])
            listed = (await client.list_resources()).resources
            _show("resources/list (what a host's attach menu shows)", [f"{item.uri}  {item.name}" for item in listed])
            prompts = (await client.list_prompts()).prompts
            _show("prompts/list (the jobs a host offers as commands)", [f"{p.name}: {p.description}" for p in prompts])
        print("\nDone. Run `cyrano-mcp serve` for your MCP client, or see README.md for Claude Desktop.")

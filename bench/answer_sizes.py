"""How large each read tool's default answer is, in characters, on real contracts: what a host pays per call.

    python bench/answer_sizes.py                       # the ten shared CUAD PDFs (../shared/data from the repo root)
    python bench/answer_sizes.py --data DIR --check    # exit 1 when a target is missed
    python bench/answer_sizes.py --json bench/results/sizes.json

Set-up: a fresh SQLite store in a temporary folder, reached through an in-memory MCP client session (what a host
gets over stdio, without the pipe). Each PDF of `<data>/cuad_dev_pdf` is ingested by path into a matter of its
own, with no model provider (`offline`: `arkiver_refine` answers with the rules).

Then every read tool is called as a model would call it first, with only the arguments it must give (a document's
or matter's id), and the answer is measured as a host receives it: the JSON text of `structuredContent`, compact,
and the text content when it differs (Cyrano's text block is the same JSON); a resource's text. A search is run
in each document, and for a few typical queries over the whole store. Then a second copy of every PDF goes into a
matter of its own, so that the listings (documents, matters) fill a default page of 20.

Each document's insights are also followed from the default answer through every next_cursor, to check that the
pages hold every list item the counts promise.

Printed: each answer's size per document, then per tool and overall the p50, p95 and maximum, against the
targets: p95 <= 8,000 characters and maximum <= 16,000 (per tool and overall); and the cursor walks.
"""

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from shared_data import shared_data_dir  # noqa: E402
from stats import percentile  # noqa: E402

P95_TARGET = 8_000
MAX_TARGET = 16_000
QUERIES = ["governing law", "terminate", "confidential information", "indemnify", "payment", '"intellectual property"']


def answer_size(result: Any) -> tuple[int, int]:
    """(characters of the structured content's compact JSON, characters of the text content)."""
    if result.is_error:
        raise SystemExit(f"a tool failed: {result.content}")
    structured = json.dumps(result.structured_content, ensure_ascii=False, separators=(",", ":"))
    text = sum(len(block.text) for block in result.content if getattr(block, "type", "") == "text")
    return len(structured), text


class Sizes:
    """Every answer measured, per tool, with the document it was about."""

    def __init__(self) -> None:
        self.by_tool: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.text_differs: dict[str, list[int]] = defaultdict(list)

    def add(self, tool: str, subject: str, sizes: tuple[int, int]) -> None:
        structured, text = sizes
        self.by_tool[tool].append((subject, structured))
        if text != structured:
            self.text_differs[tool].append(text)

    def all(self) -> list[int]:
        return [size for rows in self.by_tool.values() for _, size in rows]


@dataclass
class Walk:
    """Following arkiver_insights' cursors from the default answer to the last page."""

    answers: int
    largest: int
    items: int
    expected: int  # list items the counts promise: every kind but the key terms'


async def walk(client: Any, document_id: str, first: dict[str, Any]) -> Walk:
    answer, answers, largest = first, 1, 0
    items = sum(len(values) for values in first["lists"].values())
    while answer["next_cursor"]:
        result = await client.call_tool(
            "arkiver_insights", {"document_id": document_id, "cursor": answer["next_cursor"]}
        )
        largest = max(largest, *answer_size(result))
        answer, answers = dict(result.structured_content or {}), answers + 1
        items += sum(len(values) for values in answer["lists"].values())
    counts = first["counts"]
    listed = sum(counts[kind] for kind in ("amounts", "obligations", "dates", "defined_terms", "citations"))
    return Walk(answers=answers, largest=largest, items=items, expected=listed - len(first["key_terms"]["dates"]))


# Five claims of the kind an AI summary makes; repeated, they make a long answer to check.
SUMMARY_FILLER = (
    "The agreement is governed by the laws of the State of New York. It was made as of January 1, 2010. "
    "The initial term is five years. Either party may terminate on thirty days' notice. The licence fee is $50,000."
)


# Five citations a brief might give, two of them fabricated (no such series; a year the reporter cannot have).
CITED = (
    "See Brown v. Board of Education, 347 U.S. 483 (1954); Marbury v. Madison, 5 U.S. 137 (1803); "
    "Ames v. Ward, 41 F.5th 210 (2d Cir. 2022); Stone v. Ritter, 911 A.2d 362 (Del. 2016); 42 U.S.C. § 1983."
)


def ai_summary(insights: dict[str, Any]) -> str:
    """A summary of a contract as an AI might write it, from its key terms (as arkiver_insights gives them)."""
    key_terms = insights.get("key_terms") or {}
    sentences = []
    names = [party["name"] for party in key_terms.get("parties", [])]
    if names:
        sentences.append(f"The agreement is between {' and '.join(names)}.")
    sentences += [f"Its {item['kind']} date is {item['date']}." for item in key_terms.get("dates", [])]
    if key_terms.get("governing_law"):
        sentences.append(f"It is governed by the laws of {key_terms['governing_law']['jurisdiction']}.")
    return " ".join(sentences + [SUMMARY_FILLER])


async def measure(pdf_dir: Path) -> tuple[Sizes, list[str], list[Walk]]:
    from mcp import Client

    from cyrano_mcp.observability.logging import configure_logging
    from cyrano_mcp.server import build_runtime
    from cyrano_mcp.settings import load_settings

    configure_logging("WARNING", "json")
    paths = sorted(path for path in pdf_dir.iterdir() if path.suffix.lower() == ".pdf")
    if not paths:
        raise SystemExit(f"no PDFs in {pdf_dir}")
    sizes = Sizes()
    names: list[str] = []
    walks: list[Walk] = []
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(
            data_dir=data_dir,
            allowed_roots=[str(pdf_dir)],
            log_level="WARNING",
            llm_provider="offline",
            toolsets=["all"],
            rate_limit_user="100000/minute",  # the walks make hundreds of calls; sizes, not quotas, are measured
        )
        async with Client(build_runtime(settings).server) as client:

            async def call(
                tool: str, subject: str, arguments: dict[str, Any], *, measured: bool = True, label: str = ""
            ) -> dict[str, Any]:
                result = await client.call_tool(tool, arguments)
                size = answer_size(result)
                if measured:
                    sizes.add(label or tool, subject, size)
                return dict(result.structured_content or {})

            for number, path in enumerate(paths, 1):
                subject = f"#{number}"
                names.append(f"{subject} {path.name}")
                created = {"client_name": f"Client {number}", "title": path.stem, "practice_area": "commercial"}
                matter = await call("matters_create", subject, created, measured=False)
                ingested = await call("arkiver_ingest", subject, {"path": str(path), "matter_id": matter["id"]})
                document_id = ingested["document"]["id"]
                await call("matters_get", subject, {"matter_id": matter["id"]})
                first = await call("arkiver_insights", subject, {"document_id": document_id})
                await call("arkiver_read_document", subject, {"document_id": document_id})
                await call("arkiver_refine", subject, {"document_id": document_id})
                await call("arkiver_clauses", subject, {"document_id": document_id})
                summary = {"text": ai_summary(first), "document_ids": [document_id]}
                await call("potemkin_verify", subject, summary)
                resource = await client.read_resource(f"cyrano://documents/{document_id}")
                text = sum(len(getattr(content, "text", "")) for content in resource.contents)
                sizes.add("cyrano://documents/{id}", subject, (text, text))
                one = {"query": QUERIES[0], "document_id": document_id}
                await call("arkiver_search", subject, one, label="arkiver_search (one document)")
                walks.append(await walk(client, document_id, first))
            # A second copy of every document in a matter of its own, so the listings fill a default page.
            for number, path in enumerate(paths, 1):
                created = {"client_name": f"Client {number}b", "title": path.stem, "practice_area": "commercial"}
                matter = await call("matters_create", "-", created, measured=False)
                await call("arkiver_ingest", "-", {"path": str(path), "matter_id": matter["id"]}, measured=False)
            # Every document once more in one matter: the clause grid of a data room, all categories and a few.
            room = await call(
                "matters_create",
                "-",
                {"client_name": "Data room", "title": "All", "practice_area": "commercial"},
                measured=False,
            )
            for path in paths:
                await call("arkiver_ingest", "-", {"path": str(path), "matter_id": room["id"]}, measured=False)
            await call("arkiver_clauses", "grid", {"matter_id": room["id"]}, label="arkiver_clauses (matter grid)")
            few = {"matter_id": room["id"], "categories": ["change_of_control", "anti_assignment", "cap_on_liability"]}
            await call("arkiver_clauses", "grid", few, label="arkiver_clauses (grid, 3 categories)")
            long_summary = " ".join(SUMMARY_FILLER for _ in range(6))  # 30 claims over a ten-contract matter
            checked = {"text": long_summary, "matter_id": room["id"]}
            await call("potemkin_verify", "matter", checked, label="potemkin_verify (30 claims, matter)")
            brief = {"text": " ".join(CITED for _ in range(20)), "matter_id": room["id"]}  # 100 citations
            await call("potemkin_citations", "100 citations", brief)
            await call("potemkin_alerts", "-", {})  # the checks above raised some
            # A data room's deadlines over ten years from 1995 (the contracts' own terms), then the firm's docket.
            span = {"matter_id": room["id"], "start": "1995-01-01", "end": "2004-12-31", "limit": 100}
            await call("chronometric_deadlines", "matter", span, label="chronometric_deadlines (matter, 100 asked)")
            await call("chronometric_deadline_list", "firm", {"start": "1995-01-01", "end": "2004-12-31", "limit": 100})
            await call("chronometric_timeline", "matter", {"matter_id": room["id"], "limit": 100})
            for query in QUERIES:
                await call("arkiver_search", query, {"query": query})
            await call("arkiver_list_documents", "all", {})
            await call("matters_list", "all", {})
            await call("system_info", "-", {})
            await call("system_health", "-", {})
            await call("auth_whoami", "-", {})
    return sizes, names, walks


def verdict(values: list[int]) -> tuple[float, float, int, bool]:
    p50, p95, most = percentile(values, 0.5), percentile(values, 0.95), max(values)
    return p50, p95, most, p95 <= P95_TARGET and most <= MAX_TARGET


def report(sizes: Sizes, names: list[str], walks: list[Walk]) -> bool:
    print("Documents:")
    for name in names:
        print(f"  {name}")
    print("\nAnswers per call, in characters (the compact JSON of structuredContent):")
    for tool, rows in sizes.by_tool.items():
        cells = ", ".join(f"{subject} {size:,}" for subject, size in rows)
        print(f"  {tool}: {cells}")
        if tool in sizes.text_differs:
            print(f"    text content differs: {', '.join(f'{size:,}' for size in sizes.text_differs[tool])}")
    print(f"\n{'tool':<30} {'answers':>7} {'p50':>8} {'p95':>8} {'max':>8}  targets (p95 <= {P95_TARGET:,}, "
          f"max <= {MAX_TARGET:,})")  # fmt: skip
    met = True
    for tool, rows in [*sizes.by_tool.items(), ("(all)", [("", size) for size in sizes.all()])]:
        values = [size for _, size in rows]
        p50, p95, most, ok = verdict(values)
        met = met and ok
        print(f"{tool:<30} {len(values):>7} {p50:>8,.0f} {p95:>8,.0f} {most:>8,}  {'met' if ok else 'MISSED'}")
    print(f"\nEvery tool within the targets: {'yes' if met else 'NO'}")
    print("\narkiver_insights followed from the default answer to its last page (nothing left out?):")
    print(f"  {'document':<9} {'answers':>7} {'largest later page':>19} {'list items':>10} {'in counts':>9}")
    for name, done in zip(names, walks, strict=True):
        print(f"  {name.split()[0]:<9} {done.answers:>7} {done.largest:>19,} {done.items:>10} {done.expected:>9}")
    complete = all(done.items == done.expected for done in walks)
    print(f"  every list item reached: {'yes' if complete else 'NO'}")
    return met and complete


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data", type=Path, default=shared_data_dir(), help="the shared data folder (has cuad_dev_pdf/)"
    )
    parser.add_argument("--json", type=Path, help="also write every measured size to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    pdf_dir = args.data / "cuad_dev_pdf" if (args.data / "cuad_dev_pdf").is_dir() else args.data
    sizes, names, walks = anyio.run(measure, pdf_dir.resolve())
    met = report(sizes, names, walks)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"documents": names, "sizes": sizes.by_tool}, indent=2))
    if args.check and not met:
        sys.exit(1)


if __name__ == "__main__":
    main()

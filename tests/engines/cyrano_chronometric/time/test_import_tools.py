"""CSV import and export through MCP sessions: broken rows reported by line and not stored, good rows stored,
matters named by id, reference or title, a file imported twice stored once, an export imported back."""

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime
from tests.engines.cyrano_chronometric.time.conftest import new_matter
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def _export(matter: str, reference_matter: str) -> str:
    return (
        "Work Date,Timekeeper,Matter Reference,Duration,Description,Billable,Rate\n"
        f"3/2/2026,local,{matter},1.5,Drafted the complaint,Y,300\n"  # line 2
        '3/2/2026,local,2026-014,0:30,"Call with client, re: exhibits",N,300\n'  # line 3: by reference
        "3/3/2026,local,Lease dispute,2.0,Reviewed lease,yes,300\n"  # line 4: by title
        "3/31/2026,local,2026-014,1,=SUM(A1),yes,300\n"  # line 5
        "2026-02-30,local,2026-014,1.0,Research,yes,300\n"  # line 6: no such day
        "3/4/2026,local,2026-014,25,Trial,yes,300\n"  # line 7: 25 hours
        "3/4/2026,local,1999-999,1.0,Research,yes,300\n"  # line 8: no such matter
        "3/4/2026,local,2026-014\n"  # line 9: cells missing
        "3/5/2026,local,2026-014,0.25,Call,yes,300\n"  # line 10: quarter hour
        '3/5/2026,jdoe,2026-014,1.0,"Two-line\nnote",maybe,300\n'  # lines 11-12: billable unreadable
        f"3/6/2026,local,{reference_matter},20.0,Trial day,yes,300\n"  # line 13
        f"3/6/2026,local,{reference_matter},4.5,Trial prep,yes,300\n"  # line 14: the day would hold 24.5
    )


@pytest.mark.parametrize("mode", MODES)
async def test_a_practice_export_is_imported_row_by_row_and_once(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        lease = await new_matter(client)
        trial = await new_matter(client, "Trial matter", reference="2026-014")
        text = _export(lease, trial)
        first = ok(await client.call_tool("chronometric_entries_import", {"csv": text}))
        listed = ok(await client.call_tool("chronometric_entries_list", MARCH))
        second = ok(await client.call_tool("chronometric_entries_import", {"csv": text}))
        after = ok(await client.call_tool("chronometric_entries_list", MARCH))

    reasons = {item["line"]: item["reason"] for item in first["errors"]}
    assert first["rows"] == 12 and first["stored"] == 5 and first["skipped"] == 0
    assert sorted(reasons) == [6, 7, 8, 9, 10, 11, 14] and first["errors_total"] == 7
    assert reasons[6].startswith("date:") and "not from 0.1 to 24" in reasons[7]
    assert "no matter has the id, reference or title '1999-999'" in reasons[8]
    assert "missing column(s) hours, narrative" in reasons[9] and "tenths" in reasons[10]
    assert reasons[11].startswith("billable:") and "24.5 hours" in reasons[14]
    assert first["columns"] == {
        "date": "Work Date", "user": "Timekeeper", "matter": "Matter Reference", "hours": "Duration",
        "narrative": "Description", "billable": "Billable",
    }  # fmt: skip
    assert first["ignored_columns"] == ["Rate"] and first["hours_stored"] == 25.0
    stored = {(entry["date"], entry["matter_id"], entry["hours"], entry["billable"]) for entry in listed["entries"]}
    assert stored == {
        ("2026-03-02", lease, 1.5, True),
        ("2026-03-02", trial, 0.5, False),
        ("2026-03-03", lease, 2.0, True),
        ("2026-03-31", trial, 1.0, True),
        ("2026-03-06", trial, 20.0, True),
    }
    assert {entry["source"] for entry in listed["entries"]} == {"import"}
    assert "=SUM(A1)" in {entry["narrative"] for entry in listed["entries"]}
    # Imported again: the stored rows are skipped, the bad ones reported again, nothing doubles.
    assert second["stored"] == 0 and second["skipped"] == 5 and second["skipped_lines"] == [2, 3, 4, 5, 13]
    assert after["total"] == 5 and after["hours"] == 25.0


async def test_an_export_imports_back_as_it_was(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        for day, hours, narrative, billable in [
            ("2026-03-02", 1.5, 'Drafted "motion", with exhibits', True),
            ("2026-03-02", 0.1, "-follow up\nsecond line", False),
            ("2026-03-09", 3.0, "@mention of the judge; résumé", True),
            ("2026-03-09", 3.0, "@mention of the judge; résumé", True),  # the same work twice: two entries
        ]:
            entry = {"matter_id": matter, "date": day, "hours": hours, "narrative": narrative, "billable": billable}
            ok(await client.call_tool("chronometric_entries_create", entry))
        before = ok(await client.call_tool("chronometric_entries_list", MARCH))
        exported = ok(await client.call_tool("chronometric_entries_export", MARCH))
        again = ok(await client.call_tool("chronometric_entries_import", {"csv": exported["csv"]}))
        for entry in before["entries"]:
            ok(await client.call_tool("chronometric_entries_delete", {"entry_id": entry["id"]}))
        restored = ok(await client.call_tool("chronometric_entries_import", {"csv": exported["csv"]}))
        after = ok(await client.call_tool("chronometric_entries_list", MARCH))

    def essence(listing: dict[str, object]) -> list[tuple[object, ...]]:
        entries = listing["entries"]
        assert isinstance(entries, list)
        keys = ("date", "user", "matter_id", "hours", "billable", "narrative")
        return sorted(tuple(entry[key] for key in keys) for entry in entries)

    assert exported["rows"] == 4 and exported["total"] == 4 and exported["next_cursor"] is None
    assert exported["csv"].startswith("date,user,matter,hours,billable,narrative\n")
    assert "'-follow up" in exported["csv"] and "'@mention" in exported["csv"]  # no spreadsheet formulas
    assert again["stored"] == 0 and again["skipped"] == 4
    assert restored["stored"] == 4 and restored["errors_total"] == 0
    assert essence(after) == essence(before)


async def test_a_long_export_pages_and_a_bad_header_is_refused(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await new_matter(client)
        for day in range(1, 29):
            entry = {"matter_id": matter, "date": f"2026-02-{day:02d}", "hours": 1.0, "narrative": "x" * 400}
            ok(await client.call_tool("chronometric_entries_create", entry))
        window = {"start": "2026-02-01", "end": "2026-02-28"}
        first = ok(await client.call_tool("chronometric_entries_export", window))
        pages = [first]
        while pages[-1]["next_cursor"] is not None:
            cursor = pages[-1]["next_cursor"]
            pages.append(ok(await client.call_tool("chronometric_entries_export", {**window, "cursor": cursor})))
        wrong = await client.call_tool(
            "chronometric_entries_export", {"start": "2026-01-01", "end": "2026-02-28", "cursor": first["next_cursor"]}
        )
        no_hours = await client.call_tool("chronometric_entries_import", {"csv": "date,matter,narrative\n"})
        twice = await client.call_tool(
            "chronometric_entries_import", {"csv": "date,work date,hours,matter,narrative\n"}
        )

    assert first["total"] == 28 and len(pages) > 1 and all(len(page["csv"]) <= 6_000 for page in pages)
    assert sum(page["rows"] for page in pages) == 28
    days = [line.split(",")[0] for page in pages for line in page["csv"].splitlines()[1:]]
    assert days == [f"2026-02-{day:02d}" for day in range(1, 29)]
    assert "given for other arguments" in error(wrong, "invalid_input")
    assert "no column for hours" in error(no_hours, "invalid_input")
    assert "both give the date" in error(twice, "invalid_input")

"""A reader of the raw store finds neither a document's file name nor a matter's responsible attorney, yet
`matters_list` and `arkiver_list_documents` still filter on them (through blind tokens), across a key rotation, and
after the migration that seals the values stored before it. On both stores."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from mcp import Client

from cyrano_mcp.crypto import KeyedIndex
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.migrate import Component, upgrade
from tests.utils.mcp import error, ok

pytestmark = pytest.mark.anyio

ATTORNEY = "Rosalind Quillfeather"
FILENAME = "Zanzibarite settlement draft v3.txt"
PLANTED = ("quillfeather", "zanzibarite")
OLD_MATTER = "0d7a8a9e-0000-4000-8000-0000000000a1"
OLD_DOCUMENT = "0d7a8a9e-0000-4000-8000-0000000000d1"


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        yield runtime


async def raw_store(runtime: Runtime) -> str:
    """Every value of every table, as text: what a copy of the database shows someone without the keys."""
    if runtime.database.kind == "sqlite":
        listing = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        listing = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    values: list[str] = []
    async with runtime.database.engine.connect() as connection:
        tables = [str(name) for (name,) in await connection.execute(sa.text(listing))]
        for table in tables:
            for row in await connection.execute(sa.text(f'SELECT * FROM "{table}"')):
                values += [value.decode("latin-1") if isinstance(value, bytes) else str(value) for value in row]
    assert len(tables) > 10 and values
    return "\n".join(values).lower()


def store_bytes(runtime: Runtime) -> bytes:
    """The SQLite file and its WAL, byte for byte, lower-cased."""
    database = runtime.settings.sqlite_path
    files = [database, database.with_name(database.name + "-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists()).lower()


async def open_matter(client: Client, attorney: str, title: str = "Dispute") -> dict[str, Any]:
    arguments = {"client_name": "Harbor", "title": title, "practice_area": "x", "responsible_attorney": attorney}
    return ok(await client.call_tool("matters_create", arguments))


async def matters_of(client: Client, attorney: str) -> list[str]:
    page = ok(await client.call_tool("matters_list", {"responsible_attorney": attorney}))
    return [matter["id"] for matter in page["items"]]


async def documents_named(client: Client, words: str) -> list[str]:
    page = ok(await client.call_tool("arkiver_list_documents", {"filename": words}))
    return [document["id"] for document in page["items"]]


def index_named(runtime: Runtime, name: str) -> KeyedIndex:
    (index,) = [index for index in runtime.security.fields.indexes if index.blind.name == name]
    return index


async def test_the_store_holds_no_file_name_or_attorney_in_clear_and_filters_still_find_them(
    runtime: Runtime,
) -> None:
    async with Client(runtime.server) as client:
        matter = await open_matter(client, ATTORNEY)
        other = await open_matter(client, "A. Ng", title="Lease")
        ingested = ok(
            await client.call_tool(
                "arkiver_ingest", {"text": "Settlement terms.", "filename": FILENAME, "matter_id": matter["id"]}
            )
        )["document"]
        ok(await client.call_tool("arkiver_ingest", {"text": "A memo.", "filename": "memo.txt"}))

        assert matter["responsible_attorney"] == ATTORNEY and ingested["filename"] == FILENAME
        fetched = ok(await client.call_tool("matters_get", {"matter_id": matter["id"]}))
        assert fetched["responsible_attorney"] == ATTORNEY
        assert await matters_of(client, "  rosalind   QUILLFEATHER ") == [matter["id"]]
        assert await matters_of(client, "A. NG") == [other["id"]]
        assert await matters_of(client, "Rosalind") == []  # a name is matched whole
        assert await documents_named(client, "zanzibarite DRAFT") == [ingested["id"]]
        assert await documents_named(client, "Settlements") == [ingested["id"]]  # forms of a word meet
        assert await documents_named(client, "memo zanzibarite") == []  # every word must be in the name
        error(await client.call_tool("arkiver_list_documents", {"filename": "..."}), "invalid_input")
        hits = ok(await client.call_tool("arkiver_search", {"query": "settlement"}))["hits"]
        assert [hit["filename"] for hit in hits] == [FILENAME]

    stored = await raw_store(runtime)
    for planted in PLANTED:
        assert planted not in stored
    assert "rosalind" not in stored and "settlement draft" not in stored
    if runtime.database.kind == "sqlite":  # and not in the file's bytes either (WAL included)
        assert not [planted for planted in PLANTED if planted.encode() in store_bytes(runtime)]


async def test_changing_or_clearing_the_attorney_moves_the_matter_between_filters(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter = await open_matter(client, ATTORNEY)
        ok(await client.call_tool("matters_update", {"matter_id": matter["id"], "responsible_attorney": "J. Alvarez"}))
        assert await matters_of(client, ATTORNEY) == [] and await matters_of(client, "j. alvarez") == [matter["id"]]
        async with runtime.database.engine.connect() as connection:
            changed = (await connection.execute(sa.text("SELECT responsible_attorney FROM matters"))).scalar_one()
        assert changed.startswith("cy1$matters$") and "alvarez" not in changed.lower()
        cleared = ok(
            await client.call_tool("matters_update", {"matter_id": matter["id"], "responsible_attorney": None})
        )
        assert cleared["responsible_attorney"] is None and await matters_of(client, "J. Alvarez") == []


async def test_filters_work_across_a_search_key_rotation_and_reindex_moves_every_token(runtime: Runtime) -> None:
    security = runtime.security
    async with Client(runtime.server) as client:
        first = (await open_matter(client, ATTORNEY, title="One"))["id"]
        old_doc = ok(await client.call_tool("arkiver_ingest", {"text": "One.", "filename": FILENAME}))["document"]["id"]
        await security.keyring.rotate("search")
        second = (await open_matter(client, ATTORNEY, title="Two"))["id"]
        new_doc = ok(await client.call_tool("arkiver_ingest", {"text": "Two.", "filename": FILENAME}))["document"]["id"]
        attorneys, filenames = (
            index_named(runtime, "matters_responsible_attorney"),
            index_named(runtime, "documents_filename"),
        )
        assert await attorneys.usage([1, 2]) == {1: 1, 2: 1} and await filenames.usage([1, 2]) == {1: 1, 2: 1}
        # Rows keyed under either version are found while both are in use.
        assert sorted(await matters_of(client, ATTORNEY)) == sorted([first, second])
        assert sorted(await documents_named(client, "Zanzibarite")) == sorted([old_doc, new_doc])

        for index in (attorneys, filenames):
            report = await index.reindex(batch=1)
            assert report.reindexed == 1 and not report.failed and report.to_version == 2
            assert await index.usage([1, 2]) == {2: 2}
        await security.keyring.retire("search", 1)
        assert sorted(await matters_of(client, ATTORNEY)) == sorted([first, second])
        assert sorted(await documents_named(client, "Zanzibarite")) == sorted([old_doc, new_doc])


async def test_the_migration_seals_attorneys_and_file_names_stored_before_it(any_store_settings: Settings) -> None:
    before = build_runtime(any_store_settings)
    await before.database.open()
    try:
        # The store as the release before this one left it: matters and documents at version 3, in plaintext.
        components = [
            Component(component.name, component.migrations[:3])
            if component.name in ("matters", "arkiver")
            else component
            for component in before.registry.components()
        ]
        await upgrade(before.database, components)
        now = datetime(2025, 1, 2, tzinfo=UTC).replace(tzinfo=None)
        notes = next(field for field in before.security.fields.fields if field.column == "notes")
        sealed_notes = await notes.seal(OLD_MATTER, "")  # sealed since migration 2 of matters
        async with before.database.write_engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO matters (id, client_name, title, practice_area, status, opened_on, "
                    "responsible_attorney, notes, version, created_at, updated_at) VALUES (:id, 'Old', 'Old matter', "
                    "'tax', 'open', '2025-01-02', :attorney, :notes, 1, :now, :now)"
                ),
                {"id": OLD_MATTER, "attorney": ATTORNEY, "notes": sealed_notes, "now": now},
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO documents (id, matter_id, filename, format, sha256, dedup_key, size_bytes, "
                    "page_count, char_count, method, insights_method, created_at) VALUES (:id, :matter, :filename, "
                    "'text', '00', :dedup, 1, 1, 1, 'text', 'rules', :now)"
                ),
                {
                    "id": OLD_DOCUMENT,
                    "matter": OLD_MATTER,
                    "filename": FILENAME,
                    "dedup": f"{OLD_MATTER}:00",
                    "now": now,
                },
            )
    finally:
        await before.database.close()

    after = build_runtime(any_store_settings)
    async with after.running():  # start-up applies the new steps
        async with Client(after.server) as client:
            assert await matters_of(client, ATTORNEY) == [OLD_MATTER]
            assert await documents_named(client, "zanzibarite") == [OLD_DOCUMENT]
            fetched = ok(await client.call_tool("matters_get", {"matter_id": OLD_MATTER}))
            assert fetched["responsible_attorney"] == ATTORNEY
        stored = await raw_store(after)
        assert not [planted for planted in PLANTED if planted in stored]
        if after.database.kind == "sqlite":  # nor in the file's free pages, where the replaced plaintext was
            assert not [planted for planted in PLANTED if planted.encode() in store_bytes(after)]
        async with after.database.engine.connect() as connection:
            attorney = (await connection.execute(sa.text("SELECT responsible_attorney FROM matters"))).scalar_one()
            filename = (await connection.execute(sa.text("SELECT filename FROM documents"))).scalar_one()
        assert attorney.startswith("cy1$matters$1$") and filename.startswith("cy1$documents$1$")

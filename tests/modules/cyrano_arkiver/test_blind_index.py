"""Arkiver's search index is blind: it holds keyed tokens, never words; the same word meets itself across
documents under one key and nowhere else; rotating the search key and reindexing leaves no token of the
old key, with search working throughout. On both stores."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client
from sqlalchemy import text

from cyrano_arkiver.search import FTS_TABLE, TERMS_TABLE
from cyrano_arkiver.terms import terms
from cyrano_mcp.crypto import KeyedIndex, TokenKey
from cyrano_mcp.crypto.rewrap import usage
from cyrano_mcp.errors import ConfigError
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from tests.core.security.test_crypto import cli
from tests.modules.cyrano_arkiver.test_arkiver_tools import CONTRACT
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

# Words no other text in these tests shares, each at the start of a sentence or inside one.
PLANTED = ("Quillfeather", "Zanzibarite", "Obsidianwork", "Velvetmoor")
SECRET = (
    "Privileged memorandum. The Quillfeather settlement stays confidential; Zanzibarite shares pass to "
    "Obsidianwork Holdings, and Velvetmoor is paying the balance."
)
SECOND = "A later letter: the Quillfeather matter is closed and nothing more is owed."
TOKEN = re.compile(r"^[a-p]{12}$")


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(any_store_settings)
    async with runtime.running():
        yield runtime


def page_index(runtime: Runtime) -> KeyedIndex:
    (index,) = [index for index in runtime.security.fields.indexes if index.blind.name == "document_pages"]
    return index


async def index_tokens(runtime: Runtime) -> dict[int, list[str]]:
    """Each indexed page's tokens in order, read back from the index itself."""
    async with runtime.database.write_engine.begin() as conn:
        if runtime.database.kind == "sqlite":
            await conn.execute(
                text(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, {FTS_TABLE}, 'instance')")
            )
            rows = await conn.execute(text("SELECT doc, term FROM temp.vocab ORDER BY doc, offset"))
        else:
            rows = await conn.execute(
                text(
                    f"SELECT page_id, lexeme FROM {TERMS_TABLE}, unnest(terms) AS t, unnest(t.positions) AS position "
                    "ORDER BY page_id, position"
                )
            )
        found: dict[int, list[str]] = {}
        for page_id, token in rows:
            found.setdefault(int(page_id), []).append(str(token))
        return found


async def raw_index(runtime: Runtime) -> str:
    """Everything the index's tables hold, as text (blobs decoded leniently, so any word in them shows)."""
    parts: list[str] = []
    async with runtime.database.engine.connect() as conn:
        if runtime.database.kind == "sqlite":
            tables = await conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE :prefix"),
                {"prefix": f"{FTS_TABLE}%"},
            )
            names = [row[0] for row in tables]
            assert f"{FTS_TABLE}_data" in names
            for name in names:
                for row in await conn.execute(text(f'SELECT * FROM "{name}"')):
                    for value in row:
                        raw = value if isinstance(value, bytes) else str(value).encode()
                        parts.append(raw.decode("latin-1"))
        else:
            rows = await conn.execute(text(f"SELECT page_id, terms::text FROM {TERMS_TABLE}"))
            parts.extend(str(row[1]) for row in rows)
    return "\n".join(parts).lower()


async def search(client: Client, query: str) -> list[str]:
    return [hit["document_id"] for hit in ok(await client.call_tool("arkiver_search", {"query": query}))["hits"]]


async def test_the_index_holds_no_word_of_the_document(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"text": SECRET, "filename": "memo.txt"}))["document"]
        assert await search(client, "Zanzibarite") == [document["id"]]  # the index is in use
    stored = await raw_index(runtime)
    assert stored.strip()
    for word in PLANTED:
        # Its first six letters: found whether the index kept it whole or stemmed (this fails on a word index).
        assert word.lower()[:6] not in stored, word
    (tokens,) = (await index_tokens(runtime)).values()
    key = await page_index(runtime).blind.current()
    assert tokens == [key.token(term) for term in terms(SECRET)] and all(TOKEN.match(token) for token in tokens)


async def test_the_same_word_gives_the_same_token_in_two_documents_and_another_under_a_new_key(
    runtime: Runtime,
) -> None:
    blind = page_index(runtime).blind
    (quill,) = terms("Quillfeather")
    async with Client(runtime.server) as client:
        first = ok(await client.call_tool("arkiver_ingest", {"text": SECRET}))["document"]["id"]
        second = ok(await client.call_tool("arkiver_ingest", {"text": SECOND}))["document"]["id"]
        v1 = (await blind.current()).token(quill)
        one, two = (await index_tokens(runtime)).values()
        assert v1 in one and v1 in two
        assert sorted(await search(client, "quillfeather")) == sorted([first, second])

        await runtime.security.keyring.rotate("search")
        third = ok(await client.call_tool("arkiver_ingest", {"text": SECOND + " Appendix."}))["document"]["id"]
        v2 = (await blind.current()).token(quill)
        assert v2 != v1
        *_, three = (await index_tokens(runtime)).values()
        assert v2 in three and v1 not in three
        # Pages under either key are found while both are in the index.
        assert sorted(await search(client, "Quillfeather")) == sorted([first, second, third])
        assert sorted(await search(client, '"Quillfeather matter"')) == sorted([second, third])


async def test_a_word_that_is_in_no_document_finds_nothing(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        ok(await client.call_tool("arkiver_ingest", {"text": SECRET}))
        ok(await client.call_tool("arkiver_ingest", {"text": CONTRACT}))
        for absent in ("Marshmallowtree", "zzzz", '"settlement Quillfeather"', "Velvetmoor cucumber"):
            assert await search(client, absent) == []


async def test_reindex_moves_every_page_to_the_new_key_and_search_works_throughout(runtime: Runtime) -> None:
    index = page_index(runtime)
    security = runtime.security
    texts = [SECRET, SECOND, CONTRACT, CONTRACT + "\fA second page about Quillfeather."]
    async with Client(runtime.server) as client:
        ids = [ok(await client.call_tool("arkiver_ingest", {"text": body}))["document"]["id"] for body in texts]
        old_key = await index.blind.current()
        old_tokens = {old_key.token(term) for body in texts for term in terms(body)}
        assert await security.keyring.rotate("search") == 2
        pages = len(await index_tokens(runtime))
        assert await index.usage([1, 2]) == {1: pages}

        class Interrupted(Exception):
            pass

        def stop(done: int) -> None:
            raise Interrupted

        with pytest.raises(Interrupted):
            await index.reindex(batch=2, progress=stop)
        assert await index.usage([1, 2]) == {1: pages - 2, 2: 2}
        assert sorted(await search(client, "Quillfeather")) == sorted([ids[0], ids[1], ids[3]])
        assert len(await search(client, '"monthly occupancy report"')) == 2

        report = await index.reindex(batch=2)
        assert report.reindexed == pages - 2 and not report.failed and report.to_version == 2
        assert await index.usage([1, 2]) == {2: pages}
        stored = {token for tokens in (await index_tokens(runtime)).values() for token in tokens}
        new_key = await index.blind.current()
        assert not stored & old_tokens
        assert stored == {new_key.token(term) for body in texts for term in terms(body)}

        assert sorted(await search(client, "Quillfeather")) == sorted([ids[0], ids[1], ids[3]])
        assert (await usage(runtime.database, security.fields, "search", [1]))["v1"] == 0
        await security.keyring.retire("search", 1)
        with pytest.raises(ConfigError, match="current key"):
            await security.keyring.retire("search", 2)
        ok(await client.call_tool("arkiver_delete", {"document_id": ids[3]}))  # its tokens recomputed under v2
        assert sorted(await search(client, "Quillfeather")) == sorted(ids[:2])


async def test_reindex_reports_a_page_that_fails_to_open_and_leaves_it_on_its_key(runtime: Runtime) -> None:
    index = page_index(runtime)
    async with Client(runtime.server) as client:
        ok(await client.call_tool("arkiver_ingest", {"text": SECRET}))
        ok(await client.call_tool("arkiver_ingest", {"text": SECOND}))
    async with runtime.database.write_engine.begin() as conn:  # the second page's text, moved onto the first
        first, second = (await conn.execute(text("SELECT ref, text FROM document_pages ORDER BY id"))).all()
        await conn.execute(text("UPDATE document_pages SET text = :t WHERE ref = :r"), {"t": second[1], "r": first[0]})
    await runtime.security.keyring.rotate("search")
    report = await index.reindex(batch=10)
    assert report.failed == [first[0]] and report.reindexed == 1
    assert await index.usage([1, 2]) == {1: 1, 2: 1}
    assert (await usage(runtime.database, runtime.security.fields, "search", [1]))["v1"] == 1  # retire refuses


async def test_delete_leaves_nothing_in_the_index(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        kept = ok(await client.call_tool("arkiver_ingest", {"text": SECOND}))["document"]["id"]
        before = await index_tokens(runtime)
        gone = ok(await client.call_tool("arkiver_ingest", {"text": SECRET + "\f" + CONTRACT}))["document"]["id"]
        ok(await client.call_tool("arkiver_delete", {"document_id": gone}))
        assert await index_tokens(runtime) == before
        assert await search(client, "Quillfeather") == [kept]
    if runtime.database.kind == "sqlite":
        async with runtime.database.write_engine.begin() as conn:  # FTS5 checks its own structure
            await conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')"))


def test_tokens_depend_on_the_key() -> None:
    one, other = TokenKey(1, b"k" * 32), TokenKey(1, b"q" * 32)
    assert one.token("pay") == one.token("pay") != other.token("pay")
    assert TOKEN.match(one.token("pay")) and one.token("pay") != one.token("paid")


async def test_the_keys_commands_rotate_reindex_and_retire_the_search_key(data_dir: Path, settings: Settings) -> None:
    async with Client(build_runtime(settings).server) as client:
        document = ok(await client.call_tool("arkiver_ingest", {"text": SECRET}))["document"]["id"]
    rotated = cli("keys", "rotate", "--type", "search", data_dir=data_dir).stdout
    assert "search: new writes use v2" in rotated and "keys reindex" in rotated
    refused = cli("keys", "retire", "--type", "search", "--version", "1", data_dir=data_dir)
    assert refused.returncode == 2 and "1 stored values still use search v1" in refused.stderr
    assert "document_pages: 1 entries now on search v2" in cli("keys", "reindex", data_dir=data_dir).stdout
    assert cli("keys", "retire", "--type", "search", "--version", "1", data_dir=data_dir).returncode == 0
    status = cli("keys", "status", data_dir=data_dir).stdout
    assert "search       v1   retired" in status and "search       v2   current" in status
    async with Client(build_runtime(settings).server) as client:
        assert await search(client, "Velvetmoor") == [document]

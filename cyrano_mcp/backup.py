"""Online backups of the embedded store and the keys beside it, and their restore.

A backup is a directory that holds nothing but what a restore needs:

    manifest.json   format, time, Cyrano version, schema version per component, row count per table,
                    and the size and SHA-256 of every other file
    cyrano.db       a consistent copy made with SQLite's backup API: one read transaction, so it is a
                    snapshot of the store at one moment, taken while the server keeps writing (WAL)
    keys/...        the data dir's `keys/` directory, if there is one (but the audit anchor, which vouches
                    for the live audit log: a restore sets the data dir's aside)
    *.key, ...      key files at the top of the data dir (`*.key`, `*.pem`, `*.jwk`, `keyring*`)

A master key is never copied (files named `master*` are skipped and reported): whoever holds a backup
and its master key holds the firm's data, so the master key lives somewhere else (docs/operations.md).
PostgreSQL stores are backed up with pg_dump, as the runbook describes.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url

from cyrano_mcp import __version__
from cyrano_mcp.errors import CyranoError
from cyrano_mcp.security.audit_anchor import ANCHOR_FILE, anchor_path
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.files import (
    KEY_DIR,
    PRIVATE_DIRECTORY,
    copy_private,
    create_private_file,
    private_directory,
    private_writer,
    tighten_mode,
)
from cyrano_mcp.store.migrate import SCHEMA_TABLE

MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_FILE = "cyrano.db"
KEY_FILE_PATTERNS = ("*.key", "*.pem", "*.jwk", "*.jwks", "keyring*")
_CHUNK = 1 << 20


class BackupError(CyranoError):
    """A backup or restore cannot be made; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: str  # relative, with forward slashes
    size: int
    sha256: str


@dataclass(slots=True)
class Manifest:
    created_at: str
    cyrano_version: str
    schema: dict[str, int]
    tables: dict[str, int]
    files: list[BackupFile]
    skipped: list[str] = field(default_factory=list)
    format: int = FORMAT

    def to_json(self) -> str:
        body = {
            "format": self.format,
            "created_at": self.created_at,
            "cyrano_version": self.cyrano_version,
            "store": "sqlite",
            "schema": self.schema,
            "tables": self.tables,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
            "skipped": self.skipped,
            "master_key": "not included: restore it from where you keep it (docs/operations.md)",
        }
        return json.dumps(body, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        try:
            body = json.loads(text)
            if body["format"] != FORMAT:
                raise BackupError(f"backup format {body['format']} is not one this Cyrano reads ({FORMAT})")
            return cls(
                created_at=str(body["created_at"]),
                cyrano_version=str(body["cyrano_version"]),
                schema={str(k): int(v) for k, v in body["schema"].items()},
                tables={str(k): int(v) for k, v in body["tables"].items()},
                files=[BackupFile(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in body["files"]],
                skipped=[str(s) for s in body.get("skipped", [])],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"the manifest is not valid ({type(exc).__name__}: {exc})") from None


@dataclass(frozen=True, slots=True)
class BackupReport:
    manifest: Manifest
    seconds: float


@dataclass(frozen=True, slots=True)
class RestoreReport:
    manifest: Manifest
    moved_aside: list[Path]
    pending_migrations: dict[str, tuple[int, int]]
    seconds: float


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:  # directories cannot be fsynced on every platform
        pass
    finally:
        os.close(descriptor)


def _require_sqlite(settings: Settings, action: str) -> Path:
    if settings.database_kind != "sqlite":
        raise BackupError(
            f"the store is PostgreSQL: {action} it with pg_dump/pg_restore as docs/operations.md "
            "(Backup and restore, PostgreSQL) describes"
        )
    database = make_url(settings.resolved_database_url).database
    if not database or database == ":memory:":
        raise BackupError("the store is an in-memory SQLite database; there is nothing on disk to back up")
    return Path(database)


def key_files(data_dir: Path) -> tuple[list[Path], list[str]]:
    """The key material in a data dir to back up, and the master-key files deliberately left out."""
    found: list[Path] = []
    skipped: list[str] = []
    candidates: list[Path] = []
    keys = data_dir / KEY_DIR
    if keys.is_dir():
        candidates.extend(sorted(p for p in keys.rglob("*") if p.is_file()))
    for pattern in KEY_FILE_PATTERNS:
        candidates.extend(sorted(p for p in data_dir.glob(pattern) if p.is_file() and p not in candidates))
    for path in candidates:
        if path.name.startswith(ANCHOR_FILE):
            continue  # it vouches for the live audit log, not for the snapshot (a restore sets it aside)
        if path.name.lower().startswith("master"):
            skipped.append(path.relative_to(data_dir).as_posix())
        else:
            found.append(path)
    return found, skipped


def _snapshot(source: Path, target: Path, timeout: float) -> tuple[dict[str, int], dict[str, int]]:
    """Copy the store with SQLite's backup API; returns the copy's schema versions and row counts."""
    create_private_file(target)  # SQLite keeps its mode, and gives it to the copy's journal
    with closing(sqlite3.connect(source, timeout=timeout)) as src, closing(sqlite3.connect(target)) as dst:
        # pages=-1: the whole database in one step, inside one read transaction (readers never block
        # writers in WAL mode, so the server keeps writing meanwhile).
        src.backup(dst, pages=-1)
        # The copy stands alone: no -wal file beside it.
        dst.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(dst, "the copy")
        return _schema_versions(dst), _row_counts(dst)


def _check_integrity(conn: sqlite3.Connection, what: str) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{what} failed SQLite's integrity check: {result}")


def _schema_versions(conn: sqlite3.Connection) -> dict[str, int]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (SCHEMA_TABLE,)).fetchone():
        return {}
    return {str(name): int(version) for name, version in conn.execute(f"SELECT component, version FROM {SCHEMA_TABLE}")}


def user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [str(name) for (name,) in rows]


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]) for table in user_tables(conn)}


def create_backup(settings: Settings, destination: Path) -> BackupReport:
    """Back up the store and keys of `settings.data_dir` into the new directory `destination`.

    Safe while the server runs. The backup appears under its name only when it is complete.
    """
    started = time.perf_counter()
    database = _require_sqlite(settings, "back up")
    if not database.is_file():
        raise BackupError(f"there is no store at {database}; start the server once, or check CYRANO_DATA_DIR")
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} already exists; give a new directory for the backup")
    partial = destination.with_name(destination.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=PRIVATE_DIRECTORY, parents=True)
    try:
        schema, tables = _snapshot(database, partial / DATABASE_FILE, settings.db_timeout_seconds)
        copied = [DATABASE_FILE]
        keys, skipped = key_files(settings.data_dir)
        for key in keys:
            relative = key.relative_to(settings.data_dir)
            (partial / relative).parent.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
            copy_private(key, partial / relative)
            copied.append(relative.as_posix())
        files = []
        for name in copied:
            path = partial / name
            _fsync(path)
            files.append(BackupFile(name, path.stat().st_size, _sha256(path)))
        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            cyrano_version=__version__,
            schema=schema,
            tables=tables,
            files=files,
            skipped=skipped,
        )
        with private_writer(partial / MANIFEST) as stream:
            stream.write(manifest.to_json().encode())
        _fsync(partial / MANIFEST)
        if destination.exists():
            destination.rmdir()
        partial.rename(destination)
        _fsync(destination.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupReport(manifest=manifest, seconds=time.perf_counter() - started)


def _inside(root: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"the manifest names a file outside the backup: {relative!r}")
    return root.joinpath(*pure.parts)


def verify_backup(source: Path) -> Manifest:
    """Read the manifest and check every file's size and checksum; raises `BackupError` on any mismatch."""
    try:
        manifest = Manifest.from_json((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}; is it a directory made by `cyrano-mcp backup`?") from None
    if DATABASE_FILE not in {f.path for f in manifest.files}:
        raise BackupError(f"the manifest lists no {DATABASE_FILE}")
    for entry in manifest.files:
        path = _inside(source, entry.path)
        if not path.is_file():
            raise BackupError(f"{entry.path} is missing from the backup")
        if path.stat().st_size != entry.size or _sha256(path) != entry.sha256:
            raise BackupError(f"{entry.path} does not match its checksum: the backup is damaged")
    return manifest


def _refuse_newer(manifest: Manifest, known: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    newer = {name: v for name, v in manifest.schema.items() if name in known and v > known[name]}
    if newer:
        detail = ", ".join(f"{name} is at version {v}, this code knows {known[name]}" for name, v in newer.items())
        raise BackupError(
            f"the backup's schema is newer than this version of Cyrano ({detail}); "
            f"restore it with Cyrano {manifest.cyrano_version} or later"
        )
    return {name: (manifest.schema.get(name, 0), v) for name, v in known.items() if manifest.schema.get(name, 0) < v}


def _store_files(database: Path) -> Iterator[Path]:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = database.with_name(database.name + suffix)
        if candidate.exists():
            yield candidate


def restore_backup(settings: Settings, source: Path, *, known: Mapping[str, int], force: bool) -> RestoreReport:
    """Verify the backup at `source` and restore it into `settings.data_dir`.

    `known` is the schema version per component of this code. An existing store is replaced only with
    `force`, and even then moved aside rather than deleted. Stop the server first.
    """
    started = time.perf_counter()
    database = _require_sqlite(settings, "restore")
    manifest = verify_backup(source)
    pending = _refuse_newer(manifest, known)
    existing = list(_store_files(database))
    if existing and not force:
        raise BackupError(
            f"a store already exists at {database}; stop the server, then pass --force to replace it "
            "(the current store is kept beside it, renamed)"
        )
    private_directory(settings.data_dir, setting="CYRANO_DATA_DIR")
    incoming = database.with_name(database.name + ".restoring")
    copy_private(source / DATABASE_FILE, incoming)
    try:
        with closing(sqlite3.connect(incoming)) as conn:
            _check_integrity(conn, "the restored copy")
    except BaseException:
        incoming.unlink()
        raise
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    moved: list[Path] = []
    for path in existing:
        aside = path.with_name(f"{path.name}.replaced-{stamp}")
        path.rename(aside)
        tighten_mode(aside)  # a store an earlier version left readable to others
        moved.append(aside)
    incoming.rename(database)
    for entry in manifest.files:
        if entry.path == DATABASE_FILE:
            continue
        target = _inside(settings.data_dir, entry.path)
        if target.exists():
            aside = target.with_name(f"{target.name}.replaced-{stamp}")
            target.rename(aside)
            moved.append(aside)
        target.parent.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
        copy_private(_inside(source, entry.path), target)
    anchor = anchor_path(settings)
    if anchor.exists():  # it vouches for records the restore takes back: the next start anchors the restored log
        aside = anchor.with_name(f"{anchor.name}.replaced-{stamp}")
        anchor.rename(aside)
        moved.append(aside)
    _fsync(database)
    _fsync(settings.data_dir)
    return RestoreReport(
        manifest=manifest, moved_aside=moved, pending_migrations=pending, seconds=time.perf_counter() - started
    )

"""Key administration, the operator's side of encryption at rest: status, rotate, rewrap, reindex and retire.

The rules live here (audit keys are never retired; a version still in use cannot be; every change is audited);
`cyrano-mcp keys ...` only asks and prints. The runbook is in docs/security.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cyrano_mcp.crypto import FieldCipher, Keyring, ReindexReport
from cyrano_mcp.crypto.rewrap import RewrapReport, rewrap, usage
from cyrano_mcp.errors import ConfigError
from cyrano_mcp.security.audit import KEY_TYPE as AUDIT_KEY_TYPE
from cyrano_mcp.security.audit import Actor, AuditLog
from cyrano_mcp.store.database import Database


@dataclass(frozen=True, slots=True)
class KeyVersion:
    key_type: str
    version: int
    state: str  # current | old | retired
    created: datetime
    values: int | None  # stored values using it (None: retired, or audit keys, which seal no values)


@dataclass(frozen=True, slots=True)
class KeyStatus:
    versions: list[KeyVersion]
    plaintext: dict[str, int]  # values of a key type stored before it was sealed: `keys rewrap` seals them


@dataclass(frozen=True, slots=True)
class Rotation:
    key_type: str
    version: int
    has_index: bool  # a blind index uses this type: `keys reindex` moves it


class KeyAdministration:
    def __init__(self, *, database: Database, keyring: Keyring, fields: FieldCipher, audit: AuditLog) -> None:
        self._database = database
        self._keyring = keyring
        self._fields = fields
        self._audit = audit

    async def status(self) -> KeyStatus:
        records = await self._keyring.versions()
        versions: list[KeyVersion] = []
        plaintext: dict[str, int] = {}
        for key_type in sorted({record[0] for record in records}):
            of_type = [record for record in records if record[0] == key_type]
            live = [version for _, version, _, retired in of_type if retired is None]
            counts = await usage(self._database, self._fields, key_type, live)
            for _, version, created, retired in of_type:
                state = "retired" if retired else ("current" if version == max(live) else "old")
                values = None if retired or key_type == AUDIT_KEY_TYPE else counts.get(f"v{version}", 0)
                versions.append(KeyVersion(key_type, version, state, created, values))
            if counts.get("plaintext"):
                plaintext[key_type] = counts["plaintext"]
        return KeyStatus(versions, plaintext)

    async def rotate(self, key_type: str | None, *, by: Actor) -> list[Rotation]:
        """A new version of one key type (or of every type); new writes use it from now on."""
        types = [key_type] if key_type else sorted({AUDIT_KEY_TYPE, *self._fields.key_types})
        indexed = {index.blind.key_type for index in self._fields.indexes}
        rotations = []
        for name in types:
            version = await self._keyring.rotate(name)
            await self._audit.append("key_rotated", actor=by, outcome="ok", target=name, detail={"version": version})
            rotations.append(Rotation(name, version, name in indexed))
        return rotations

    async def rewrap(
        self, key_type: str | None, *, batch: int, by: Actor, progress: Callable[[str, int], None] | None = None
    ) -> list[RewrapReport]:
        """Re-encrypt stored values under the current versions, in batches; safe to interrupt and run again."""
        reports = await rewrap(self._database, self._fields, key_type=key_type, batch=batch, progress=progress)
        for report in reports:
            await self._audit.append(
                "keys_rewrapped",
                actor=by,
                outcome="ok" if not report.failed else "partial",
                target=report.column,
                detail={"values": report.rewrapped, "failed": len(report.failed), "version": report.to_version},
            )
        return reports

    async def reindex(
        self, key_type: str | None, *, batch: int, by: Actor, progress: Callable[[str, int], None] | None = None
    ) -> list[tuple[str, ReindexReport]]:
        """Rebuild blind indexes under the newest key version; search keeps working throughout. Each report comes
        with the key type its index uses."""
        reports = []
        for index in self._fields.indexes:
            if key_type not in (None, index.blind.key_type):
                continue
            name = index.blind.name

            def report_progress(done: int, name: str = name) -> None:
                if progress is not None:
                    progress(name, done)

            report = await index.reindex(batch=batch, progress=report_progress)
            await self._audit.append(
                "keys_reindexed",
                actor=by,
                outcome="ok" if not report.failed else "partial",
                target=report.index,
                detail={"entries": report.reindexed, "failed": len(report.failed), "version": report.to_version},
            )
            reports.append((index.blind.key_type, report))
        return reports

    async def retire(self, key_type: str, version: int, *, by: Actor) -> None:
        """Destroy an old version's material; refused for audit keys and for a version any stored value uses."""
        if key_type == AUDIT_KEY_TYPE:
            raise ConfigError("audit keys are never retired: the audit chain must stay verifiable")
        in_use = (await usage(self._database, self._fields, key_type, [version]))[f"v{version}"]
        if in_use:
            raise ConfigError(
                f"{in_use} stored values still use {key_type} v{version}; run `cyrano-mcp keys rewrap` "
                "(or `keys reindex` for a search key)"
            )
        await self._keyring.retire(key_type, version)
        await self._audit.append("key_retired", actor=by, outcome="ok", target=key_type, detail={"version": version})

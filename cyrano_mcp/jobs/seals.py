"""The jobs tables' sealed columns: what a job says about the work it holds.

A batch ingest's title names its folder, and each item holds a file's name (`label`), its full path
(`payload`), the document it became (`result`) and an error that may quote the path. All five are sealed
with the `jobs` key type (one key for whatever any engine puts in a job), each bound to its row: a title to
its job's id, an item's columns to the item's `ref`, a random reference given at submit (an item's integer
id only exists once it is inserted). No tool filters or sorts on them, so they need no blind index.
"""

import secrets
from dataclasses import dataclass

from cyrano_mcp.crypto import FieldCipher, SealedField

KEY_TYPE = "jobs"


def new_ref() -> str:
    """An item's reference: 128 random bits, as 32 hex digits."""
    return secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class JobSeals:
    title: SealedField
    label: SealedField
    payload: SealedField
    result: SealedField
    error: SealedField

    @classmethod
    def declare(cls, fields: FieldCipher) -> "JobSeals":
        def item_column(column: str) -> SealedField:
            return fields.field(table="job_items", column=column, key_type=KEY_TYPE, id_column="ref")

        return cls(
            title=fields.field(table="jobs", column="title", key_type=KEY_TYPE),
            label=item_column("label"),
            payload=item_column("payload"),
            result=item_column("result"),
            error=item_column("error"),
        )

    @property
    def fields(self) -> tuple[SealedField, ...]:
        return (self.title, self.label, self.payload, self.result, self.error)


async def seal_optional(field: SealedField, row_id: str, value: str | None) -> str | None:
    return None if value is None else await field.seal(row_id, value)


async def open_optional(field: SealedField, row_id: str, value: str | None) -> str | None:
    return None if value is None else await field.open(row_id, value)

"""The matters table's sealed columns: the notes, and the responsible attorney with its blind index."""

import unicodedata
from dataclasses import dataclass

from cyrano_matters.models import Matter
from cyrano_mcp.kit import BlindIndex, Database, FieldCipher, SealedColumnIndex, SealedField


@dataclass(frozen=True, slots=True)
class MatterSeals:
    notes: SealedField
    responsible_attorney: SealedColumnIndex


def person_terms(name: str) -> tuple[str]:
    """A name as one term: what matters_list compares, whatever its case and spacing."""
    return (" ".join(unicodedata.normalize("NFKC", name).casefold().split()),)


def matter_seals(fields: FieldCipher, database: Database) -> MatterSeals:
    """The sealed columns of `matters` (declaring a field again returns the same one). The attorney's index is
    registered for key rotation by the matters engine alone (`fields.index`)."""
    return MatterSeals(
        # Notes hold privileged client material; the attorney says who acts for whom.
        notes=fields.field(table="matters", column="notes", key_type="matters"),
        responsible_attorney=SealedColumnIndex(
            database=database,
            table=Matter.__table__,  # type: ignore[attr-defined]
            sealed=fields.field(table="matters", column="responsible_attorney", key_type="matters"),
            blind=BlindIndex(name="matters_responsible_attorney", key_type="search", keyring=fields.keyring),
            terms=person_terms,
            tokens_column="responsible_attorney_token",
            version_column="responsible_attorney_key_version",
            match="equal",
        ),
    )

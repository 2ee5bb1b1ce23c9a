"""The archive's sealed columns (declared once; declaring a field again returns the same one)."""

import unicodedata
from dataclasses import dataclass

from cyrano_mcp.kit import BlindIndex, Database, FieldCipher, SealedColumnIndex, SealedField
from cyrano_potemkin.archive_tables import PROBES, RECORDS, ArchivedAnswer

_KEY = "documents"  # what a model was asked about a client's affairs is as private as the client's documents


@dataclass(frozen=True, slots=True)
class ArchiveSeals:
    prompt: SealedField
    output: SealedField
    topic: SealedColumnIndex
    probe_topic: SealedField
    probe_question: SealedField
    probe_variants: SealedField


def topic_terms(topic: str) -> tuple[str]:
    """A topic as one term: listings find it whatever its case and spacing."""
    return (" ".join(unicodedata.normalize("NFKC", topic).casefold().split()),)


def archive_seals(fields: FieldCipher, database: Database) -> ArchiveSeals:
    return ArchiveSeals(
        prompt=fields.field(table=RECORDS, column="prompt", key_type=_KEY),
        output=fields.field(table=RECORDS, column="output", key_type=_KEY),
        topic=SealedColumnIndex(
            database=database,
            table=ArchivedAnswer.__table__,  # type: ignore[attr-defined]
            sealed=fields.field(table=RECORDS, column="topic", key_type=_KEY),
            blind=BlindIndex(name="potemkin_records_topic", key_type="search", keyring=fields.keyring),
            terms=topic_terms,
            tokens_column="topic_token",
            version_column="topic_key_version",
            match="equal",
        ),
        probe_topic=fields.field(table=PROBES, column="topic", key_type=_KEY),
        probe_question=fields.field(table=PROBES, column="question", key_type=_KEY),
        probe_variants=fields.field(table=PROBES, column="variants", key_type=_KEY),
    )

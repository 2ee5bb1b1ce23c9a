"""Clause findings <-> rows of `insights` (kind "clauses", subkind the category), sealed like every insight.

A row per present category: its first passage in the row's page, offsets and quote (so a category is found by
kind and subkind alone), everything in `data`. Refs are "<document id>:c<category number>" for what detection
found and ":m<number>" for what a model added, so they never meet the insights' own numbered refs.
"""

from collections.abc import Iterable
from typing import Any

from cyrano_arkiver.clauses import CATEGORIES
from cyrano_arkiver.clauses.review import StoredClause

KIND = "clauses"
_NUMBER = {category.key: number for number, category in enumerate(CATEGORIES)}


def clauses_to_rows(document_id: str, clauses: Iterable[StoredClause]) -> list[dict[str, Any]]:
    """One plaintext row per clause (the caller seals `quote` and `data`)."""
    rows = []
    for clause in clauses:
        first = clause.passages[0]
        mark = "m" if clause.method == "model" else "c"
        rows.append(
            {
                "ref": f"{document_id}:{mark}{_NUMBER[clause.category]}",
                "document_id": document_id,
                "kind": KIND,
                "subkind": clause.category,
                "page": first.page,
                "start": first.start,
                "end": first.end,
                "quote": first.quote,
                "date_value": None,
                "method": clause.method,
                "data": clause.model_dump_json(),
            }
        )
    return rows


def rows_to_clauses(data: Iterable[str]) -> list[StoredClause]:
    """The stored clauses from their rows' opened data, in CUAD's order (detection's before a model's)."""
    clauses = [StoredClause.model_validate_json(item) for item in data]
    return sorted(clauses, key=lambda clause: (_NUMBER.get(clause.category, len(_NUMBER)), clause.method == "model"))

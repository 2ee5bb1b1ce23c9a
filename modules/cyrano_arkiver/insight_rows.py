"""Insights <-> rows: one row per item, so other modules can query them (e.g. every date of a matter)."""

import json
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from cyrano_arkiver.extraction.models import (
    Amount,
    Citation,
    ContractTerm,
    DefinedTerm,
    ExtractedDate,
    GoverningLaw,
    Insights,
    Obligation,
    Party,
    TermClause,
)

_LIST_KINDS: dict[str, type[BaseModel]] = {
    "parties": Party,
    "dates": ExtractedDate,
    "amounts": Amount,
    "citations": Citation,
    "defined_terms": DefinedTerm,
    "obligations": Obligation,
}
_TERM_SLOTS = ("initial", "renewal", "non_renewal_notice")


def _row(document_id: str, kind: str, item: Any, subkind: str | None = None) -> dict[str, Any]:
    provenance = item.provenance
    return {
        "ref": "",  # numbered by insights_to_rows
        "document_id": document_id,
        "kind": kind,
        "subkind": subkind,
        "page": provenance.page,
        "start": provenance.start,
        "end": provenance.end,
        "quote": provenance.quote,
        "date_value": getattr(item, "date", None) if kind == "dates" else None,
        "method": item.method,
        "data": item.model_dump_json(),
    }


def insights_to_rows(document_id: str, insights: Insights, first: int = 0) -> list[dict[str, Any]]:
    """One row per item (plaintext: the caller seals `quote` and `data`), numbered from `first` in `ref`."""
    rows: list[dict[str, Any]] = []
    for kind in _LIST_KINDS:
        rows.extend(
            _row(document_id, kind, item, getattr(item, "kind", None) if kind == "dates" else None)
            for item in getattr(insights, kind)
        )
    if insights.governing_law is not None:
        rows.append(_row(document_id, "governing_law", insights.governing_law))
    for slot in _TERM_SLOTS:
        clause = getattr(insights.term, slot)
        if clause is not None:
            rows.append(_row(document_id, "term", clause, slot))
    for number, row in enumerate(rows, first):
        row["ref"] = f"{document_id}:{number}"
    return rows


def rows_to_insights(rows: Iterable[tuple[str, str | None, str]]) -> Insights:
    """Insights from (kind, subkind, data JSON) of stored rows, in their stored order."""
    lists: dict[str, list[Any]] = {kind: [] for kind in _LIST_KINDS}
    governing_law: GoverningLaw | None = None
    term = ContractTerm()
    for kind, subkind, data_json in rows:
        data = json.loads(data_json)
        if kind in _LIST_KINDS:
            lists[kind].append(_LIST_KINDS[kind].model_validate(data))
        elif kind == "governing_law":
            governing_law = GoverningLaw.model_validate(data)
        elif kind == "term" and subkind in _TERM_SLOTS:
            setattr(term, subkind, TermClause.model_validate(data))
    return Insights(**lists, governing_law=governing_law, term=term)

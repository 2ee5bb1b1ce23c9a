"""Insights <-> rows: one row per item, so other modules can query them (e.g. every date of a matter)."""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from modules.arkiver.extraction.models import (
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
from modules.arkiver.models import Insight

_LIST_KINDS: dict[str, type[BaseModel]] = {
    "parties": Party,
    "dates": ExtractedDate,
    "amounts": Amount,
    "citations": Citation,
    "defined_terms": DefinedTerm,
    "obligations": Obligation,
}
_TERM_SLOTS = ("initial", "renewal", "non_renewal_notice")


def _label(kind: str, item: BaseModel) -> str | None:
    value: Any = {
        "parties": getattr(item, "name", None),
        "governing_law": getattr(item, "jurisdiction", None),
        "defined_terms": getattr(item, "term", None),
        "citations": getattr(item, "normalized", None),
        "amounts": f"{getattr(item, 'currency', '')} {getattr(item, 'value', '')}".strip(),
    }.get(kind)
    return str(value)[:300] if value else None


def _row(document_id: str, kind: str, item: Any, subkind: str | None = None) -> dict[str, Any]:
    provenance = item.provenance
    return {
        "document_id": document_id,
        "kind": kind,
        "subkind": subkind,
        "page": provenance.page,
        "start": provenance.start,
        "end": provenance.end,
        "quote": provenance.quote,
        "label": _label(kind, item),
        "date_value": getattr(item, "date", None) if kind == "dates" else None,
        "method": item.method,
        "data": item.model_dump_json(),
    }


def insights_to_rows(document_id: str, insights: Insights) -> list[dict[str, Any]]:
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
    return rows


def rows_to_insights(rows: Iterable[Insight], kinds: Sequence[str] | None = None) -> Insights:
    wanted = set(kinds) if kinds else None
    lists: dict[str, list[Any]] = {kind: [] for kind in _LIST_KINDS}
    governing_law: GoverningLaw | None = None
    term = ContractTerm()
    for row in rows:
        if wanted is not None and row.kind not in wanted:
            continue
        data = json.loads(row.data)
        if row.kind in _LIST_KINDS:
            lists[row.kind].append(_LIST_KINDS[row.kind].model_validate(data))
        elif row.kind == "governing_law":
            governing_law = GoverningLaw.model_validate(data)
        elif row.kind == "term" and row.subkind in _TERM_SLOTS:
            setattr(term, row.subkind, TermClause.model_validate(data))
    return Insights(**lists, governing_law=governing_law, term=term)

"""One judgement on one part of a claim (a value it states, or the parties it names), before they are combined."""

from dataclasses import dataclass, field

from cyrano_potemkin.passages import Passage
from cyrano_potemkin.sources import SourceDocument, Span
from cyrano_potemkin.topics import Topic
from cyrano_potemkin.verdicts import Evidence, EvidenceRole, Verdict


@dataclass
class Finding:
    verdict: Verdict
    topic: Topic | None
    claimed: str
    method: str = "anchors"
    source_value: str | None = None
    reason: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


def evidence_at(document: SourceDocument, span: Span, role: EvidenceRole) -> Evidence:
    return Evidence(
        document_id=document.document_id,
        page=span.page,
        start=span.start,
        end=span.end,
        quote=document.quote(span),
        role=role,
    )


def passage_evidence(passage: Passage, start: int, end: int, role: EvidenceRole) -> Evidence:
    """The words around `passage.text[start:end]`, quoted from the page."""
    return evidence_at(passage.document, passage.span(start, end), role)

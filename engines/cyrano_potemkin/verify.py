"""The offline check of a text against its sources: each claim's values and names compared with theirs.

`verify_text` is pure: the text, the source documents (pages and Arkiver's facts), and nothing else. Each claim
gets one verdict: contradicted when any value or name it states disagrees with the sources, supported when every
one agrees with them, and unverifiable otherwise (a claim with nothing checkable in it, or a value no source
states). A contradiction outranks a support, and a claim is never supported in part.

A claim's legal citations take the citation check's verdict (`citations`, given by the caller): one that is
malformed, impossible or known under another case name contradicts the claim, one found in the firm's library or
the sources supports it, and a merely plausible one leaves it unverifiable.

Words a claim puts in quotation marks are checked verbatim instead of by their values (`quote_check`): found
exactly, they support the claim; altered (`close`), they contradict it, the changed words shown; nowhere in the
sources, the claim is unverifiable.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from cyrano_potemkin.anchors import Anchor, anchors_in
from cyrano_potemkin.citations.models import CitationCheck
from cyrano_potemkin.claims import ClaimSpan, split_claims
from cyrano_potemkin.findings import Finding, evidence_at
from cyrano_potemkin.names import judge_names
from cyrano_potemkin.passages import SourceIndex, content_stems
from cyrano_potemkin.quote_check import QuotationResult, check_quotations
from cyrano_potemkin.quotes import Quotation
from cyrano_potemkin.sources import SourceDocument, SourceFact, Span
from cyrano_potemkin.topics import PARTY_CUE
from cyrano_potemkin.values import Facts, judge_value
from cyrano_potemkin.verdicts import ClaimCheck, Evidence, QuotationCheck

_MAX_EVIDENCE = 4  # per claim: the deciding quotes, not every place a value recurs
_NOTHING_TO_CHECK = "no date, period, place, amount or party name in it to compare with the sources"


Quoted = tuple[Quotation, QuotationResult]


def verify_text(
    text: str, documents: Sequence[SourceDocument], citations: Sequence[CitationCheck] = ()
) -> list[ClaimCheck]:
    index = SourceIndex(documents)
    facts = Facts.of(documents)
    quoted = check_quotations(text, documents)
    checks = []
    for number, claim in enumerate(split_claims(text, [(item.start, item.end) for item in citations]), start=1):
        inside = [item for item in quoted if claim.start <= item[0].start < claim.end]
        cited = [item for item in citations if claim.start <= item.start < claim.end]
        checks.append(check_claim(number, claim, documents, index, facts, inside, cited))
    return checks


def check_claim(
    number: int,
    claim: ClaimSpan,
    documents: Sequence[SourceDocument],
    index: SourceIndex,
    facts: Facts,
    quoted: Sequence[Quoted] = (),
    cited: Sequence[CitationCheck] = (),
) -> ClaimCheck:
    # Values inside a quotation are checked with its words, verbatim; a citation's numbers are no values.
    spans = [(quotation.start - claim.start, quotation.end - claim.start) for quotation, _ in quoted]
    spans += [(citation.start - claim.start, citation.end - claim.start) for citation in cited]
    anchors = [anchor for anchor in anchors_in(claim.text) if not any(a <= anchor.start < b for a, b in spans)]
    ranked = [passage for _, passage in index.ranked(content_stems(claim.text))]
    findings = [judge_value(claim.text, anchor, facts, index, ranked) for anchor in anchors]
    parties = facts.by_topic.get("parties", [])
    about_parties = PARTY_CUE.search(claim.text) is not None
    if about_parties or parties:
        named = judge_names(_blanked(claim.text, anchors, spans), documents, parties)
        if named is not None and (about_parties or _names_a_party(named, parties)):
            findings.append(named if about_parties else _not_contradicting(named))
    findings += [_quotation_finding(quotation, result) for quotation, result in quoted]
    findings += [_citation_finding(citation, documents) for citation in cited]
    check = _combined(number, claim, findings)
    if quoted:
        check.quotation = _worst(result for _, result in quoted)
    return check


def _names_a_party(named: Finding, parties: Sequence[tuple[SourceDocument, SourceFact]]) -> bool:
    """Whether a name the claim gives is one of the parties Arkiver found (its evidence is a party's own span),
    not merely capitalised words the sources also use ("the Software")."""
    spans = {(document.document_id, fact.span.page, fact.span.start, fact.span.end) for document, fact in parties}
    return any(
        item.role == "supports" and (item.document_id, item.page, item.start, item.end) in spans
        for item in named.evidence
    )


def _not_contradicting(named: Finding) -> Finding:
    """Names in a claim that does not say it is about the parties ("Acme and Beta signed it on ..."): all of
    them the sources' own, they support it; otherwise the claim may name someone else (an escrow agent), so an
    unknown name leaves it unverifiable rather than contradicted."""
    if named.verdict != "contradicted":
        return named
    reason = (named.reason or "").replace("not a party in the sources", "not found in the sources")
    supports = [item for item in named.evidence if item.role == "supports"]
    return Finding("unverifiable", named.topic, named.claimed, reason=reason, evidence=supports)


def _quotation_finding(quotation: Quotation, result: QuotationResult) -> Finding:
    words = quotation.words if len(quotation.words) <= 80 else quotation.words[:77] + "..."
    if result.status == "exact":
        return Finding("supported", None, words, method="quotation", evidence=list(result.evidence))
    if result.status == "close":
        changed = "; ".join(f"'{change.quoted}' where the source has '{change.source}'" for change in result.changes)
        return Finding(
            "contradicted",
            None,
            words,
            method="quotation",
            source_value=" ".join(item.quote for item in result.evidence)[:300] or None,
            reason=f"the quotation is altered: {changed}",
            evidence=list(result.evidence),
        )
    return Finding("unverifiable", None, words, method="quotation", reason="the quoted words are in no source")


def _citation_finding(citation: CitationCheck, documents: Sequence[SourceDocument]) -> Finding:
    if citation.status in ("malformed", "impossible") or citation.detail is not None:
        return Finding(
            "contradicted",
            None,
            citation.text,
            method="citation",
            source_value=citation.authority_name,
            reason=f"citation {citation.text}: {citation.reason}",
        )
    if citation.status == "found":
        return Finding("supported", None, citation.text, method="citation", evidence=_cited_at(citation, documents))
    return Finding(
        "unverifiable", None, citation.text, method="citation", reason=f"citation {citation.text}: {citation.reason}"
    )


def _cited_at(citation: CitationCheck, documents: Sequence[SourceDocument]) -> list[Evidence]:
    """Where a source cites the same authority, if one does (a citation found in the firm's library has no page)."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in citation.normalized.split()))
    for document in documents:
        for number, page in enumerate(document.pages, start=1):
            match = pattern.search(page)
            if match is not None:
                span = Span(page=number, start=match.start(), end=match.end())
                return [evidence_at(document, span, "supports")]
    return []


def _worst(results: Iterable[QuotationResult]) -> QuotationCheck:
    """The quotation check a claim shows: its altered quotation first, then one not found, then an exact one."""
    order = {"close": 0, "not_found": 1, "exact": 2}
    return min(results, key=lambda result: order[result.status]).as_check()


def _blanked(text: str, anchors: list[Anchor], spans: Sequence[tuple[int, int]] = ()) -> str:
    """`text` with its dates, places, amounts and quotations blanked out (same length): none of them is a name
    (a quotation's names are checked with its words)."""
    characters = list(text)
    for start, end in [(anchor.start, anchor.end) for anchor in anchors] + list(spans):
        characters[start:end] = " " * (end - start)
    return "".join(characters)


def _combined(number: int, claim: ClaimSpan, findings: list[Finding]) -> ClaimCheck:
    base = {"index": number, "claim": claim.text, "start": claim.start}
    if not findings:
        return ClaimCheck(**base, verdict="unverifiable", method="none", reason=_NOTHING_TO_CHECK)
    contradicted = [finding for finding in findings if finding.verdict == "contradicted"]
    unverified = [finding for finding in findings if finding.verdict == "unverifiable"]
    supported = [finding for finding in findings if finding.verdict == "supported"]
    if contradicted:
        return _decided_by(base, contradicted[0], contradicted[0].reason, contradicted + supported)
    if unverified:
        first = unverified[0]
        reason = first.reason if not supported else f"{first.reason} (the rest of the claim agrees with them)"
        return _decided_by(base, first, reason, supported)
    methods = {finding.method for finding in supported}
    return ClaimCheck(
        **base,
        verdict="supported",
        method="computed" if "computed" in methods else supported[0].method,
        topic=supported[0].topic,
        claimed="; ".join(finding.claimed for finding in supported),
        evidence=_evidence(supported),
    )


def _decided_by(base: dict[str, Any], finding: Finding, reason: str | None, shown: list[Finding]) -> ClaimCheck:
    """The claim with the verdict of the finding that decided it, and the evidence of `shown`."""
    return ClaimCheck(
        **base,
        verdict=finding.verdict,
        method=finding.method,
        topic=finding.topic,
        claimed=finding.claimed,
        source_value=finding.source_value,
        reason=reason,
        evidence=_evidence(shown),
    )


def _evidence(findings: list[Finding]) -> list[Evidence]:
    seen: set[tuple[str, int, int, int]] = set()
    kept: list[Evidence] = []
    for finding in findings:
        for item in finding.evidence:
            key = (item.document_id, item.page, item.start, item.end)
            if key not in seen and len(kept) < _MAX_EVIDENCE:
                seen.add(key)
                kept.append(item)
    return kept

"""The offline check of a text against its sources: each claim's values and names compared with theirs.

`verify_text` is pure: the text, the source documents (pages and Arkiver's facts), and nothing else. Each claim
gets one verdict: contradicted when any value or name it states disagrees with the sources, supported when every
one agrees with them, and unverifiable otherwise (a claim with nothing checkable in it, or a value no source
states). A contradiction outranks a support, and a claim is never supported in part.
"""

from collections.abc import Sequence
from typing import Any

from cyrano_potemkin.anchors import Anchor, anchors_in
from cyrano_potemkin.claims import ClaimSpan, split_claims
from cyrano_potemkin.findings import Finding
from cyrano_potemkin.names import judge_names
from cyrano_potemkin.passages import SourceIndex, content_stems
from cyrano_potemkin.sources import SourceDocument
from cyrano_potemkin.topics import PARTY_CUE
from cyrano_potemkin.values import Facts, judge_value
from cyrano_potemkin.verdicts import ClaimCheck, Evidence

_MAX_EVIDENCE = 4  # per claim: the deciding quotes, not every place a value recurs
_NOTHING_TO_CHECK = "no date, period, place, amount or party name in it to compare with the sources"


def verify_text(text: str, documents: Sequence[SourceDocument]) -> list[ClaimCheck]:
    index = SourceIndex(documents)
    facts = Facts.of(documents)
    return [
        check_claim(number, claim, documents, index, facts) for number, claim in enumerate(split_claims(text), start=1)
    ]


def check_claim(
    number: int, claim: ClaimSpan, documents: Sequence[SourceDocument], index: SourceIndex, facts: Facts
) -> ClaimCheck:
    anchors = anchors_in(claim.text)
    ranked = [passage for _, passage in index.ranked(content_stems(claim.text))]
    findings = [judge_value(claim.text, anchor, facts, index, ranked) for anchor in anchors]
    if PARTY_CUE.search(claim.text):
        named = judge_names(_blanked(claim.text, anchors), documents, facts.by_topic.get("parties", []))
        if named is not None:
            findings.append(named)
    return _combined(number, claim, findings)


def _blanked(text: str, anchors: list[Anchor]) -> str:
    """`text` with its dates, places and amounts blanked out (same length), so they are not read as names."""
    characters = list(text)
    for anchor in anchors:
        characters[anchor.start : anchor.end] = " " * (anchor.end - anchor.start)
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

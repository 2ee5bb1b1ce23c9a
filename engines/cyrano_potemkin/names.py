"""Judging the parties a claim names: every name must be one the sources give, and a party's name at that.

A claim's names are its runs of capitalised words ("Louisville Gas and Electric Company and Acme Inc."); a run
the sources do not hold whole is tried cut at its "and"s and commas, so two parties joined by "and" are two
names, and a company whose name has an "and" in it stays one. A name the sources never write contradicts a claim
about who the parties are, when Arkiver knows the parties; names are compared without case, punctuation or
corporate suffixes ("ACME, INC." is "Acme Inc").
"""

import re
from collections.abc import Sequence
from functools import lru_cache

from cyrano_arkiver.api import party_key
from cyrano_potemkin.claims import LEGAL_FORMS
from cyrano_potemkin.findings import Finding, evidence_at
from cyrano_potemkin.sources import SourceDocument, SourceFact, Span
from cyrano_potemkin.verdicts import Evidence

# A name's word opens with a capital, or with a few lower-case letters or digits before one ("eBay", "i3",
# "2THEMART.COM"), or is letters with dots ("e.l.f.").
_WORD = r"(?:[A-Z]|[a-z]{1,3}[A-Z0-9]|\d+[A-Z]|[a-z](?:\.[a-z])+\.)[\w&'.\-]*"
_RUN = re.compile(rf"{_WORD}(?:,?\s+(?:(?:and|of|the|for|de|du|van|von|der|&|y)\s+)*(?:{_WORD}|\d[\w&'.\-]*))*")
_SPLIT = re.compile(r",?\s+and\s+|,\s+")  # never at "&": "Procter & Gamble" is one name
# Capitalised words that are not names: sentence openings and the nouns a summary uses for contracts and roles.
_NOT_NAMES = frozenset({
    "the", "this", "that", "these", "those", "it", "its", "a", "an", "agreement", "contract", "license", "licence",
    "amendment", "parties", "party", "licensee", "licensor", "company", "companies", "supplier", "customer",
    "distributor", "vendor", "buyer", "seller", "client", "consultant", "contractor", "provider", "recipient",
    "owner", "lessor", "lessee", "landlord", "tenant", "franchisor", "franchisee", "employer", "employee", "under",
    "in", "on", "and", "between", "by", "their", "both", "each", "either", "neither", "one", "signed",
    "signatories", "signatory", "summary", "note", "notes", "per", "as", "effective", "date", "dated", "governing",
    "law", "term", "renewal", "notice", "expiration", "section", "article", "exhibit", "schedule", "corporation",
    "inc", "llc", "ltd"
})  # fmt: skip
# A name written in lower case ("deep systems") is no capitalised run; after "and" at the end of a claim about the
# parties it is still a party, and must be checked like one.
_TRAILING_NAME = re.compile(r"\band\s+([a-z][\w.&'-]*(?:\s+[a-z][\w.&'-]*){0,4})\s*[.;]?\s*$")
_DOCUMENT_NOUNS = frozenset({"agreement", "contract", "lease", "license", "licence", "amendment", "addendum", "deed"})
_MAX_PARTS = 6


def judge_names(
    claim: str, documents: Sequence[SourceDocument], parties: list[tuple[SourceDocument, SourceFact]]
) -> Finding | None:
    """The finding on the names of a claim about the parties, or None when it names nobody. Pass the claim with
    its dates and places blanked out: "March" and "Delaware" are not parties."""
    supports: list[Evidence] = []
    names: list[str] = []
    missing: list[str] = []
    for run in _RUN.finditer(claim):
        whole = _name_of(run.group())
        if whole is None:
            continue
        found, absent = _best_cut(whole, documents, parties)
        names += [name for name, _ in found] + absent
        supports += [evidence for _, evidence in found]
        missing += absent
    trailing = _TRAILING_NAME.search(claim)
    if names and trailing is not None and _name_of(trailing.group(1)) is not None:  # "X Inc and deep systems."
        name = trailing.group(1).rstrip(".")
        evidence = _find(name, documents, parties)
        names.append(name)
        if evidence is None:
            missing.append(name)
        else:
            supports.append(evidence)
    if not names:
        return None
    claimed = "; ".join(names)
    if not missing:
        return Finding("supported", "parties", claimed, evidence=supports)
    if parties:
        known = "; ".join(dict.fromkeys(str(fact.value) for _, fact in parties))
        contradicting = supports + [evidence_at(document, fact.span, "contradicts") for document, fact in parties[:4]]
        return Finding(
            "contradicted",
            "parties",
            claimed,
            source_value=known,
            reason=f"not a party in the sources: {'; '.join(missing)}",
            evidence=contradicting,
        )
    return Finding("unverifiable", "parties", claimed, reason=f"not found in the sources: {'; '.join(missing)}")


def _best_cut(
    run: str, documents: Sequence[SourceDocument], parties: list[tuple[SourceDocument, SourceFact]]
) -> tuple[list[tuple[str, Evidence]], list[str]]:
    """The cut of `run` into names that the sources explain best: most characters found, then fewest pieces."""
    best: tuple[int, list[tuple[str, Evidence]], list[str]] | None = None
    for pieces in split_runs(run):
        found: list[tuple[str, Evidence]] = []
        absent: list[str] = []
        for piece in pieces:
            name = _name_of(piece)
            if name is None:
                continue
            evidence = _find(name, documents, parties)
            if evidence is None:
                absent.append(name)
            else:
                found.append((name, evidence))
        covered = sum(len(name) for name, _ in found)
        if best is None or covered > best[0]:
            best = (covered, found, absent)
        if not absent:
            break
    assert best is not None  # split_runs always gives the whole run
    return best[1], best[2]


def _name_of(run: str) -> str | None:
    """The run without the generic words it opens with ("The", "Licensee"), or None if nothing else is left."""
    words = [word for word in re.split(r"\s+", run.strip(" ,")) if word]
    while words and words[0].lower().strip(".,'") in _NOT_NAMES:
        words.pop(0)
    if not words or all(word.lower().strip(".,'") in _NOT_NAMES for word in words):
        return None
    if words[-1].lower().strip(".,'") in _DOCUMENT_NOUNS:  # "Supply Agreement" names the contract, not a party
        return None
    last = words[-1]
    if last.endswith(".") and "." not in last[:-1] and last[:-1].lower() not in LEGAL_FORMS:
        words[-1] = last[:-1]  # the sentence's full stop, not an abbreviation's ("Inc.")
    return " ".join(words)


def _find(
    name: str, documents: Sequence[SourceDocument], parties: list[tuple[SourceDocument, SourceFact]]
) -> Evidence | None:
    """Where the sources write `name` (a party's own span first), or None."""
    key = party_key(name)
    if not key:
        return None
    for document, fact in parties:
        if party_key(str(fact.value)) == key:
            return evidence_at(document, fact.span, "supports")
    pattern = _pattern(key)
    for document in documents:
        for number, page in enumerate(document.pages, start=1):
            match = pattern.search(page)
            if match is not None:
                return evidence_at(document, Span(page=number, start=match.start(), end=match.end()), "supports")
    return None


@lru_cache(maxsize=512)
def _pattern(key: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in key.split()]
    return re.compile(r"(?<![\w])" + r"[\W_]*".join(words) + r"(?![\w])", re.IGNORECASE)


def split_runs(name: str) -> list[list[str]]:
    """Ways to cut a run at its "and"s and commas, fewest pieces first (the whole run is the first)."""
    pieces = _SPLIT.split(name)
    if len(pieces) > _MAX_PARTS:
        return [[name]]
    cuts = list(_SPLIT.finditer(name))
    ways: list[list[str]] = []
    for mask in range(1 << len(cuts)):
        parts, start = [], 0
        for bit, cut in enumerate(cuts):
            if mask >> bit & 1:
                parts.append(name[start : cut.start()])
                start = cut.end()
        parts.append(name[start:])
        ways.append(parts)
    ways.sort(key=len)
    return ways

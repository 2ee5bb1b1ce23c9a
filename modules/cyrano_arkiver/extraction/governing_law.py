"""Governing law: the jurisdiction in the choice-of-law clause ("governed by the laws of the State of New York").

Only sentences that speak of governing or construing count, so "a corporation organised under the laws of
Delaware" in the preamble is never taken. Within the clause, a state or province wins over its country
("the laws of the State of New York and the federal laws of the United States" is New York).
"""

import re

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.jurisdictions import COUNTRY_OF, JURISDICTION, canonical, is_subdivision
from cyrano_arkiver.extraction.models import GoverningLaw
from cyrano_arkiver.extraction.sentences import Sentences

_STRONG = re.compile(r"\bgovern(?:ed|s|ing)?\b", re.IGNORECASE)
_WEAK = re.compile(
    r"\b(?:constru(?:ed|ction)|interpret(?:ed|ation)|enforced|validity|controlled\s+by|subject\s+to\s+the\s+laws?"
    r"|subject\s+to\s+the\s+application\s+of)\b",
    re.IGNORECASE,
)
_KEYWORD = re.compile(f"{_STRONG.pattern}|{_WEAK.pattern}", re.IGNORECASE)
_CUE = re.compile(r"govern|constru|interpret|enforced|validity|controlled by|subject to the (?:law|application of)")
_LAWS_OF = re.compile(r"\blaws?\s+(?:\w+\s+){0,3}?of\b|\blaws?\s+(?:in\s+force|applicable)\s+in\b", re.IGNORECASE)
_ADJECTIVE_LAW = re.compile(r"\b(?:substantive\s+)?laws?\b", re.IGNORECASE)
_NOT_CHOICE = re.compile(
    r"\b(?:organi[sz]ed|incorporated|existing|formed)\s+(?:and\s+existing\s+)?under\b", re.IGNORECASE
)
_LAW_GOVERNS = re.compile(r"\b(?:shall|will)\s+(?:govern|apply)\b|\bgovern\s+(?:all|this|the|any)\b", re.IGNORECASE)
# "made in the State of California and governed by the laws thereof": the place named before.
_LAWS_THEREOF = re.compile(
    r"\blaws\s+(?:thereof|of\s+(?:such|that|said)\s+(?:state|province|country|jurisdiction))\b", re.IGNORECASE
)
# The clause is about this contract: "this Agreement shall be governed", "disputes hereunder".
_ABOUT_CONTRACT = re.compile(r"\b(?:agreement|contract|hereunder|hereof|herein|hereto)\b", re.IGNORECASE)
# How far after "laws of" the jurisdiction may appear ("the laws of the State of New York").
_WINDOW = 80


def extract_governing_law(document: Document, sentences: Sentences) -> GoverningLaw | None:
    text = document.text
    best: tuple[int, int, str] | None = None  # (rank, sentence index, jurisdiction)
    for index in sentences.matching(_CUE, document.lower):
        span = sentences.spans[index]
        sentence = text[span.start : span.end]
        strong = _STRONG.search(sentence) is not None
        keyword = _KEYWORD.search(sentence)  # the earliest: "INTERPRETATION ... BY THE LAWS OF TEXAS ... GOVERNING"
        if keyword is None:
            continue
        # "The laws of X shall govern" names the law first; otherwise the law follows the verb.
        jurisdiction = _jurisdiction(sentence, 0 if _LAW_GOVERNS.search(sentence) else keyword.start())
        if jurisdiction is None:
            continue
        # A choice-of-law clause speaks of the contract; "matters governed by the laws of Tennessee" in an opinion
        # requirement does not.
        rank = (0 if strong else 1) + (0 if _ABOUT_CONTRACT.search(sentence) else 2)
        if best is None or rank < best[0]:
            best = (rank, index, jurisdiction)
            if rank == 0:
                break
    if best is None:
        return None
    span = sentences.spans[best[1]]
    provenance = document.provenance(span.start, span.end)
    if provenance is None:
        return None
    return GoverningLaw(provenance=provenance, jurisdiction=best[2], country=COUNTRY_OF.get(best[2]))


def _jurisdiction(sentence: str, after: int) -> str | None:
    found: list[str] = []
    for laws in _LAWS_OF.finditer(sentence, after):
        if _NOT_CHOICE.search(sentence, max(0, laws.start() - 40), laws.start()):
            continue
        for match in JURISDICTION.finditer(sentence, laws.end(), laws.end() + _WINDOW):
            name = canonical(match.group())
            if name is not None:
                found.append(name)
    if not found:
        # "governed by Delaware law", "English law"
        for law in _ADJECTIVE_LAW.finditer(sentence, after):
            before = sentence[max(0, law.start() - 30) : law.start()]
            matches = list(JURISDICTION.finditer(before))
            if matches and before[matches[-1].end() :].strip() in ("", "substantive"):
                name = canonical(matches[-1].group())
                if name is not None:
                    found.append(name)
    if not found:
        thereof = _LAWS_THEREOF.search(sentence, after)
        named = list(JURISDICTION.finditer(sentence, 0, thereof.start())) if thereof else []
        name = canonical(named[-1].group()) if named else None
        if name is not None:
            found.append(name)
    if not found:
        return None
    return next((name for name in found if is_subdivision(name)), found[0])

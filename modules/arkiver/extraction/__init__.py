"""Arkiver's offline insight extractor: rules over the page texts, every insight quoting its page exactly.

`extract_insights(pages)` is pure and deterministic: no network, no models. Each extractor reads one
normalised view of the document (see `document`) and maps what it finds back to raw page offsets.
"""

from collections.abc import Sequence

from modules.arkiver.extraction.amounts import extract_amounts
from modules.arkiver.extraction.citations import extract_citations
from modules.arkiver.extraction.dates import extract_dates
from modules.arkiver.extraction.defined_terms import extract_defined_terms
from modules.arkiver.extraction.document import Document
from modules.arkiver.extraction.governing_law import extract_governing_law
from modules.arkiver.extraction.models import (
    Amount,
    Citation,
    ContractTerm,
    DefinedTerm,
    Duration,
    ExtractedDate,
    GoverningLaw,
    Insights,
    Obligation,
    Party,
    Provenance,
    ResolvedFrom,
    TermClause,
)
from modules.arkiver.extraction.obligations import extract_obligations
from modules.arkiver.extraction.parties import extract_parties
from modules.arkiver.extraction.preamble import find_preamble
from modules.arkiver.extraction.sentences import Sentences
from modules.arkiver.extraction.term import extract_term

__all__ = [
    "Amount",
    "Citation",
    "ContractTerm",
    "DefinedTerm",
    "Duration",
    "ExtractedDate",
    "GoverningLaw",
    "Insights",
    "Obligation",
    "Party",
    "Provenance",
    "ResolvedFrom",
    "TermClause",
    "extract_insights",
]


def extract_insights(pages: Sequence[str]) -> Insights:
    """Insights from a document's page texts (`pages[0]` is page 1)."""
    document = Document(pages)
    sentences = Sentences(document.text)
    preamble = find_preamble(document.text, sentences)
    dates = extract_dates(document, sentences, preamble)
    term, expirations = extract_term(document, sentences, dates)
    dates = sorted([*dates, *expirations], key=lambda item: (item.provenance.page, item.provenance.start))
    parties = extract_parties(document, preamble)
    return Insights(
        parties=parties,
        dates=dates,
        governing_law=extract_governing_law(document, sentences),
        amounts=extract_amounts(document, sentences),
        citations=extract_citations(document.pages),
        defined_terms=extract_defined_terms(document, sentences),
        obligations=extract_obligations(document, sentences, parties),
        term=term,
    )

"""Arkiver's offline insight extractor: rules over the page texts, every insight quoting its page exactly.

`extract_insights(pages)` is pure and deterministic: no network, no models. Each extractor reads one
normalised view of the document (see `document`) and maps what it finds back to raw page offsets.
"""

from collections.abc import Sequence

from cyrano_arkiver.extraction.amounts import extract_amounts
from cyrano_arkiver.extraction.citations import extract_citations
from cyrano_arkiver.extraction.dates import extract_dates
from cyrano_arkiver.extraction.defined_terms import extract_defined_terms
from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.governing_law import extract_governing_law
from cyrano_arkiver.extraction.models import (
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
from cyrano_arkiver.extraction.obligations import extract_obligations
from cyrano_arkiver.extraction.parties import extract_parties
from cyrano_arkiver.extraction.preamble import find_preamble
from cyrano_arkiver.extraction.sentences import Sentences
from cyrano_arkiver.extraction.term import extract_term

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

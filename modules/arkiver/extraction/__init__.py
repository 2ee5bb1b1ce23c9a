"""Arkiver's offline insight extractor: rules over the page texts, every insight quoting its page exactly.

`extract_insights(pages)` is pure and deterministic: no network, no models. Each extractor reads one
normalised view of the document (see `document`) and maps what it finds back to raw page offsets.
"""

from collections.abc import Sequence

from modules.arkiver.extraction.dates import extract_dates
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
    return Insights(
        parties=extract_parties(document, preamble),
        dates=dates,
        governing_law=extract_governing_law(document, sentences),
        term=term,
    )

"""Defined terms: '"Term" means ...', '"Term" shall have the meaning ...', '... (the "Term")', '(hereinafter "Term")'.

For a "means" definition the definition is the rest of the sentence; for a parenthetical one it is the phrase
the parenthesis closes ("This Strategic Alliance Agreement (the "Agreement")"), back to the previous clause
break. The first definition of a term wins.
"""

import re

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.models import DefinedTerm
from cyrano_arkiver.extraction.sentences import Sentences

_TERM = r"\"(?P<term>[A-Z0-9][^\"]{0,60}?)[,.]?\""
_MEANS = re.compile(
    rf"{_TERM}\s*(?:shall\s+mean|means|shall\s+have\s+the\s+meaning|has\s+the\s+meaning|shall\s+refer\s+to|refers\s+to|"
    r"is\s+defined\s+as|shall\s+be\s+defined\s+as|:)\s*"
)
_PARENTHETICAL = re.compile(
    r"\(\s*(?:(?:the|this|each|an?|collectively|individually|together|jointly|and|or|as|herein|hereinafter|"
    r"referred\s+to\s+as|called|,)\s*){0,6}"
    + _TERM
    + r"\s*\)|\b(?:hereinafter|herein)\s+(?:referred\s+to\s+as|called)\s*:?\s*(?:the\s+)?"
    + _TERM.replace("term>", "term2>")
)
# Where the phrase a parenthesis defines begins: after the last bracket, semicolon, colon or line break.
_CLAUSE_BREAK = re.compile(r".*[();:\n\"]", re.DOTALL)
_LEADING = re.compile(r"[\s,]*(?:(?:and|or|by|between|among)\s+)?")
_MAX_PHRASE = 150
_MAX_DEFINITION = 600


def extract_defined_terms(document: Document, sentences: Sentences) -> list[DefinedTerm]:
    text = document.text
    found: dict[str, DefinedTerm] = {}
    for match in _MEANS.finditer(text):
        sentence = sentences.around(match.start())
        end = min(sentence.end, match.end() + _MAX_DEFINITION)
        definition = text[match.end() : end].strip()
        _add(document, found, match.group("term"), definition, match.start(), end)
    for match in _PARENTHETICAL.finditer(text):
        term = match.group("term") or match.group("term2")
        sentence = sentences.around(match.start())
        window_start = max(sentence.start, match.start() - _MAX_PHRASE)
        if window_start > sentence.start:  # cut by length: start at a word
            window_start = text.find(" ", window_start, match.start()) + 1 or window_start
        window = text[window_start : match.start()]
        cut = _CLAUSE_BREAK.match(window)
        phrase_start = window_start + (cut.end() if cut else 0)
        leading = _LEADING.match(text, phrase_start, match.start())
        if leading is not None:
            phrase_start = leading.end()
        definition = text[phrase_start : match.start()].strip(" ,")
        if definition:
            _add(document, found, term, definition, phrase_start, match.end())
    return sorted(found.values(), key=lambda item: (item.provenance.page, item.provenance.start))


def _add(document: Document, found: dict[str, DefinedTerm], term: str, definition: str, start: int, end: int) -> None:
    term = re.sub(r"\s+", " ", term).strip(" ,.")
    key = term.lower()
    if not term or key in found or not definition:
        return
    provenance = document.provenance(start, end)
    if provenance is not None:
        found[key] = DefinedTerm(provenance=provenance, term=term, definition=re.sub(r"\s+", " ", definition))

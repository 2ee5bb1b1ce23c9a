"""Signature blocks: the names straight before "By:", for filings whose preamble names nobody ("the undersigned").

The text before "By:" may carry more than the name: the date line of the block ("as of February 20, 2020. ACME
LP"), the title of the signer above ("EVP Business Affairs ACME, LTD."), or two entities stacked, the second
signing for the first ("ACME FUND L.P. ACME MANAGEMENT L.P. By: ..."), each of them a party.
"""

import re
from dataclasses import dataclass

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.models import Party
from cyrano_arkiver.extraction.party_names import ROLE_NOUNS, STRICT_SUFFIX, SUFFIX, party_kind, valid_name

# One line of the normalised text: names in a signature block never run across a paragraph break.
_SIGNATORY = re.compile(rf"(?:[A-Z0-9(][\w.&'/()-]*,?[ ]){{0,8}}?(?:[A-Z0-9(][\w.&'/()-]*[ ]?,?[ ]?)(?i:{SUFFIX})\s?$")
_BY = re.compile(r"By ?:")
# The signature line before a name ends with the signer's title.
_TITLE_BEFORE = re.compile(
    r"^.*\b(?:Officer|Counsel|Partner|Manager|Member|Director|President|Secretary|Treasurer|Chairman|CEO|CFO|COO|CTO"
    r"|Title:?|Date:?)\s+"
)
# A date, or a sentence that ends, before the name.
_DATE_BEFORE = re.compile(r"^.*(?:\b(?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b)\.?\s+")
_SENTENCE_BEFORE = re.compile(
    rf"^.*\b(?!(?:Inc|Corp|Co|Ltd|Jr|Sr|No|Bhd)\.)[A-Z]?[a-z]{{2,}}\.\s+(?=[A-Z])(?!{STRICT_SUFFIX})"
)
# A legal form followed by the next entity's first word: where two stacked names meet.
_BETWEEN_NAMES = re.compile(rf"(?<=[\s,]){STRICT_SUFFIX}(?=\s+(?!{STRICT_SUFFIX})[A-Z0-9(])")
_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)
# A descriptor after the name: "ACME USA A Delaware Corporation".
_DESCRIPTOR_AFTER = re.compile(r"\s+(?i:an?)\s+[A-Z][\w.-]*\s+(?i:corporation|company|limited\s+liability\s+company)$")
# A block's role label in capitals before the name ("LICENSEE ACME INC.", "MASTER FRANCHISEE ACME INC."); not the
# role words that also start names ("COMPANY", "BANK OF ...", "TRUST ...").
_LABELS = "|".join(
    sorted(ROLE_NOUNS - {"company", "bank", "fund", "trust", "partnership", "partners", "agency", "member", "members"})
)
_ROLE_LABEL = re.compile(rf"(?:MASTER\s+|SUB-?)?(?:{_LABELS.upper()})S?\s*:?\s+(?=[A-Z0-9](?!OF\b|AND\b|&))")


@dataclass(frozen=True, slots=True)
class _Name:
    start: int  # in the normalised text
    text: str


def signatories(document: Document) -> list[Party]:
    """Names straight before "By:" in the signature blocks (found by the literal, then read backwards)."""
    text = document.text
    witness = _WITNESS.search(text)
    start = witness.start() if witness else max(0, len(text) - 20_000)
    parties: list[Party] = []
    for by in _BY.finditer(text, start):
        match = _SIGNATORY.search(text, max(start, by.start() - 150), by.start())
        if match is None:
            continue
        for name in _names(match.start(), match.group()):
            if not valid_name(name.text) or any(name.text.lower() == seen.name.lower() for seen in parties):
                continue
            provenance = document.provenance(name.start, name.start + len(name.text))
            if provenance is not None:
                parties.append(Party(provenance=provenance, name=name.text, kind=party_kind(name.text, "")))
    return parties


def _names(start: int, block: str) -> list[_Name]:
    """The names in the text before one "By:", without the date, sentence or title before them."""
    kept = block.rstrip(" ,\n")
    for prefix in (_DATE_BEFORE, _SENTENCE_BEFORE, _TITLE_BEFORE):
        cut = prefix.match(kept)
        if cut is not None:
            kept = kept[cut.end() :]
    offset = start + len(block.rstrip(" ,\n")) - len(kept)
    kept = _DESCRIPTOR_AFTER.sub("", _capitals_tail(kept))
    offset = start + len(block.rstrip(" ,\n")) - len(kept)
    names: list[_Name] = []
    piece_start = 0
    for boundary in _BETWEEN_NAMES.finditer(kept):
        names.append(_Name(offset + piece_start, kept[piece_start : boundary.end()].strip()))
        piece_start = boundary.end() + 1
    names.append(_Name(offset + piece_start, kept[piece_start:].strip()))
    return [unlabelled for name in names if (unlabelled := _without_label(name)).text]


def _without_label(name: _Name) -> _Name:
    label = _ROLE_LABEL.match(name.text)
    return name if label is None else _Name(name.start + label.end(), name.text[label.end() :])


def _capitals_tail(name: str) -> str:
    """An all-capitals name after words that are not ("EVP Business Affairs ACME PARTNERS, LTD."): the capitals."""
    words = name.split(" ")
    tail = len(words)
    while tail > 0 and not any(char.islower() for char in words[tail - 1]):
        tail -= 1
    if tail == 0 or len(words) - tail < 3 or not re.fullmatch(r"[A-Z][A-Z&'-]{2,}", words[tail]):
        return name
    return " ".join(words[tail:])

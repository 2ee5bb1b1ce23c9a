"""Signature blocks: the names straight before "By:", for filings whose preamble names nobody ("the undersigned")."""

import re

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.models import Party
from cyrano_arkiver.extraction.party_names import SUFFIX, party_kind, valid_name

# Signature blocks: "ACME, INC. By: /s/ ..." — the name comes straight before "By:".
# One line of the normalised text: names in a signature block never run across a paragraph break.
_SIGNATORY = re.compile(rf"(?:[A-Z0-9(][\w.&'/()-]*,?[ ]){{0,8}}?(?:[A-Z0-9(][\w.&'/()-]*[ ]?,?[ ]?)(?i:{SUFFIX})\s?$")
_BY = re.compile(r"By ?:")
# The signature line before a name ends with the signer's title.
_TITLE_BEFORE = re.compile(r"^.*\b(?:Officer|Counsel|Partner|Manager|Member|Director|President|Secretary|Title:?)\s+")
_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)


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
        name = _TITLE_BEFORE.sub("", match.group().strip(" ,\n"))
        if not valid_name(name) or any(name.lower() == seen.name.lower() for seen in parties):
            continue
        name_start = match.start() + match.group().find(name)
        provenance = document.provenance(name_start, name_start + len(name))
        if provenance is not None:
            parties.append(Party(provenance=provenance, name=name, kind=party_kind(name, "")))
    return parties

"""Parties: the entities the preamble names, with the short names and roles the contract gives them.

The preamble's party list is split into entries (`party_list`), each entry's name found (`party_names`). Filings
signed by "the undersigned" name nobody in the preamble; there the signature blocks are read (`signatories`).
"""

import re

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.models import Party
from cyrano_arkiver.extraction.party_headings import heading_windows, label_windows
from cyrano_arkiver.extraction.party_letters import defined_entries, letter_entries, letter_opening, opening_sentence
from cyrano_arkiver.extraction.party_list import Entry, list_entries
from cyrano_arkiver.extraction.party_names import ROLE_NOUNS, aliases_in, party_kind
from cyrano_arkiver.extraction.preamble import Preamble
from cyrano_arkiver.extraction.signatories import signatories

__all__ = ["ROLE_NOUNS", "extract_parties"]

_LEGAL_FORMS = frozenset(
    {"inc", "incorporated", "corp", "corporation", "co", "company", "llc", "ltd", "limited", "lp", "llp", "plc"}
)


def extract_parties(document: Document, preamble: Preamble | None) -> list[Party]:
    parties: list[Party] = []
    for entry in _entries(document.text, preamble):
        party = _party(document, entry)
        # A name already given, or the short name of a party listed before ("... ("Philips"). Customer and Philips
        # are collectively ..."), is no new party.
        if party is not None and all(
            party.name.lower() not in (seen.name.lower(), *(alias.lower() for alias in seen.aliases))
            for seen in parties
        ):
            parties.append(party)
    if len(parties) < 2:
        # A contract has two parties at least: the signature blocks name the ones the opening did not.
        known = {_key(name) for party in parties for name in (party.name, *party.aliases)}
        parties += [signer for signer in signatories(document) if _key(signer.name) not in known]
    return parties


def _key(name: str) -> str:
    """A name compared without case, punctuation or a trailing legal form."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _entries(text: str, preamble: Preamble | None) -> list[Entry]:
    """The names a letter's opening defines, where a salutation comes before any preamble; else the preamble's
    party list; where it names fewer than two parties (often a title line), the list set out under a "BETWEEN"
    heading, else "Party A: ..." labels, whichever names more, else the names the opening defines by short names."""
    opening = letter_opening(text, preamble.sentence.start if preamble is not None else len(text))
    if opening is not None and len(letter := letter_entries(text, *opening)) >= 2:
        return letter
    entries = list_entries(text, preamble.parties_start, preamble.parties_end) if preamble is not None else []
    if len(entries) < 2:
        for window in heading_windows(text):
            found = list_entries(text, window.start, window.end)
            if len(found) > len(entries):
                entries = found
    if len(entries) < 2:
        labelled = [list_entries(text, window.start, window.end)[:1] for window in label_windows(text)]
        if sum(map(len, labelled)) > len(entries):
            entries = [entry for found in labelled for entry in found]
    if len(entries) < 2:
        # No list to split: the names the opening sentence defines by short names.
        sentence = (preamble.sentence.start, preamble.sentence.end) if preamble is not None else opening_sentence(text)
        defined = defined_entries(text, *sentence) if sentence is not None else []
        if len(defined) >= 2 and len(defined) > len(entries):
            entries = defined
    return entries


def _party(document: Document, entry: Entry) -> Party | None:
    provenance = document.provenance(entry.start, entry.end)
    if provenance is None:
        return None
    name = document.text[entry.start : entry.end]
    aliases = aliases_in(entry.rest)
    role = next((alias for alias in aliases if alias.lower() in ROLE_NOUNS), None)
    return Party(provenance=provenance, name=name, aliases=aliases, role=role, kind=party_kind(name, entry.rest))

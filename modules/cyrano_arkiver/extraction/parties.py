"""Parties: the entities the preamble names, with the short names and roles the contract gives them.

A preamble lists each party as `NAME[, descriptor][ (the "Alias")]`, the entries separated by "and", ";" or
commas. An entry ends where its alias closes, or where a new entity with a corporate suffix starts; the name is
the leading run of capitalised words (commas allowed only before a suffix, as in "WYZZ, Inc."). Filings signed
by "the undersigned" name nobody in the preamble; there the signature blocks ("NAME By: ...") are read.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.jurisdictions import canonical
from cyrano_arkiver.extraction.models import Party, PartyKind
from cyrano_arkiver.extraction.preamble import Preamble
from cyrano_arkiver.extraction.sentences import split_sentences

SUFFIX = (
    r"(?:Inc|Incorporated|Corp|Corporation|Co|Company|LLC|L\.\s?L\.\s?C|Ltd|Limited|LP|L\.\s?P|LLP|L\.\s?L\.\s?P|PLC|"
    r"P\.\s?L\.\s?C|GmbH|AG|KG|SE|B\.\s?V|N\.\s?V|S\.\s?A(?:\.\s?S)?|SAS|S\.\s?p\.\s?A|S\.\s?A\.\s?R\.\s?L|SARL|SRL|Pty|"
    r"Pte|A/S|AB|ASA|Oy|N\.\s?A|P\.\s?C|PC|Trust|Bank|University|Fund)\b\.?"
)
_SUFFIX_END = re.compile(rf"(?:^|[\s,]){SUFFIX}\s*$", re.IGNORECASE)
_STARTS_WITH_SUFFIX = re.compile(rf"\s*,?\s*{SUFFIX}(?=[\s,;()]|$)", re.IGNORECASE)
# Suffixes that end a company name ("Acme Limited of 5 High Street" is Acme Limited); not "Bank" or "Trust",
# which addresses and longer names contain.
_STRICT_SUFFIX = (
    r"(?i:Inc|Incorporated|Corp|Corporation|Company|LLC|L\.L\.C|Ltd|Limited|LP|L\.P|LLP|PLC|GmbH|AG|B\.V|N\.V|S\.A|N\.A|"
    r"Pty|Pte)\b\.?"
)
# A new entry in a party list: a name with a corporate suffix, or (once the previous entry is complete)
# capitalised words followed by an alias or a descriptor ('Paul Silas ("Celebrity")', "Acme, a Delaware
# corporation"). Words with digits are addresses ("California 95008"), never names here.
_ENTITY_AHEAD = re.compile(
    rf"\s*(?:(?i:and)\s+|&\s+)?(?:(?:(?!(?i:and)\b)[A-Z\[][\w.&'/*\]-]*|\d{{1,2}}|of|the|de|&),?\s+){{0,7}}{_STRICT_SUFFIX}(?=[\s,;(]|$)"
)
# The same with "and" inside the name ("Louisville Gas and Electric Company", "New York Life Insurance and Annuity
# Corporation"): the words before "and" must not be a place ("..., Boston and New York and Beta LLC").
_ENTITY_WITH_AND_AHEAD = re.compile(
    rf"\s*(?:(?i:and)\s+)?(?P<head>(?:(?!(?i:and)\b)[A-Z][\w.'-]*\s+){{1,5}})(?i:and)\s+(?:[A-Z][\w.&'-]*\s+){{0,4}}"
    rf"{_STRICT_SUFFIX}(?=[\s,;(]|$)"
)
_NAME_WORD = r"(?!(?i:and)\b)[A-Z\[][A-Za-z.&'/*\]-]*"
_NAMED_AHEAD = re.compile(
    rf"\s*(?:(?i:and)\s+|&\s+)?(?P<name>(?:(?:{_NAME_WORD}|of|the|de|&)\s+){{0,9}}{_NAME_WORD})\s*(?:,?\s*\(|,\s+(?:a|an|"
    r"with|having|whose|located|organi[sz]ed|incorporated|of)\s|\s(?:hereinafter|herein|referred))"
)


_PARENTHESIS_IN_NAME = re.compile(rf"\([^()\"]{{1,30}}\)\s*,?\s*{_STRICT_SUFFIX}")
_COMMA_IN_NAME = re.compile(rf",\s*(?:[A-Z][\w'.-]*,?\s+|&\s+){{1,4}}{_STRICT_SUFFIX}(?=[\s,;(]|$)")
_QUOTED_END = re.compile(r"\"[^\"]{1,40}\"\s*$")
# Where a party list stops.
_STOP = re.compile(
    r"\b(?:WHEREAS|RECITALS?|WITNESSETH|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|BACKGROUND|PREAMBLE|Source:|TABLE\s+OF\s+CONTENTS"
    r"|NOW,?\s+THEREFORE|hereby|agrees?\s+(?:as\s+follows|to)|(?:each|both)\s+(?:of\s+(?:which|whom)\s+(?:is\s+)?)?(?:a|the)\s+\"Part"
    r"|(?:is|are)\s+(?:sometimes\s+)?(?:hereinafter\s+)?(?:individually|collectively|each|jointly)|dated\s+as\s+of|dated\b"
    r"|(?:made\s+)?effective\s+(?:as\s+of|on)|with\s+respect\s+to|regarding|concerning|pursuant\s+to|for\s+the\s+(?:purpose|development)"
    r"|sets?\s+forth|which\s+Parties|each\s+of\s+the\s+foregoing|the\s+parties\s+hereto)",
    re.IGNORECASE,
)
# Reading past the preamble sentence: at most this many more sentences, each at most this long.
_MAX_EXTRA_SENTENCES = 3
_EXTRA_CHARS = 1200
_DANGLING_END = re.compile(r"(?:\b(?i:and|between|among)|[;,:&-])\W*$")
_JOINING_START = re.compile(r"\s*(?:(?i:and)\b|-+\s*(?i:and)\b|&|\(\d\)|\d\.\s)")
# Something in the next sentence that only a party entry has: a legal form or a quoted short name.
_PARTY_CUE = re.compile(rf"\b{_STRICT_SUFFIX}(?=[\s,;()]|$)|\(\s*(?:the\s+|hereinafter\s+)?\"")
_LEADING_NOISE = re.compile(
    r"^(?:\s|,|:|;|-|—|and\b|between\b|among\b|by\b|on\s+the\s+(?:one|other)\s+hand\b|\(\w{1,3}\)|\d\.)+", re.IGNORECASE
)
_ALIAS_QUOTED = re.compile(r"\"([^\"]{1,60}?)[\"\)]")
_HEREINAFTER = re.compile(
    r"(?:hereinafter|herein|hereafter|below)?\s*(?:referred\s+to\s+(?:in\s+this\s+\w+\s+)?as|called|known\s+as)\s+"
    r"(?:the\s+)?\"?([A-Z][\w.&' -]{0,40}?)(?:\"|\s+—|,|\s*$|\))",
    re.IGNORECASE,
)
_NOT_ALIASES = frozenset({"party", "parties", "agreement", "the parties", "the party"})
_CONNECTORS = frozenset({
    "and", "of", "the", "de", "du", "la", "le", "des", "del", "von", "van", "der", "den", "&", "y", "et", "for",
    "and/or",
})  # fmt: skip
# Suffixes some filings write in lower case ("salesforce.com, inc.").
_LOWER_SUFFIX = frozenset({"inc", "corporation", "corp", "company", "limited", "ltd", "llc", "co"})
_ENDING_SUFFIXES = frozenset({
    "inc", "incorporated", "llc", "l.l.c", "ltd", "limited", "lp", "l.p", "llp", "plc", "gmbh", "ag", "b.v", "n.v",
    "s.a", "pty", "pte", "a/s", "s.a.s", "sas",
})  # fmt: skip
# Words that may follow a suffix in the same name ("Cremer Oleo GmbH & Co KG", "Acme Pty Ltd").
_SUFFIX_WORDS = _ENDING_SUFFIXES | {"co", "kg", "corp", "corporation", "company", "ab"}
_NAME_STOP_WORDS = frozenset(
    {"the", "a", "an", "each", "this", "that", "such", "all", "any", "its", "their", "undersigned"}
)
_DESCRIPTOR = re.compile(
    r",?\s+(?:a|an)\s+(?:[\w-]+\s+){0,6}?(?:corporation|company|partnership|individual|entity|trust|bank|association|"
    r"organi[sz]ation|institution|university|society|limited|llc|business|resident|citizen|GmbH)\b|,?\s+(?:with|having|whose|located|"
    r"organi[sz]ed|incorporated|existing|residing|acting|doing|d/b/a|dba)\b|\s+of\s+\d",
    re.IGNORECASE,
)
_PERSON_CUE = re.compile(r"\b(?:an\s+individual|individually|residing|his|her|Mr\.|Ms\.|Mrs\.|Dr\.)\b", re.IGNORECASE)
_GOVERNMENT = re.compile(
    r"\b(?:State|Commonwealth|County|City|Town|Village|Province|Republic|Kingdom|Government|Department|Ministry|"
    r"Agency|Authority|Commission|Municipality|United\s+States)\b"
)
_COMPANY_WORDS = re.compile(
    rf"{SUFFIX}|\b(?:Holdings?|Group|Partners|Partnership|Enterprises|Associates|Industries|Technologies|Systems|"
    r"Solutions|Services|Communications|Pharmaceuticals|Therapeutics|Foundation|Institute|Center|Centre|Society|"
    r"Association|Networks?|Media|Labs?|Laboratories|Capital|Ventures|International|Global)\b",
    re.IGNORECASE,
)
ROLE_NOUNS = frozenset({
    "licensee", "licensor", "company", "consultant", "contractor", "subcontractor", "client", "customer", "vendor",
    "supplier", "distributor", "reseller", "developer", "manufacturer", "agent", "sponsor", "franchisee",
    "franchisor", "lessee", "lessor", "landlord", "tenant", "buyer", "seller", "purchaser", "employer", "employee",
    "provider", "recipient", "carrier", "shipper", "transporter", "owner", "operator", "manager", "partnership",
    "partners", "celebrity", "talent", "athlete", "investor", "lender", "borrower", "guarantor", "member",
    "members", "servicer", "affiliate", "agency", "bank", "fund", "trust", "endorser", "publisher",
    "producer", "artist",
})  # fmt: skip
# Signature blocks: "ACME, INC. By: /s/ ..." — the name comes straight before "By:".
# One line of the normalised text: names in a signature block never run across a paragraph break.
_SIGNATORY = re.compile(rf"(?:[A-Z0-9(][\w.&'/()-]*,?[ ]){{0,8}}?(?:[A-Z0-9(][\w.&'/()-]*[ ]?,?[ ]?)(?i:{SUFFIX})\s?$")
_BY = re.compile(r"By ?:")
# The signature line before a name ends with the signer's title.
_TITLE_BEFORE = re.compile(r"^.*\b(?:Officer|Counsel|Partner|Manager|Member|Director|President|Secretary|Title:?)\s+")
_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Chunk:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Entry:
    start: int  # the name's span in the normalised text
    end: int
    rest: str  # what follows the name in its entry: descriptor and aliases
    collective: bool  # its alias names a group: 'A and B (collectively "X")'


def extract_parties(document: Document, preamble: Preamble | None) -> list[Party]:
    entries: list[_Entry] = []
    if preamble is not None:
        entries = _list_entries(document.text, preamble.parties_start, preamble.parties_end)
    parties: list[Party] = []
    for entry in entries:
        party = _party(document, entry)
        if party is not None and all(party.name.lower() != seen.name.lower() for seen in parties):
            parties.append(party)
    return parties or _signatories(document)


def _list_entries(text: str, start: int, end: int) -> list[_Entry]:
    """The entries of the party list in [start, end), read on past `end` while the list is plainly unfinished: the
    sentence splitter stops at full stops in addresses ("Port Vila. Vanuatu"), and "BETWEEN: A; AND: B" layouts
    put each party in its own paragraph."""
    stop = _STOP.search(text, start, end)
    if stop is not None:
        end = stop.start()
    entries = _parse_entries(text, start, end)
    for _ in range(_MAX_EXTRA_SENTENCES):
        if stop is not None or not (_unfinished(text, start, end) or len(entries) < 2):
            break
        following = split_sentences(text[end : end + _EXTRA_CHARS])
        if not following:
            break
        extended = end + following[0].end
        stop = _STOP.search(text, end, extended)
        if stop is not None:
            extended = stop.start()
        if not _unfinished(text, start, end) and _PARTY_CUE.search(text, end, extended) is None:
            break
        more = _parse_entries(text, start, extended)
        if len(more) <= len(entries):
            break
        entries, end = more, extended
    return entries


def _unfinished(text: str, start: int, end: int) -> bool:
    """The list so far ends on a joining word or inside parentheses or quotes, or the text goes on with "and"."""
    window = text[start:end]
    return (
        _DANGLING_END.search(window) is not None
        or window.count("(") > window.count(")")
        or window.count('"') % 2 == 1
        or _JOINING_START.match(text, end) is not None
    )


def _parse_entries(text: str, start: int, end: int) -> list[_Entry]:
    entries: list[_Entry] = []
    for chunk in _chunks(text, start, end):
        entry = _entry(text, chunk)
        if entry is None:
            continue
        previous = entries[-1] if entries else None
        group_of_two = len(entries) < 2 or bool(_aliases(entries[-2].rest))
        if entry.collective and previous is not None and not _aliases(previous.rest) and group_of_two:
            # "WYZZ, Inc. and WYZZ Licensee, Inc. (collectively "WYZZ")" is one party; a longer list is not.
            entry = _Entry(previous.start, entry.end, entry.rest, collective=True)
            entries.pop()
        entries.append(entry)
    return entries


def _chunks(text: str, start: int, end: int) -> Iterator[_Chunk]:
    """Split a party list at "and", ";" or "," where the entry so far is complete."""
    depth = 0
    chunk_start = start
    alias_closed = False
    for position in range(start, end):
        char = text[position]
        if char == "(":
            depth += 1
            continue
        if char == ")":
            depth = max(0, depth - 1)
            alias_closed = alias_closed or depth == 0
            continue
        is_and = char in " \n" and text[position + 1 : position + 5].lower() in ("and ", "and\n")
        if depth or not (char in ",;" or is_and):
            continue
        so_far = text[chunk_start:position]
        # A short name in quotes without parentheses ('Acme AG "Licensor"') completes an entry too.
        alias_closed = alias_closed or _QUOTED_END.search(so_far) is not None
        complete = alias_closed or _DESCRIPTOR.search(so_far) is not None or _SUFFIX_END.search(so_far) is not None
        if char == ";":
            # Addresses use semicolons too ("5701 Old Harding Pike; Suite 200; Nashville").
            split = _entity_ahead(text, position + 1, end) or _named_ahead(text, position + 1, end)
        elif char == ",":
            # Inside an address only a company name starts a new entry; after an alias, a person's name may.
            split = (
                complete
                and _STARTS_WITH_SUFFIX.match(text, position, end) is None
                and (
                    _entity_ahead(text, position + 1, end)
                    or alias_closed
                    and _named_ahead(text, position + 1, end)
                )
            )
        else:
            split = complete and (
                _entity_ahead(text, position + 4, end) or _named_ahead(text, position + 4, end)
            )
        if split:
            yield _Chunk(chunk_start, position)
            chunk_start = position + 1
            alias_closed = False
    if chunk_start < end:
        yield _Chunk(chunk_start, end)


def _entity_ahead(text: str, position: int, end: int) -> bool:
    """A company name (ending in a legal form) starts here."""
    if _ENTITY_AHEAD.match(text, position, end) is not None:
        return True
    match = _ENTITY_WITH_AND_AHEAD.match(text, position, end)
    return match is not None and canonical(match.group("head").strip()) is None


def _named_ahead(text: str, position: int, end: int) -> bool:
    """A name with an alias or descriptor starts here, and it is not a place ("..., Florida, a Florida corporation")."""
    match = _NAMED_AHEAD.match(text, position, end)
    return match is not None and canonical(match.group("name")) is None


def _entry(text: str, chunk: _Chunk) -> _Entry | None:
    raw = text[chunk.start : chunk.end]
    noise = _LEADING_NOISE.match(raw)
    offset = noise.end() if noise else 0
    name_end = _name_length(raw, offset)
    name = raw[offset:name_end]
    stripped = name.strip(' ,;:"')
    if not _valid_name(stripped):
        return None
    start = chunk.start + offset + name.index(stripped)
    rest = raw[name_end:]
    collective = re.match(r"\s*,?\s*\(\s*(?:collectively|together)\b", rest, re.IGNORECASE) is not None
    return _Entry(start, start + len(stripped), rest, collective)


def _party(document: Document, entry: _Entry) -> Party | None:
    provenance = document.provenance(entry.start, entry.end)
    if provenance is None:
        return None
    name = document.text[entry.start : entry.end]
    aliases = _aliases(entry.rest)
    role = next((alias for alias in aliases if alias.lower() in ROLE_NOUNS), None)
    return Party(provenance=provenance, name=name, aliases=aliases, role=role, kind=_kind(name, entry.rest))


def _name_length(raw: str, offset: int) -> int:
    """Where the name that starts at `offset` ends: at a parenthesis, a descriptor, or the first plain word."""
    position = offset
    first = True
    previous = ""
    for token in re.finditer(r"[^\s,()]+|,|\(", raw[offset:]):
        word = token.group()
        at = offset + token.start()
        if word == "(":
            if _PARENTHESIS_IN_NAME.match(raw, at) is None:
                return at
            continue  # "GALEN (CHEMICALS) LIMITED", "YA Global Investments II (U.S.), Ltd."
        if word == ",":
            # "WYZZ, Inc.", and "Stratton, Cheeseman & Walsh-Nevada, Inc." where the suffix comes a few names on.
            if _STARTS_WITH_SUFFIX.match(raw, at) is None and _COMMA_IN_NAME.match(raw, at) is None:
                return at
            continue
        lowered = word.lower()
        plain = word[0].islower() and lowered not in _CONNECTORS and lowered.rstrip(".") not in _LOWER_SUFFIX
        if first:
            if lowered in _NAME_STOP_WORDS and lowered != "the":
                return at
            first = False
        elif plain or word in ("—", "-", "–"):
            return at
        elif lowered == "of" and re.match(r"\s*\d", raw[at + 2 :]):
            return at  # "Acme Inc of 512 Bayshore Drive"
        elif previous.rstrip(".") in _ENDING_SUFFIXES and lowered.rstrip(".") not in _SUFFIX_WORDS and word != "&":
            return at  # a suffix ends the name: "Acme Limited of Boston House", "Acme AG Alter Postplatz 2"
        position = at + len(word)
        previous = lowered
    return position


def _valid_name(name: str) -> bool:
    words = re.findall(r"[A-Za-z0-9]+", name)
    if not words or len(name) > 150:
        return False
    first = name.split()[0]
    if not (first[0].isupper() or first[0].isdigit() or any(c.isupper() for c in first) or "." in first):
        return False
    return not all(word.lower() in _CONNECTORS or word.lower() in _NAME_STOP_WORDS for word in words)


def _aliases(rest: str) -> list[str]:
    found: list[str] = []
    candidates = [match.group(1) for match in _ALIAS_QUOTED.finditer(rest)]
    candidates += [match.group(1) for match in _HEREINAFTER.finditer(rest)]
    # "(MICOA)", "(hereinafter IntriCon)": an unquoted short name in parentheses.
    candidates += re.findall(r"\((?:hereinafter\s+|the\s+)?([A-Z][\w&.'-]{1,30}(?:\s[A-Z][\w&.'-]{1,30})?)\)", rest)
    for candidate in candidates:
        alias = candidate.strip(" ,.'\"")
        if alias and alias.lower() not in _NOT_ALIASES and alias not in found:
            found.append(alias)
    return found


def _kind(name: str, rest: str) -> PartyKind:
    if _GOVERNMENT.search(name) and not _COMPANY_WORDS.search(name):
        return "government"
    if _COMPANY_WORDS.search(name) or re.search(r"\b(?:corporation|company|partnership)\b", rest[:120], re.IGNORECASE):
        return "company"
    words = name.split()
    if _PERSON_CUE.search(rest[:80]) or (2 <= len(words) <= 4 and all(word[:1].isupper() for word in words)):
        return "person"
    return "unknown"


def _signatories(document: Document) -> list[Party]:
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
        if not _valid_name(name) or any(name.lower() == seen.name.lower() for seen in parties):
            continue
        name_start = match.start() + match.group().find(name)
        provenance = document.provenance(name_start, name_start + len(name))
        if provenance is not None:
            parties.append(Party(provenance=provenance, name=name, kind=_kind(name, "")))
    return parties

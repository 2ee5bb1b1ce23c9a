"""Party names: where a name ends, whether a string can be one, its short names and its kind.

A name is the leading run of capitalised words of a party entry; commas are allowed only before a legal form
("WYZZ, Inc."), and a legal form ends the name ("Acme Limited of Boston House").
"""

import re

from cyrano_arkiver.extraction.jurisdictions import JURISDICTION
from cyrano_arkiver.extraction.models import PartyKind

SUFFIX = (
    r"(?:Inc|Incorporated|Corp|Corporation|Co|Company|LLC|L\.\s?L\.\s?C|Ltd|Limited|LP|L\.\s?P|LLP|L\.\s?L\.\s?P|PLC|"
    r"P\.\s?L\.\s?C|GmbH|AG|KG|SE|B\.\s?V|N\.\s?V|S\.\s?A(?:\.\s?S)?|SAS|S\.\s?p\.\s?A|S\.\s?A\.\s?R\.\s?L|SARL|SRL|Pty|"
    r"Pte|A/S|AB|ASA|Oy|N\.\s?A|P\.\s?C|PC|G\.\s?I\.\s?E|S\.\s?R\.\s?L|Bhd|Tbk|K\.\s?K|Trust|Bank|University|Fund)\b\.?"
)
SUFFIX_END = re.compile(rf"(?:^|[\s,]){SUFFIX}\s*$", re.IGNORECASE)
STARTS_WITH_SUFFIX = re.compile(rf"\s*,?\s*{SUFFIX}(?=[\s,;()]|$)", re.IGNORECASE)
# Suffixes that end a company name ("Acme Limited of 5 High Street" is Acme Limited); not "Bank" or "Trust",
# which addresses and longer names contain.
STRICT_SUFFIX = (
    r"(?i:Inc|Incorporated|Corp|Corporation|Company|LLC|L\.L\.C|Ltd|Limited|LP|L\.P|LLP|PLC|GmbH|AG|B\.V|N\.V|S\.A|N\.A|"
    r"Pty|Pte|S\.R\.L|SRL|S\.p\.A|SpA|SARL|A/S|Bhd|Tbk|G\.I\.E)\b\.?"
)
_PARENTHESIS_IN_NAME = re.compile(rf"\([^()\"]{{1,30}}\)\s*,?\s*{STRICT_SUFFIX}")
_COMMA_IN_NAME = re.compile(rf",\s*(?:[A-Z][\w'.-]*,?\s+|&\s+){{1,4}}{STRICT_SUFFIX}(?=[\s,;(]|$)")
# A person's name goes on after a comma with a generation or a degree: "John Smith, Jr.", "Jane Doe, Ph.D.".
PERSON_SUFFIX_WORD = r",\s*(?:Jr|Sr|II|III|IV|Esq|M\.\s?D|Ph\.\s?D|PhD|N\.\s?D|D\.\s?O|CPA)\b\.?"
PERSON_SUFFIX = re.compile(rf"{PERSON_SUFFIX_WORD}(?=[\s,;(]|$)")
# ", Delaware corporation": a descriptor without its article, not a name that goes on.
_PLACE_AND_FORM = re.compile(rf",\s*(?:{JURISDICTION.pattern})\s+{STRICT_SUFFIX}", re.IGNORECASE)
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
    "s.a", "pty", "pte", "a/s", "s.a.s", "sas", "s.r.l", "srl", "s.p.a", "spa", "sarl", "bhd", "tbk", "g.i.e",
})  # fmt: skip
# Words that may follow a suffix in the same name ("Cremer Oleo GmbH & Co KG", "Acme Pty Ltd").
_SUFFIX_WORDS = _ENDING_SUFFIXES | {"co", "kg", "corp", "corporation", "company", "ab"}
# Where an address starts: "Suite 207", "Room 1302", "P.O. Box 12".
_ADDRESS = re.compile(r"(?i:suite|room|unit|floor|building|bldg\.?|box)\s+#?\d|P\.\s?O\.\s")
_NAME_STOP_WORDS = frozenset(
    {"the", "a", "an", "each", "this", "that", "such", "all", "any", "its", "their", "undersigned"}
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


def name_length(raw: str, offset: int) -> int:
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
            if (
                STARTS_WITH_SUFFIX.match(raw, at) is None
                and (_COMMA_IN_NAME.match(raw, at) is None or _PLACE_AND_FORM.match(raw, at) is not None)
                and PERSON_SUFFIX.match(raw, at) is None
            ):
                return at
            continue
        if not first and "\n" in raw[position:at]:
            return position  # a paragraph break ends a name ("BETWEEN\n Acme Inc.\n AND\n Beta LLC")
        lowered = word.lower()
        # "iDreamSky", "eBay": a word in lower case with a capital inside is a name word.
        plain = (
            word[0].islower()
            and word[1:] == lowered[1:]
            and lowered not in _CONNECTORS
            and lowered.rstrip(".") not in _LOWER_SUFFIX
        )
        if first:
            if lowered in _NAME_STOP_WORDS and lowered != "the":
                return at
            first = False
        elif plain or word in ("—", "-", "–") or word.endswith(":") or "__" in word or _ADDRESS.match(raw, at):
            return at  # "Acme Corp. Suite 207", "Acme Ltd. Address: 5 High Street"
        elif lowered == "of" and re.match(r"\s*\d", raw[at + 2 :]):
            return at  # "Acme Inc of 512 Bayshore Drive"
        elif previous.rstrip(".") in _ENDING_SUFFIXES and lowered.rstrip(".") not in _SUFFIX_WORDS and word != "&":
            return at  # a suffix ends the name: "Acme Limited of Boston House", "Acme AG Alter Postplatz 2"
        position = at + len(word)
        previous = lowered
    return position


# Not a name: a descriptor ("Delaware corporation", "A Massachusetts Corporation") or the parties as a group.
_NOT_A_NAME = re.compile(
    r"(?:[A-Z][\w.-]*\s+){1,2}(?:corporation|company|partnership|limited\s+liability\s+company)\W*"
    r"|(?i:an?\s+(?:[A-Z][\w.-]*\s+){1,2}(?:corporation|company|partnership|limited\s+liability\s+company))\W*"
    r"|(?i:the\s+)?(?i:parties)\b.*",
    re.DOTALL,
)
# A fragment of a name broken over lines ("CO. LTD.", "LIABILITY COMPANY"): legal-form words only.
_FORM_WORDS = frozenset(
    {"co", "ltd", "inc", "incorporated", "corp", "corporation", "company", "limited", "liability", "llc"}
)


def valid_name(name: str) -> bool:
    words = re.findall(r"[A-Za-z0-9]+", name)
    if not words or len(name) > 150 or _NOT_A_NAME.fullmatch(name) is not None:
        return False
    first = name.split()[0]
    if not (first[0].isupper() or first[0].isdigit() or any(c.isupper() for c in first) or "." in first):
        return False
    if all(word.lower() in _FORM_WORDS for word in words):
        return False
    # "Client", "the Licensee": a role, not a name.
    return not all(
        word.lower() in _CONNECTORS or word.lower() in _NAME_STOP_WORDS or word.lower() in ROLE_NOUNS for word in words
    )


def aliases_in(rest: str) -> list[str]:
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


def party_kind(name: str, rest: str) -> PartyKind:
    if _GOVERNMENT.search(name) and not _COMPANY_WORDS.search(name):
        return "government"
    if _COMPANY_WORDS.search(name) or re.search(r"\b(?:corporation|company|partnership)\b", rest[:120], re.IGNORECASE):
        return "company"
    words = name.split()
    if _PERSON_CUE.search(rest[:80]) or (2 <= len(words) <= 4 and all(word[:1].isupper() for word in words)):
        return "person"
    return "unknown"

"""Parties an opening defines by short names, where there is no party list to split.

A letter has no "between A and B" preamble: after "Ladies and Gentlemen:" or "Dear Ms. Lee:" comes a sentence
such as 'Acme Corp., a Delaware corporation (the "Company"), and Beta Bank (the "Bank") hereby confirm their
agreement with Gamma & Co., Inc. (the "Agent")' or 'Acme Inc. (the "Company") is pleased to retain Jane Roe
("Consultant")'. Each name that the sentence gives a quoted short name is a party, wherever the verb falls. The
same reading serves a preamble without "between" ('This Agreement is entered into ... ACME INC. ("Acme"), ...,
and BETA CORP. ("Beta")') and one whose list the splitter cannot read.
"""

import re

from cyrano_arkiver.extraction.party_list import Entry
from cyrano_arkiver.extraction.party_names import SUFFIX, valid_name
from cyrano_arkiver.extraction.sentences import split_sentences

# An opening without "between": "This ... Agreement ... is made / entered into ...".
_THIS_AGREEMENT = re.compile(r"\bthis\s+(?:[\w&,'-]+\s+){0,6}?(?:agreement|contract)\b", re.IGNORECASE)
_MADE = re.compile(r"\b(?:made|entered\s+into|executed)\b", re.IGNORECASE)
# Where an opening sentence turns from its parties to its subject.
_SUBJECT = re.compile(r"\b(?:WHEREAS|RECITALS?|pursuant\s+to|with\s+respect\s+to|for\s+the\s+purpose)\b", re.IGNORECASE)
# The salutation near the top that opens a letter.
_SALUTATION = re.compile(
    r"\b(?:Ladies\s+and\s+Gentlemen|Gentlemen|Dear\s+(?:Sirs?|Madam|(?:Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})\s*[:,]\s"
)
_LETTER_CHARS = 6_000
# The opening read after the salutation: one long sentence, and at most this much of it.
_OPENING_CHARS = 1_500
# A short name defined in parentheses: '(the "Company")', '("Consultant")'.
_SHORT_NAME = re.compile(r"\(\s*(?:the\s+)?\"([^\"]{1,40})\"\s*\)")
# The name straight before it, with an optional descriptor in between (", a Delaware corporation", ", a Division of
# ..."): capitalised words, with "of", "and", "&" or "the" between them, and a legal form after a comma.
_WORD = r"[A-Z0-9][\w.&'/-]*"
_NAME_BEFORE = re.compile(
    rf"(?P<name>{_WORD}(?:(?:,?\s+(?:&\s+)?|\s+(?:(?:of|and|the|de)\s+)+){_WORD}){{0,8}}?(?:,?\s+{SUFFIX})?)"
    r"(?P<descriptor>,\s*(?:a|an)\s+[^()\"]{0,160}?)?,?\s*$"
)
# Short names of things, not parties: '(the "Offering Price")', '(this "Agreement")'.
_THING_WORDS = frozenset({
    "agreement", "date", "price", "shares", "stock", "offering", "plan", "conversion", "fee", "term", "letter",
    "notes", "closing", "transaction",
})  # fmt: skip
# An address or a title, not a name: "75 Boston Manor Road", "Suite 1010B", "THIS MARKETING AGREEMENT".
_NOT_IN_NAME = re.compile(
    r"\b(?:street|road|avenue|drive|court|boulevard|suite|floor|bldg|building|campus|district|agreement|addendum)\b",
    re.IGNORECASE,
)


def opening_sentence(text: str) -> tuple[int, int] | None:
    """The first sentence near the top that says "This ... Agreement is made / entered into": a preamble without
    "between" ("... is entered into ... ACME INC. ("Acme"), ..., and BETA CORP. ("Beta")")."""
    for span in split_sentences(text[:_LETTER_CHARS]):
        this = _THIS_AGREEMENT.search(text, span.start, span.end)
        if this is not None and this.start() - span.start < 150 and _MADE.search(text, this.end(), span.end):
            return span.start, span.end
    return None


def defined_entries(text: str, start: int, end: int) -> list[Entry]:
    """The names an opening sentence defines by short names, before it turns to the recitals or the subject
    ("... pursuant to Rule 13d-5 promulgated by the U.S. Securities and Exchange Commission (the "SEC")")."""
    subject = _SUBJECT.search(text, start, end)
    return letter_entries(text, start, subject.start() if subject is not None else end)


def letter_opening(text: str, before: int) -> tuple[int, int] | None:
    """Where the opening sentence of a letter lies: after a salutation that comes before `before`."""
    salutation = _SALUTATION.search(text, 0, min(before, _LETTER_CHARS))
    if salutation is None:
        return None
    sentences = split_sentences(text[salutation.end() : salutation.end() + _OPENING_CHARS])
    return (salutation.end(), salutation.end() + sentences[0].end) if sentences else None


def letter_entries(text: str, start: int, end: int) -> list[Entry]:
    """The names of [start, end) that a short name in parentheses follows."""
    entries: list[Entry] = []
    short_names: list[str] = []
    boundary = start
    for short in _SHORT_NAME.finditer(text, start, end):
        match = _NAME_BEFORE.search(text, boundary, short.start())
        boundary = short.end()
        if match is None or _THING_WORDS.intersection(short.group(1).lower().split()):
            continue
        name_start = _past_short_names(text, match.start("name"), short_names)
        short_names.append(short.group(1))
        name = text[name_start : match.end("name")]
        if valid_name(name) and _NOT_IN_NAME.search(name) is None:
            rest = text[match.end("name") : short.end()]
            entries.append(Entry(name_start, match.end("name"), rest, collective=False))
    return entries


def _past_short_names(text: str, start: int, short_names: list[str]) -> int:
    """Past parties named by their short names before a new name: "by and among PSS, PSS Merger Corp."."""
    for short_name in short_names:
        lead = re.match(rf"{re.escape(short_name)}(?:,\s*|\s+and\s+)", text[start : start + len(short_name) + 6])
        if lead is not None:
            return start + lead.end()
    return start

"""The party list of a preamble: split into entries, each a name with what follows it (descriptor, aliases).

A preamble lists each party as `NAME[, descriptor][ (the "Alias")]`, the entries separated by "and", ";" or
commas. An entry ends where its alias closes, or where a new entity with a corporate suffix starts.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cyrano_arkiver.extraction.jurisdictions import JURISDICTION, canonical
from cyrano_arkiver.extraction.party_names import (
    PERSON_SUFFIX,
    PERSON_SUFFIX_WORD,
    STARTS_WITH_SUFFIX,
    STRICT_SUFFIX,
    SUFFIX_END,
    aliases_in,
    name_length,
    valid_name,
)
from cyrano_arkiver.extraction.sentences import split_sentences

# A new entry in a party list: a name with a corporate suffix, or (once the previous entry is complete)
# capitalised words followed by an alias or a descriptor ('Paul Silas ("Celebrity")', "Acme, a Delaware
# corporation"). Words with digits are addresses ("California 95008"), never names here, except the first word of
# a numbered company ("2205925 Ontario Limited", "2THEMART.COM, INC.").
_ENTITY_AHEAD = re.compile(
    rf"\s*(?:(?i:and)\s+|&\s+)?(?:\d[\w.&'-]*,?\s+)?(?:(?:(?!(?i:and)\b)[A-Z\[][\w.&'/*\]-]*|\d{{1,2}}|of|the|de|&),?\s+){{0,7}}"
    rf"{STRICT_SUFFIX}(?=[\s,;(]|$)"
)
# The same with "and" inside the name ("Louisville Gas and Electric Company", "New York Life Insurance and Annuity
# Corporation"): the words before "and" must not be a place ("..., Boston and New York and Beta LLC").
_ENTITY_WITH_AND_AHEAD = re.compile(
    rf"\s*(?:(?i:and)\s+)?(?P<head>(?:(?!(?i:and)\b)[A-Z][\w.'-]*\s+){{1,5}})(?i:and)\s+(?:[A-Z][\w.&'-]*\s+){{0,4}}"
    rf"{STRICT_SUFFIX}(?=[\s,;(]|$)"
)
_NAME_WORD = r"(?!(?i:and)\b)[A-Z\[][A-Za-z.&'/*\]-]*"
_NAMED_AHEAD = re.compile(
    rf"\s*(?:(?i:and)\s+|&\s+)?(?P<name>(?:(?:{_NAME_WORD}|of|the|de|&)\s+){{0,9}}{_NAME_WORD})(?:{PERSON_SUFFIX_WORD})?\s*(?:,?\s*\(|,\s+(?:a|an|"
    r"with|having|whose|located|organi[sz]ed|incorporated|of)\s|\s(?:hereinafter|herein|referred))"
)


_QUOTED_END = re.compile(r"\"[^\"]{1,40}\"\s*$")
# Where a party list stops.
_STOP = re.compile(
    r"\b(?:WHEREAS|RECITALS?|WITNESSETH|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|BACKGROUND|PREAMBLE|Source:|TABLE\s+OF\s+CONTENTS"
    r"|NOW,?\s+THEREFORE|hereby|agrees?\s+(?:as\s+follows|to)|(?:each|both)\s+(?:of\s+(?:which|whom)\s+(?:is\s+)?)?(?:a|the)\s+\"Part"
    r"|(?:is|are)\s+(?:sometimes\s+)?(?:hereinafter\s+)?(?:individually|collectively|each|jointly)|dated\s+as\s+of|dated\b"
    r"|(?:made\s+)?effective\s+(?:as\s+of|on)|with\s+respect\s+to|regarding|concerning|pursuant\s+to(?!\s+the\s+laws)|for\s+the\s+(?:purpose|development)"
    r"|sets?\s+forth|which\s+Parties|each\s+of\s+the\s+foregoing|the\s+parties\s+hereto)",
    re.IGNORECASE,
)
# Reading past the preamble sentence: at most this many more sentences, each at most this long.
_MAX_EXTRA_SENTENCES = 3
_EXTRA_CHARS = 1200
_DANGLING_END = re.compile(r"(?:\b(?i:and|between|among)|[;,:&-])\W*$")
_JOINING_START = re.compile(r"\s*(?:(?i:and)\b|-+\s*(?i:and)\b|&|\(\d\)|\d\.\s)")
# Something in the next sentence that only a party entry has: a legal form or a quoted short name.
_PARTY_CUE = re.compile(rf"\b{STRICT_SUFFIX}(?=[\s,;()]|$)|\(\s*(?:the\s+|hereinafter\s+)?\"")
_ENTRY_NUMBER = re.compile(r"\s*(?:(?i:and)\s+)?(?:\(\w{1,3}\)|\d{1,2}\.)(?=\s)")
# "..., Delaware corporation having offices at ...": a place and a legal form describe the entry before.
_JURISDICTION_FIRST = re.compile(rf"\s*(?:(?i:and)\s+)?(?:{JURISDICTION.pattern})\s+{STRICT_SUFFIX}", re.IGNORECASE)
_TRADE_NAME = re.compile(
    r"\s*,?\s*(?:d/b/a/?|dba|DBA|D/B/A|(?i:doing\s+business\s+as|formerly\s+known\s+as)|f/k/a|F/K/A)\s+"
)
_TRAILING_CONNECTOR = re.compile(r"(?:[\s,]+(?i:of|and|the|for|de|&))+$")
_AFTER_AND = frozenset(" \n:-–—")
_LEADING_NOISE = re.compile(
    r"^(?:\s|,|:|;|-|—|and\b|between\b|among\b|by\b|on\s+the\s+(?:one|other)\s+hand\b|\(\w{1,3}\)|\d\.)+", re.IGNORECASE
)
_DESCRIPTOR = re.compile(
    r",?\s+(?:a|an)\s+(?:[\w-]+\s+){0,6}?(?:corporation|company|partnership|individual|entity|trust|bank|association|"
    r"organi[sz]ation|institution|university|society|limited|llc|business|resident|citizen|GmbH)\b|,?\s+(?:with|having|whose|located|"
    r"organi[sz]ed|incorporated|existing|residing|acting|doing|d/b/a|dba)\b|\s+of\s+\d",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Chunk:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entry:
    start: int  # the name's span in the normalised text
    end: int
    rest: str  # what follows the name in its entry: descriptor and aliases
    collective: bool  # its alias names a group: 'A and B (collectively "X")'


def list_entries(text: str, start: int, end: int) -> list[Entry]:
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


def _parse_entries(text: str, start: int, end: int) -> list[Entry]:
    entries: list[Entry] = []
    for chunk in _chunks(text, start, end):
        entry = _entry(text, chunk)
        if entry is None:
            continue
        previous = entries[-1] if entries else None
        group_of_two = len(entries) < 2 or bool(aliases_in(entries[-2].rest))
        if entry.collective and previous is not None and not aliases_in(previous.rest) and group_of_two:
            # "WYZZ, Inc. and WYZZ Licensee, Inc. (collectively "WYZZ")" is one party; a longer list is not.
            entry = Entry(previous.start, entry.end, entry.rest, collective=True)
            entries.pop()
        entries.append(entry)
    return entries


def _chunks(text: str, start: int, end: int) -> Iterator[_Chunk]:
    """Split a party list at "and", ";" or "," where the entry so far is complete."""
    depth = 0
    opened = start
    chunk_start = start
    alias_closed = False
    for position in range(start, end):
        char = text[position]
        if char == "(":
            depth += 1
            opened = position if depth == 1 else opened
            continue
        if char == ")":
            depth = max(0, depth - 1)
            # An entry number "(2)" is no alias.
            alias_closed = alias_closed or (
                depth == 0 and re.fullmatch(r"\(\w{1,3}\)", text[opened : position + 1]) is None
            )
            continue
        is_and = char in " \n" and text[position + 1 : position + 5].lower() in ("and ", "and\n", "and:")
        if depth or not (char in ",;" or is_and):
            continue
        so_far = text[chunk_start:position]
        # A short name in quotes without parentheses ('Acme AG "Licensor"') completes an entry too.
        alias_closed = alias_closed or _QUOTED_END.search(so_far) is not None
        complete = alias_closed or _DESCRIPTOR.search(so_far) is not None or SUFFIX_END.search(so_far) is not None
        if char == ";":
            # Addresses use semicolons too ("5701 Old Harding Pike; Suite 200; Nashville").
            split = _entity_ahead(text, position + 1, end) or _named_ahead(text, position + 1, end)
        elif char == ",":
            # Inside an address only a company name starts a new entry; after an alias, a person's name may.
            split = (
                complete
                and STARTS_WITH_SUFFIX.match(text, position, end) is None
                and PERSON_SUFFIX.match(text, position, end) is None
                and (_entity_ahead(text, position + 1, end) or alias_closed and _named_ahead(text, position + 1, end))
            )
        else:
            # "AND" on a line of its own separates the entries of a list set out in paragraphs.
            complete = complete or (char == "\n" and text[position + 4 : position + 5] in ("\n", ":"))
            after = position + 4
            while after < end and text[after] in _AFTER_AND:  # "AND: BETA LLC", "- and - BETA LLC"
                after += 1
            split = complete and (_entity_ahead(text, after, end) or _named_ahead(text, after, end))
        if split:
            yield _Chunk(chunk_start, position)
            chunk_start = position + 1
            alias_closed = False
    if chunk_start < end:
        yield _Chunk(chunk_start, end)


def _entity_ahead(text: str, position: int, end: int) -> bool:
    """A company name (ending in a legal form) starts here, and it is not a descriptor ("Delaware corporation")."""
    position = _past_number(text, position, end)
    match = _ENTITY_AHEAD.match(text, position, end)
    if match is not None:
        return _JURISDICTION_FIRST.match(text, match.start(), match.end()) is None
    match = _ENTITY_WITH_AND_AHEAD.match(text, position, end)
    return match is not None and canonical(match.group("head").strip()) is None


def _named_ahead(text: str, position: int, end: int) -> bool:
    """A name with an alias or descriptor starts here, and it is not a place ("..., Florida, a Florida corporation")."""
    match = _NAMED_AHEAD.match(text, _past_number(text, position, end), end)
    return match is not None and canonical(match.group("name")) is None


def _past_number(text: str, position: int, end: int) -> int:
    """Past the number of a numbered entry: "and (2) Beta LLC", "2. Beta LLC"."""
    number = _ENTRY_NUMBER.match(text, position, end)
    return number.end() if number is not None else position


def _entry(text: str, chunk: _Chunk) -> Entry | None:
    raw = text[chunk.start : chunk.end]
    noise = _LEADING_NOISE.match(raw)
    offset = noise.end() if noise else 0
    name_end = name_length(raw, offset)
    trade_name = _TRADE_NAME.match(raw, name_end)
    if trade_name is not None and name_length(raw, trade_name.end()) > trade_name.end():
        # "Acme, Inc. d/b/a Acme Direct" is the party's full name; a trade name in parentheses is a remark.
        name_end = name_length(raw, trade_name.end())
    name = raw[offset:name_end]
    stripped = _TRAILING_CONNECTOR.sub("", name.strip(' ,;:"\n')).rstrip(" ,")
    if not valid_name(stripped):
        return None
    start = chunk.start + offset + name.index(stripped)
    rest = raw[name_end:]
    collective = re.match(r"\s*,?\s*\(\s*(?:collectively|together)\b", rest, re.IGNORECASE) is not None
    return Entry(start, start + len(stripped), rest, collective)

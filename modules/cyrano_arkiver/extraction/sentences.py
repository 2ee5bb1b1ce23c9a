"""Sentence spans in the normalised text, tuned for contract drafting (abbreviations, initials, headings)."""

import re
from bisect import bisect_right
from dataclasses import dataclass

# Words that end in a full stop without ending the sentence.
_ABBREVIATIONS = frozenset({
    "inc", "corp", "co", "ltd", "no", "nos", "sec", "secs", "art", "arts", "st", "mr", "mrs", "ms", "dr", "jr",
    "sr", "v", "vs", "e.g", "i.e", "u.s", "u.s.a", "n.a", "s.a", "b.v", "n.v", "l.p", "l.l.c", "p.c", "l.l.p",
    "ave", "blvd", "rd", "ste", "para", "paras", "cf", "fig", "vol", "pp", "p", "approx", "dept", "univ", "assoc",
    "bros", "esq", "messrs", "pty", "pte", "plc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "ch", "cl", "sch", "exh", "ex", "et", "al", "incl", "viz", "str", "fl", "apt", "hwy",
    "pkwy", "ln", "ct", "bldg", "p.o", "mt", "ft",
})  # fmt: skip
_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n")
# A paragraph ending in a conjunction or preposition continues in the next one ('"ELEPHANT TALK"\n and\n
# T-Mobile', "the laws of the State of\n California").
_DANGLING = re.compile(r"\b(?:and|or|between|among|of|the|to|for|by|in|with|under|a|an)$")
_FIRST_WORD = re.compile(r"\w+")
_JOINING = frozenset({"and", "or", "between", "among", "by"})
_CONTINUING = frozenset("—–-(,;")
_WORD_BEFORE = re.compile(r"(?:^|[\s(\[])([A-Za-z][A-Za-z.]*)\.$")
# Longer than this, a "sentence" is a run-on list or a table; cut at semicolons so quotes stay readable.
_MAX_SENTENCE = 1500
_SEMICOLON = re.compile(r";\s")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    if match.group() == "\n":
        return _paragraph_ends_sentence(text, match.start(), match.end())
    return text[match.start()] != "." or not _abbreviation_before(text, match.start())


def _abbreviation_before(text: str, period: int) -> bool:
    """Whether the full stop at `period` ends an abbreviation or an initial ("Inc.", "U.S.", "M. D. Anderson")."""
    word = _WORD_BEFORE.search(text, max(0, period - 20), period + 1)
    if word is None:
        return False
    token = word.group(1)
    return (len(token) == 1 and token.isupper()) or token.lower() in _ABBREVIATIONS


def _paragraph_ends_sentence(text: str, start: int, end: int) -> bool:
    """A blank line ends a sentence unless the text plainly runs on: a page break mid-clause ("or any\n
    successive term"), a title over its parties ("AGREEMENT\n Between\n Acme, Inc.\n and\n Beta AG"), a list set
    out in paragraphs, a clause cut after "of" or ",")."""
    before = text[start - 1] if start else "."
    following = _FIRST_WORD.match(text, end)
    if following is not None and following.group().lower() in _JOINING:
        return False
    if _DANGLING.search(text, max(0, start - 8), start) or before == "," or text[end : end + 1] in _CONTINUING:
        return False
    if text[end : end + 1].islower():
        return before in "!?;:" or (before == "." and not _abbreviation_before(text, start - 1))
    return True


def split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        if not _is_boundary(text, match):
            continue
        end = match.end()
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while end - start > _MAX_SENTENCE:
        cut = None
        for match in _SEMICOLON.finditer(text, start + _MAX_SENTENCE // 3, start + _MAX_SENTENCE):
            cut = match.end()
        if cut is None:
            break
        spans.append(Span(start, cut))
        start = cut
    if text[start:end].strip():
        spans.append(Span(start, end))


class Sentences:
    """The sentences of a text, with lookup of the sentence around an offset."""

    def __init__(self, text: str) -> None:
        self.spans = split_sentences(text)
        self._starts = [span.start for span in self.spans]

    def around(self, offset: int) -> Span:
        return self.spans[self.index_of(offset)]

    def index_of(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def matching(self, pattern: re.Pattern[str], text: str) -> list[int]:
        """Indices of the sentences where `pattern` matches, in order: one pass over the text, not one per sentence.

        Callers pass `Document.lower` and a case-sensitive pattern of lowercase cue words: Python's regex engine
        scans for literals many times faster than it matches case-insensitively.
        """
        found: list[int] = []
        match = pattern.search(text)
        while match is not None:
            index = self.index_of(match.start())
            found.append(index)
            if index + 1 >= len(self.spans):
                break
            match = pattern.search(text, self.spans[index + 1].start)
        return found

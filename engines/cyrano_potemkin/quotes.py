"""Quotations in a text: the words it puts in quotation marks, and what those words say of the source's words.

`find_quotations` finds them; `parse_quotation` reads the quoter's marks inside one (an ellipsis for omitted
words, brackets for an altered letter or word) into the pieces `quote_check.check_quotation` looks for.

The check is four modules: this one (the text's side), `quote_words` (what a word is, on both sides),
`source_words` (the sources' index) and `quote_check` (the match, its status, changes and evidence).
"""

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cyrano_potemkin.quote_words import cased_form, words_of

# Fewer words than this are defined terms and aliases (the "Agreement", ("Licensee"), the "Effective Date"): a
# contract's defined terms run to three words, and so short a string matches somewhere in any contract by chance,
# so neither its finding nor its alteration says anything about the source.
MIN_QUOTATION_WORDS = 4
# An ellipsis may leave out up to about a paragraph: the words after it are looked for that far on, no further.
ELLIPSIS_WINDOW = 80
# Words in brackets stand for a few of the source's ("[Licensee]" for "the party receiving the notice").
BRACKET_WINDOW = 6

_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_OPENING_CONTEXT = " \t\n([{<—–-/“‘\"'"
_ELLIPSIS = re.compile(r"\[\s*(?:\.\s*){3,}\]|\[\s*…\s*\]|\.(?:[ \u00a0]?\.){2,}|…")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_MARK = re.compile("[\"“”'‘’]")

Family = Literal["double", "single"]


class Quotation(BaseModel):
    """Words a text puts in quotation marks: `text[start:end]` of the checked text, marks excluded."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    words: str


@dataclass(frozen=True, slots=True)
class _Mark:
    at: int
    family: Family
    role: Literal["open", "close", "either"]
    possessive: bool = False  # "parties' rights": a closing mark that is as likely an apostrophe


def find_quotations(text: str) -> list[Quotation]:
    """The quotations worth checking in `text`, in order: the outermost quoted strings of at least four words.

    Double quotes (straight or typographic) and single quotes used as marks are paired within a paragraph; an
    apostrophe ("Licensee's", "don't") is never a mark, and a plural possessive ("parties' rights") is one only
    when no other mark closes the quotation. Quotes nested in a quotation are part of it (they stand for the
    source's own quotation marks), and strings in parentheses made only of capitalised words are aliases.
    """
    spans: list[tuple[int, int]] = []
    for paragraph in _paragraphs(text):
        spans.extend(_paired(_marks(text, *paragraph)))
    outermost: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not outermost or start >= outermost[-1][1]:
            outermost.append((start, end))
    quotations = []
    for opening, closing in outermost:
        start, end = opening + 1, closing
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        words = text[start:end]
        if len(words_of(words)) >= MIN_QUOTATION_WORDS and not _is_alias(text, opening, closing, words):
            quotations.append(Quotation(start=start, end=end, words=words))
    return quotations


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    marks = []
    for found in _MARK.finditer(text, start, end):
        at, char = found.start(), found.group()
        before = text[at - 1] if at > start else " "
        after = text[at + 1] if at + 1 < end else " "
        if char == "“":
            marks.append(_Mark(at, "double", "open"))
        elif char == "”":
            marks.append(_Mark(at, "double", "close"))
        elif char == '"':
            opens = before in _OPENING_CONTEXT and not after.isspace()
            closes = not before.isspace() and not after.isalnum()
            role: Literal["open", "close", "either"] = "either" if opens == closes else "open" if opens else "close"
            marks.append(_Mark(at, "double", role))
        elif before in _OPENING_CONTEXT and (after.isalnum() or after in '"“[.'):
            marks.append(_Mark(at, "single", "open"))
        elif not before.isspace() and not after.isalnum() and char != "‘":
            possessive = before in "sS" and (after == " " and at + 2 < end and text[at + 2].isalpha())
            marks.append(_Mark(at, "single", "close", possessive))
    return marks


def _paired(marks: list[_Mark]) -> list[tuple[int, int]]:
    """Opening and closing marks paired like brackets, each family with itself; unpaired marks are dropped."""
    spans = []
    open_marks: list[_Mark] = []
    for index, mark in enumerate(marks):
        pending = next((m for m in reversed(open_marks) if m.family == mark.family), None)
        closes = mark.role == "close" or (mark.role == "either" and pending is not None)
        if not closes:
            open_marks.append(mark)
            continue
        if pending is None:
            continue
        if mark.possessive and _closed_later(marks[index + 1 :], mark.family):
            continue
        del open_marks[open_marks.index(pending) :]
        spans.append((pending.at, mark.at))
    return spans


def _closed_later(rest: list[_Mark], family: Family) -> bool:
    """Whether a plain closing mark of the family follows before the family opens again."""
    for mark in rest:
        if mark.family != family:
            continue
        if mark.role == "open":
            return False
        if not mark.possessive:
            return True
    return False


def _is_alias(text: str, opening: int, closing: int, words: str) -> bool:
    """("Intellectual Property Agreement"): capitalised words alone in parentheses name a thing; they quote none."""
    before = text[max(0, opening - 40) : opening]
    parenthesised = before.rfind("(") > before.rfind(")") and ")" in text[closing : closing + 40]
    connectors = {"of", "and", "the", "for", "a", "an", "to", "in", "on", "or", "&"}
    titled = all(word.cased[:1].isupper() or word.key in connectors for word in words_of(words))
    return parenthesised and titled


# --- what the quoter marked inside a quotation ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QuotedWord:
    """One word of a quotation: its offsets in the quotation, how it compares, and what the quoter altered."""

    start: int
    end: int
    raw: str
    cased: str
    key: str
    first: bool  # the first word of a piece: its first letter may change case ("[t]he" written "The", or not)
    kept: tuple[str, str] | None = None  # for a word with bracketed letters: its unbracketed start and end


@dataclass(frozen=True, slots=True)
class Piece:
    """Words quoted without a break, and how many of the source's words may stand between it and the previous one."""

    words: tuple[QuotedWord, ...]
    gap_before: int


def parse_quotation(quoted: str) -> list[Piece]:
    """The pieces of a quotation, split where an ellipsis or bracketed words stand for the source's words."""
    pieces: list[Piece] = []
    gap = 0
    position = 0
    for start, end, window in [*_breaks(quoted), (len(quoted), len(quoted), 0)]:
        words = _piece_words(quoted, position, start)
        if words:
            pieces.append(Piece(words, gap if pieces else 0))
            gap = 0
        gap += window
        position = end
    return pieces


def _breaks(quoted: str) -> list[tuple[int, int, int]]:
    """Ellipses and bracketed whole words: (start, end, how many source words they may stand for)."""
    found = [(m.start(), m.end(), ELLIPSIS_WINDOW) for m in _ELLIPSIS.finditer(quoted)]
    for match in _BRACKETS.finditer(quoted):
        inside_word = match.start() > 0 and quoted[match.start() - 1].isalnum()
        inside_word = inside_word or (match.end() < len(quoted) and quoted[match.end()].isalnum())
        overlaps = any(s < match.end() and match.start() < e for s, e, _ in found)
        if not inside_word and not overlaps:
            found.append((match.start(), match.end(), BRACKET_WINDOW))
    return sorted(found)


def _piece_words(quoted: str, start: int, end: int) -> tuple[QuotedWord, ...]:
    """The words of `quoted[start:end]`, bracketed letters taken out ("[t]he" reads "the", its "t" the quoter's)."""
    cleaned: list[str] = []
    origin: list[int] = []  # cleaned character -> offset in `quoted`
    bracketed: list[bool] = []
    inside = False
    for at in range(start, end):
        char = quoted[at]
        if char in "[]":
            inside = char == "["
            continue
        cleaned.append(char)
        origin.append(at)
        bracketed.append(inside)
    text = "".join(cleaned)
    words: list[QuotedWord] = []
    for word in words_of(text):
        marked = [i for i in range(word.start, word.end) if bracketed[i]]
        kept = None
        if marked:
            head = cased_form(text[word.start : marked[0]]).lower()
            tail = cased_form(text[marked[-1] + 1 : word.end]).lower()
            kept = (head, tail)
        raw_start, raw_end = origin[word.start], origin[word.end - 1] + 1
        raw_start -= raw_start > 0 and quoted[raw_start - 1] == "["  # "[T]he" is the word as the text writes it
        raw_end += raw_end < len(quoted) and quoted[raw_end] == "]"
        words.append(QuotedWord(raw_start, raw_end, quoted[raw_start:raw_end], word.cased, word.key, not words, kept))
    return tuple(words)

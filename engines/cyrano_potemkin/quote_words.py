"""Words as a quotation check compares them: each with its raw offsets, a key to match on and a form to compare case.

Both sides, the quoted text and the source pages, are cut into words by the same rule, so what differs between a
PDF's extraction and an AI's retyping (spacing, line breaks, a word hyphenated across a line, typographic
apostrophes and dashes, ligatures) never shows as a difference. Punctuation between words is not compared: PDF
extraction drops and doubles it, and quoting conventions move it (a period inside the closing mark).
"""

import re
import unicodedata
from dataclasses import dataclass

# A word: letters and digits, joined by an apostrophe, a hyphen (also one that breaks the word across a line:
# "termi-\nnation"), or a decimal or thousands separator between digits ("1,000,000.00"). Currency, percent and
# section signs are words of their own, so "$5" and "5" differ.
_JOINER = r"(?:['’‘`ʼ]|[-‐‑\u00ad](?:[ \t]*\r?\n[ \t]*)?|(?<=\d)[.,](?=\d))"
WORD = re.compile(rf"[^\W_]+(?:{_JOINER}[^\W_]+)*|[$€£¥%§¶]")
_HYPHENS = re.compile(r"[-‐‑\u00ad](?:[ \t]*\r?\n[ \t]*)?")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})


def cased_form(raw: str) -> str:
    """The word as compared for case: ligatures unfolded, hyphens (and a line broken at one) dropped, one apostrophe.

    Dropping hyphens makes "termi-\\nnation" read "termination" and "non-compete" match "noncompete"; a quotation
    check cannot tell a typesetter's hyphen from the author's, so it does not count either.
    """
    if raw.isascii() and raw.isalnum():
        return raw  # most words: nothing to normalise, and indexing a matter's pages reads every word
    return _HYPHENS.sub("", unicodedata.normalize("NFKC", raw)).translate(_APOSTROPHES)


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: `text[start:end]`, its matching key (lower case) and its cased form."""

    start: int
    end: int
    cased: str
    key: str


def words_of(text: str) -> list[Word]:
    """The words of `text`, in order, with their offsets in it."""
    found = []
    for match in WORD.finditer(text):
        cased = cased_form(match.group())
        found.append(Word(match.start(), match.end(), cased, cased.lower()))
    return found

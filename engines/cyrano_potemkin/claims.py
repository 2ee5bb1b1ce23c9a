"""A text cut into claims: its sentences, and the items of its lists, each with its place in the text.

AI answers are written in sentences and bullet lists, not in contract drafting, so the cut is Potemkin's own:
every line break ends a claim, and a full stop before a capital ends one unless it ends an abbreviation or an
initial. A company's legal form ends a sentence ("Acme Inc. The agreement ...") unless another form follows it
("Acme Co. Ltd.", "Morgan Stanley & Co. Incorporated"); letters with dots ("e.l.f.", "N.V.") end none. A sentence
may open with a name in lower case ("eBay", "i3 Systems").
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

_ABBREVIATIONS = frozenset({
    "no", "nos", "sec", "secs", "art", "st", "mr", "mrs", "ms", "dr", "jr", "sr", "v", "vs", "e.g", "i.e", "u.s",
    "u.s.a", "cf", "p", "pp", "para", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "approx", "ex", "al", "viz", "et", "seq", "id", "supp", "f", "cal", "n.y", "d.c", "fed", "rptr", "cir",
    "app", "ct",
})  # fmt: skip
LEGAL_FORMS = frozenset({
    "inc", "corp", "co", "ltd", "l.p", "lp", "llc", "l.l.c", "plc", "n.a", "s.a", "b.v", "n.v", "p.c", "l.l.p",
    "llp", "pty", "pte", "gmbh", "ag", "s.r.l", "srl", "s.p.a", "spa", "s.a.s", "s.l", "a.g", "k.k", "s.e", "sarl",
    "s.a.r.l", "oy", "ab", "as", "a.s", "bv", "nv",
})  # fmt: skip
_FOLLOWING_FORMS = LEGAL_FORMS | {"incorporated", "limited", "corporation", "company", "partnership"}
_DOTTED_LETTERS = re.compile(r"(?:[a-z]\.)+[a-z]")
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?(?:[A-Z0-9]|[a-z]{1,3}[A-Z0-9]))|\n")
_WORD_BEFORE = re.compile(r"(?:^|[\s(\[])([A-Za-z][A-Za-z.]*)\.$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]?([A-Za-z]+)")
_LIST_NUMBER = re.compile(r"\s*\(?\d{1,3}\.")
_BULLET = re.compile(r"\s*(?:[-*•–]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    start: int
    end: int
    text: str


def split_claims(text: str, unbroken: Sequence[tuple[int, int]] = ()) -> list[ClaimSpan]:
    """The claims of `text` in order, each trimmed of spaces and of a leading bullet or number; no claim ends
    inside an `unbroken` span (a citation: "12 Fed. Rptr. 5th 88")."""
    claims: list[ClaimSpan] = []
    start = 0
    for match in _END.finditer(text):
        if match.group() != "\n" and not _ends_sentence(text, match):
            continue
        if any(low <= match.start() < high for low, high in unbroken):
            continue
        _add(text, start, match.end(), claims)
        start = match.end()
    _add(text, start, len(text), claims)
    return claims


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    if text[match.start()] != ".":
        return True
    line_start = text.rfind("\n", 0, match.start()) + 1
    if _LIST_NUMBER.fullmatch(text, line_start, match.start() + 1):  # "2. " numbers a list item
        return False
    word = _WORD_BEFORE.search(text, max(0, match.start() - 20), match.start() + 1)
    if word is None:
        return True
    token = word.group(1).lower()
    if len(token) == 1:  # an initial: "John A. Smith"
        return False
    if token in LEGAL_FORMS:  # "Acme Inc. The agreement": ends; "Acme Co. Ltd.": goes on
        following = _NEXT_WORD.match(text, match.end())
        return following is None or following.group(1).lower() not in _FOLLOWING_FORMS
    if _DOTTED_LETTERS.fullmatch(token):  # "e.l.f. Beauty", "S.p.A."
        return False
    return token not in _ABBREVIATIONS


def _add(text: str, start: int, end: int, claims: list[ClaimSpan]) -> None:
    bullet = _BULLET.match(text, start, end)
    if bullet is not None:
        start = bullet.end()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(character.isalnum() for character in text[start:end]):
        claims.append(ClaimSpan(start, end, text[start:end]))

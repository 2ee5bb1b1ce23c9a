"""Whether two case names name the same case: "Brown v. Board of Education" and "Brown v. Board of Educ. of
Topeka" do, "Roe v. Wade" and "Brown v. Board of Education" do not.

Each side of the "v." is reduced to its distinctive words (no "Inc.", "the", "of"); the sides match when one's
words are all among the other's, allowing abbreviations ("Educ." for "Education", "R.R." for "Railroad"),
acronyms ("NRDC") and near spellings. A text often shortens a name (eyecite may read only the last word before
"v."), so containment, not equality, decides.
"""

import re

from rapidfuzz import fuzz

_VERSUS = re.compile(r"\s+v(?:s)?\.?\s+", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_NOISE = frozenset({
    "the", "of", "and", "a", "an", "in", "re", "ex", "rel", "et", "al", "inc", "incorporated", "co", "company",
    "corp", "corporation", "llc", "llp", "ltd", "lp", "plc", "na", "assn", "ass'n", "association", "dept",
    "department"
})  # fmt: skip
_SPELLING_SCORE = 85  # rapidfuzz ratio above which two words are one spelled differently


# Bluebook abbreviations whose letters are not the start of the word they stand for.
_ABBREVIATIONS = {
    "r.r.": "railroad", "ry.": "railway", "int'l": "international", "nat'l": "national", "ass'n": "association",
    "dep't": "department", "gov't": "government", "comm'n": "commission", "mfg.": "manufacturing",
    "u.s.a.": "usa", "u.s.": "united states", "fed'n": "federation", "bd.": "board",
}  # fmt: skip
_ABBREVIATION = re.compile("|".join(re.escape(short) for short in sorted(_ABBREVIATIONS, key=len, reverse=True)))


def names_match(given: str, known: str) -> bool:
    given_sides, known_sides = _sides(given), _sides(known)
    if len(given_sides) != len(known_sides):
        return _side_match(_words(given), _words(known))
    return all(_side_match(one, other) for one, other in zip(given_sides, known_sides, strict=True))


def _sides(name: str) -> list[list[str]]:
    return [_words(side) for side in _VERSUS.split(name.strip(), maxsplit=1)]


def _words(text: str) -> list[str]:
    """The distinctive words in order (abbreviations spelled out; single letters and legal forms left out)."""
    spelled = _ABBREVIATION.sub(lambda match: f" {_ABBREVIATIONS[match.group(0)]} ", text.lower())
    return [word for word in _WORD.findall(spelled) if word not in _NOISE and len(word) > 1]


def _side_match(one: list[str], other: list[str]) -> bool:
    if not one or not other:
        return True  # a side with no distinctive words ("In re", "Inc.") says nothing either way
    shorter, longer = (one, other) if len(set(one)) <= len(set(other)) else (other, one)
    return all(
        any(_same_word(word, candidate) for candidate in longer) or _initials_of(word, longer) for word in shorter
    )


def _initials_of(word: str, words: list[str]) -> bool:
    """ "nrdc" for "natural resources defense council": an acronym of consecutive words."""
    if not 2 <= len(word) <= 8:
        return False
    return any("".join(w[0] for w in words[i : i + len(word)]) == word for i in range(len(words) - len(word) + 1))


def _same_word(word: str, other: str) -> bool:
    if word == other:
        return True
    short, long = (word, other) if len(word) <= len(other) else (other, word)
    if len(short) >= 3 and long.startswith(short):
        return True  # an abbreviation: "educ" for "education"
    return len(short) >= 5 and fuzz.ratio(word, other) >= _SPELLING_SCORE

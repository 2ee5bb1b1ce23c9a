"""Whether two case names name the same case: "Brown v. Board of Education" and "Brown v. Board of Educ. of
Topeka" do, "Roe v. Wade" and "Brown v. Board of Education" do not.

Each side of the "v." is reduced to its distinctive words (no "Inc.", "the", "of"); the sides match when one's
words are all among the other's, allowing abbreviations ("Educ." for "Education") and near spellings. A text
often shortens a name (eyecite may read only the last word before "v."), so containment, not equality, decides.
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


def names_match(given: str, known: str) -> bool:
    given_sides, known_sides = _sides(given), _sides(known)
    if len(given_sides) != len(known_sides):
        return _side_match(_words(given), _words(known))
    return all(_side_match(one, other) for one, other in zip(given_sides, known_sides, strict=True))


def _sides(name: str) -> list[set[str]]:
    return [_words(side) for side in _VERSUS.split(name.strip(), maxsplit=1)]


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _NOISE}


def _side_match(one: set[str], other: set[str]) -> bool:
    if not one or not other:
        return True  # a side with no distinctive words ("In re", "Inc.") says nothing either way
    shorter, longer = (one, other) if len(one) <= len(other) else (other, one)
    return all(any(_same_word(word, candidate) for candidate in longer) for word in shorter)


def _same_word(word: str, other: str) -> bool:
    if word == other:
        return True
    short, long = (word, other) if len(word) <= len(other) else (other, word)
    if len(short) >= 3 and long.startswith(short):
        return True  # an abbreviation: "educ" for "education"
    return len(short) >= 5 and fuzz.ratio(word, other) >= _SPELLING_SCORE

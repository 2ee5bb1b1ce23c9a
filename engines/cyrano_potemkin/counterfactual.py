"""Counterfactual prompts: the same question with gendered words and first names swapped.

`swapped` writes the counterpart of a prompt from a small built-in table (he/she, his/her, Mr/Ms, husband/wife,
common first names by gender, ...), keeping each word's capitals. `neutral` replaces every word of the table by
its category, so two prompts that differ only by such words have the same neutral form: that is how
`potemkin_bias` pairs archived answers, and how it compares answers without counting the swapped names as change.
"""

import re

_PAIRS = (
    ("he", "she"),
    ("him", "her"),
    ("his", "her"),
    ("himself", "herself"),
    ("mr", "ms"),
    ("man", "woman"),
    ("men", "women"),
    ("male", "female"),
    ("boy", "girl"),
    ("husband", "wife"),
    ("father", "mother"),
    ("son", "daughter"),
    ("brother", "sister"),
    ("gentleman", "lady"),
    ("boyfriend", "girlfriend"),
    ("john", "mary"),
    ("james", "patricia"),
    ("michael", "jennifer"),
    ("david", "linda"),
    ("robert", "elizabeth"),
    ("william", "susan"),
    ("thomas", "sarah"),
    ("daniel", "emily"),
)
_FIRST_NAMES = {name for pair in _PAIRS[15:] for name in pair}
_ONE_WAY = {"hers": "his", "mrs": "mr"}
_SWAP: dict[str, str] = {}
for masculine, feminine in _PAIRS:
    _SWAP.setdefault(masculine, feminine)
    _SWAP.setdefault(feminine, masculine)
_SWAP.update(_ONE_WAY)
_WORDS = re.compile(r"\b(" + "|".join(sorted(_SWAP, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+[A-Za-z]")


def swapped(text: str) -> str:
    """`text` with each gendered word and listed first name turned to its counterpart."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        counterpart = _SWAP[lower]
        if lower == "her":  # "her file" is his file; "told her" is told him
            counterpart = "his" if _NEXT_WORD.match(text, match.end()) else "him"
        return _cased_like(word, counterpart)

    return _WORDS.sub(swap, text)


def neutral(text: str) -> str:
    """`text` with each word of the table replaced by its category, in lower case with spaces collapsed."""

    def category(match: re.Match[str]) -> str:
        return "<name>" if match.group(0).lower() in _FIRST_NAMES else "<person>"

    return " ".join(_WORDS.sub(category, text).casefold().split())


def _cased_like(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[0].isupper():
        return word.capitalize()
    return word

"""Search terms: the words of a text, normalised so that forms of one word meet.

A word is a run of letters and digits. Its terms are its case-folded, compatibility-decomposed form without
diacritics ("Café" -> "cafe", "ﬁle" -> "file"), cut again at anything that is no longer a letter or digit,
and stemmed with the Snowball English stemmer ("paying" -> "pay", "termination" -> "termin"). Indexing,
queries and snippet marking all go through `terms_of`, so they always agree.

The terms are part of the stored index: a delete recomputes them to remove a page's entries, so entries
built with other stems could no longer be removed. tests/modules/cyrano_arkiver/test_terms.py pins a sample, so a
stemmer upgrade that changes stems fails the suite instead of a deployment.
"""

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator

# The pure-Python English stemmer itself: `snowballstemmer.stemmer()` would switch to PyStemmer when that is
# installed, whose bundled algorithm version may stem differently from the one the index was built with.
from snowballstemmer.english_stemmer import EnglishStemmer

WORD = re.compile(r"[^\W_]+")
# Quoted phrases first, then single words (hyphens and apostrophes inside a word keep it one query term).
_QUERY_TERM = re.compile(r'"([^"]+)"|([^\W_][\w\'-]*)')

_stemmer = EnglishStemmer()
_stemmer_lock = threading.Lock()  # a Snowball stemmer keeps state while it works; pages are tokenised in threads


@functools.lru_cache(maxsize=100_000)
def terms_of(word: str) -> tuple[str, ...]:
    """The terms of one word (usually one; none for a word that folds to nothing)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    parts = WORD.findall(bare)
    with _stemmer_lock:
        return tuple(_stemmer.stemWords(parts))


def terms(text: str) -> Iterator[str]:
    """The terms of a text, in order."""
    for word in WORD.findall(text):
        yield from terms_of(word)


def query_phrases(query: str) -> list[tuple[str, ...]]:
    """The user's words and "quoted phrases", each as the terms that must occur in a row."""
    phrases = []
    for phrase, word in _QUERY_TERM.findall(query):
        found = tuple(terms(phrase or word))
        if found:
            phrases.append(found)
    return phrases

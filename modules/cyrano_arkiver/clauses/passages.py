"""The passages a contract is judged by (its sentences) and the words a passage is scored on.

Shared by run-time detection and by training (bench/train_clauses.py), so both see exactly the same features.
"""

import re
from dataclasses import dataclass

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.sentences import Sentences

_WORD = re.compile(r"[a-z]+|\d+")
# Passages this early in a contract are its title and preamble (name, parties, dates).
_OPENING_SENTENCES = 6
_SHORT_WORDS = 8


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence of `Document.text`: [start, end) in normalised offsets, its place, and the heading before it.

    The heading is the previous sentence when that one is short (a caption such as "Non-Solicitation."), else
    empty (heading_start == heading_end).
    """

    start: int
    end: int
    index: int
    heading_start: int
    heading_end: int


def passages_of(document: Document) -> list[Passage]:
    spans = Sentences(document.text).spans
    passages = []
    for index, span in enumerate(spans):
        previous = spans[index - 1] if index else None
        heading = (
            previous is not None and len(_WORD.findall(document.lower, previous.start, previous.end)) < _SHORT_WORDS
        )
        start, end = (previous.start, previous.end) if heading and previous else (span.start, span.start)
        passages.append(Passage(span.start, span.end, index, start, end))
    return passages


def features(lower_text: str, passage: Passage) -> set[str]:
    """Word unigrams and bigrams (numbers as "#"), the heading's words, cues for a short line and the opening."""
    words = ["#" if token[0].isdigit() else token for token in _WORD.findall(lower_text, passage.start, passage.end)]
    found = set(words)
    found.update(f"{first} {second}" for first, second in zip(words, words[1:], strict=False))
    found.update("h:" + word for word in _WORD.findall(lower_text, passage.heading_start, passage.heading_end))
    if len(words) < _SHORT_WORDS:
        found.add("<short>")
    if passage.index < _OPENING_SENTENCES:
        found.add("<opening>")
    return found

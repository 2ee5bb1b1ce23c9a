"""The source documents' words, indexed for the quotation check: one stream per document across its pages.

A quotation may run across a page break, so each document's words are one stream; what a page break puts
between them (a running header or footer, a page number) may be left out of a quotation at no cost.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from cyrano_potemkin.quote_words import WORD, cased_form
from cyrano_potemkin.sources import SourceDocument

_MARGIN_WORDS = 6  # a running header or footer is a short line
# "3", "- 3 -", "Page 3", "Page 3 of 10", "3/10" once digits read "#": a page number wherever it stands.
_PAGE_NUMBER = re.compile(r"[\s\-–—]*(?:page\s*)?#(?:\s*(?:of|/)\s*#)?[\s\-–—]*", re.IGNORECASE)


@dataclass(slots=True)
class DocumentWords:
    """A document's words across its pages, in columns: where each is, its forms, and what leaving it out costs."""

    document: SourceDocument
    pages: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    cased: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    omission_cost: list[int] = field(default_factory=list)  # 0 for a running header or footer between pages
    positions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, document: SourceDocument) -> "DocumentWords":
        indexed = cls(document)
        edges: list[tuple[str, range]] = []  # each page's first and last lines: their text and their words
        for number, page in enumerate(document.pages, start=1):
            first_word = len(indexed.keys)
            for match in WORD.finditer(page):
                cased = cased_form(match.group())
                key = cased.lower()
                indexed.positions[key].append(len(indexed.keys))
                indexed.pages.append(number)
                indexed.starts.append(match.start())
                indexed.ends.append(match.end())
                indexed.cased.append(cased)
                indexed.keys.append(key)
                indexed.omission_cost.append(1)
            edges.extend(_edge_lines(page, indexed.starts, first_word))
        repeated = Counter(line for line, _ in edges)
        for line, words in edges:
            if repeated[line] > 1 or _PAGE_NUMBER.fullmatch(line):
                for index in words:
                    indexed.omission_cost[index] = 0
        return indexed


def _edge_lines(page: str, starts: list[int], first_word: int) -> list[tuple[str, range]]:
    """A page's first and last lines when short, digits read as "#", with the indexes of their words."""
    count = len(starts) - first_word
    if count == 0:
        return []
    first_start = starts[first_word]
    line_end = page.find("\n", first_start)
    line_end = len(page) if line_end == -1 else line_end
    last_start = page.rfind("\n", 0, starts[-1]) + 1
    lines = []
    on_first = [i for i in range(first_word, len(starts)) if starts[i] < line_end][: _MARGIN_WORDS + 1]
    on_last = [i for i in range(len(starts) - 1, first_word - 1, -1) if starts[i] >= last_start][: _MARGIN_WORDS + 1]
    if len(on_first) <= _MARGIN_WORDS:
        lines.append((page[first_start:line_end], range(first_word, first_word + len(on_first))))
    if len(on_last) <= _MARGIN_WORDS and last_start > first_start:
        lines.append((page[last_start:].rstrip(), range(len(starts) - len(on_last), len(starts))))
    return [(re.sub(r"\d+", "#", " ".join(line.lower().split())), words) for line, words in lines]


class QuotationSources:
    """The documents a text's quotations are checked against, indexed once for all of them."""

    def __init__(self, documents: Sequence[SourceDocument]) -> None:
        self.documents = [DocumentWords.of(document) for document in documents]

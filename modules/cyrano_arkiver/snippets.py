"""Snippets of a search hit, cut from the opened page text around where the query's words stand together.

The window is chosen in this order: the query's words in a row as the query gives them ("governing law" finds
the heading "Governing Law" before "the law of a government"); else the shortest stretch of the page that holds
every word and quoted phrase of the query; else the first of them. Words whose terms were searched for are
marked «like this» wherever they show in the snippet, so "paying" marks "pays" and "Payment" does not.
"""

from collections import Counter
from collections.abc import Sequence

from cyrano_arkiver.terms import WORD, terms_of

Phrase = tuple[str, ...]


def snippet(page_text: str, phrases: Sequence[Phrase], width: int = 240) -> str:
    """About `width` characters of `page_text` around the best window for `phrases` (query terms, as
    `terms.query_phrases` gives them), with every searched word in view marked."""
    words = [(match.start(), match.end(), terms_of(match.group())) for match in WORD.finditer(page_text)]
    # The page as one sequence of terms, each with the word it came from (a word may give several terms).
    sequence = [(term, index) for index, (_, _, terms) in enumerate(words) for term in terms]
    window = _best_window([term for term, _ in sequence], list(dict.fromkeys(phrases)))
    if window is None:
        return " ".join(page_text[:width].split())
    first, last = words[sequence[window[0]][1]][0], words[sequence[window[1]][1]][1]
    lead = max(width // 6, (width - (last - first)) // 2)
    start = _word_start(page_text, max(0, first - lead))
    end = min(len(page_text), start + width)
    if end < len(page_text):
        end = _word_end(page_text, end, floor=start)
    wanted = {term for phrase in phrases for term in phrase}
    pieces: list[str] = []
    cursor = start
    for begin, finish, terms in words:
        if begin >= start and finish <= end and wanted.intersection(terms):
            pieces += [page_text[cursor:begin], f"«{page_text[begin:finish]}»"]
            cursor = finish
    pieces.append(page_text[cursor:end])
    body = " ".join("".join(pieces).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(page_text) else "")


def _best_window(terms: Sequence[str], phrases: Sequence[Phrase]) -> tuple[int, int] | None:
    """First and last position in `terms` of the best window for `phrases` (see the module's docstring)."""
    if not phrases:
        return None
    whole = tuple(term for phrase in phrases for term in phrase)
    if len(phrases) > 1:
        in_a_row = _occurrences(terms, whole)
        if in_a_row:
            return in_a_row[0]
    found = sorted(
        (start, end, number) for number, phrase in enumerate(phrases) for start, end in _occurrences(terms, phrase)
    )
    if not found:
        return None
    if len({number for _, _, number in found}) < len(phrases):
        return found[0][0], found[0][1]  # not every word is on this page as searched: show the first one that is
    best: tuple[int, int] | None = None
    held: Counter[int] = Counter()
    left = 0
    for right in range(len(found)):
        held[found[right][2]] += 1
        while len(held) == len(phrases):
            span = (found[left][0], max(end for _, end, _ in found[left : right + 1]))
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
            held[found[left][2]] -= 1
            if not held[found[left][2]]:
                del held[found[left][2]]
            left += 1
    return best


def _occurrences(terms: Sequence[str], phrase: Phrase) -> list[tuple[int, int]]:
    """Where `phrase` stands in `terms` as consecutive terms: (first, last) positions, in order."""
    size = len(phrase)
    return [
        (position, position + size - 1)
        for position in range(len(terms) - size + 1)
        if terms[position] == phrase[0] and tuple(terms[position : position + size]) == phrase
    ]


def _word_start(text: str, position: int) -> int:
    """`position`, moved forward out of a word it falls inside."""
    while 0 < position < len(text) and not text[position - 1].isspace() and not text[position].isspace():
        position += 1
    return position


def _word_end(text: str, position: int, floor: int) -> int:
    """`position`, moved back out of a word it falls inside, but not before `floor`."""
    while position > floor and not text[position - 1].isspace() and not text[position].isspace():
        position -= 1
    return position

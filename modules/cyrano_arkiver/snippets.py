"""Snippets of a search hit, cut from the opened page text around where the query's words stand together.

The window is chosen in this order: the query's words in a row as the query gives them ("governing law" finds
the heading "Governing Law" before "the law of a government"); else the stretch of about a snippet's width that
holds the most of the query's words and quoted phrases, each counted once, then the most matches in all (so the
clause "construed ... under the laws of California ... choice of law ... not governed by the U.N. Convention"
comes before a passing "law of a government"), the earliest on a tie. Words whose terms were searched for are
marked «like this» wherever they show in the snippet, so "paying" marks "pays" and "Payment" does not.
"""

from collections.abc import Sequence

from cyrano_arkiver.terms import WORD, terms_of

Phrase = tuple[str, ...]


def snippet(page_text: str, phrases: Sequence[Phrase], width: int = 240) -> str:
    """About `width` characters of `page_text` around the best window for `phrases` (query terms, as
    `terms.query_phrases` gives them), with every searched word in view marked."""
    words = [(match.start(), match.end(), terms_of(match.group())) for match in WORD.finditer(page_text)]
    # The page as one sequence of terms, each with the word it came from (a word may give several terms).
    sequence = [(term, index) for index, (_, _, terms) in enumerate(words) for term in terms]
    spans = _matches([term for term, _ in sequence], list(dict.fromkeys(phrases)))
    # Each match as the characters it covers on the page, and which phrase it is.
    found = [(words[sequence[first][1]][0], words[sequence[last][1]][1], number) for first, last, number in spans]
    window = _best_window(found, reach=width * 5 // 6)
    if window is None:
        return " ".join(page_text[:width].split())
    first, last = window
    lead = (width - (last - first)) // 2 if last - first < width else width // 6  # the window in view, centred
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


def _matches(terms: Sequence[str], phrases: Sequence[Phrase]) -> list[tuple[int, int, int]]:
    """(first, last, phrase number) of each place a phrase stands in `terms`; only the whole query in a row
    (number -1) when it stands anywhere so."""
    whole = tuple(term for phrase in phrases for term in phrase)
    if len(phrases) > 1:
        in_a_row = _occurrences(terms, whole)
        if in_a_row:
            return [(first, last, -1) for first, last in in_a_row]
    return sorted(
        (first, last, number) for number, phrase in enumerate(phrases) for first, last in _occurrences(terms, phrase)
    )


def _best_window(found: Sequence[tuple[int, int, int]], reach: int) -> tuple[int, int] | None:
    """The character span of the matches that start within `reach` of a match's start, for the match whose
    window holds the most phrases, then the most matches, the earliest on a tie."""
    best: tuple[tuple[int, int], tuple[int, int]] | None = None
    for index, (start, _, _) in enumerate(found):
        inside = [match for match in found[index:] if match[0] - start <= reach]
        score = (len({number for _, _, number in inside}), len(inside))
        if best is None or score > best[0]:
            best = (score, (start, max(end for _, end, _ in inside)))
    return best[1] if best is not None else None


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

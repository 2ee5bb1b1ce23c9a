"""Snippets of a search hit, cut from the opened page text: the words whose terms were searched for are
marked «like this», so "paying" marks "pays" and "Payment" does not."""

from collections.abc import Collection

from cyrano_arkiver.terms import WORD, terms_of


def snippet(page_text: str, wanted: Collection[str], width: int = 240) -> str:
    """Text around the first word with a term in `wanted`, with every such word in view marked."""
    marked = [
        (match.start(), match.end())
        for match in WORD.finditer(page_text)
        if any(term in wanted for term in terms_of(match.group()))
    ]
    if not marked:
        return " ".join(page_text[:width].split())
    start = max(0, marked[0][0] - width // 3)
    end = min(len(page_text), start + width)
    pieces: list[str] = []
    cursor = start
    for begin, finish in marked:
        if begin < start or finish > end:
            continue
        pieces.append(page_text[cursor:begin])
        pieces.append(f"«{page_text[begin:finish]}»")
        cursor = finish
    pieces.append(page_text[cursor:end])
    body = " ".join("".join(pieces).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(page_text) else "")

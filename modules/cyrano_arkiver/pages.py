"""Pages for documents that have none of their own (plain text, Markdown, HTML, DOCX).

Every insight cites a page, so text is cut into natural blocks: at form feeds where the text has them,
otherwise at paragraph breaks once a page has reached about `target_chars`. Pages are exact slices of the
input, so joining them gives the text back.
"""

import re

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n")


def paginate_text(text: str, target_chars: int = 3000) -> list[str]:
    """Cut `text` into pages; `"".join(paginate_text(t)) == t` always holds."""
    if not text:
        return []
    if "\f" in text:
        pieces = text.split("\f")
        with_feeds = [piece + "\f" for piece in pieces[:-1]] + [pieces[-1]]
        return [page for page in with_feeds if page]
    pages: list[str] = []
    start = 0
    while len(text) - start > target_chars * 1.5:
        cut = None
        for match in _PARAGRAPH_BREAK.finditer(text, start + target_chars // 2, start + target_chars * 3 // 2):
            cut = match.end()
            if cut - start >= target_chars:
                break
        if cut is None:  # no paragraph break near the target: fall back to a line break, then a space
            window_end = start + target_chars * 3 // 2
            newline = text.rfind("\n", start + target_chars // 2, window_end)
            space = text.rfind(" ", start + target_chars // 2, window_end)
            cut = (newline if newline != -1 else space if space != -1 else start + target_chars) + 1
        pages.append(text[start:cut])
        start = cut
    pages.append(text[start:])
    return pages

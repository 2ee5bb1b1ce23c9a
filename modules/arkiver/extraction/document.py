"""One normalised view of all pages for matching, and the way back to exact raw page offsets.

Rules match against `Document.text`: the pages joined with a newline, typographic quotes made straight,
whitespace runs collapsed to one space (or to one newline where the run held a blank line, which marks a
paragraph). `Document.provenance` maps a span of that text back to one page's raw text, so every quote is an
exact slice of the page as given.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence

from modules.arkiver.extraction.models import Provenance

# Same-length replacements, so they need no offset bookkeeping.
_STRAIGHTEN = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "ʺ": '"', "‘": "'", "’": "'", "‛": "'", "\xa0": " "}
)
# A run of whitespace that is not already a single space.
_RUN = re.compile(r"\s{2,}|[^\S ]")


class Document:
    def __init__(self, pages: Sequence[str]) -> None:
        self.pages = list(pages)
        self.page_starts: list[int] = []
        position = 0
        for page in self.pages:
            self.page_starts.append(position)
            position += len(page) + 1
        raw = "\n".join(self.pages).translate(_STRAIGHTEN)
        pieces: list[str] = []
        # Anchors: from normalised offset norm_at[i] on, raw offset = raw_at[i] + (offset - norm_at[i]).
        self._norm_at = [0]
        self._raw_at = [0]
        kept = 0  # raw offset up to which text is copied
        length = 0  # length of the normalised text so far
        for run in _RUN.finditer(raw):
            pieces.append(raw[kept : run.start()])
            length += run.start() - kept
            pieces.append("\n" if run.group().count("\n") >= 2 else " ")
            self._norm_at.append(length)
            self._raw_at.append(run.start())
            length += 1
            self._norm_at.append(length)
            self._raw_at.append(run.end())
            kept = run.end()
        pieces.append(raw[kept:])
        self.text = "".join(pieces)

    def raw_offset(self, offset: int) -> int:
        index = bisect_right(self._norm_at, offset) - 1
        return self._raw_at[index] + offset - self._norm_at[index]

    def provenance(self, start: int, end: int) -> Provenance | None:
        """The page slice for normalised span [start, end), trimmed of spaces and cut at the page's end."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end:
            return None
        raw_start = self.raw_offset(start)
        raw_end = self.raw_offset(end - 1) + 1
        index = bisect_right(self.page_starts, raw_start) - 1
        page = self.pages[index]
        local_start = raw_start - self.page_starts[index]
        local_end = min(raw_end - self.page_starts[index], len(page))
        while local_end > local_start and page[local_end - 1].isspace():
            local_end -= 1
        if local_end <= local_start:
            return None
        return Provenance(page=index + 1, start=local_start, end=local_end, quote=page[local_start:local_end])

"""One normalised view of all pages for matching, and the way back to exact raw page offsets.

Rules match against `Document.text`: the pages joined with a newline, typographic quotes made straight,
whitespace runs collapsed to one space (or to one newline where the run held a blank line, which marks a
paragraph). `Document.provenance` maps a span of that text back to one page's raw text, so every quote is an
exact slice of the page as given.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from cyrano_arkiver.extraction.models import Provenance

# Same-length replacements, so they need no offset bookkeeping.
_STRAIGHTEN = {"“": '"', "”": '"', "„": '"', "‟": '"', "ʺ": '"', "‘": "'", "’": "'", "‛": "'", "\xa0": " "}
# A run of whitespace that is not already a single space.
_RUN = re.compile(r"(\s{2,}|[^\S ])")


class Document:
    def __init__(self, pages: Sequence[str]) -> None:
        self.pages = list(pages)
        self.page_starts: list[int] = []
        position = 0
        for page in self.pages:
            self.page_starts.append(position)
            position += len(page) + 1
        raw = "\n".join(self.pages)
        for typographic, plain in _STRAIGHTEN.items():
            if typographic in raw:
                raw = raw.replace(typographic, plain)
        # split() alternates kept text and whitespace runs; each run becomes one character.
        parts = _RUN.split(raw)
        kept = parts[0::2]
        runs = parts[1::2]
        replacements = ["\n" if run.count("\n") >= 2 else " " for run in runs]
        pieces = [piece for pair in zip(kept, replacements, strict=False) for piece in pair] + [kept[-1]]
        self.text = "".join(pieces)
        # For fast case-sensitive scans for lowercase cue words; lower() keeps offsets unless some character
        # lower-cases to two (rare: "İ"), and then the scans fall back to the text itself.
        lower = self.text.lower()
        self.lower = lower if len(lower) == len(self.text) else self.text
        # Anchors, one per piece: from normalised offset norm_at[i] on, raw offset = raw_at[i] + offset - norm_at[i].
        raw_pieces = [piece for pair in zip(kept, runs, strict=False) for piece in pair] + [kept[-1]]
        self._norm_at = [0, *accumulate(len(piece) for piece in pieces[:-1])]
        self._raw_at = [0, *accumulate(len(piece) for piece in raw_pieces[:-1])]

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

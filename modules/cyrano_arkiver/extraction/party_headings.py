"""Party lists set out as headings rather than in one preamble sentence.

Common layouts: "THIS AGREEMENT is made on <date>. BETWEEN: (1) ACME LIMITED ... AND: (2) BETA INC. ...", a cover
page "AGREEMENT Between Acme Inc. And Beta LLC", and the labels of translated contracts ("Party A: Acme Co., Ltd.
Address: ... Party B: ..."). Each yields a window of text the party-list reader splits into entries.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Headings come near the top; a long table of contents can push the first page of the contract down.
_HEADING_CHARS = 12_000
# One party list set out in paragraphs, with addresses, is at most this long.
_WINDOW_CHARS = 2_500
# "BETWEEN" that starts a paragraph or follows a full stop or colon, in capitals, title case or letter-spaced.
# Or an English cover page: "DATED 15TH DECEMBER 2001\n ACME LIMITED\n AND\n BETA LIMITED".
_BETWEEN_HEADING = re.compile(
    r"(?:^|(?<=[\n.:]))\s*(?:(?:BY|By)\s+(?:AND|and)\s+)?(?:BETWEEN|Between|AMONG|Among|B\s+E\s+T\s+W\s+E\s+E\s+N)\s*:?(?=\s)"
    r"|(?:^|(?<=\n))\s*(?:DATED|Dated)\b[^\n]{0,40}\n(?=[^\n]{3,200}\n\s*(?:AND|and)\s*\n)"
)
# Where a heading layout's party list gives way to the body: a numbered clause, an article, a label block.
_BODY_START = re.compile(
    r"\n\s*(?:\d{1,2}\.\s|(?:ARTICLE|Article|SECTION|Section|CLAUSE|Clause)\s+\w|Party\s+[A-D]\s*:|CONTENTS|Contents)"
)
_PARTY_LABEL = re.compile(r"\bParty\s+([A-D])\s*:\s*")


@dataclass(frozen=True, slots=True)
class Window:
    start: int
    end: int


def heading_windows(text: str) -> Iterator[Window]:
    """The text after each "BETWEEN" heading near the top, up to where the body starts."""
    for match in _BETWEEN_HEADING.finditer(text, 0, _HEADING_CHARS):
        end = min(len(text), match.end() + _WINDOW_CHARS)
        body = _BODY_START.search(text, match.end(), end)
        yield Window(match.end(), body.start() if body is not None else end)


def label_windows(text: str) -> list[Window]:
    """ "Party A: <name>", "Party B: <name>": each label's name up to the end of its line, in label order, once each."""
    windows: list[Window] = []
    seen: set[str] = set()
    for match in _PARTY_LABEL.finditer(text, 0, _HEADING_CHARS):
        label = match.group(1)
        if label in seen:
            continue
        seen.add(label)
        line_end = text.find("\n", match.end())
        end = line_end if line_end != -1 else len(text)
        following = _PARTY_LABEL.search(text, match.end(), end)  # "Party A: Acme Co. Party B: Beta Ltd."
        windows.append(Window(match.end(), following.start() if following is not None else end))
    return windows if len(windows) >= 2 else []

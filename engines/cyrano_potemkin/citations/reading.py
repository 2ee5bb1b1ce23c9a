"""Citations in a text, as written: eyecite's reading, plus a pattern for reporters eyecite does not know.

eyecite only recognises reporters listed in reporters-db, so an invented reporter ("12 Foo. Rptr. 34") or a
series a reporter never had ("12 F.5th 34") is invisible to it; those are exactly the fabrications to catch,
so spans that look like volume-reporter-page and that eyecite left alone are read by `_UNREAD` too.
The year and court are read from the parenthetical right after the citation (or its pin cite): eyecite sometimes
takes them from a later citation's parenthetical.
"""

import logging
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

CitationKind = Literal["case", "short_form", "id", "supra", "law", "journal"]

# A volume, an abbreviated reporter with at least one full stop, then a page (or a section).
_UNREAD = re.compile(
    r"(?<![\w.§])(?P<volume>\d{1,4}[A-Z]?)\s+"
    r"(?P<reporter>[A-Z][A-Za-z'&]{0,14}\.?(?:\s?(?:[A-Z][A-Za-z'&]{0,14}\.?|\d{1,2}(?:d|st|nd|rd|th)\.?)){0,5})"
    r"\s+(?:§+\s*)?(?P<page>\d{1,6})(?![\w])"
)
# First words that make a volume-word-number run ordinary prose or a date, not a citation.
_NOT_REPORTERS = frozenset({
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "p", "pp",
    "vol", "vols", "ch", "art", "arts", "sec", "secs", "para", "paras", "fig", "figs", "n", "nn", "at", "id", "op",
    "ex", "exs", "tab", "tabs", "pt", "pts"
})  # fmt: skip
# "(9th Cir. 2001)", "(Cal. Ct. App. 2007)", "(1954)", after an optional pin cite (", 490", ", 490-91", " at 5").
_PARENTHETICAL = re.compile(r"(?:,?\s*(?:at\s+)?\*?\d[\d\-–, n.*]*?)?\s*\((?P<court>[^()]{0,60}?)\s*(?P<year>\d{4})\)")
# A case name just before the citation: "Brown v. Board of Education, " (the defendant runs to the comma).
_CASE_NAME = re.compile(
    r"(?P<plaintiff>(?:[A-Z][\w.'&-]*|of|the|and|&|de|ex|rel\.|for)(?:\s+(?:[A-Z][\w.'&-]*|of|the|and|&|de|la|ex|"
    r"rel\.|for|in))*)\s+v(?:s)?\.\s+(?P<defendant>[^,;()]{1,120}?),\s*\Z"
)
_CHUNK = 8_000  # characters eyecite reads at once
_LEADING_WORDS = frozenset(["see", "cf", "but", "also", "accord", "and", "in", "the", "of", "for", "e.g.", "compare"])


@dataclass
class ReadCitation:
    """One citation as the text writes it. `start`/`end` are the citation's own words (volume to page)."""

    kind: CitationKind
    start: int
    end: int
    text: str
    normalized: str
    volume: str | None = None
    reporter: str | None = None
    page: str | None = None
    year: int | None = None
    court: str | None = None  # the parenthetical's court words, e.g. "9th Cir."
    case_name: str | None = None
    editions: list[Any] = field(default_factory=list)  # eyecite's Edition objects; empty when eyecite did not read it
    antecedent_guess: str | None = None  # the name a short form or supra points back to


@cache
def _eyecite() -> Any:
    """eyecite, imported and set up once (its first import compiles every reporter's patterns)."""
    import eyecite
    from eyecite import helpers

    # eyecite logs the text it reads (client material) at WARNING level when citations overlap.
    logging.getLogger("eyecite").setLevel(logging.ERROR)
    # eyecite finds a parenthetical's court by normalising all ~2,800 courts-db names on every call (about 30 ms
    # a citation: 30 s for a long brief). The same rule over names normalised once answers the same court ids,
    # so replacing it for the whole process changes no one's results (Arkiver's extraction does the same).
    helpers.get_court_by_paren = cache(_court_by_paren)
    return eyecite


@cache
def _normalised_courts() -> tuple[tuple[str, str], ...]:
    from courts_db import courts

    return tuple((court_key(str(court["citation_string"])), str(court["id"])) for court in courts)


def court_key(words: str) -> str:
    """Court words as courts-db's citation strings are compared: letters and digits only, lower case."""
    return re.sub(r"[^\w]", "", words).lower()


def _court_by_paren(parenthetical: str) -> str | None:
    """eyecite's rule: the court whose citation string equals the words, else the last one they begin."""
    wanted = court_key(parenthetical)
    if not wanted:
        return None
    found = None
    for key, court_id in _normalised_courts():
        if key == wanted:
            return court_id
        if key.startswith(wanted):
            found = court_id
    return found


def read_citations(text: str) -> list[ReadCitation]:
    eyecite = _eyecite()
    found: list[ReadCitation] = []
    for chunk_start, chunk_end in _chunks(text):
        for citation in eyecite.get_citations(text[chunk_start:chunk_end]):
            start, end = citation.span()
            read = _of_kind(text, citation, chunk_start + start, chunk_start + end)
            if read is not None:
                found.append(read)
    found += _unread(text, [(item.start, item.end) for item in found])
    return sorted(found, key=lambda item: item.start)


def _chunks(text: str) -> list[tuple[int, int]]:
    """Stretches of about `_CHUNK` characters, cut after a sentence (or at a space). eyecite looks for pin-cited
    references to each citation in all the text after it, so one call over a long text takes quadratic time."""
    chunks: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            cut = max(text.rfind(". ", start, end), text.rfind("\n", start, end))
            cut = cut + 1 if cut > start + _CHUNK // 2 else text.rfind(" ", start, end)
            end = cut if cut > start else end
        chunks.append((start, end))
        start = end
    return chunks


def _of_kind(text: str, citation: Any, start: int, end: int) -> ReadCitation | None:
    """`citation` (an eyecite citation at text[start:end]) as a ReadCitation; None for kinds not checked."""
    from eyecite.models import (
        FullCaseCitation,
        FullJournalCitation,
        FullLawCitation,
        IdCitation,
        ShortCaseCitation,
        SupraCitation,
    )

    if isinstance(citation, FullCaseCitation):
        return _case(text, citation, start, end)
    if isinstance(citation, ShortCaseCitation):
        read = _read(citation, "short_form", start, end)
        read.antecedent_guess = citation.metadata.antecedent_guess
        return read
    if isinstance(citation, FullLawCitation):
        return _read(citation, "law", start, end)
    if isinstance(citation, FullJournalCitation):
        return _read(citation, "journal", start, end)
    if isinstance(citation, IdCitation):
        return ReadCitation("id", start, end, text[start:end], "Id.")
    if isinstance(citation, SupraCitation):
        antecedent = citation.metadata.antecedent_guess
        return ReadCitation("supra", start, end, text[start:end], "supra", antecedent_guess=antecedent)
    return None  # a reference by name alone, or a citation eyecite could not classify


def _read(citation: Any, kind: CitationKind, start: int, end: int) -> ReadCitation:
    groups: dict[str, str] = citation.groups
    return ReadCitation(
        kind=kind,
        start=start,
        end=end,
        text=str(citation.matched_text()),
        normalized=str(citation.corrected_citation()),
        volume=groups.get("volume") or groups.get("title") or groups.get("chapter"),
        reporter=str(citation.corrected_reporter()) if groups.get("reporter") else None,
        page=groups.get("page") or groups.get("section"),
        editions=list(getattr(citation, "all_editions", []) or []),
    )


def _case(text: str, citation: Any, start: int, end: int) -> ReadCitation:
    read = _read(citation, "case", start, end)
    read.year, read.court = parenthetical_after(text, end)
    metadata = citation.metadata
    if metadata.plaintiff and metadata.defendant:
        read.case_name = f"{metadata.plaintiff} v. {metadata.defendant}"
    else:
        read.case_name = case_name_before(text, start)
    return read


def parenthetical_after(text: str, end: int) -> tuple[int | None, str | None]:
    """The year and the court words of the parenthetical right after a citation, if it has one."""
    match = _PARENTHETICAL.match(text, end, min(len(text), end + 100))
    if match is None:
        return None, None
    court = match.group("court").strip(" ,") or None
    return int(match.group("year")), court


def case_name_before(text: str, start: int) -> str | None:
    """ "Smith v. Jones" when the words just before the citation name the case."""
    match = _CASE_NAME.search(text, max(0, start - 200), start)
    if match is None:
        return None
    words = match.group("plaintiff").split()
    while words and words[0].lower() in _LEADING_WORDS:
        words.pop(0)
    if not words:
        return None
    return f"{' '.join(words)} v. {' '.join(match.group('defendant').split())}"


def _unread(text: str, taken: list[tuple[int, int]]) -> list[ReadCitation]:
    """Volume-reporter-page spans eyecite did not read: a reporter it does not know (or an ordinary phrase)."""
    found: list[ReadCitation] = []
    for match in _UNREAD.finditer(text):
        start, end = match.span()
        if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
            continue
        reporter = " ".join(match.group("reporter").split())
        first = reporter.split()[0].rstrip(".").lower()
        if "." not in reporter or first in _NOT_REPORTERS:
            continue
        read = ReadCitation(
            kind="case",
            start=start,
            end=end,
            text=match.group(0),
            normalized=f"{match.group('volume')} {reporter} {match.group('page')}",
            volume=match.group("volume"),
            reporter=reporter,
            page=match.group("page"),
        )
        read.year, read.court = parenthetical_after(text, end)
        read.case_name = case_name_before(text, start)
        found.append(read)
    return found

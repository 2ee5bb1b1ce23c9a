"""Legal citations: cases, statutes and regulations via eyecite, checked against reporters-db.

eyecite is loaded on first need (its import and tokenizer set-up are slow) and runs only on pages with a
citation-like pattern, so contracts without citations cost one cheap regex scan per page. eyecite knows only
reporters in reporters-db; a case citation in the usual form whose reporter it does not know ("Smith v. Jones,
12 Foo. Rptr. 34 (2001)") is still reported, with `reporter_known` false.
"""

import logging
import re
from collections.abc import Sequence
from functools import cache, partial
from typing import Any

from cyrano_arkiver.extraction.models import Citation, CitationKind, Provenance

# "347 U.S. 483", "12 F.3d 456", "42 U.S.C. § 1983", "2020 WL 123456", "29 C.F.R. 1630.2": a volume, an
# abbreviated reporter (words ending in a full stop), then a page or section.
_CITATION_LIKE = re.compile(
    r"\b\d{1,4}\s+(?:[A-Z][A-Za-z]{0,5}\.\s?(?:\d?[a-z]{1,2}\s)?){1,6}\s*(?:§+\s*)?\d|§|\b\d{4}\s+(?:WL|LEXIS)\s+\d"
)
# What every citation-like spot contains, found by a fast literal scan: a full stop before a page number
# ("U.S. 483", "F.3d 456"), a section sign, or a database cite ("2020 WL 123").
_CHEAP_CUE = re.compile(r"\. \d|\.\d[a-z]{1,2} \d|§|WL \d|LEXIS \d")
# eyecite reads this much text around each citation-like spot: enough for a case name before it and a pin cite,
# court and year after it, and far cheaper than tokenising the whole page.
_WINDOW = 300
# A case citation in the usual form, for reporters eyecite does not know.
_CASE = re.compile(
    r"(?P<name>[A-Z][\w.'&-]*(?:\s+[\w.'&-]+){0,6}?\s+v\.\s+[A-Z][\w.'&-]*(?:\s+[\w.'&-]+){0,6}?),\s+"
    r"(?P<volume>\d{1,4})\s+(?P<reporter>[A-Z][A-Za-z0-9.'&]*(?:\s+[A-Za-z0-9.'&]+){0,4}?)\s+(?P<page>\d{1,6})"
    r"(?:,\s*\d{1,6})?\s*\((?P<court>[^()\d]{0,40}?)\s*(?P<year>\d{4})\)"
)
_REGULATION = re.compile(r"C\.\s?F\.\s?R|Fed\.\s?Reg|Reg\.|Regs\.|Admin\.", re.IGNORECASE)


@cache
def _eyecite() -> Any:
    """eyecite's entry point and citation classes, imported on first use."""
    import eyecite
    from courts_db import courts
    from eyecite import helpers
    from eyecite.models import FullCaseCitation, FullJournalCitation, FullLawCitation

    # eyecite logs citation text (so document text) at WARNING level, e.g. "Unknown overlap case. Last cite: ...".
    logging.getLogger("eyecite").setLevel(logging.ERROR)
    # eyecite resolves a court parenthetical ("9th Cir.") by normalising all ~1,400 court names on every call,
    # about 30 ms a citation; the same rule over names normalised once (from courts-db, as eyecite reads them)
    # is a thousand times faster.
    table = [(_normalise_court(str(court["citation_string"])), court["id"]) for court in courts]
    helpers.get_court_by_paren = cache(partial(_court_by_paren, table))
    return eyecite.get_citations, FullCaseCitation, FullLawCitation, FullJournalCitation


def _normalise_court(name: str) -> str:
    return re.sub(r"[^\w]", "", name).lower()


def _court_by_paren(table: list[tuple[str, Any]], paren: str) -> str | None:
    """eyecite's rule: the court whose citation string equals the parenthetical, else the last that starts with it."""
    wanted = _normalise_court(paren)
    if not wanted:
        return None
    found = None
    for name, court_id in table:
        if name == wanted:
            return str(court_id)
        if name.startswith(wanted):
            found = court_id
    return found


@cache
def _known_reporters() -> frozenset[str]:
    import reporters_db

    known: set[str] = set(reporters_db.REPORTERS) | set(reporters_db.LAWS) | set(reporters_db.JOURNALS)
    known |= set(reporters_db.VARIATIONS_ONLY)
    for entries in reporters_db.REPORTERS.values():
        for entry in entries:
            for edition, details in entry["editions"].items():
                known.add(edition)
                known.update(details.get("variations", {}))
            known.update(entry.get("variations", {}))
    return frozenset(_squash(name) for name in known)


def _squash(reporter: str) -> str:
    return re.sub(r"\s+", "", reporter).lower()


def reporter_known(reporter: str) -> bool:
    return _squash(reporter) in _known_reporters()


def extract_citations(pages: Sequence[str]) -> list[Citation]:
    citations: list[Citation] = []
    for number, page in enumerate(pages, start=1):
        if not _citation_like(page):
            continue
        found: list[Citation] = []
        for start, end in _windows(page):
            found += _from_eyecite(page, number, start, end)
        taken = [(item.provenance.start, item.provenance.end) for item in found]
        for match in _CASE.finditer(page):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            found.append(_from_pattern(number, match))
        citations += sorted(found, key=lambda item: item.provenance.start)
    return citations


def _citation_like(page: str) -> bool:
    return any(
        _CITATION_LIKE.search(page, max(0, cue.start() - 40), cue.end() + 12) for cue in _CHEAP_CUE.finditer(page)
    )


def _windows(page: str) -> list[tuple[int, int]]:
    """Merged stretches of the page around citation-like spots, cut at whitespace."""
    windows: list[tuple[int, int]] = []
    for match in _CITATION_LIKE.finditer(page):
        start = max(0, match.start() - _WINDOW)
        end = min(len(page), match.end() + _WINDOW)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    cut: list[tuple[int, int]] = []
    for start, end in windows:
        space = page.find(" ", start) if start else 0
        start = space + 1 if 0 < space < end else start
        space = page.rfind(" ", start, end) if end < len(page) else end
        cut.append((start, space if space > start else end))
    return cut


def _from_eyecite(page: str, number: int, window_start: int, window_end: int) -> list[Citation]:
    get_citations, case_type, law_type, journal_type = _eyecite()
    found: list[Citation] = []
    for citation in get_citations(page[window_start:window_end]):
        if isinstance(citation, case_type):
            kind: CitationKind = "case"
        elif isinstance(citation, law_type):
            kind = "regulation" if _REGULATION.search(str(citation.groups.get("reporter", ""))) else "statute"
        elif isinstance(citation, journal_type):
            kind = "journal"
        else:
            continue  # short forms, "Id.", "supra": they repeat a citation already listed
        start, end = citation.full_span() if kind == "case" else citation.span()
        start, end = window_start + start, window_start + end
        groups: dict[str, str] = citation.groups
        metadata = citation.metadata
        reporter = str(groups.get("reporter", ""))
        plaintiff, defendant = getattr(metadata, "plaintiff", None), getattr(metadata, "defendant", None)
        year = getattr(metadata, "year", None)
        found.append(
            Citation(
                provenance=Provenance.on_page(page, number, start, end),
                kind=kind,
                text=str(citation.matched_text()),
                normalized=str(citation.corrected_citation()),
                volume=groups.get("volume") or groups.get("title") or groups.get("chapter"),
                reporter=reporter,
                page=groups.get("page") or groups.get("section"),
                court=getattr(metadata, "court", None),
                year=int(year) if year and str(year).isdigit() else None,
                case_name=f"{plaintiff} v. {defendant}" if plaintiff and defendant else None,
                reporter_known=reporter_known(reporter) or reporter_known(str(citation.corrected_reporter())),
            )
        )
    return found


def _from_pattern(number: int, match: re.Match[str]) -> Citation:
    reporter = match.group("reporter")
    cite = f"{match.group('volume')} {reporter} {match.group('page')}"
    court = match.group("court").strip(" ,") or None
    return Citation(
        provenance=Provenance.on_page(match.string, number, match.start(), match.end()),
        kind="case",
        text=cite,
        normalized=cite,
        volume=match.group("volume"),
        reporter=reporter,
        page=match.group("page"),
        court=court,
        year=int(match.group("year")),
        case_name=re.sub(r"\s+", " ", match.group("name")),
        reporter_known=reporter_known(reporter),
    )

"""Whether a citation can exist, judged from reporters-db (reporters, their series and years) and courts-db.

Only what those databases state is held against a citation: a reporter (or series) they do not list is
`malformed`; a year outside every matching edition's years, or a court whose state (or the federal courts) the
reporter does not cover, is `impossible`. reporters-db gives no volume ranges, so a volume is only checked for
being a real number (not 0); a year before an edition began or after it ended is allowed one year either side
(a case decided in December may be reported in the next series).
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from cyrano_potemkin.citations.reading import ReadCitation

Structural = Literal["malformed", "impossible"]
_SERIES = re.compile(r"\s?\d{1,2}(?:d|st|nd|rd|th)\.?$")
_SLACK_YEARS = 1
_STATES = {
    "Alabama": "al", "Alaska": "ak", "Arizona": "az", "Arkansas": "ar", "California": "ca", "Colorado": "co",
    "Connecticut": "ct", "Delaware": "de", "Florida": "fl", "Georgia": "ga", "Hawaii": "hi", "Idaho": "id",
    "Illinois": "il", "Indiana": "in", "Iowa": "ia", "Kansas": "ks", "Kentucky": "ky", "Louisiana": "la",
    "Maine": "me", "Maryland": "md", "Massachusetts": "ma", "Michigan": "mi", "Minnesota": "mn", "Mississippi": "ms",
    "Missouri": "mo", "Montana": "mt", "Nebraska": "ne", "Nevada": "nv", "New Hampshire": "nh", "New Jersey": "nj",
    "New Mexico": "nm", "New York": "ny", "North Carolina": "nc", "North Dakota": "nd", "Ohio": "oh", "Oklahoma": "ok",
    "Oregon": "or", "Pennsylvania": "pa", "Rhode Island": "ri", "South Carolina": "sc", "South Dakota": "sd",
    "Tennessee": "tn", "Texas": "tx", "Utah": "ut", "Vermont": "vt", "Virginia": "va", "Washington": "wa",
    "West Virginia": "wv", "Wisconsin": "wi", "Wyoming": "wy", "District of Columbia": "dc",
}  # fmt: skip
# The federal parts of a jurisdiction code: "us" itself, a circuit ("us:c9", "us:c"), or "us:fed".
_FEDERAL_PART = re.compile(r"c\d*|fed")


@dataclass(frozen=True)
class Problem:
    status: Structural
    reason: str
    method: str  # "reporters-db" or "courts-db"


@cache
def _names() -> tuple[frozenset[str], dict[str, list[str]]]:
    """Every reporter, edition and variation name reporters-db knows (squashed), and each edition's
    jurisdictions (its reporter's `mlz_jurisdiction` codes)."""
    import reporters_db

    known: set[str] = set(reporters_db.LAWS) | set(reporters_db.JOURNALS) | set(reporters_db.VARIATIONS_ONLY)
    jurisdictions: dict[str, list[str]] = {}
    for key, entries in reporters_db.REPORTERS.items():
        known.add(key)
        for entry in entries:
            known.update(entry.get("variations", {}))
            for edition, details in entry["editions"].items():
                known.add(edition)
                known.update(details.get("variations", {}))
                jurisdictions.setdefault(edition, []).extend(entry.get("mlz_jurisdiction", []))
    for entries in reporters_db.LAWS.values():
        for entry in entries:
            known.update(entry.get("variations", {}))
    return frozenset(squash(name) for name in known), jurisdictions


def squash(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


def reporter_known(reporter: str) -> bool:
    return squash(reporter) in _names()[0]


def problem_of(citation: ReadCitation, *, this_year: int | None = None) -> Problem | None:
    """Why a full case citation cannot be real, or None when reporters-db and courts-db allow it."""
    if citation.reporter is None:
        return None
    if not citation.editions:
        return _unknown_reporter(citation.reporter)
    if citation.volume is not None and citation.volume.isdigit() and int(citation.volume) == 0:
        return Problem("impossible", f"volume 0 of {citation.reporter}: volumes are numbered from 1", "reporters-db")
    if citation.year is not None:
        found = _year_problem(citation, this_year or dt.date.today().year)
        if found is not None:
            return found
    if citation.court is not None:
        return _court_problem(citation)
    return None


def _unknown_reporter(reporter: str) -> Problem | None:
    if reporter_known(reporter):
        return None  # a real reporter written in a way eyecite does not read: nothing wrong with it
    base = _SERIES.sub("", reporter).strip()
    if base != reporter and reporter_known(base):
        series = reporter[len(base) :].strip()
        return Problem("malformed", f"{base} has no {series} series (reporters-db)", "reporters-db")
    return Problem("malformed", f"no reporter abbreviated {reporter!r} (reporters-db)", "reporters-db")


def _year_problem(citation: ReadCitation, this_year: int) -> Problem | None:
    year = citation.year
    assert year is not None
    if year > this_year:
        return Problem("impossible", f"the year {year} has not come yet", "reporters-db")
    spans = [_years(edition) for edition in citation.editions]
    if any(first - _SLACK_YEARS <= year <= last + _SLACK_YEARS for first, last in spans):
        return None
    first, last = spans[0]
    name = citation.editions[0].short_name
    until = "today" if last >= this_year else str(last)
    return Problem("impossible", f"{name} reports cases from {first} to {until}, not {year}", "reporters-db")


def _years(edition: Any) -> tuple[int, int]:
    start = edition.start.year if edition.start is not None else 1600
    end = edition.end.year if edition.end is not None else 9999
    return start, end


def _court_problem(citation: ReadCitation) -> Problem | None:
    courts = _courts_named(citation.court or "")
    if not courts:
        return None  # words courts-db does not know: nothing to hold against the reporter
    codes = [code for edition in citation.editions for code in _names()[1].get(edition.short_name, [])]
    if not codes:
        return None
    if any(_court_fits(court, codes) for court in courts):
        return None
    name = citation.editions[0].short_name
    return Problem(
        "impossible", f"{name} does not report decisions of {courts[0]['name']} (courts-db, reporters-db)", "courts-db"
    )


def _court_fits(court: dict[str, Any], codes: list[str]) -> bool:
    system = court.get("system")
    if system == "federal":
        return any(_federal(code) for code in codes)
    if system == "state":
        state = _STATES.get(str(court.get("location", "")))
        if state is None:
            return True
        return any(code.startswith((f"us:{state};", f"us:{state}:")) for code in codes)
    return True  # tribal, international, ...: reporters-db's codes do not say enough


def _federal(code: str) -> bool:
    parts = code.split(";", 1)[0].split(":")
    return parts[0] == "us" and (len(parts) == 1 or _FEDERAL_PART.fullmatch(parts[1]) is not None)


def _courts_named(words: str) -> list[dict[str, Any]]:
    return _court_table().get(_court_key(words), [])


@cache
def _court_table() -> dict[str, list[dict[str, Any]]]:
    from courts_db import courts

    table: dict[str, list[dict[str, Any]]] = {}
    for court in courts:
        key = _court_key(str(court.get("citation_string") or ""))
        if key:
            table.setdefault(key, []).append(court)
    return table


def _court_key(words: str) -> str:
    return re.sub(r"[^\w]", "", words).lower()

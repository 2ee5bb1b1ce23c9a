"""Whether a citation can exist, judged from reporters-db (reporters, their series and years) and courts-db.

Only what those databases state is held against a citation: a reporter (or series) they do not list is
`malformed`; a year outside every matching edition's years, or a court whose state (or circuit, or the federal courts at
all) the reporter does not cover, is `impossible`. reporters-db gives no volume ranges, so a volume is only checked for
being a real number (not 0). A year is allowed one year either side of an edition's span (a case decided in
December may be reported in the next series), and a first series has no start (see `_years`). reporters-db lists
American reporters; a few English and Commonwealth ones are known here so they are not called malformed.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from cyrano_potemkin.citations.reading import ReadCitation, court_key

Structural = Literal["malformed", "impossible"]
_SERIES = re.compile(r"\s?\d{1,2}(?:d|st|nd|rd|th)\.?$")
_SLACK_YEARS = 1
_OPEN_START, _OPEN_END = 0, 9999
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
# courts-db's courts of appeals of the numbered circuits (and D.C.'s, "c0"), as jurisdiction codes name them.
_CIRCUITS = {f"ca{number}": f"c{number}" for number in range(1, 12)} | {"cadc": "c0"}


# Spans reporters-db 3.2 gets wrong, corrected: F. Supp. ran to 1998 and F. Supp. 2d from 1998 (it has 1988).
_CORRECTED: dict[str, tuple[dt.datetime | None, dt.datetime | None]] = {
    "F. Supp.": (dt.datetime(1932, 1, 1), dt.datetime(1998, 12, 31)),
    "F. Supp. 2d": (dt.datetime(1998, 1, 1), dt.datetime(2014, 12, 31)),
}
# Reporters of England and the Commonwealth that reporters-db (American reporters) does not list: not malformed.
_OUTSIDE_REPORTERS_DB = frozenset({
    "Eng. Rep.", "E.R.", "All E.R.", "All ER", "W.L.R.", "WLR", "Q.B.", "K.B.", "Q.B.D.", "Ch.", "Ch. D.", "A.C.",
    "App. Cas.", "Lloyd's Rep.", "D.L.R.", "S.C.R.", "C.L.R.", "A.L.J.R.", "N.Z.L.R.", "E.W.C.A.", "UKHL", "UKSC",
})  # fmt: skip


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
    return squash(reporter) in _names()[0] or squash(reporter) in _OUTSIDE


_OUTSIDE = frozenset(squash(name) for name in _OUTSIDE_REPORTERS_DB)


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
    since = "" if first == _OPEN_START else f" from {first}"
    until = "today" if last >= this_year else str(last)
    return Problem("impossible", f"{name} reports cases{since} up to {until}, not {year}", "reporters-db")


def _years(edition: Any) -> tuple[int, int]:
    """The years an edition can hold. A first series is open at the start: official reports took in the older
    nominative volumes (5 U.S. is 1 Cranch, of 1803, though reporters-db starts U.S. in 1875)."""
    start, end = _CORRECTED.get(edition.short_name, (edition.start, edition.end))
    first_series = _SERIES.search(edition.short_name) is None
    return (
        _OPEN_START if start is None or first_series else start.year,
        _OPEN_END if end is None else end.year,
    )


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
    circuit = _CIRCUITS.get(str(court.get("id")))
    if circuit is not None:  # a numbered court of appeals: the reporter must list a court of that circuit
        return any(_circuit(code) == circuit for code in codes)
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


def _circuit(code: str) -> str | None:
    parts = code.split(";", 1)[0].split(":")
    return parts[1] if len(parts) > 1 and parts[0] == "us" and re.fullmatch(r"c\d+", parts[1]) else None


def _courts_named(words: str) -> list[dict[str, Any]]:
    return _court_table().get(court_key(words), [])


@cache
def _court_table() -> dict[str, list[dict[str, Any]]]:
    from courts_db import courts

    table: dict[str, list[dict[str, Any]]] = {}
    for court in courts:
        key = court_key(str(court.get("citation_string") or ""))
        if key:
            table.setdefault(key, []).append(court)
    return table

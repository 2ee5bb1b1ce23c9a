"""Fabricated citations for bench/citations.py, made by rules over reporters-db and courts-db from real examples.

Each maker takes a real example (a record of `reporters_db_examples.jsonl`) and returns a fabricated text built
from it, or None when the rule does not apply to that example:
- `invented_reporter`: the reporter replaced by an abbreviation reporters-db does not list ("Qvb. Rptr.").
- `missing_series`: the reporter's next series after its last ("F.5th" after "F.4th", "U.S.2d"), for reporters
  written as abbreviations (a series is not written after a neutral cite such as "2014 IL").
- `year_before_series`: a year 2 to 40 years before a later series (2d, 3d, ...) began. A first series is not
  tried: official reports took in older volumes (5 U.S. is of 1803; reporters-db starts U.S. in 1875).
- `year_after_edition`: a year 2 to 40 years after the edition ended.
- `foreign_court`: a state reporter's citation with a court of another state, or a federal court.
The name swaps (a famous case name on another case's citation) are made in `name_swaps`, against a library.
"""

import random
import re
from collections.abc import Callable
from functools import cache
from typing import Any

CASE_NAMES = [
    ("Brown v. Board of Education", "347 U.S. 483"), ("Roe v. Wade", "410 U.S. 113"),
    ("Marbury v. Madison", "5 U.S. 137"), ("Miranda v. Arizona", "384 U.S. 436"),
    ("Gideon v. Wainwright", "372 U.S. 335"), ("Palsgraf v. Long Island Railroad Co.", "248 N.Y. 339"),
    ("Chevron U.S.A. Inc. v. Natural Resources Defense Council, Inc.", "467 U.S. 837"),
    ("Mapp v. Ohio", "367 U.S. 643"), ("New York Times Co. v. Sullivan", "376 U.S. 254"),
    ("Celotex Corp. v. Catrett", "477 U.S. 317"), ("Ashcroft v. Iqbal", "556 U.S. 662"),
    ("Bell Atlantic Corp. v. Twombly", "550 U.S. 544"), ("Erie Railroad Co. v. Tompkins", "304 U.S. 64"),
    ("International Shoe Co. v. Washington", "326 U.S. 310"), ("Hadley v. Baxendale", "156 Eng. Rep. 145"),
    ("Lucy v. Zehmer", "84 S.E.2d 516"), ("Hawkins v. McGee", "146 A. 641"),
    ("Tarasoff v. Regents of University of California", "551 P.2d 334"),
    ("Escola v. Coca Cola Bottling Co.", "150 P.2d 436"), ("MacPherson v. Buick Motor Co.", "111 N.E. 1050"),
]  # fmt: skip
_SURNAMES = [
    "Abbott", "Barlow", "Carver", "Dalton", "Ellery", "Fenwick", "Garrison", "Holloway", "Ingram", "Jessup",
    "Kendrick", "Langford", "Merriman", "Norcross", "Oakley", "Pritchard", "Quinlan", "Redmond", "Sheffield",
    "Thornton", "Underhill", "Vance", "Whitlock", "Yardley"
]  # fmt: skip
_ORDINALS = {2: "2d", 3: "3d", 4: "4th", 5: "5th", 6: "6th", 7: "7th", 8: "8th"}
# A reporter abbreviation a series is written after: "F.", "Cal. Rptr.", "S. Ct.", "N.Y." (not "IL", "FCC Rcd").
_ABBREVIATION = re.compile(r"(?:[A-Z][A-Za-z]*\.\s?)+")
_VOLUME_PAGE = re.compile(r"^(?P<volume>\d+\w?)\s+(?P<rest>.+?)\s+(?P<page>\d+)$")


@cache
def _reporters() -> dict[str, list[dict[str, Any]]]:
    import reporters_db

    return dict(reporters_db.REPORTERS)


@cache
def _known_names() -> frozenset[str]:
    import reporters_db

    names: set[str] = set(reporters_db.VARIATIONS_ONLY) | set(reporters_db.LAWS) | set(reporters_db.JOURNALS)
    for key, entries in reporters_db.REPORTERS.items():
        names.add(key)
        for entry in entries:
            names.update(entry.get("variations", {}))
            for edition, details in entry["editions"].items():
                names.add(edition)
                names.update(details.get("variations", {}))
    return frozenset(re.sub(r"\s+", "", name).lower() for name in names)


def known(name: str) -> bool:
    return re.sub(r"\s+", "", name).lower() in _known_names()


def _parts(record: dict[str, Any]) -> tuple[str, str, str] | None:
    """(volume, edition, page) of a case-reporter example written as "<volume> <edition> <page>"."""
    if record["gold"]["kind"] != "case_reporter":
        return None
    match = _VOLUME_PAGE.match(record["text"])
    if match is None or match.group("rest") not in record["gold"]["editions"]:
        return None
    return match.group("volume"), match.group("rest"), match.group("page")


def _name(rng: random.Random) -> str:
    first, second = rng.sample(_SURNAMES, 2)
    return f"{first} v. {second}"


def invented_reporter(record: dict[str, Any], rng: random.Random) -> str | None:
    parts = _parts(record)
    if parts is None:
        return None
    volume, _, page = parts
    for _ in range(20):
        words = [
            rng.choice("BCDFGHJKLMNPQRSTVWXZ") + "".join(rng.choices("aeiouybcdfghklmnrstvwz", k=rng.randint(1, 3)))
        ]
        words += rng.sample(["Rptr.", "Rep.", "App.", "Ct.", "Dec.", "Cas.", "Supp.", "L.", "Adm."], rng.randint(0, 2))
        reporter = ". ".join(words[:1]) + "." + ("" if len(words) == 1 else " " + " ".join(words[1:]))
        if not known(reporter) and not known(reporter.split()[0]):
            return f"{_name(rng)}, {volume} {reporter} {page} (1990)"
    return None


def missing_series(record: dict[str, Any], rng: random.Random) -> str | None:
    parts = _parts(record)
    if parts is None:
        return None
    volume, _, page = parts
    key = record["gold"]["reporter_key"]
    if not _ABBREVIATION.fullmatch(key):
        return None  # a neutral or database cite ("2014 IL", "NY Slip Op"): series are not written on those
    for entry in _reporters().get(key, []):
        editions = list(entry["editions"])
        series = [number for number, ordinal in _ORDINALS.items() if any(e.endswith(ordinal) for e in editions)]
        following = max(series, default=1) + 1
        spaced = any(e.endswith(" " + _ORDINALS.get(n, "")) for e in editions for n in series)
        invented = f"{key}{' ' if spaced else ''}{_ORDINALS[following]}" if following in _ORDINALS else None
        if invented is not None and not known(invented):
            return f"{_name(rng)}, {volume} {invented} {page}"
    return None


def _spans(edition: str) -> list[tuple[int | None, int | None]]:
    return [
        (details["start"].year if details.get("start") else None, details["end"].year if details.get("end") else None)
        for entries in _reporters().values()
        for entry in entries
        for name, details in entry["editions"].items()
        if name == edition
    ]


def year_before_series(record: dict[str, Any], rng: random.Random) -> str | None:
    """The example's volume and page in one of its reporter's later series (2d, 3d, ...), with a year 2-40 years
    before that series began: "3 F.3d 4 (1960)"."""
    parts = _parts(record)
    if parts is None:
        return None
    volume, _, page = parts
    later = [
        (name, details["start"].year)
        for entry in _reporters().get(record["gold"]["reporter_key"], [])
        for name, details in entry["editions"].items()
        if re.search(r"\d(?:d|th)$", name) and details.get("start")
    ]
    if not later:
        return None
    edition, first = rng.choice(later)
    return f"{_name(rng)}, {volume} {edition} {page} ({first - rng.randint(2, 40)})"


def year_after_edition(record: dict[str, Any], rng: random.Random) -> str | None:
    """A year 2-40 years after the edition ended (and not in the future)."""
    parts = _parts(record)
    if parts is None:
        return None
    volume, edition, page = parts
    ends = [end for _, end in _spans(edition)]
    if not ends or None in ends:
        return None
    last = max(end for end in ends if end is not None)
    if last + 2 > 2025:
        return None
    return f"{_name(rng)}, {volume} {edition} {page} ({rng.randint(last + 2, min(last + 40, 2025))})"


def foreign_court(record: dict[str, Any], rng: random.Random) -> str | None:
    parts = _parts(record)
    if parts is None or record["gold"]["cite_type"] != "state":
        return None
    volume, edition, page = parts
    codes = [
        code for entry in _reporters().get(record["gold"]["reporter_key"], []) for code in entry["mlz_jurisdiction"]
    ]
    states = {code.split(";")[0].split(":")[1] for code in codes if code.count(":") >= 1}
    if not codes or any(not code.startswith("us:") for code in codes):
        return None
    candidates = [court for court in _court_strings() if court[1] not in states]
    if not candidates:
        return None
    court, _ = rng.choice(candidates)
    return f"{_name(rng)}, {volume} {edition} {page} ({court} {_year_inside(edition, rng)})"


def _year_inside(edition: str, rng: random.Random) -> int:
    for entries in _reporters().values():
        for entry in entries:
            details = entry["editions"].get(edition)
            if details and details.get("start"):
                last = details["end"].year if details.get("end") else 2024
                return rng.randint(details["start"].year, last)
    return 1950


@cache
def _court_strings() -> list[tuple[str, str]]:
    """(citation string, state code or "fed") of the state supreme courts and federal circuit courts."""
    from courts_db import courts

    states = {"Alabama": "al", "Texas": "tx", "Ohio": "oh", "Florida": "fl", "Oregon": "or", "Georgia": "ga",
              "Illinois": "il", "Michigan": "mi", "New York": "ny", "California": "ca"}  # fmt: skip
    picked: list[tuple[str, str]] = []
    for court in courts:
        citation = str(court.get("citation_string") or "")
        if not citation:
            continue
        if court.get("system") == "federal" and re.fullmatch(r"\d+\w+ Cir\.", citation):
            picked.append((citation, "fed"))
        elif court.get("system") == "state" and court.get("level") == "colr" and court.get("location") in states:
            picked.append((citation, states[court["location"]]))
    return picked


STRUCTURAL: dict[str, tuple[Callable[[dict[str, Any], random.Random], str | None], str]] = {
    "invented reporter": (invented_reporter, "malformed"),
    "series it never had": (missing_series, "malformed"),
    "year before its series began": (year_before_series, "impossible"),
    "year after the edition ended": (year_after_edition, "impossible"),
    "court it cannot report": (foreign_court, "impossible"),
}


def name_swaps(cases: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, str]]:
    """Texts citing each library case (name, citation) under its own name (a control: it must be found) and
    under another library case's name (a fabrication: it must be a name mismatch)."""
    texts: list[tuple[str, str]] = []
    for index, (name, citation) in enumerate(cases):
        texts.append((f"As the court held in {name}, {citation}, the rule applies.", "found"))
        other = cases[(index + rng.randint(1, len(cases) - 1)) % len(cases)][0]
        texts.append((f"As the court held in {other}, {citation}, the rule applies.", "name_mismatch"))
    return texts


def library_names(records: list[dict[str, Any]], rng: random.Random) -> list[tuple[str, str]]:
    """The famous cases, and each real case-reporter example under a made-up name, as a firm's library."""
    cases = list(CASE_NAMES)
    pairs = [f"{first} v. {second}" for first in _SURNAMES for second in _SURNAMES if first != second]
    rng.shuffle(pairs)
    for record, name in zip([r for r in records if _parts(r) is not None], pairs, strict=False):
        cases.append((name, record["text"]))
    return cases

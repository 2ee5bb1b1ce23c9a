"""The values contract text states, read the way Arkiver's extraction reads them, for engines that compare them.

Potemkin checks an AI's claim ("the agreement expires on 18 March 2015") against a contract's words; both sides
must be read by the same rules, or a date written two ways would look like two dates.
"""

import re
from dataclasses import dataclass

from cyrano_arkiver.extraction.date_mentions import DateMention, find_dates
from cyrano_arkiver.extraction.durations import DURATION, add_duration, duration_of
from cyrano_arkiver.extraction.jurisdictions import JURISDICTION, canonical, is_subdivision
from cyrano_arkiver.extraction.models import Duration
from cyrano_arkiver.extraction.party_names import SUFFIX
from cyrano_arkiver.extraction.sentences import split_sentences

__all__ = [
    "DateMention",
    "Duration",
    "Found",
    "add_duration",
    "dates_in",
    "durations_in",
    "is_subdivision",
    "jurisdictions_in",
    "party_key",
    "sentences_in",
]

_SUFFIXES = re.compile(rf"(?:^|[\s,]){SUFFIX}(?=$|[\s,])", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]")


@dataclass(frozen=True, slots=True)
class Found:
    """A value and where it is written: `text[start:end]`."""

    start: int
    end: int
    value: str | Duration


def dates_in(text: str) -> list[DateMention]:
    """Calendar dates written out ("March 18, 2010", "the 8th day of May, 2014", "1/27/2020", "2020-03-20")."""
    return find_dates(text)


def durations_in(text: str) -> list[Found]:
    """Periods ("five (5) years", "ninety days", "a one-year term"), each as a Duration."""
    found = []
    for match in DURATION.finditer(text):
        duration = duration_of(match)
        if duration is not None:
            found.append(Found(match.start(), match.end(), duration))
    return found


def jurisdictions_in(text: str) -> list[Found]:
    """States, provinces and countries, each under its canonical name ("N.Y." and "New York" are one)."""
    found = []
    for match in JURISDICTION.finditer(text):
        name = canonical(match.group())
        if name is not None:
            found.append(Found(match.start(), match.end(), name))
    return found


def party_key(name: str) -> str:
    """A name for comparison: no corporate suffix, punctuation or case ("Acme Corp." and "ACME" are one key)."""
    without = _SUFFIXES.sub(" ", name)
    return " ".join(_PUNCTUATION.sub(" ", without).lower().split())


def sentences_in(text: str) -> list[tuple[int, int]]:
    """Sentence spans `(start, end)`, split as contracts are drafted ("Inc." and "U.S." end no sentence)."""
    return [(span.start, span.end) for span in split_sentences(text)]

"""AI-style summaries of CUAD contracts written from their gold answers, half the claims true and half with one
fact changed, for bench/potemkin.py.

Each contract gets one sentence per field it has a usable gold answer for (parties, agreement, effective and
expiration date, governing law, renewal term, notice period to stop a renewal) and one or two sentences that state
nothing checkable. Every choice (true or perturbed, the phrasing, the date or period format, the change made) comes
from a random generator seeded by a hash of the contract id and the field, so a summary is the same on every run
and machine. Phrasings and formats come in two fixed halves, `dev` and `held_out`; a claim is written wholly in
one half, so that failures can be read on `dev` while `held_out` stays unseen. `summaries(..., wide=True)` writes a
second summary of each contract from the wider set of bench/potemkin_wide.py (its own seeds, so other changes).
"""

import datetime as dt
import hashlib
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from english_values import MONTHS, number_words, ordinal, plural
from extraction_scoring import duration_key, gold_date, gold_duration, gold_parties, normalise_party, single_unit
from potemkin_wide import (
    WIDE_ADJECTIVE_FORMATS,
    WIDE_DATE_FORMATS,
    WIDE_DURATION_FORMATS,
    WIDE_NO_CLAIMS,
    WIDE_PHRASINGS,
)

from cyrano_arkiver.extraction.models import Duration

PhrasingSet = Literal["dev", "held_out", "wide"]
SETS: tuple[PhrasingSet, ...] = ("dev", "held_out")
DATE_FIELDS = ("agreement_date", "effective_date", "expiration_date")
DURATION_FIELDS = ("renewal_term", "notice_period")
FIELDS = ("parties", *DATE_FIELDS, "governing_law", *DURATION_FIELDS)
NO_CLAIM = "no_claim"  # a sentence with nothing to check: expected unverifiable

# Per field, ten phrasings: the first five are `dev`, the last five `held_out`. {v} is the value.
_DATE_PHRASINGS = {
    "agreement_date": [
        "The agreement was signed on {v}.", "The parties entered into the agreement on {v}.",
        "The contract is dated {v}.", "This agreement was made as of {v}.", "It was executed on {v}.",
        "The agreement bears the date {v}.", "On {v}, both parties put their signatures to the contract.",
        "The parties signed the contract on {v}.", "The agreement date is {v}.",
        "The contract was entered into on {v}.",
    ],
    "effective_date": [
        "The agreement takes effect on {v}.", "The effective date is {v}.", "The contract became effective on {v}.",
        "Its obligations start on {v}.", "The agreement is effective as of {v}.",
        "The contract comes into force on {v}.", "The agreement became binding on {v}.",
        "It has an effective date of {v}.", "The term began on {v}.", "From {v} the agreement is in effect.",
    ],
    "expiration_date": [
        "The agreement expires on {v}.", "The contract ends on {v}.", "The initial term runs until {v}.",
        "The agreement will terminate on {v}.", "The term of the contract ends on {v}.",
        "The expiration date is {v}.", "The contract remains in force until {v}.",
        "Unless renewed, the agreement lapses on {v}.", "The initial term expires on {v}.",
        "The agreement stays in effect through {v}.",
    ],
}  # fmt: skip
_PHRASINGS: dict[str, list[str]] = {
    "parties": [
        "The agreement is between {v}.", "The parties to the contract are {v}.", "This contract was made by {v}.",
        "{v} are the parties to this agreement.", "The agreement was entered into by {v}.",
        "The contracting parties are {v}.", "This is an agreement between {v}.", "The contract binds {v}.",
        "{v} signed this agreement.", "The parties are {v}.",
    ],
    **_DATE_PHRASINGS,
    "governing_law": [
        "This agreement is governed by the laws of {v}.", "{v} law governs the contract.",
        "The contract selects {v} law.", "The parties chose the law of {v} to govern the agreement.",
        "The governing law is that of {v}.", "The agreement is to be construed under the laws of {v}.",
        "Disputes under the contract are decided under {v} law.", "The law of {v} applies to the agreement.",
        "The contract is subject to the laws of {v}.", "The agreement will be interpreted in accordance with {v} law.",
    ],
    "renewal_term": [
        "The agreement renews automatically for successive periods of {v}.", "Each renewal term lasts {v}.",
        "After the initial term, the contract renews for {v} at a time.",
        "The agreement renews for successive {a} terms.",
        "Unless terminated, the agreement is extended for further terms of {v}.",
        "On expiry the contract rolls over for {v}.", "The agreement auto-renews for {v}.",
        "Renewal periods are {v} long.", "The contract is renewed for additional {a} terms.",
        "Each extension of the agreement runs for {v}.",
    ],
    "notice_period": [
        "Either party may stop the renewal by giving notice {v} before the term ends.",
        "Notice of non-renewal must be given at least {v} before expiry.",
        "To prevent renewal, a party must notify the other {v} in advance.",
        "Renewal is prevented by {a} advance notice.",
        "A party that does not wish to renew must say so {v} before the end of the term.",
        "Written notice of non-renewal is due {v} before the renewal date.",
        "The agreement renews unless a party objects {v} before the term expires.",
        "Non-renewal requires {a} prior written notice.",
        "A party can opt out of renewal with {v} notice.",
        "Renewal can be declined by notice given {v} ahead of expiry.",
    ],
}  # fmt: skip
_NO_CLAIM_SENTENCES = [
    "The agreement sets out the parties' obligations.", "It contains the usual boilerplate provisions.",
    "The document is a commercial contract.", "Several clauses deal with confidentiality.",
    "The contract describes how the relationship works.", "Its remaining terms are standard for this kind of deal.",
]  # fmt: skip

_MONTH_ABBREVIATIONS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec."]
# Ten date formats: the first five `dev`, the last five `held_out`.
DATE_FORMATS: list[tuple[str, Callable[[dt.date], str]]] = [
    ("month_day_year", lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}"),
    ("iso", lambda d: d.isoformat()),
    ("day_of_month", lambda d: f"the {ordinal(d.day)} day of {MONTHS[d.month - 1]}, {d.year}"),
    ("abbreviated_month", lambda d: f"{_MONTH_ABBREVIATIONS[d.month - 1]} {d.day}, {d.year}"),
    ("day_month_year", lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}"),
    ("us_slashes", lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}"),
    ("ordinal_day_month", lambda d: f"{ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}"),
    ("month_ordinal", lambda d: f"{MONTHS[d.month - 1]} {ordinal(d.day)}, {d.year}"),
    ("short_day_month", lambda d: f"{d.day} {_MONTH_ABBREVIATIONS[d.month - 1].rstrip('.')} {d.year}"),
    ("weekday", lambda d: f"{d.strftime('%A')}, {MONTHS[d.month - 1]} {d.day}, {d.year}"),
]

_UNITS = {"year": "year", "month": "month", "day": "day", "week": "week"}
# Six ways to write a period: the first three `dev`, the last three `held_out`. A phrasing with {a} in it takes
# the period as an adjective instead ("a {a} term": "a three-year term", "a 90-day notice").
DURATION_FORMATS: list[tuple[str, Callable[[int, str], str]]] = [
    ("words", lambda n, u: f"{number_words(n)} {plural(n, u)}"),
    ("words_and_digits", lambda n, u: f"{number_words(n)} ({n}) {plural(n, u)}"),
    (
        "words_months",
        lambda n, u: number_words(n * 12) + " months" if u == "year" else f"{number_words(n)} {plural(n, u)}",
    ),
    ("digits", lambda n, u: f"{n} {plural(n, u)}"),
    ("digits_and_words", lambda n, u: f"{n} ({number_words(n)}) {plural(n, u)}"),
    ("digits_months", lambda n, u: f"{n * 12} months" if u == "year" else f"{n} {plural(n, u)}"),
]
ADJECTIVE_FORMATS: dict[PhrasingSet, tuple[str, Callable[[int, str], str]]] = {
    "dev": ("words_hyphenated", lambda n, u: f"{number_words(n)}-{u}"),
    "held_out": ("digits_hyphenated", lambda n, u: f"{n}-{u}"),
}

# Places a governing-law answer may name, in two kinds: a perturbed law is another place of the same kind.
US_STATES = [
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
]  # fmt: skip
COUNTRIES = [
    "England and Wales", "Scotland", "Ireland", "Canada", "Ontario", "British Columbia", "Germany", "France",
    "Switzerland", "the Netherlands", "Sweden", "Singapore", "Hong Kong", "Japan", "Israel", "India", "Australia",
    "the People's Republic of China",
]  # fmt: skip
_PRC = "the People's Republic of China"
_PLACE_ALIASES = {"England": "England and Wales", "Netherlands": "the Netherlands", "China": _PRC, "PRC": _PRC}


@dataclass(frozen=True)
class Claim:
    """One generated sentence: where it sits in its summary, what it states and what the gold answer is."""

    contract_id: str
    field: str  # one of FIELDS, or NO_CLAIM
    perturbed: bool
    phrasing_set: PhrasingSet
    phrasing_id: str  # "<field>.<n>", n 0-9 (0-4 dev, 5-9 held_out)
    value_format: str | None  # the date or period format's name
    start: int
    end: int
    text: str
    claimed: str  # normalised: ISO date, "<months>m<days>d", a place, "name; name"
    gold: str


@dataclass(frozen=True)
class Summary:
    contract_id: str
    text: str
    claims: list[Claim]


@dataclass(frozen=True)
class _Draft:
    """A claim before it has its place in the summary."""

    field: str
    perturbed: bool
    phrasing_set: PhrasingSet
    phrasing: int
    value_format: str | None
    sentence: str
    claimed: str
    gold: str


def seeded(contract_id: str, field: str) -> random.Random:
    digest = hashlib.sha256(f"{contract_id}\x00{field}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _pick_set(rng: random.Random, count: int) -> tuple[PhrasingSet, int]:
    """A half (`dev` or `held_out`) and an index into a list of `count` items cut into those halves."""
    half = (count + 1) // 2
    if rng.random() < 0.5:
        return "dev", rng.randrange(half)
    return "held_out", rng.randrange(half, count)


def _same_half(rng: random.Random, phrasing_set: PhrasingSet, count: int) -> int:
    half = (count + 1) // 2
    return rng.randrange(half) if phrasing_set == "dev" else rng.randrange(half, count)


Render = Callable[..., str]


@dataclass(frozen=True)
class _Book:
    """Where a summary's words come from: the `dev` and `held_out` halves, or the wide set (its own seeds)."""

    wide: bool = False

    def rng(self, contract_id: str, field: str) -> random.Random:
        return seeded(contract_id, f"wide\x00{field}" if self.wide else field)

    def phrasing(self, rng: random.Random, field: str) -> tuple[PhrasingSet, int, str]:
        if self.wide:
            options = WIDE_NO_CLAIMS if field == NO_CLAIM else WIDE_PHRASINGS[field]
            index = rng.randrange(len(options))
            return "wide", index, options[index]
        options = _NO_CLAIM_SENTENCES if field == NO_CLAIM else _PHRASINGS[field]
        phrasing_set, index = _pick_set(rng, len(options))
        return phrasing_set, index, options[index]

    def date_format(self, rng: random.Random, phrasing_set: PhrasingSet) -> tuple[str, Render]:
        if self.wide:
            return rng.choice(WIDE_DATE_FORMATS)
        return DATE_FORMATS[_same_half(rng, phrasing_set, len(DATE_FORMATS))]

    def duration_format(self, rng: random.Random, phrasing_set: PhrasingSet, adjective: bool) -> tuple[str, Render]:
        if self.wide:
            return rng.choice(WIDE_ADJECTIVE_FORMATS if adjective else WIDE_DURATION_FORMATS)
        chosen = DURATION_FORMATS[_same_half(rng, phrasing_set, len(DURATION_FORMATS))]
        return ADJECTIVE_FORMATS[phrasing_set] if adjective else chosen


# --- gold values and their perturbations ---------------------------------------------------------------------
def shifted_date(rng: random.Random, date: dt.date) -> dt.date:
    """Another date near `date`: some days, some months or a year away, never the same date."""
    how = rng.choice(["days", "months", "year"])
    if how == "days":
        return date + dt.timedelta(days=rng.choice([-1, 1]) * rng.randint(1, 27))
    months = rng.choice([-1, 1]) * (rng.randint(1, 11) if how == "months" else 12)
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    for day in range(date.day, 0, -1):  # 31 March + 1 month: 30 April
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def duration_parts(key: str) -> tuple[int, str] | None:
    """("36m0d" -> (3, "year")): a gold period as a count and a unit to write, or None if it is not one."""
    parts = single_unit(key)
    if parts is None:
        return None
    months, days = parts
    if days:
        return (days // 7, "week") if days % 7 == 0 and days >= 14 and days // 7 <= 12 else (days, "day")
    return (months // 12, "year") if months % 12 == 0 else (months, "month")


def _duration_key(count: int, unit: str) -> str:
    if unit == "year":
        return duration_key(Duration(years=count))
    if unit == "month":
        return duration_key(Duration(months=count))
    return duration_key(Duration(days=count * (7 if unit == "week" else 1)))


def perturbed_duration(rng: random.Random, count: int, unit: str) -> tuple[int, str]:
    """The period doubled, or the same number in another unit (3 years -> 6 years or 3 months)."""
    if rng.random() < 0.5 or count > 100:
        return count * 2, unit
    return count, {"year": "month", "month": "year", "week": "day", "day": "week"}[unit]


def governing_place(answer: str | None) -> str | None:
    """The one place a governing-law answer names, or None when it names none or several."""
    if not answer:
        return None
    found = {place for place in [*US_STATES, *COUNTRIES] if re.search(rf"\b{re.escape(place)}\b", answer, re.I)}
    found |= {alias for key, alias in _PLACE_ALIASES.items() if re.search(rf"\b{re.escape(key)}\b", answer)}
    # "West Virginia" also contains "Virginia", "New South Wales" no state: keep the longest of nested names.
    distinct = {place for place in found if not any(place != other and place in other for other in found)}
    return distinct.pop() if len(distinct) == 1 else None


def other_place(rng: random.Random, place: str) -> str:
    """Another place of the same kind (a state for a state), sharing no word with `place`."""
    pool = US_STATES if place in US_STATES else COUNTRIES
    words = set(place.lower().split()) - {"the", "and", "of"}
    return rng.choice([other for other in pool if not words & set(other.lower().split())])


def _words(text: str) -> str:
    """`text` lower-cased, "&" as "and", dots dropped and other punctuation as spaces, as normalise_party does."""
    text = text.lower().replace("&", " and ").replace(".", "")
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


def usable_parties(record: dict[str, Any]) -> list[str]:
    """The first two distinct gold party names that the contract itself writes (a gold typo would make a true
    claim false)."""
    contract = f" {_words(record['text'])} "
    distinct: list[str] = []
    for name in gold_parties(record["gold"]["parties"]):
        key = normalise_party(name)
        if not key or "[" in name or not 3 <= len(name) <= 80 or f" {key} " not in contract:
            continue
        if all(key != normalise_party(seen) for seen in distinct):
            distinct.append(name)
    return distinct[:2]


def other_party(rng: random.Random, own: Sequence[str], text: str, pool: Sequence[str]) -> str | None:
    """A party of another contract, whose name is none of `own` and does not occur in this contract's text."""
    contract = f" {_words(text)} "
    own_keys = {normalise_party(name) for name in own}
    for name in rng.sample(pool, len(pool)):
        key = normalise_party(name)
        if key and key not in own_keys and f" {key} " not in contract:
            return name
    return None


# --- one contract --------------------------------------------------------------------------------------------
def _date_draft(book: _Book, contract_id: str, field: str, gold: dt.date) -> _Draft:
    rng = book.rng(contract_id, field)
    perturbed = rng.random() < 0.5
    iso = gold.isoformat()
    claimed = shifted_date(rng, gold) if perturbed else gold
    phrasing_set, phrasing, template = book.phrasing(rng, field)
    format_name, render = book.date_format(rng, phrasing_set)
    sentence = template.format(v=render(claimed))
    return _Draft(field, perturbed, phrasing_set, phrasing, format_name, sentence, claimed.isoformat(), iso)


def _duration_draft(book: _Book, contract_id: str, field: str, count: int, unit: str) -> _Draft:
    rng = book.rng(contract_id, field)
    perturbed = rng.random() < 0.5
    claimed = perturbed_duration(rng, count, unit) if perturbed else (count, unit)
    phrasing_set, phrasing, template = book.phrasing(rng, field)
    format_name, render = book.duration_format(rng, phrasing_set, adjective="{a}" in template)
    sentence = template.replace("{a}", "{v}").format(v=render(*claimed))
    gold_key = _duration_key(count, unit)
    return _Draft(field, perturbed, phrasing_set, phrasing, format_name, sentence, _duration_key(*claimed), gold_key)


def _law_draft(book: _Book, contract_id: str, place: str) -> _Draft:
    rng = book.rng(contract_id, "governing_law")
    perturbed = rng.random() < 0.5
    claimed = other_place(rng, place) if perturbed else place
    phrasing_set, phrasing, template = book.phrasing(rng, "governing_law")
    value = claimed[0].upper() + claimed[1:] if template.startswith("{v}") else claimed
    return _Draft("governing_law", perturbed, phrasing_set, phrasing, None, template.format(v=value), claimed, place)


def _parties_draft(book: _Book, record: dict[str, Any], names: list[str], pool: Sequence[str]) -> _Draft:
    rng = book.rng(record["id"], "parties")
    perturbed = rng.random() < 0.5
    claimed = list(names)
    if perturbed:
        replaced = rng.randrange(len(claimed))
        other = other_party(rng, names, record["text"], pool)
        perturbed = other is not None
        claimed[replaced] = other or claimed[replaced]
    phrasing_set, phrasing, template = book.phrasing(rng, "parties")
    sentence = template.format(v=" and ".join(claimed))
    return _Draft("parties", perturbed, phrasing_set, phrasing, None, sentence, "; ".join(claimed), "; ".join(names))


def _no_claim_drafts(book: _Book, contract_id: str) -> list[_Draft]:
    rng = book.rng(contract_id, NO_CLAIM)
    drafts: list[_Draft] = []
    for _ in range(rng.randint(1, 2)):
        phrasing_set, phrasing, sentence = book.phrasing(rng, NO_CLAIM)
        if any(draft.sentence == sentence for draft in drafts):
            continue
        drafts.append(_Draft(NO_CLAIM, False, phrasing_set, phrasing, None, sentence, "", ""))
    return drafts


def _valid_date(iso: str | None) -> dt.date | None:
    """A gold ISO date, or None for "perpetual", a missing one or one that is no calendar date."""
    try:
        return dt.date.fromisoformat(iso) if iso and iso != "perpetual" else None
    except ValueError:
        return None


def drafts_of(record: dict[str, Any], party_pool: Sequence[str], book: _Book) -> list[_Draft]:
    gold = record["gold"]
    drafts: list[_Draft] = []
    names = usable_parties(record)
    if len(names) == 2:
        drafts.append(_parties_draft(book, record, names, party_pool))
    for field in DATE_FIELDS:
        date = _valid_date(gold_date(gold[field]))
        if date is not None:
            drafts.append(_date_draft(book, record["id"], field, date))
    place = governing_place(gold["governing_law"]["answer"])
    if place is not None:
        drafts.append(_law_draft(book, record["id"], place))
    answers = {"renewal_term": gold["renewal_term"], "notice_period": gold["notice_period_to_terminate_renewal"]}
    for field, answer in answers.items():
        # One period per answer: "4 years, 6 months", "6 months; 12 months" or "0.5 year" are not read right.
        text = answer["answer"] or ""
        key = gold_duration(text) if not re.search(r"[;,]|\d\.\d", text) else None
        parts = duration_parts(key) if key else None
        if parts is not None and parts[0] > 0:
            drafts.append(_duration_draft(book, record["id"], field, *parts))
    no_claims = _no_claim_drafts(book, record["id"])
    return [no_claims[0], *drafts, *no_claims[1:]] if drafts else []


def summary_of(record: dict[str, Any], party_pool: Sequence[str], book: _Book = _Book()) -> Summary:
    text = ""
    claims: list[Claim] = []
    for draft in drafts_of(record, party_pool, book):
        if text:
            text += " "
        start = len(text)
        text += draft.sentence
        claims.append(
            Claim(
                contract_id=record["id"],
                field=draft.field,
                perturbed=draft.perturbed,
                phrasing_set=draft.phrasing_set,
                phrasing_id=f"{draft.field}.{draft.phrasing}",
                value_format=draft.value_format,
                start=start,
                end=len(text),
                text=draft.sentence,
                claimed=draft.claimed,
                gold=draft.gold,
            )
        )
    return Summary(record["id"], text, claims)


def summaries(records: Sequence[dict[str, Any]], wide: bool = False) -> list[Summary]:
    """A summary of every contract with at least one usable gold answer; the same records give the same text.
    `wide`: written from the wide set instead of the `dev` and `held_out` halves."""
    pool = sorted({name for record in records for name in usable_parties(record)})
    book = _Book(wide=wide)
    written = [summary_of(record, pool, book) for record in records]
    return [summary for summary in written if summary.claims]


def phrasing_counts() -> dict[str, int]:
    """How many phrasings each field has."""
    return {field: len(_PHRASINGS[field]) for field in FIELDS}

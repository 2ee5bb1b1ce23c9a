"""A third, wider set of phrasings for bench/potemkin.py, written apart from the `dev` and `held_out` halves.

The checker was tuned on five `dev` phrasings per field and scored far lower on the five `held_out` ones: five
examples teach the wording of five sentences. This set is larger and written the way AI assistants and lawyers
summarise a contract (headings with a colon, passives, clauses before the value, the value first), so rules
developed on it must read English rather than a template. Its failures may be read on folds 1-3, like `dev`'s;
`held_out` stays the unseen check.
"""

import datetime as dt
from collections.abc import Callable

from english_values import MONTHS, number_words, ordinal, plural

# {v} is the value; {a} the period as an adjective ("a 90-day notice").
WIDE_PHRASINGS: dict[str, list[str]] = {
    "parties": [
        "Parties: {v}.",
        "This is an agreement between {v}.",
        "The contract was signed by {v}.",
        "The counterparties are {v}.",
        "The agreement, concluded between {v}, sets out the terms of their relationship.",
        "{v} entered into this agreement.",
        "The two parties are {v}.",
        "The deal is between {v}.",
        "The signatories are {v}.",
        "The contracting parties are {v}.",
    ],
    "agreement_date": [
        "Date of agreement: {v}.",
        "The agreement bears the date {v}.",
        "The contract was concluded on {v}.",
        "The parties signed this contract on {v}.",
        "On {v}, the parties executed the agreement.",
        "The agreement is dated as of {v}.",
        "Execution date: {v}.",
        "The agreement was made and entered into on {v}.",
        "It was signed by both parties on {v}.",
        "The contract, dated {v}, sets out the parties' obligations.",
    ],
    "effective_date": [
        "Effective date: {v}.",
        "The contract comes into force on {v}.",
        "Its term commences on {v}.",
        "The agreement is in effect from {v}.",
        "The agreement took effect on {v}.",
        "As of {v}, the agreement is effective.",
        "The term begins on {v}.",
        "The agreement enters into force on {v}.",
        "The start date of the agreement is {v}.",
        "Performance under the contract starts on {v}.",
    ],
    "expiration_date": [
        "Expiration date: {v}.",
        "The agreement remains in force until {v}.",
        "The contract expires on {v} unless renewed.",
        "The term ends on {v}.",
        "The agreement is set to expire on {v}.",
        "Unless extended, the agreement terminates on {v}.",
        "The contract will remain in effect through {v}.",
        "The end date of the agreement is {v}.",
        "The agreement lapses on {v}.",
        "The contract continues until {v}.",
    ],
    "governing_law": [
        "Governing law: {v}.",
        "The agreement is governed by {v} law.",
        "The contract is to be construed under the laws of {v}.",
        "The laws of {v} govern this agreement.",
        "Disputes are decided under {v} law.",
        "The agreement is subject to the laws of {v}.",
        "{v} law applies to the contract.",
        "The contract is interpreted in accordance with the law of {v}.",
        "The choice of law is {v}.",
        "This contract shall be governed by and construed in accordance with the laws of {v}.",
    ],
    "renewal_term": [
        "Renewal term: {v}.",
        "The agreement automatically renews for additional {a} periods.",
        "Upon expiry, the contract is renewed for {v}.",
        "The term is extended automatically by {v} at a time.",
        "It renews each time for a further {v}.",
        "The agreement rolls over for successive {a} terms.",
        "After the initial term, it continues for successive periods of {v}.",
        "Each extension lasts {v}.",
        "The contract auto-renews for {v}.",
        "Renewals are for {v} each.",
    ],
    "notice_period": [
        "Notice of non-renewal: {v} before the end of the term.",
        "Non-renewal needs written notice {v} before the term ends.",
        "A party can opt out of renewal with {a} notice.",
        "Written notice must be delivered at least {v} prior to expiration.",
        "To avoid automatic renewal, a party must give notice no later than {v} before the renewal date.",
        "The notice period for non-renewal is {v}.",
        "A party wishing not to renew must notify the other party {v} before the term expires.",
        "Renewal can be declined by giving {a} notice.",
        "Termination at the end of a term requires notice given {v} in advance.",
        "Either party may decline renewal on {v}' notice.",
    ],
}
WIDE_NO_CLAIMS = [
    "This summary was prepared to help with a first review.",
    "The contract sets out each party's obligations in detail.",
    "A lawyer should review the full text before relying on this summary.",
    "The agreement contains customary representations and warranties.",
    "Several schedules are attached to the agreement.",
]
WIDE_DATE_FORMATS: list[tuple[str, Callable[[dt.date], str]]] = [
    ("month_ordinal", lambda d: f"{MONTHS[d.month - 1]} {ordinal(d.day)}, {d.year}"),
    ("ordinal_of_month", lambda d: f"the {ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}"),
    ("short_no_period", lambda d: f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}"),
    ("month_day_no_comma", lambda d: f"{MONTHS[d.month - 1]} {d.day} {d.year}"),
    ("day_hyphen_month", lambda d: f"{d.day:02d}-{MONTHS[d.month - 1][:3]}-{d.year}"),
    ("upper_case", lambda d: f"{MONTHS[d.month - 1].upper()} {d.day}, {d.year}"),
    ("us_slashes_short", lambda d: f"{d.month}/{d.day}/{d.year}"),
    ("dotted_day_first", lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}"),
]


WIDE_DURATION_FORMATS: list[tuple[str, Callable[[int, str], str]]] = [
    ("words_parenthetical", lambda n, u: f"{number_words(n)} ({n}) {plural(n, u)}"),
    ("digits", lambda n, u: f"{n} {plural(n, u)}"),
    ("calendar_days", lambda n, u: f"{n} calendar days" if u == "day" and n > 1 else f"{n} {plural(n, u)}"),
    ("article", lambda n, u: f"a {u}" if n == 1 else f"{number_words(n)} {plural(n, u)}"),
    ("days_for_weeks", lambda n, u: f"{n * 7} days" if u == "week" else f"{n} {plural(n, u)}"),
]
WIDE_ADJECTIVE_FORMATS: list[tuple[str, Callable[[int, str], str]]] = [
    ("digits_hyphenated", lambda n, u: f"{n}-{u}"),
    ("words_hyphenated", lambda n, u: f"{number_words(n)}-{u}"),
]

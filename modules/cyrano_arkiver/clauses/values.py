"""The normalised value of a clause, where CUAD's category has one: a period, an amount, a share, a consent rule.

Read by rules from the clause's own passages, so the value is always in words the answer quotes. The metadata
categories (parties, dates, governing law, renewal and notice) take theirs from the document's insights instead
(`review.py`), which are extracted with more care than a sentence classifier can give.
"""

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict, Field

from cyrano_arkiver.extraction.amounts import extract_amounts
from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.durations import DURATION, duration_of
from cyrano_arkiver.extraction.models import Duration
from cyrano_arkiver.extraction.sentences import Sentences

# What each category's value is, where it has one.
PERIOD_CATEGORIES = frozenset(
    {
        "non_compete",
        "no_solicit_of_customers",
        "no_solicit_of_employees",
        "non_disparagement",
        "termination_for_convenience",
        "post_termination_services",
        "warranty_duration",
    }
)
AMOUNT_CATEGORIES = frozenset({"cap_on_liability", "minimum_commitment", "liquidated_damages", "insurance"})
SHARE_CATEGORIES = frozenset({"revenue_profit_sharing"})
CONSENT_CATEGORIES = frozenset({"anti_assignment", "change_of_control"})

# The period a renewal or a notice clause is about, among the others it may name ("one (1) year terms unless
# notice is given ninety (90) days before"): words just before or after the period.
_RENEWAL_CUE = re.compile(r"(?:successive|additional|renewal|renew(?:ed|s)?|extend(?:ed|s)?)\W+(?:\w+\W+){0,3}$", re.I)
_NOTICE_AFTER = re.compile(r"^\W*(?:\w+\W+){0,3}(?:prior|before|in\s+advance|notice)\b", re.I)
_NOTICE_BEFORE = re.compile(r"\b(?:notice|notify)\W+(?:\w+\W+){0,5}$", re.I)
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent\b|percent\b)", re.IGNORECASE)
_CONSENT = re.compile(r"\b(?:consent|approval|approve)\b", re.IGNORECASE)
# "may assign ... without the consent of": the other party's consent is expressly not needed.
_FREE_TO_ASSIGN = re.compile(
    r"\bmay\s+(?:freely\s+)?(?:assign|transfer)\b[^.;]{0,200}?\bwithout\s+(?:the\s+)?(?:need\s+for\s+|requiring\s+)?"
    r"(?:any\s+)?(?:prior\s+)?(?:written\s+)?(?:consent|approval)",
    re.IGNORECASE,
)
_RESTRICTED = re.compile(
    r"\b(?:shall|will|may)\s+not\b|\bnot\s+(?:be\s+)?(?:assign|transfer)|\bneither\s+party\b|\bno\s+party\b|\bprohibit",
    re.IGNORECASE,
)
_NOT_UNREASONABLY = re.compile(
    r"\bnot\s+(?:to\s+)?be\s+unreasonably\s+(?:withheld|delayed|conditioned)|\bshall\s+not\s+unreasonably\s+withh",
    re.IGNORECASE,
)


class ClauseValue(BaseModel):
    """What a clause sets, normalised; `text` says it in a few words, `mention` gives the words it is read from."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description='The value in a few words, e.g. "2 years", "USD 1,000,000", "consent required".')
    mention: str | None = Field(default=None, description="The words of the clause that state it.")
    duration: Duration | None = None
    amount: Decimal | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code, with amount.")
    percent: Decimal | None = None
    date: dt.date | None = None
    consent_required: bool | None = Field(
        default=None, description="Anti-assignment, change of control: whether the other party's consent is needed."
    )


def describe(duration: Duration) -> str:
    """ "2 years", "1 year 6 months", "90 days"."""
    parts = [
        f"{count} {unit}{'' if count == 1 else 's'}"
        for count, unit in ((duration.years, "year"), (duration.months, "month"), (duration.days, "day"))
        if count
    ]
    return " ".join(parts) or "0 days"


def value_from_passages(category: str, quotes: Sequence[str]) -> ClauseValue | None:
    """The category's value as the first passage that states one gives it; None when none does or it has none."""
    reader = _READERS.get(category)
    if reader is None:
        return None
    for quote in quotes:
        value = reader(quote)
        if value is not None:
            return value
    return None


def _period(quote: str) -> ClauseValue | None:
    for match in DURATION.finditer(quote):
        duration = duration_of(match)
        if duration is not None:
            return ClauseValue(text=describe(duration), mention=match.group(), duration=duration)
    return None


def _cued_period(quote: str, cued: Callable[[str, str], bool]) -> ClauseValue | None:
    for match in DURATION.finditer(quote):
        duration = duration_of(match)
        if duration is not None and cued(quote[max(0, match.start() - 60) : match.start()], quote[match.end() :][:60]):
            return ClauseValue(text=describe(duration), mention=match.group(), duration=duration)
    return None


def _renewal_period(quote: str) -> ClauseValue | None:
    return _cued_period(quote, lambda before, _: _RENEWAL_CUE.search(before) is not None)


def _notice_period(quote: str) -> ClauseValue | None:
    return _cued_period(
        quote,
        lambda before, after: _NOTICE_AFTER.search(after) is not None or _NOTICE_BEFORE.search(before) is not None,
    )


def _amount(quote: str) -> ClauseValue | None:
    document = Document([quote])
    amounts = extract_amounts(document, Sentences(document.text))
    if not amounts:
        return None
    first = amounts[0]
    return ClauseValue(
        text=f"{first.currency} {first.value:,}",
        mention=first.provenance.quote,
        amount=first.value,
        currency=first.currency,
    )


def _share(quote: str) -> ClauseValue | None:
    match = _PERCENT.search(quote)
    if match is None:
        return None
    try:
        percent = Decimal(match.group(1))
    except InvalidOperation:
        return None
    if percent > 100:
        return None
    return ClauseValue(text=f"{percent}%", mention=match.group(), percent=percent)


def _consent(quote: str) -> ClauseValue | None:
    consent = _CONSENT.search(quote)
    if consent is None:
        return None
    free = _FREE_TO_ASSIGN.search(quote)
    if free is not None and _RESTRICTED.search(quote) is None:
        return ClauseValue(text="no consent needed", mention=free.group(), consent_required=False)
    text = "consent required"
    mention = consent.group()
    reasonable = _NOT_UNREASONABLY.search(quote)
    if reasonable is not None:
        text += ", not to be unreasonably withheld"
        mention = reasonable.group()
    return ClauseValue(text=text, mention=mention, consent_required=True)


_READERS: dict[str, Callable[[str], ClauseValue | None]] = {
    "renewal_term": _renewal_period,
    "notice_period_to_terminate_renewal": _notice_period,
    **dict.fromkeys(PERIOD_CATEGORIES, _period),
    **dict.fromkeys(AMOUNT_CATEGORIES, _amount),
    **dict.fromkeys(SHARE_CATEGORIES, _share),
    **dict.fromkeys(CONSENT_CATEGORIES, _consent),
}

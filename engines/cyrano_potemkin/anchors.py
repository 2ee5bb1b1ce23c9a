"""The checkable values a claim states: dates, periods, places, money and percentages, where it states them.

Dates, periods and places are read with Arkiver's own readers, so "11 December 2006", "12/11/2006" and "the
11th day of December, 2006" are one date on both sides of the comparison, and "three years" is "36 months".
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from cyrano_arkiver.api import Duration, dates_in, durations_in, jurisdictions_in

AnchorKind = Literal["date", "duration", "place", "money", "percent"]
Value = dt.date | Duration | str | Decimal

_MULTIPLIERS = {"thousand": 1_000, "k": 1_000, "million": 10**6, "m": 10**6, "mm": 10**6, "billion": 10**9, "bn": 10**9}
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP"}
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULTIPLIER = r"(?:\s*(?P<multiplier>thousand|million|billion|mm|bn|m|k)\b)?"
_MONEY = re.compile(
    rf"(?P<sign>US\$|\$|€|£|USD|EUR|GBP)\s?{_NUMBER}{_MULTIPLIER}|{_NUMBER.replace('number', 'number2')}"
    rf"(?:\s*(?P<multiplier2>thousand|million|billion)\b)?\s*(?P<word>dollars|euros|pounds)\b",
    re.IGNORECASE,
)
_WORD_CURRENCY = {"dollars": "USD", "euros": "EUR", "pounds": "GBP"}
_PERCENT = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: AnchorKind
    start: int
    end: int
    value: Value

    def shown(self) -> str:
        """The value as an answer writes it: ISO dates, periods in their largest whole unit."""
        return show(self.value)


def show(value: Value) -> str:
    if isinstance(value, Duration):
        return duration_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def duration_text(duration: Duration) -> str:
    months = duration.total_months()
    parts = []
    if months and months % 12 == 0:
        parts.append(f"{months // 12} year" + ("s" if months != 12 else ""))
    elif months:
        parts.append(f"{months} month" + ("s" if months != 1 else ""))
    if duration.days:
        parts.append(f"{duration.days} day" + ("s" if duration.days != 1 else ""))
    return " ".join(parts) or "0 days"


def same_duration(first: Duration, second: Duration) -> bool:
    """Equal as a lawyer counts: 36 months is three years, 52 weeks is not a year (364 days)."""
    return first.total_months() == second.total_months() and first.days == second.days


def anchors_in(text: str) -> list[Anchor]:
    """Every anchor of `text`, in order; a number inside a date is not also a money amount or a period."""
    found = [Anchor("date", mention.start, mention.end, mention.date) for mention in dates_in(text)]
    found += [Anchor("duration", item.start, item.end, item.value) for item in durations_in(text)]
    found += [Anchor("place", item.start, item.end, item.value) for item in jurisdictions_in(text)]
    found += _money(text) + _percentages(text)
    found.sort(key=lambda anchor: (anchor.start, -anchor.end))
    kept: list[Anchor] = []
    for anchor in found:
        if kept and anchor.start < kept[-1].end:
            continue
        kept.append(anchor)
    return kept


def _money(text: str) -> list[Anchor]:
    found = []
    for match in _MONEY.finditer(text):
        number = match.group("number") or match.group("number2")
        multiplier = (match.group("multiplier") or match.group("multiplier2") or "").lower()
        sign = match.group("sign")
        currency = _CURRENCY_SIGNS[sign.lower()] if sign else _WORD_CURRENCY[match.group("word").lower()]
        try:
            amount = Decimal(number.replace(",", "")) * _MULTIPLIERS.get(multiplier, 1)
        except InvalidOperation:
            continue
        found.append(Anchor("money", match.start(), match.end(), f"{currency} {amount.normalize():f}"))
    return found


def _percentages(text: str) -> list[Anchor]:
    return [
        Anchor("percent", match.start(), match.end(), f"{Decimal(match.group('number')).normalize():f}%")
        for match in _PERCENT.finditer(text)
    ]

"""Money: "$1,500,000", "US$ 5 million", "€500 per hour", "10,000 USD", "Five Thousand Dollars ($5,000)".

Each amount is read once, with its ISO currency and, where the sentence says, what it is for: the fee-like noun
before it ("a license fee of $5,000"), a "per" unit ("€500 per hour"), or a "for ..." phrase after it.
"""

import re
from decimal import Decimal, InvalidOperation

from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.models import Amount
from cyrano_arkiver.extraction.sentences import Sentences

_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULTIPLIER = r"(?:\s*(?P<multiplier>[Mm]illion|[Bb]illion|[Tt]housand|MM|mm|bn|M|m|K|k)\b)?"
_SYMBOL = (
    r"(?P<symbol>US\s?\$|U\.S\.\s?\$|USD\s?\$?|C\$|CAD\s?\$?|A\$|AUD\s?\$?|HK\$|S\$|\$|€|£|¥|EUR|GBP|JPY|CHF|CNY|RMB|"
    r"INR|₹)"
)
_CODE = (
    r"(?P<code>USD|EUR|GBP|CAD|AUD|JPY|CHF|CNY|RMB|INR|U\.S\.\s+[Dd]ollars|[Dd]ollars|DOLLARS|[Ee]uros?|EUROS?|"
    r"[Pp]ounds\s+[Ss]terling)"
)
_SYMBOL_FIRST = re.compile(rf"(?<![A-Za-z]){_SYMBOL}\s?{_NUMBER}{_MULTIPLIER}")
_CODE_AFTER = re.compile(rf"\b{_NUMBER}{_MULTIPLIER}\s*{_CODE}\b")
# Cheap scan for where the code-after form can be: the code words themselves.
_CODE_CUE = re.compile(r"usd|eur|gbp|cad|aud|jpy|chf|cny|rmb|inr|dollar|pound")
_CURRENCIES = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "usd": "USD", "usd$": "USD", "c$": "CAD", "cad": "CAD", "cad$": "CAD",
    "a$": "AUD", "aud": "AUD", "aud$": "AUD", "hk$": "HKD", "s$": "SGD", "€": "EUR", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "£": "GBP", "gbp": "GBP", "pounds sterling": "GBP", "¥": "JPY", "jpy": "JPY", "chf": "CHF",
    "cny": "CNY", "rmb": "CNY", "inr": "INR", "₹": "INR", "dollars": "USD", "u.s. dollars": "USD",
}  # fmt: skip
_MULTIPLIERS = {"thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6, "mm": 10**6, "billion": 10**9, "bn": 10**9}
_PURPOSE_NOUN = re.compile(
    r"\b(?:an?|the|such|any|its|each)\s+((?:[\w-]+\s+){0,4}?(?:fee|fees|payment|price|royalty|royalties|deposit|rent|salary|"
    r"compensation|bonus|penalty|amount|sum|charge|cost|costs|premium|retainer|advance|consideration|commission|"
    r"reimbursement|budget|cap|limit|purchase\s+price|guarantee|minimum|fine|damages|loan|investment))\s+(?:of|equal\s+to|"
    r"in\s+the\s+amount\s+of|totaling|totalling|not\s+to\s+exceed|up\s+to|is|are|shall\s+be|will\s+be)\s*(?:an?\s+)?"
    r"(?:amount\s+of\s+)?$",
    re.IGNORECASE,
)
_PER = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*)?(per|each|a|an)\s+((?:calendar\s+|business\s+)?[a-z]+)\b", re.IGNORECASE)
_FOR = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*)?(?:,\s*)?(?:for|as)\s+((?:the|each|any|all|its|such)\s+[^,.;()]{3,80})")
_PER_UNITS = frozenset({"hour", "day", "week", "month", "year", "quarter", "unit", "item", "annum", "share", "copy"})


def extract_amounts(document: Document, sentences: Sentences) -> list[Amount]:
    text = document.text
    matches = list(_SYMBOL_FIRST.finditer(text))
    for index in sentences.matching(_CODE_CUE, document.lower):
        span = sentences.spans[index]
        matches += _CODE_AFTER.finditer(text, span.start, span.end)
    amounts: list[Amount] = []
    taken_until = -1
    for match in sorted(matches, key=lambda found: found.start()):
        if match.start() < taken_until:  # "Five Thousand Dollars ($5,000)" is one amount
            continue
        amount = _amount(document, sentences, match)
        if amount is not None:
            amounts.append(amount)
            taken_until = match.end()
    return amounts


def _amount(document: Document, sentences: Sentences, match: re.Match[str]) -> Amount | None:
    groups = match.groupdict()
    currency_text = re.sub(r"\s+", " ", groups.get("symbol") or groups.get("code") or "").lower()
    currency = _CURRENCIES.get(currency_text.replace(" ", "") if "$" in currency_text else currency_text)
    if currency is None:
        return None
    try:
        value = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:
        return None
    value *= _MULTIPLIERS.get((match.group("multiplier") or "").lower(), 1)
    provenance = document.provenance(match.start(), match.end())
    if provenance is None:
        return None
    sentence = sentences.around(match.start())
    text = document.text
    return Amount(
        provenance=provenance,
        value=value,
        currency=currency,
        purpose=_purpose(text[sentence.start : match.start()], text[match.end() : sentence.end]),
    )


def _purpose(before: str, after: str) -> str | None:
    noun = _PURPOSE_NOUN.search(before[-120:])
    per = _PER.match(after)
    unit = per.group(2).lower() if per else None
    per_text = f"per {unit}" if unit in _PER_UNITS else None
    if noun is not None:
        purpose = re.sub(r"\s+", " ", noun.group(1))
        return f"{purpose} {per_text}" if per_text else purpose
    follows = _FOR.match(after)
    if follows is not None:
        return re.sub(r"\s+", " ", follows.group(1)).strip()
    return per_text

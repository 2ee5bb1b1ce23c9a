"""Masks identifiers that must not leave the machine: US SSNs, payment-card numbers, bank account numbers.

It errs towards masking: a nine-digit figure next to "SSN" or a Luhn-valid sixteen-digit number is
masked even when it is something else, because a model rarely needs the digits and a leak cannot be undone.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable

from cyrano_mcp.kit.model import LLMRequest, Message, RedactionKind

EVERY_KIND: tuple[RedactionKind, ...] = ("ssn", "card", "bank_account")
MASKS: dict[RedactionKind, str] = {
    "ssn": "[SSN REDACTED]",
    "card": "[CARD NUMBER REDACTED]",
    "bank_account": "[ACCOUNT NUMBER REDACTED]",
}

# Area 000, 666 and 9xx, group 00 and serial 0000 are never issued; the separators must match.
_SSN_SEPARATED = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])")
# Bare nine digits are an SSN only when labelled as one.
_SSN_LABELLED = re.compile(
    r"(?i)\b(?:ssn|ss#|social\s+security(?:\s+(?:no\.?|number|#))?|tin|taxpayer\s+id(?:entification)?(?:\s+number)?)"
    r"\s*[:#]?\s*(?P<number>(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4})(?!\d)"
)
# 13 to 19 digits, optionally grouped by single spaces or dashes.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# Account and routing numbers are only recognisable by their label.
_ACCOUNT_LABELLED = re.compile(
    r"(?i)\b(?:bank\s+)?(?:account|acct|a/c|routing|aba)(?:\s*(?:no\.?|number|num|#))?\s*[:#]?\s*"
    r"(?P<number>\d[\d -]{2,22}\d)(?!\d)"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


Rule = Callable[[str, Counter[RedactionKind]], str]


def _mask_ssns(text: str, counts: Counter[RedactionKind]) -> str:
    def whole(_: re.Match[str]) -> str:
        counts["ssn"] += 1
        return MASKS["ssn"]

    text = _SSN_SEPARATED.sub(whole, text)
    return _sub_group(_SSN_LABELLED, text, "ssn", counts)


def _mask_cards(text: str, counts: Counter[RedactionKind]) -> str:
    def card(match: re.Match[str]) -> str:
        if not luhn_valid(re.sub(r"[ -]", "", match.group())):
            return match.group()
        counts["card"] += 1
        return MASKS["card"]

    return _CARD.sub(card, text)


def _mask_accounts(text: str, counts: Counter[RedactionKind]) -> str:
    def iban(match: re.Match[str]) -> str:
        if not _iban_valid(match.group()):
            return match.group()
        counts["bank_account"] += 1
        return MASKS["bank_account"]

    text = _sub_group(_ACCOUNT_LABELLED, text, "bank_account", counts, min_digits=4)
    return _IBAN.sub(iban, text)


def _sub_group(
    pattern: re.Pattern[str], text: str, kind: RedactionKind, counts: Counter[RedactionKind], min_digits: int = 1
) -> str:
    """Mask only the `number` group, keeping the label so the model still knows what was there."""

    def replace(match: re.Match[str]) -> str:
        if sum(char.isdigit() for char in match.group("number")) < min_digits:
            return match.group()
        counts[kind] += 1
        start, end = match.span("number")
        whole_start = match.start()
        return match.group()[: start - whole_start] + MASKS[kind] + match.group()[end - whole_start :]

    return pattern.sub(replace, text)


# SSNs first: a dashed SSN is also nine digits a looser rule could half-match.
_RULES: dict[RedactionKind, Rule] = {"ssn": _mask_ssns, "card": _mask_cards, "bank_account": _mask_accounts}


class Redactor:
    def __init__(self, kinds: Iterable[RedactionKind]) -> None:
        enabled = set(kinds)
        self.kinds = [kind for kind in _RULES if kind in enabled]

    def redact(self, text: str) -> tuple[str, Counter[RedactionKind]]:
        counts: Counter[RedactionKind] = Counter()
        for kind in self.kinds:
            text = _RULES[kind](text, counts)
        return text, counts

    def redact_request(self, request: LLMRequest) -> tuple[LLMRequest, dict[RedactionKind, int]]:
        """The request with every turn and the system prompt masked, and how many of each kind were masked."""
        if not self.kinds:
            return request, {}
        total: Counter[RedactionKind] = Counter()
        messages = []
        for message in request.messages:
            content, counts = self.redact(message.content)
            total.update(counts)
            messages.append(Message(role=message.role, content=content))
        system = request.system
        if system is not None:
            system, counts = self.redact(system)
            total.update(counts)
        if not total:
            return request, {}
        return request.model_copy(update={"messages": tuple(messages), "system": system}), dict(total)

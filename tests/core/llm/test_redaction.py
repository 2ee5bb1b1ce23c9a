"""What is masked before text leaves the machine, and what is left alone."""

import pytest

from cyrano_mcp.kit import LLMRequest, Message
from cyrano_mcp.llm.redaction import Redactor, luhn_valid

EVERYTHING = Redactor(["ssn", "card", "bank_account"])


@pytest.mark.parametrize(
    "text",
    [
        "SSN 123-45-6789.",
        "ssn: 123 45 6789",
        "Social Security No. 123456789",
        "taxpayer id 123456789",
        "(123-45-6789)",
    ],
)
def test_social_security_numbers_are_masked(text: str) -> None:
    masked, counts = EVERYTHING.redact(text)

    assert "6789" not in masked
    assert "[SSN REDACTED]" in masked
    assert counts == {"ssn": 1}


@pytest.mark.parametrize(
    "text",
    [
        "docket 123456789",  # bare nine digits, not labelled as an SSN
        "000-12-3456",  # area 000 is never issued
        "666-12-3456",
        "912-34-5678",
        "123-00-4567",  # group 00
        "123-45-0000",  # serial 0000
        "123-45 6789",  # mixed separators: not the shape of an SSN
        "2021-123-45-6789",  # part of a longer dashed reference
    ],
)
def test_numbers_that_cannot_be_ssns_are_left_alone(text: str) -> None:
    assert EVERYTHING.redact(text) == (text, {})


@pytest.mark.parametrize(
    "number", ["4111 1111 1111 1111", "4111-1111-1111-1111", "5500005555555559", "378282246310005"]
)
def test_luhn_valid_card_numbers_are_masked(number: str) -> None:
    masked, counts = EVERYTHING.redact(f"Paid with card {number} on 3 May.")

    assert masked == "Paid with card [CARD NUMBER REDACTED] on 3 May."
    assert counts == {"card": 1}


def test_a_long_number_that_fails_the_luhn_check_is_left_alone() -> None:
    assert not luhn_valid("4111111111111112")
    assert EVERYTHING.redact("Invoice 4111111111111112") == ("Invoice 4111111111111112", {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Account number: 000123456789", "Account number: [ACCOUNT NUMBER REDACTED]"),
        ("acct # 1234-5678-90", "acct # [ACCOUNT NUMBER REDACTED]"),
        ("routing 021000021", "routing [ACCOUNT NUMBER REDACTED]"),
        ("IBAN DE89 3704 0044 0532 0130 00.", "IBAN [ACCOUNT NUMBER REDACTED]."),
        ("Pay GB82WEST12345698765432 now", "Pay [ACCOUNT NUMBER REDACTED] now"),
    ],
)
def test_labelled_bank_account_numbers_and_ibans_are_masked(text: str, expected: str) -> None:
    masked, counts = EVERYTHING.redact(text)

    assert masked == expected
    assert counts == {"bank_account": 1}


@pytest.mark.parametrize("text", ["account for 2023", "Account 12", "DE89 3704 0044 0532 0130 01"])
def test_account_words_without_an_account_number_are_left_alone(text: str) -> None:
    assert EVERYTHING.redact(text) == (text, {})


def test_only_the_configured_kinds_are_masked() -> None:
    text = "SSN 123-45-6789, card 4111 1111 1111 1111"

    assert Redactor(["card"]).redact(text) == ("SSN 123-45-6789, card [CARD NUMBER REDACTED]", {"card": 1})
    assert Redactor([]).redact(text) == (text, {})


def test_a_request_is_masked_in_every_turn_and_the_system_prompt() -> None:
    request = LLMRequest(
        system="The client's SSN is 123-45-6789.",
        messages=(
            Message.user("Card 4111 1111 1111 1111?"),
            Message.assistant("Noted."),
            Message.user("And 234-56-7890"),
        ),
    )

    masked, counts = EVERYTHING.redact_request(request)

    assert masked.system == "The client's SSN is [SSN REDACTED]."
    assert [m.content for m in masked.messages] == ["Card [CARD NUMBER REDACTED]?", "Noted.", "And [SSN REDACTED]"]
    assert counts == {"ssn": 2, "card": 1}
    assert EVERYTHING.redact_request(LLMRequest(messages=(Message.user("nothing here"),)))[1] == {}

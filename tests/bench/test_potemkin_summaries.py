"""bench/potemkin_summaries.py: summaries are reproducible, varied, and every perturbed claim really is wrong."""

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import english_values  # noqa: E402
import potemkin_summaries as generator  # noqa: E402
from extraction_scoring import normalise_party  # noqa: E402


def _contract(number: int) -> dict[str, Any]:
    """A synthetic CUAD record with every field the generator uses."""
    day = dt.date(2000, 1, 1) + dt.timedelta(days=97 * number)
    places = ["California", "New York", "Delaware", "England", "Ontario", "Texas", "Germany"]
    renewals = ["successive 1 year terms", "3 years", "6 months", "perpetual", ""]
    notices = ["90 days", "thirty (30) days", "6 months", "2 weeks", ""]
    return {
        "id": f"CONTRACT_{number:03d}",
        "text": f"A contract between Company {number} Inc. and Vendor {number} LLC. " * 20,
        "gold": {
            "parties": {"names": [f'Company {number} Inc. ("Buyer")', f"Vendor {number} LLC"]},
            "agreement_date": {"iso": day.isoformat()},
            "effective_date": {"iso": (day + dt.timedelta(days=3)).isoformat()},
            "expiration_date": {"iso": (day + dt.timedelta(days=1095)).isoformat(), "perpetual": number % 9 == 0},
            "governing_law": {"answer": places[number % len(places)]},
            "renewal_term": {"answer": renewals[number % len(renewals)]},
            "notice_period_to_terminate_renewal": {"answer": notices[number % len(notices)]},
        },
    }


RECORDS = [_contract(number) for number in range(160)]


def _claims() -> list[generator.Claim]:
    return [claim for summary in generator.summaries(RECORDS) for claim in summary.claims]


def test_the_same_records_give_the_same_summaries() -> None:
    first = generator.summaries(RECORDS)
    shuffled = generator.summaries(random.Random(4).sample(RECORDS, len(RECORDS)))
    assert {s.contract_id: s for s in first} == {s.contract_id: s for s in shuffled}


def test_each_claim_sits_where_it_says_in_its_summary() -> None:
    for summary in generator.summaries(RECORDS):
        for claim in summary.claims:
            assert summary.text[claim.start : claim.end] == claim.text


def test_every_field_has_ten_phrasings_and_dates_eight_formats_in_both_halves() -> None:
    claims = _claims()
    counts = generator.phrasing_counts()
    assert all(count >= 10 for count in counts.values())
    for field in generator.FIELDS:
        used = {claim.phrasing_id for claim in claims if claim.field == field}
        assert len(used) >= 8, field  # the phrasings are really used, not only listed
        halves = {claim.phrasing_set for claim in claims if claim.field == field}
        assert halves == {"dev", "held_out"}
    assert len(generator.DATE_FORMATS) >= 8
    date_formats = {claim.value_format for claim in claims if claim.field in generator.DATE_FIELDS}
    assert len(date_formats) >= 8
    period_formats = {claim.value_format for claim in claims if claim.field in generator.DURATION_FIELDS}
    assert len(period_formats) >= 6


def test_a_phrasing_and_its_format_belong_to_one_half() -> None:
    dev_formats = {name for name, _ in generator.DATE_FORMATS[:5]}
    counts = generator.phrasing_counts()
    for claim in _claims():
        if claim.field == generator.NO_CLAIM:
            continue
        number = int(claim.phrasing_id.rsplit(".", 1)[1])
        assert (claim.phrasing_set == "dev") == (number < counts[claim.field] // 2), claim
        if claim.field in generator.DATE_FIELDS:
            assert (claim.value_format in dev_formats) == (claim.phrasing_set == "dev"), claim


def test_about_half_the_claims_are_perturbed_and_each_differs_from_gold() -> None:
    claims = [claim for claim in _claims() if claim.field != generator.NO_CLAIM]
    perturbed = [claim for claim in claims if claim.perturbed]
    assert 0.4 <= len(perturbed) / len(claims) <= 0.6
    for claim in claims:
        if claim.field == "parties":
            differs = {normalise_party(n) for n in claim.claimed.split("; ")} != {
                normalise_party(n) for n in claim.gold.split("; ")
            }
        else:
            differs = claim.claimed.lower() != claim.gold.lower()
        assert differs == claim.perturbed, claim


def test_periods_and_dates_are_written_in_words_digits_and_legal_forms() -> None:
    assert english_values.number_words(90) == "ninety"
    assert english_values.number_words(365) == "three hundred sixty-five"
    texts = " ".join(claim.text for claim in _claims())
    assert " day of " in texts
    assert "-year" in texts or "-month" in texts or "-day" in texts
    assert "(" in texts  # "ninety (90) days"
    assert generator.shifted_date(random.Random(1), dt.date(2020, 3, 31)) != dt.date(2020, 3, 31)


def test_gold_answers_the_contract_does_not_bear_out_are_left_out() -> None:
    record = _contract(1)
    record["gold"]["parties"]["names"].insert(0, "The John Hopkins University")  # the contract says "Johns"
    record["text"] += " The Johns Hopkins University."
    record["gold"]["renewal_term"]["answer"] = "4 years, 6 months"  # two periods: no single gold value
    record["gold"]["notice_period_to_terminate_renewal"]["answer"] = "0.5 year"
    assert generator.usable_parties(record) == ["Company 1 Inc", "Vendor 1 LLC"]
    fields = {claim.field for claim in generator.summary_of(record, ["Other Party Ltd"]).claims}
    assert not fields & {"renewal_term", "notice_period"}


def test_wide_summaries_use_their_own_phrasings_and_changes() -> None:
    wide = generator.summaries(RECORDS, wide=True)
    claims = [claim for summary in wide for claim in summary.claims]
    assert {claim.phrasing_set for claim in claims} == {"wide"}
    phrasings = {claim.text for claim in claims} & {claim.text for claim in _claims()}
    assert not phrasings  # no sentence of the wide set is one of the dev or held-out sentences
    for summary in wide:
        for claim in summary.claims:
            assert summary.text[claim.start : claim.end] == claim.text
            if claim.field not in ("parties", generator.NO_CLAIM):
                assert (claim.claimed.lower() != claim.gold.lower()) == claim.perturbed, claim
    used = {claim.phrasing_id for claim in claims if claim.field == "agreement_date"}
    assert len(used) >= 6

"""bench/extraction_scoring.py: the strict party matcher, the folds, and scores that add up."""

import hashlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import extraction  # noqa: E402
import extraction_scoring as scoring  # noqa: E402


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("Acme Corp.", "ACME Corporation"),
        ("CLARUS IV-A, L.P.", "Clarus IV-A LP"),
        ("Zanotti East Inc.", "ZANOTTI EAST, INC."),
        ("The Coca-Cola Company", "Coca-Cola Co."),
        ("Smith & Wesson Holding Corp", "Smith and Wesson Holding Corporation"),
        ("Foo Holdings Co., Ltd.", "FOO HOLDINGS"),
        ("Siemens AG", "SIEMENS A.G."),
        ("Acme Servces, L.L.C.", "Acme Services LLC"),  # a typo in one name
        ('Acme Corp. ("Acme")', "Acme Corporation"),  # the alias goes before matching
    ],
)
def test_the_same_party_matches_strictly(predicted: str, gold: str) -> None:
    assert scoring.strict_party_match(predicted, gold), scoring.strict_party_ratio(predicted, gold)


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("ELECTRIC COMPANY", "LOUISVILLE GAS AND ELECTRIC COMPANY"),
        ("February 2020. CLARUS IV-A, L.P.", "CLARUS IV-A, L.P."),
        ("Acme Corp.", "Acme Holdings Corp."),
        ("Licensee", "Acme Corporation"),
        ("Acme Corp.", "Apex Corp."),
    ],
)
def test_a_name_with_words_missing_or_extra_does_not(predicted: str, gold: str) -> None:
    assert not scoring.strict_party_match(predicted, gold), scoring.strict_party_ratio(predicted, gold)
    assert scoring.lenient_party_ratio(predicted, gold) >= 0  # both matchers take the same arguments


def test_the_lenient_matcher_still_accepts_a_subset_of_words() -> None:
    assert scoring.lenient_party_ratio("ELECTRIC COMPANY", "LOUISVILLE GAS AND ELECTRIC COMPANY") == 100


def test_normalising_keeps_a_name_made_of_legal_words_and_inner_ones() -> None:
    assert scoring.normalise_party("The Company") == "company"
    assert scoring.normalise_party("Insurance Company of America, Inc.") == "insurance company of america"
    assert scoring.normalise_party("Grupo Acme, S.A. de C.V.") == "grupo acme"
    assert scoring.normalise_party("Banco de Mexico") == "banco de mexico"


def test_parties_are_matched_one_to_one_under_each_matcher() -> None:
    predicted = ["ELECTRIC COMPANY", "Acme Corp."]
    gold = ["LOUISVILLE GAS AND ELECTRIC COMPANY", "ACME Corporation"]
    lenient = scoring.score_parties("x", predicted, gold, strict=False)
    strict = scoring.score_parties("x", predicted, gold, strict=True)
    # token_set_ratio takes the subset and misses the legal form written two ways; the strict matcher the reverse
    assert (lenient.tp, lenient.fp, lenient.fn) == (strict.tp, strict.fp, strict.fn) == (1, 1, 1)
    assert lenient.misses == ["x: extra ['Acme Corp.'], missed ['ACME Corporation']"]
    assert strict.misses == ["x: extra ['ELECTRIC COMPANY'], missed ['LOUISVILLE GAS AND ELECTRIC COMPANY']"]
    twice = scoring.score_parties("x", ["Acme Corp.", "ACME Corp"], ["Acme Corporation"], strict=True)
    assert (twice.tp, twice.fp, twice.fn) == (1, 1, 0)


def test_scores_add_up_to_micro_averages() -> None:
    right = scoring.score_single("a", "2020-01-01", "2020-01-01", equal=True)
    wrong = scoring.score_single("b", "2020-01-02", "2020-01-01", equal=False)
    summed = right + wrong
    assert (summed.tp, summed.fp, summed.fn, summed.gold) == (1, 1, 1, 2)
    assert summed.precision == summed.recall == summed.f1 == 0.5
    assert len(summed.misses) == 1


def test_a_contract_keeps_its_fold() -> None:
    record_id = "LIMEENERGYCO_09_09_1999-EX-10-DISTRIBUTOR AGREEMENT"
    assert int.from_bytes(hashlib.sha1(record_id.encode()).digest()[:8], "big") % 5 == 1
    assert extraction.fold_of(record_id, 5) == 1  # a changed hash would reshuffle every published fold
    counts = [0] * 5
    for n in range(1000):
        counts[extraction.fold_of(f"contract-{n}", 5)] += 1
    assert min(counts) > 150  # the hash spreads ids evenly

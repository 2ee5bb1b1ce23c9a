"""bench/frcp_6a_examples.py: every hand-counted Rule 6(a) example comes out right, and the checker says so."""

import sys
from datetime import date
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import chronometric_counting as checker  # noqa: E402
from frcp_6a_examples import EXAMPLES, Example  # noqa: E402


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.trigger}-{e.count}{e.unit[0]}-{e.direction}")
def test_each_hand_counted_example_is_right(example: Example) -> None:
    assert checker.computed(example).due == example.due, example.why


def test_the_examples_cover_what_the_rule_turns_on() -> None:
    assert len(EXAMPLES) >= 40
    assert {example.trigger.year for example in EXAMPLES} >= set(range(2020, 2031))
    assert {example.direction for example in EXAMPLES} == {"after", "before"}
    assert {example.unit for example in EXAMPLES} == {"day", "week", "month", "year"}
    assert any(example.mail for example in EXAMPLES)
    assert any(example.jurisdiction != "US" for example in EXAMPLES)


def test_the_checker_reports_a_wrong_example_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = Example(date(2026, 2, 28), 21, "day", "after", date(2026, 3, 21), "a Saturday, not rolled")
    monkeypatch.setattr(checker, "EXAMPLES", [*EXAMPLES[:2], wrong])
    assert checker.main() == 1
    printed = capsys.readouterr().out
    assert "FRCP 6(a) examples: 2/3 right" in printed
    assert "expected 2026-03-21 (a Saturday, not rolled), computed 2026-03-23" in printed


def test_the_checker_passes_when_all_are_right(capsys: pytest.CaptureFixture[str]) -> None:
    assert checker.main() == 0
    assert f"FRCP 6(a) examples: {len(EXAMPLES)}/{len(EXAMPLES)} right" in capsys.readouterr().out

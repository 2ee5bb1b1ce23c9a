"""bench/clause_scoring.py and bench/train_clauses.py: locating gold spans, thresholds, counts, a repeatable build."""

import gzip
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import clause_scoring as scoring  # noqa: E402
import train_clauses  # noqa: E402

from cyrano_arkiver.clauses.categories import CATEGORIES  # noqa: E402


def test_gold_spans_are_found_ignoring_whitespace_and_curly_quotes() -> None:
    text = 'Preamble.\nNeither party may assign this Agreement\nwithout the other\'s "consent". Next.'
    located = scoring.SpanLocator(text).locate(
        ["Neither  party may assign this Agreement without the other’s “consent”."]
    )
    assert len(located) == 1
    start, end = located[0]
    assert text[start:end].startswith("Neither party") and text[start:end].endswith('"consent".')


def test_a_span_not_in_the_text_is_left_out() -> None:
    assert scoring.SpanLocator("Some text here.").locate(["not here", "", "text here"]) == [(5, 14)]


def test_overlap_needs_a_shared_character() -> None:
    assert scoring.overlaps((5, 10), [(9, 12)])
    assert not scoring.overlaps((5, 10), [(10, 12), (0, 5)])


def test_the_threshold_maximises_f1() -> None:
    scored = [(0.9, True), (0.8, True), (0.6, False), (0.4, True), (0.2, False), (0.1, False)]
    threshold = scoring.best_threshold(scored)
    assert 0.2 < threshold < 0.4  # all three positives with one false positive: F1 6/7, better than 0.8 above 0.6
    assert scoring.best_threshold([(0.3, False), (0.2, False)]) == 1.0


def test_counts_give_precision_recall_f1_and_quote_hits() -> None:
    counts = scoring.Counts()
    for predicted, gold, hit in [(True, True, True), (True, True, False), (True, False, False), (False, True, False)]:
        counts.add(predicted, gold, hit)
    assert (counts.tp, counts.fp, counts.fn, counts.quote_hits) == (2, 1, 1, 1)
    assert round(counts.precision, 3) == 0.667 and round(counts.recall, 3) == 0.667 and round(counts.f1, 3) == 0.667


def _contract(number: int, assignment: bool) -> dict[str, object]:
    clause = "Neither party may assign this Agreement without the prior written consent of the other party."
    body = [f"SUPPLY AGREEMENT NUMBER {number}", "The supplier shall deliver the goods described in Exhibit A."]
    body += ["Payment is due within thirty days of the invoice date.", "Each notice shall be in writing."]
    if assignment:
        body.insert(2, clause)
    clauses: dict[str, dict[str, object]] = {category.name: {"answer": None, "spans": []} for category in CATEGORIES}
    clauses["Document Name"] = {"answer": None, "spans": [body[0]]}
    if assignment:
        clauses["Anti-Assignment"] = {"answer": "Yes", "spans": [clause]}
    return {"id": f"contract-{number:02d}", "text": "\n\n".join(body), "gold": {"clauses": clauses}}


def test_training_runs_end_to_end_and_rebuilds_the_same_bytes(tmp_path: Path) -> None:
    data = tmp_path / "cuad_tiny.jsonl"
    data.write_text("".join(json.dumps(_contract(n, n % 2 == 0)) + "\n" for n in range(12)))
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    train_clauses.build(data, first)
    train_clauses.build(data, second)
    assert first.read_bytes() == second.read_bytes()
    with gzip.open(first, "rt") as file:
        model = json.load(file)
    assert [category["key"] for category in model["categories"]] == [category.key for category in CATEGORIES]
    anti_assignment = next(i for i, c in enumerate(CATEGORIES) if c.key == "anti_assignment")
    assert any(index == anti_assignment and weight > 0 for index, weight in model["weights"]["consent"])

"""Measure what `arkiver_clauses` answers, end to end, on held-out contracts: presence and CUAD's values.

    python bench/clause_review.py --folds 5     # the 439 contracts in 5 folds (a few minutes on 2 cores)

bench/clauses.py measures the classifier alone; the tool answers with `review_clauses`, in which a metadata
category (parties, the three dates, governing law, renewal, notice) is present when the classifier or the
extraction rules find it, with the rules' value (column `by`: both).
This bench runs `review_clauses` itself, as ingest does (`extract_insights`, then the review), with a classifier
trained for each fold on the other folds (bench/clause_training.py), on the held-out fold's pages.

Presence: per category, a contract has it in gold when its spans are non-empty (as bench/clauses.py counts), and
the tool says present when its review lists the category. Values: CUAD gives a normalised answer for seven
categories only (for the other 34 its answer is Yes or No, which is presence). For those seven, a value is right
when it equals the gold answer by bench/extraction_scoring.py's rules (dates on ISO, governing law on the place,
renewal and notice as durations, parties by the strict name matcher, one to one). `value P` is the share of the
tool's values that are right, over the contracts whose gold has an answer; `value R` the share of gold answers
that the tool gives rightly.
"""

import sys
from dataclasses import dataclass
from statistics import mean
from typing import Any

from clause_scoring import Counts
from clause_training import fold_arguments, fold_models, prepare
from extraction import environment, fold_of, load_records
from extraction_scoring import (
    gold_date,
    gold_duration,
    gold_parties,
    governing_law_matches,
    score_parties,
)
from shared_data import shared_data_dir
from stats import PrecisionRecall

from cyrano_arkiver.clauses.categories import CATEGORIES
from cyrano_arkiver.clauses.review import StoredClause, review_clauses
from cyrano_arkiver.extraction import extract_insights

MIN_POSITIVES = 20
VALUED = ["parties", "agreement_date", "effective_date", "expiration_date", "governing_law", "renewal_term",
          "notice_period_to_terminate_renewal"]  # fmt: skip
_PERPETUAL = "until terminated"


@dataclass
class ValueScore:
    """Over contracts whose gold has an answer: values given, values right, answers in gold."""

    given: int = 0
    right: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.given if self.given else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0


def _duration_key(clause: StoredClause) -> str | None:
    value = clause.value
    if value is None:
        return None
    if value.duration is not None:
        return f"{value.duration.total_months()}m{value.duration.days}d"
    return "perpetual" if value.text == _PERPETUAL else None


def gold_answer(key: str, record: dict[str, Any]) -> Any:
    """CUAD's answer for one of the seven valued categories, as bench/extraction_scoring.py normalises it."""
    gold = record["gold"]
    if key == "parties":
        return gold_parties(gold["parties"]) or None
    if key in ("agreement_date", "effective_date", "expiration_date"):
        return gold_date(gold[key])
    if key == "governing_law":
        return gold["governing_law"]["answer"] or None
    return gold_duration(gold[key]["answer"])


def value_right(key: str, clause: StoredClause, answer: Any, record_id: str) -> bool:
    value = clause.value
    if value is None:
        return False
    if key == "parties":
        score = score_parties(record_id, value.text.split("; "), answer, strict=True)
        return score.fp == 0 and score.fn == 0
    if key in ("agreement_date", "effective_date", "expiration_date"):
        return value.date is not None and value.date.isoformat() == answer
    if key == "governing_law":
        return governing_law_matches(value.text, answer)
    return _duration_key(clause) == answer


def main() -> None:
    args = fold_arguments(__doc__)
    records = sorted(load_records(shared_data_dir(args.data)), key=lambda r: r["id"])
    contracts = [prepare(record) for record in records]
    models = fold_models(contracts, args.folds, args.workers)
    positives = [sum(i in c.present for c in contracts) for i in range(len(CATEGORIES))]
    counted = [i for i, count in enumerate(positives) if count >= MIN_POSITIVES]
    per_fold = [[Counts() for _ in CATEGORIES] for _ in range(args.folds)]
    values = {key: [ValueScore() for _ in range(args.folds)] for key in VALUED}
    for record, contract in zip(records, contracts, strict=True):
        fold = fold_of(contract.id, args.folds)
        review = {
            clause.category: clause
            for clause in review_clauses(contract.pages, extract_insights(contract.pages), model=models[fold])
        }
        for i, category in enumerate(CATEGORIES):
            clause = review.get(category.key)
            per_fold[fold][i].add(clause is not None, i in contract.present, False)
            if category.key in values:
                score = values[category.key][fold]
                answer = gold_answer(category.key, record)
                if answer is None:
                    continue
                score.gold += 1
                if clause is not None and clause.value is not None:
                    score.given += 1
                    score.right += value_right(category.key, clause, answer, contract.id)
    report(len(contracts), args.folds, per_fold, values, positives, counted)


def report(
    contracts: int,
    folds: int,
    per_fold: list[list[Counts]],
    values: dict[str, list[ValueScore]],
    positives: list[int],
    counted: list[int],
) -> None:
    print(f"arkiver_clauses (review_clauses), {contracts} contracts, {folds} folds; {environment()}\n")
    heads = " ".join(f"{'f' + str(k + 1):>6}" for k in range(folds))
    print(f"{'category':<36} {'pos':>4} {'by':>10} {'P':>6} {'R':>6} {'F1':>6}  F1 per fold: {heads}")
    for i, category in enumerate(CATEGORIES):
        pooled = PrecisionRecall(
            tp=sum(counts[i].tp for counts in per_fold),
            fp=sum(counts[i].fp for counts in per_fold),
            fn=sum(counts[i].fn for counts in per_fold),
        )
        by = "both" if category.key in VALUED else "classifier"
        mark = "" if i in counted else " (<20)"
        folds_f1 = " ".join(f"{per_fold[k][i].f1:6.3f}" for k in range(folds))
        print(
            f"{category.name + mark:<36} {positives[i]:>4} {by:>10} {pooled.precision:6.3f} {pooled.recall:6.3f} "
            f"{pooled.f1:6.3f}  {' ' * 13}{folds_f1}"
        )
    macro = [mean(per_fold[k][i].f1 for i in counted) for k in range(folds)]
    print(f"\nmacro F1 ({len(counted)} categories >= {MIN_POSITIVES}) per fold: "
          + " ".join(f"{v:.3f}" for v in macro) + f"; mean {mean(macro):.3f}")  # fmt: skip
    print("\nvalues against CUAD's answers (mean over folds)")
    print(f"{'category':<36} {'answers':>7} {'value P':>8} {'value R':>8}")
    for key, scores in values.items():
        name = next(category.name for category in CATEGORIES if category.key == key)
        answers = sum(score.gold for score in scores)
        precision = mean(score.precision for score in scores)
        recall = mean(score.recall for score in scores)
        print(f"{name:<36} {answers:>7} {precision:>8.3f} {recall:>8.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

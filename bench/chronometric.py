"""Measure Chronometric's deadlines: notice of non-renewal on CUAD contracts, and FRCP 6(a) counting.

    python bench/chronometric.py                 # every contract, 5 folds, then the FRCP 6(a) examples
    python bench/chronometric.py --show-misses 20   # wrong or missing notice days, folds 1-3 only

Notice deadlines: for each contract whose gold gives an expiration date and a notice period to stop a renewal,
the expected last day for notice is the gold expiration date less the gold period, counted in calendar days
(months by the calendar, a 31st clamped to the month's last day), computed here independently of Chronometric.
Chronometric reads the same contract as `chronometric_deadlines` does: its pages, Arkiver's insights as
`arkiver_insights` gives them, and `deadlines_of` counted from a day before any contract (so the stated term is
the one counted, not a renewal of it). A predicted day is right when it equals the expected one. Precision is
right over predicted, recall right over expected, per fold (bench/extraction.py's folds) and over folds 1-3
(where misses may be read) and 4-5. Contracts whose gold lacks either value are counted apart: a notice day
predicted there cannot be judged.

FRCP 6(a): bench/frcp_6a_examples.py, worked by hand from the rule's text; every one must be right.
"""

import argparse
import datetime as dt
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chronometric_counting import main as check_frcp_examples
from extraction import environment, fold_of, load_records
from extraction_scoring import gold_date, gold_duration, single_unit
from shared_data import shared_data_dir

from cyrano_arkiver.extraction import extract_insights
from cyrano_arkiver.insight_pages import insights_answer
from cyrano_arkiver.models import InsightsRequest
from cyrano_arkiver.pages import paginate_text
from cyrano_chronometric.document_deadlines import deadlines_of
from cyrano_chronometric.work_calendar import calendar_for

_BEFORE_ANY_CONTRACT = dt.date(1900, 1, 1)
_SEEN_FOLDS = {0, 1, 2}


@dataclass(frozen=True)
class Case:
    record_id: str
    fold: int
    expected: dt.date | None  # None: the gold lacks an expiration date or a notice period
    predicted: dt.date | None


def expected_notice_day(expiration: dt.date, key: str) -> dt.date | None:
    """The gold expiration less the gold period ("3m0d", "0m90d"); None for a mixed or empty period."""
    parts = single_unit(key)
    if parts is None:
        return None
    months, days = parts
    if days:
        return expiration - dt.timedelta(days=days)
    year, month = divmod(expiration.year * 12 + expiration.month - 1 - months, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(expiration.day, (next_month - dt.timedelta(days=1)).day))


def expected_of(record: dict[str, Any]) -> dt.date | None:
    gold = record["gold"]
    iso = gold_date(gold["expiration_date"])
    key = gold_duration(gold["notice_period_to_terminate_renewal"]["answer"])
    if not iso or iso == "perpetual" or not key or key == "perpetual":
        return None
    try:
        expiration = dt.date.fromisoformat(iso)
    except ValueError:
        return None
    return expected_notice_day(expiration, key)


def predicted_of(record: dict[str, Any]) -> dt.date | None:
    pages = paginate_text(record["text"])
    document_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record["id"]))
    request = InsightsRequest(document_id=document_id, kinds=["dates", "term", "obligations"], limit=100)
    insights = insights_answer(
        document_id=document_id, method="rules", insights=extract_insights(pages), counts={}, request=request
    )
    found = deadlines_of(document_id, record["id"], insights, as_of=_BEFORE_ANY_CONTRACT, calendar=calendar_for("US"))
    notices = [proposal.due for proposal in found.proposals if proposal.kind == "non_renewal_notice"]
    return notices[0] if notices else None


def _scores(cases: list[Case]) -> str:
    judged = [case for case in cases if case.expected is not None]
    predicted = [case for case in judged if case.predicted is not None]
    right = sum(case.predicted == case.expected for case in predicted)
    precision = right / len(predicted) if predicted else 0.0
    recall = right / len(judged) if judged else 0.0
    return f"{len(judged):>5} {len(predicted):>9} {right:>5} {precision:>9.3f} {recall:>7.3f}"


def report(cases: list[Case], folds: int) -> None:
    print(f"\nnotice of non-renewal: {'':<14} {'gold':>5} {'predicted':>9} {'right':>5} {'precision':>9} {'recall':>7}")
    for fold in range(folds):
        print(f"{'fold ' + str(fold + 1):<37} {_scores([c for c in cases if c.fold == fold])}")
    print(f"{'folds 1-3 (misses may be read)':<37} {_scores([c for c in cases if c.fold in _SEEN_FOLDS])}")
    print(f"{'folds 4-5 (never read)':<37} {_scores([c for c in cases if c.fold not in _SEEN_FOLDS])}")
    print(f"{'all':<37} {_scores(cases)}")
    unjudged = [case for case in cases if case.expected is None and case.predicted is not None]
    print(f"notice days predicted where the gold lacks an expiration date or a notice period: {len(unjudged)}")


def show_misses(cases: list[Case], count: int) -> None:
    misses = [c for c in cases if c.fold in _SEEN_FOLDS and c.expected is not None and c.predicted != c.expected]
    print(f"\nmisses on folds 1-3: {len(misses)} (showing {min(count, len(misses))})")
    for case in misses[:count]:
        print(f"  {case.record_id[:70]}: expected {case.expected}, predicted {case.predicted}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="the shared data folder, or one .jsonl file of CUAD records")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show-misses", type=int, default=0, metavar="K")
    args = parser.parse_args(argv)
    records = load_records(shared_data_dir(args.data))
    print(environment())
    started = time.process_time()
    cases = [Case(r["id"], fold_of(r["id"], args.folds), expected_of(r), predicted_of(r)) for r in records]
    print(f"{len(records)} contracts read in {time.process_time() - started:.0f} s of CPU")
    report(cases, args.folds)
    if args.show_misses:
        show_misses(cases, args.show_misses)
    print()
    return check_frcp_examples()


if __name__ == "__main__":
    sys.exit(main())

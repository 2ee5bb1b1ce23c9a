"""Measure Arkiver's insight extractor against CUAD gold answers: precision, recall and F1 per field, and speed.

    python bench/extraction.py --folds 5            # the 439 contracts in 5 folds, per fold and mean (minutes)
    python bench/extraction.py                      # the 439 contracts scored as one set
    python bench/extraction.py --set dev --verbose  # the 100 development contracts, with every miss shown
    python bench/extraction.py --ids ID [ID ...] --verbose
    python bench/extraction.py --only-folds 0 1 2 --verbose  # misses of folds 0-2 only; folds 3-4 stay unseen

Data: `cuad_dev.jsonl` (100 contracts, the ones the rules were written against) and `cuad_train.jsonl` (339 more,
never looked at while writing them) from the shared data folder: --data, else $CYRANO_SHARED_DATA, else
`../shared/data` beside the repository (bench/shared_data.py). --data may also name one .jsonl file.

Each contract is cut into pages with `paginate_text` (what ingest does for plain text) and run through
`extract_insights`; bench/extraction_scoring.py turns the insights into one prediction per field and scores it.

How it is scored (micro-averaged over the contracts of a set or fold):
- single-valued fields: a prediction equal to gold is a true positive; a prediction where gold is null, or one
  that differs from gold, is a false positive; a gold answer without an equal prediction is a false negative (so a
  wrong prediction counts once each way).
- dates compare ISO strings; gold is the record's `iso`, or "perpetual" when `perpetual` is set. A gold answer with
  no ISO form (a template blank such as "[]/[]/2019") counts as null: nothing can be predicted for it. The
  expiration date is the first date of kind `expiration`, else "perpetual" when the initial term is perpetual.
- governing law: correct when the predicted name equals (case-insensitively) one of the places in the gold answer
  (the gold answer split at ";" and ","; "England and Wales" is correct for "England, United Kingdom").
- durations (renewal term, notice period): compared in (months, days), so 12 months equals 1 year; gold is the
  last "<number> <unit>" in the answer, or "perpetual".
- parties: each name's quoted aliases and parenthesised remarks are removed (gold and prediction alike); gold
  entries that only define the collective "Parties", or that name nothing but other entries or their aliases
  ("A and B", "Licensor and Licensee"), or that are redacted ("[*]"), or repeat an entry, are dropped. Matching is
  one-to-one, best pairs first; precision = matched / predicted names, recall = matched / gold names. Two matchers:
  `parties`: rapidfuzz token_set_ratio >= 85 after rapidfuzz's default processing (lenient: "ELECTRIC COMPANY"
  matches "LOUISVILLE GAS AND ELECTRIC COMPANY", since its words are a subset);
  `parties_strict`: rapidfuzz ratio >= 90 after normalising case, punctuation, a leading "the" and trailing
  legal-form words (Inc, Corp., L.L.C., Ltd, L.P., GmbH, S.A., plc, N.V. ...): "Acme Corp." matches "ACME
  Corporation", a name with a word missing or extra does not.

Folds (--folds K): contract `id` goes to fold int.from_bytes(sha1(id as UTF-8)[:8], "big") mod K, so a contract
keeps its fold across runs, machines and data orderings. The rules have no fitting step, so every fold is held out
from them, except that the dev contracts were read while the rules were written: the dev-only ("seen") and
train-only ("never seen") figures are printed too, and the gap between them is the measure of over-fitting. A fold
mean is the mean of the folds' own precision, recall and F1.

Speed: the extraction time of every contract, as wall-clock and as this process's CPU time (the machine may be
shared, which slows the wall clock but not the CPU time), after warm-up calls (so pattern compilation and eyecite's lazy
import, about a second once per process, are not counted), over the number of pages.
"""

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from extraction_scoring import FIELDS, Score, score_record, total
from shared_data import shared_data_dir

from cyrano_arkiver.extraction import extract_insights
from cyrano_arkiver.pages import paginate_text

ROOT = Path(__file__).resolve().parents[1]
SETS = {"dev": "cuad_dev.jsonl", "train": "cuad_train.jsonl"}
HEADER = f"{'field':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'gold':>5}"


@dataclass
class Measured:
    """Every contract's scores (by record id), and the extraction's cost."""

    scores: dict[str, dict[str, Score]] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    cpu: float = 0.0
    chars: int = 0

    def total(self, ids: Iterable[str]) -> dict[str, Score]:
        return total([self.scores[record_id] for record_id in ids])


def fold_of(record_id: str, folds: int) -> int:
    """0-based fold of a contract: the first 8 bytes of sha1(id), big-endian, mod the number of folds."""
    return int.from_bytes(hashlib.sha1(record_id.encode()).digest()[:8], "big") % folds


def load_records(data: Path) -> list[dict[str, Any]]:
    """The records of a data folder's dev and train files (or of one .jsonl file), each tagged with its `set`."""
    files = [(data, data.stem.removeprefix("cuad_"))] if data.is_file() else [(data / f, s) for s, f in SETS.items()]
    records = []
    for path, set_name in files:
        if not path.is_file():
            raise SystemExit(f"no {path}: pass --data or set CYRANO_SHARED_DATA to the shared data folder")
        lines = path.read_text().splitlines()
        records.extend({**json.loads(line), "set": set_name} for line in lines if line.strip())
    return records


def run(records: list[dict[str, Any]]) -> Measured:
    measured = Measured()
    # Warm-up, so one-time costs are not counted: compiled patterns, and eyecite's import on its first citation.
    extract_insights(paginate_text(records[0]["text"]))
    extract_insights(["See Brown v. Board of Education, 347 U.S. 483 (1954)."])
    for record in records:
        pages = paginate_text(record["text"])
        started, cpu_started = time.perf_counter(), time.process_time()
        insights = extract_insights(pages)
        measured.elapsed += time.perf_counter() - started
        measured.cpu += time.process_time() - cpu_started
        measured.pages[record["id"]] = len(pages)
        measured.chars += len(record["text"])
        measured.scores[record["id"]] = score_record(record, insights)
    return measured


# --- output --------------------------------------------------------------------------------------------------
def environment() -> str:
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--", "bench", "modules"], cwd=ROOT,
                              capture_output=True, text=True, timeout=10)  # fmt: skip
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.strip()  # fmt: skip
        commit = (commit or "unknown") + (" (with uncommitted changes)" if done.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        commit = "unknown (no git)"
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = models[0] if models else cpu
    return f"commit {commit}; {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs ({cpu})"


def table(title: str, scores: dict[str, Score]) -> None:
    print(f"\n{title}")
    print(HEADER)
    for name, score in scores.items():
        counts = f"{score.tp:>5} {score.fp:>5} {score.fn:>5} {score.gold:>5}"
        print(f"{name:<16} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} {counts}")


def describe(measured: Measured, ids: list[str], by_set: dict[str, str]) -> str:
    sets = {name: sum(by_set[i] == name for i in ids) for name in sorted(set(by_set.values()))}
    split = ", ".join(f"{name} {count}" for name, count in sets.items() if count)
    return f"{len(ids)} contracts ({split}), {sum(measured.pages[i] for i in ids):,} pages"


def fold_report(measured: Measured, records: list[dict[str, Any]], folds: int) -> None:
    by_set = {record["id"]: record["set"] for record in records}
    members = [[r["id"] for r in records if fold_of(r["id"], folds) == fold] for fold in range(folds)]
    per_fold = [measured.total(ids) for ids in members]
    for fold, (ids, scores) in enumerate(zip(members, per_fold, strict=True), start=1):
        table(f"fold {fold} of {folds}: {describe(measured, ids, by_set)}", scores)
    groups = {name: [i for i in by_set if by_set[i] == name] for name in sorted(set(by_set.values()))}
    for name, ids in groups.items():
        seen = "read while the rules were written" if name == "dev" else "never read while writing the rules"
        table(f"{name} set only ({seen}): {describe(measured, ids, by_set)}", measured.total(ids))

    print(f"\nmean over {folds} folds (precision, recall, F1 of each fold, averaged), and F1 per fold and set")
    fold_columns = " ".join(f"{'F1 f' + str(fold):>7}" for fold in range(1, folds + 1))
    set_columns = " ".join(f"{'F1 ' + name:>8}" for name in groups)
    print(f"{'field':<16} {'P mean':>7} {'R mean':>7} {'F1 mean':>7} {fold_columns} {set_columns}")
    set_scores = {name: measured.total(ids) for name, ids in groups.items()}
    for name in FIELDS:
        means = [mean(getattr(scores[name], what) for scores in per_fold) for what in ("precision", "recall", "f1")]
        by_fold = " ".join(f"{scores[name].f1:>7.3f}" for scores in per_fold)
        by_group = " ".join(f"{set_scores[group][name].f1:>8.3f}" for group in groups)
        print(f"{name:<16} {means[0]:>7.3f} {means[1]:>7.3f} {means[2]:>7.3f} {by_fold} {by_group}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="the shared data folder, or one .jsonl file of CUAD records")
    parser.add_argument("--set", choices=["dev", "train", "all"], default="all", help="which contracts (default all)")
    parser.add_argument("--folds", type=int, help="split the contracts into this many folds by a hash of their id")
    parser.add_argument("--limit", type=int, help="only the first N contracts (after --set / --ids)")
    parser.add_argument("--ids", nargs="+", help="only these record ids")
    parser.add_argument(
        "--only-folds",
        type=int,
        nargs="+",
        metavar="N",
        help="only the contracts of these folds (of --folds, default 5): look at misses here, keep the others unseen",
    )
    parser.add_argument("--verbose", action="store_true", help="show every miss")
    args = parser.parse_args(argv)
    if args.folds is not None and args.folds < 2:
        parser.error("--folds needs at least 2")

    records = load_records(shared_data_dir(args.data))
    if args.set != "all":
        records = [record for record in records if record["set"] == args.set]
    if args.ids:
        wanted = set(args.ids)
        records = [record for record in records if record["id"] in wanted]
    if args.only_folds:
        wanted_folds, fold_count = set(args.only_folds), args.folds or 5
        records = [record for record in records if fold_of(record["id"], fold_count) in wanted_folds]
    if args.limit:
        records = records[: args.limit]
    if not records:
        print("no records selected", file=sys.stderr)
        return 1

    print(environment())
    measured = run(records)
    ids = [record["id"] for record in records]
    if args.verbose:
        for name, score in measured.total(ids).items():
            for miss in score.misses:
                print(f"[{name}] {miss}")
    by_set = {record["id"]: record["set"] for record in records}
    pages = sum(measured.pages.values())
    print(f"{describe(measured, ids, by_set)}, {measured.chars / pages:,.0f} chars/page")
    if args.folds:
        fold_report(measured, records, args.folds)
    else:
        table("all selected contracts", measured.total(ids))
    print(
        f"\nextraction: {pages / measured.elapsed:,.0f} pages/s wall clock ({1000 * measured.elapsed / pages:.2f} "
        f"ms/page), {pages / measured.cpu:,.0f} pages/s of CPU time ({1000 * measured.cpu / pages:.2f} ms/page)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

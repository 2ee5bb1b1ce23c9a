"""Measure the clause detector (CUAD's 41 categories) on held-out contracts: presence per contract, quotes, speed.

    python bench/clauses.py --folds 5     # the 439 contracts in 5 folds (a few minutes on 2 cores)

Data: the shared folder's `cuad_dev.jsonl` and `cuad_train.jsonl` (bench/shared_data.py; --data to override).
Folds are bench/extraction.py's (`fold_of`: sha1 of the contract id). For each fold, a model is trained by
bench/clause_training.py on the other folds (presence thresholds chosen by an inner 3-fold cross-validation inside
those folds) and run through `detect_clauses` on the held-out fold's pages (`paginate_text`, as ingest does).

Scores, per category: a contract has the category when its gold `spans` are non-empty; a finding is a true
positive when it has, a false positive when not; a gold category without a finding is a false negative. Precision,
recall and F1 are pooled over all held-out contracts; `positives` counts the contracts with the category in the
data. The macro F1 is the mean F1 over the categories with at least 20 positive contracts, per fold and as the mean
of the folds. `quote` is the share of true positives whose top passage overlaps a gold span (located in the text
ignoring whitespace). Speed: CPU time of `detect_clauses` per page (the model already loaded).
"""

import sys
import time
from statistics import mean

from clause_scoring import Counts
from clause_training import Prepared, fold_arguments, fold_models, prepare
from extraction import environment, fold_of, load_records
from shared_data import shared_data_dir

from cyrano_arkiver.clauses.categories import CATEGORIES
from cyrano_arkiver.clauses.detect import ClauseFinding, detect_clauses

MIN_POSITIVES = 20


def quote_hit(contract: Prepared, finding: ClauseFinding, index: int) -> bool:
    """Whether the finding's top passage overlaps one of the category's gold spans (in raw text offsets)."""
    top = finding.passages[0].provenance
    document = contract.document
    start = document.page_starts[top.page - 1] + top.start
    end = document.page_starts[top.page - 1] + top.end
    for gold_start, gold_end in contract.gold[index]:
        if start < document.raw_offset(gold_end - 1) + 1 and document.raw_offset(gold_start) < end:
            return True
    return False


def main() -> None:
    args = fold_arguments(__doc__)
    records = sorted(load_records(shared_data_dir(args.data)), key=lambda r: r["id"])
    contracts = [prepare(record) for record in records]
    positives = [sum(i in c.present for c in contracts) for i in range(len(CATEGORIES))]
    counted = [i for i, count in enumerate(positives) if count >= MIN_POSITIVES]
    started = time.perf_counter()
    models = fold_models(contracts, args.folds, args.workers)
    training = time.perf_counter() - started
    pooled = [Counts() for _ in CATEGORIES]
    per_fold: list[list[Counts]] = []
    cpu = 0.0
    pages = 0
    for fold, model in enumerate(models):
        counts = [Counts() for _ in CATEGORIES]
        detect_clauses(contracts[0].pages, model=model)  # warm-up
        for contract in (c for c in contracts if fold_of(c.id, args.folds) == fold):
            cpu_started = time.process_time()
            findings = {f.category: f for f in detect_clauses(contract.pages, model=model)}
            cpu += time.process_time() - cpu_started
            pages += len(contract.pages)
            for i, category in enumerate(CATEGORIES):
                finding = findings.get(category.key)
                hit = finding is not None and quote_hit(contract, finding, i)
                for target in (counts[i], pooled[i]):
                    target.add(finding is not None, i in contract.present, hit)
        per_fold.append(counts)
    print(f"Clause detection, {len(contracts)} contracts, {args.folds} folds; {environment()}")
    print(f"training {training:.0f} s wall ({args.workers} workers)\n")
    fold_heads = " ".join(f"{'f' + str(k + 1):>6}" for k in range(args.folds))
    print(f"{'category':<36} {'pos':>4} {'P':>6} {'R':>6} {'F1':>6} {'quote':>6}  F1 per fold: {fold_heads}")
    for i, category in enumerate(CATEGORIES):
        c = pooled[i]
        quote = f"{c.quote_hits / c.tp:6.2f}" if c.tp else f"{'-':>6}"
        folds_f1 = " ".join(f"{per_fold[k][i].f1:6.3f}" for k in range(args.folds))
        mark = "" if i in counted else " (<20)"
        row = f"{category.name + mark:<36} {positives[i]:>4} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {quote}"
        print(f"{row}  {' ' * 13}{folds_f1}")
    macro = [mean(per_fold[k][i].f1 for i in counted) for k in range(args.folds)]
    quotes = [
        sum(per_fold[k][i].quote_hits for i in range(len(CATEGORIES))) / max(1, sum(x.tp for x in per_fold[k]))
        for k in range(args.folds)
    ]
    print(f"\n{'':<24} " + " ".join(f"{'f' + str(k + 1):>6}" for k in range(args.folds)) + f" {'mean':>6}")
    print(
        f"{f'macro F1 ({len(counted)} cats >=20)':<24} " + " ".join(f"{v:6.3f}" for v in macro) + f" {mean(macro):6.3f}"
    )
    print(f"{'quote overlaps gold':<24} " + " ".join(f"{v:6.3f}" for v in quotes) + f" {mean(quotes):6.3f}")
    if args.folds >= 5:
        print(f"macro F1 mean over folds 3-4 (f4, f5): {mean(macro[3:5]):.3f}")
    print(f"detection CPU: {1000 * cpu / max(1, pages):.1f} ms/page over {pages:,} pages")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Measure potemkin_citations' offline checks: false alarms on real citations, recall on fabricated ones.

    python bench/citations.py                      # all folds, per fold and in total
    python bench/citations.py --show-folds 0 1 2   # also every false alarm and miss of folds 0-2 (1-3 printed)

Real citations: the 895 examples of `reporters_db_examples.jsonl` (shared data folder: --data, else
$CYRANO_SHARED_DATA, else `../shared/data`). A false alarm is a real example with any citation called malformed
or impossible; the target is none. `read` counts the examples in which a citation was read at all.
Fabrications (bench/citation_fabrications.py), made by rules over reporters-db and courts-db from the case
examples: an invented reporter, a series the reporter never had, a year 2-40 years outside the edition's span, a
state reporter with another state's (or a federal) court; each is flagged when its status is the one expected
(malformed, malformed, impossible, impossible). Name swaps: a library of 20 famous cases plus each case example
under a made-up name; a text citing a case under another library case's name must be `name_mismatch`, under its
own name `found` (a miss there is a false alarm on a real name).
Each fabrication belongs to its source example's fold (`fold_of`, 5 folds by id): develop by looking only at
folds 0-2 (printed 1-3); folds 3-4 stay unseen.
"""

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from citation_fabrications import STRUCTURAL, library_names, name_swaps
from extraction import environment, fold_of
from shared_data import shared_data_dir

from cyrano_potemkin.citations.check import KnownAuthority, check_citations

FOLDS = 5
SEED = 16
_FLAGS = ("malformed", "impossible")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--show-folds", type=int, nargs="*", default=[], help="print the failures of these folds")
    arguments = parser.parse_args()
    path = shared_data_dir(arguments.data) / "reporters_db_examples.jsonl"
    if not path.is_file():
        sys.exit(f"no {path}: pass --data or set CYRANO_SHARED_DATA")
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    shown = set(arguments.show_folds)
    print(f"bench/citations.py: {environment()}")
    started = time.perf_counter()
    checked = _real(records, shown) + _structural(records, shown) + _names(records, shown)
    seconds = time.perf_counter() - started
    print(f"\n{checked:,} texts checked in {seconds:.1f} s ({1000 * seconds / checked:.2f} ms a text, one core)")


def _fold_columns(counts: dict[int, list[int]]) -> str:
    """'hits/n' per fold, then the total with its rate."""
    cells = [f"{counts[fold][0]:>4}/{counts[fold][1]:<4}" for fold in range(FOLDS)]
    hits, total = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    rate = f"{100 * hits / total:6.1f}%" if total else "     -"
    return " ".join(cells) + f"  {hits:>5}/{total:<5} {rate}"


def _header(title: str) -> None:
    print(f"\n{title}\n{'':30}" + " ".join(f"{'fold ' + str(f + 1):>9}" for f in range(FOLDS)) + "        total")


def _real(records: list[dict[str, Any]], shown: set[int]) -> int:
    alarms: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    read: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for record in records:
        fold, kind = fold_of(record["id"], FOLDS), record["gold"]["kind"]
        checks = check_citations(record["text"], [])
        flagged = [check for check in checks if check.status in _FLAGS]
        for table, hit in ((alarms, bool(flagged)), (read, bool(checks))):
            for group in (kind, "all"):
                table[group][fold][0] += hit
                table[group][fold][1] += 1
        if flagged and fold in shown:
            print(f"  false alarm, fold {fold + 1}: {record['id']} {record['text']!r}: {flagged[0].reason}")
    _header("Real citations: false alarms (malformed or impossible; target 0) and examples with a citation read")
    for group in ("case_reporter", "law", "all"):
        print(f"{'false alarms, ' + group:30}{_fold_columns(alarms[group])}")
    for group in ("case_reporter", "law", "all"):
        print(f"{'read, ' + group:30}{_fold_columns(read[group])}")
    return len(records)


def _structural(records: list[dict[str, Any]], shown: set[int]) -> int:
    _header("Structural fabrications flagged (target >= 95%)")
    rng = random.Random(SEED)
    everything: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    made = 0
    for label, (maker, expected) in STRUCTURAL.items():
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for record in records:
            text = maker(record, rng)
            if text is None:
                continue
            fold = fold_of(record["id"], FOLDS)
            checks = check_citations(text, [])
            hit = any(check.status == expected for check in checks)
            for table in (counts, everything):
                table[fold][0] += hit
                table[fold][1] += 1
            made += 1
            if not hit and fold in shown:
                said = "; ".join(f"{c.text}: {c.status} ({c.reason})" for c in checks) or "no citation read"
                print(f"  missed {label}, fold {fold + 1}: {text!r}: {said}")
        print(f"{label:30}{_fold_columns(counts)}")
    print(f"{'all structural':30}{_fold_columns(everything)}")
    return made


def _names(records: list[dict[str, Any]], shown: set[int]) -> int:
    rng = random.Random(SEED)
    cases = library_names(records, rng)
    library = [KnownAuthority(citation, name, "library", "library") for name, citation in cases]
    folds = {citation: fold_of(citation, FOLDS) for _, citation in cases}
    counts: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    texts = name_swaps(cases, rng)
    for (text, expected), (_, citation) in zip(texts, [case for case in cases for _ in (0, 1)], strict=True):
        checks = check_citations(text, library)
        got = [c.detail or c.status for c in checks if c.kind == "case"]
        hit = expected in got
        fold = folds[citation]
        counts[expected][fold][0] += hit
        counts[expected][fold][1] += 1
        if not hit and fold in shown:
            print(f"  {expected} missed, fold {fold + 1}: {text!r}: {got}")
    _header("Case names against a library (a fabrication must be name_mismatch; its control found)")
    print(f"{'name swaps flagged':30}{_fold_columns(counts['name_mismatch'])}")
    print(f"{'true names found':30}{_fold_columns(counts['found'])}")
    return len(texts)


if __name__ == "__main__":
    main()

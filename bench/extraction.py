"""Measure Arkiver's insight extractor against CUAD gold answers: precision, recall and F1 per field, and speed.

    python bench/extraction.py                      # all 100 contracts
    python bench/extraction.py --half even          # the development half (see below)
    python bench/extraction.py --half odd --verbose # the check half, with every miss shown
    python bench/extraction.py --ids ID [ID ...] --verbose

Each contract is cut into pages with `paginate_text` (what ingest does for plain text) and run through
`extract_insights`.

How a prediction is chosen per field:
- parties: every extracted party name.
- agreement / effective date: the first extracted date of kind `agreement` / `effective` (document order).
- expiration date: the first date of kind `expiration`; if none, "perpetual" when the initial term is perpetual.
- governing law: `governing_law.jurisdiction`.
- renewal term / notice period: the parsed duration of `term.renewal` / `term.non_renewal_notice`; a renewal that
  runs on until someone gives notice ("thereafter it shall continue until terminated") is "perpetual".

How it is scored (micro-averaged over contracts):
- single-valued fields: a prediction equal to gold is a true positive; a prediction where gold is null, or one
  that differs from gold, is a false positive; a gold answer without an equal prediction is a false negative (so a
  wrong prediction counts once each way).
- dates compare ISO strings; gold is the record's `iso`, or "perpetual" when `perpetual` is set. A gold answer with
  no ISO form (a template blank such as "[]/[]/2019") counts as null: nothing can be predicted for it.
- governing law: correct when the predicted name equals (case-insensitively) one of the places in the gold answer
  (the gold answer split at ";" and ","; "England and Wales" is correct for "England, United Kingdom").
- durations: compared in (months, days), so 12 months equals 1 year; gold is the last "<number> <unit>" in the
  answer, or "perpetual".
- parties: each name's quoted aliases and parenthesised remarks are removed (gold and prediction alike); gold
  entries that only define the collective "Parties", or that name nothing but other entries or their aliases
  ("A and B", "Licensor and Licensee"), or that are redacted ("[*]"), or repeat an entry, are dropped. A predicted
  name matches a gold name when rapidfuzz token_set_ratio >= 85 (after rapidfuzz's default processing); matching
  is one-to-one. Precision = matched / predicted names,
  recall = matched / gold names.

The halves: a contract is in the "even" half when the first byte of sha1(id) is even. Develop on one half and
check on the other; figures on the held-out half are the honest ones.

Speed: the extraction time of every contract, as wall-clock and as this process's CPU time (the machine may be
shared, which slows the wall clock but not the CPU time), after warm-up calls (so pattern compilation and eyecite's lazy
import, about a second once per process, are not counted), over the number of pages.
"""

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, utils

from cyrano_arkiver.extraction import Insights, extract_insights
from cyrano_arkiver.extraction.models import Duration, TermClause
from cyrano_arkiver.pages import paginate_text

DATA = Path("/work/shared/data/cuad_dev.jsonl")
FIELDS = ["parties", "agreement_date", "effective_date", "expiration_date", "governing_law", "renewal_term",
          "notice_period"]  # fmt: skip
PARTY_THRESHOLD = 85
_DURATION = re.compile(
    r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s*\)?\s*(year|month|week|day)s?", re.I
)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "twelve": 12}  # fmt: skip


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    gold: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        counts = f"{self.tp:>5} {self.fp:>5} {self.fn:>5} {self.gold:>5}"
        return f"{name:<16} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} {counts}"


def half_of(record_id: str) -> str:
    return "even" if hashlib.sha1(record_id.encode()).digest()[0] % 2 == 0 else "odd"


# --- gold and predictions, per field -------------------------------------------------------------------------
def gold_date(gold: dict[str, Any]) -> str | None:
    if gold.get("perpetual"):
        return "perpetual"
    iso = gold.get("iso")
    return str(iso) if iso else None


def duration_key(duration: Duration) -> str:
    return f"{duration.total_months()}m{duration.days}d"


def gold_duration(answer: str | None) -> str | None:
    if not answer:
        return None
    if "perpetual" in answer.lower():
        return "perpetual"
    found = _DURATION.findall(answer)
    if not found:
        return None
    count_text, unit = found[-1]
    count = int(count_text) if count_text.isdigit() else _WORDS[count_text.lower()]
    unit = unit.lower()
    if unit == "year":
        return duration_key(Duration(years=count))
    if unit == "month":
        return duration_key(Duration(months=count))
    return duration_key(Duration(days=count * (7 if unit == "week" else 1)))


def _strip_aliases(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = re.sub(r"\([^()]*\)", " ", name)
    name = name.split("(")[0]
    name = re.sub(r"[\"“”][^\"“”]*[\"“”]", " ", name)
    return re.sub(r"\s+", " ", name).strip(" ,;.")


def gold_parties(gold: dict[str, Any]) -> list[str]:
    raw_names = [str(name) for name in gold.get("names") or []]
    cleaned = [_strip_aliases(raw) for raw in raw_names]
    aliases = [alias for raw in raw_names for alias in re.findall(r"[\"“]([^\"“”]+)[\"”]", raw)]
    names: list[str] = []
    for raw, name in zip(raw_names, cleaned, strict=True):
        defines_parties = re.search(r"[\"“]Part(?:y|ies)\b", raw) is not None
        if defines_parties and (not name or re.search(r"\b(?:collectively|individually|referred)\b", name, re.I)):
            continue
        # A group label made of other entries ("A and B", "Licensor and Licensee") names no one new.
        rest = name
        others = [other for other in cleaned if other and other.lower() != name.lower()] + aliases
        for other in sorted(others, key=len, reverse=True):
            rest = re.sub(re.escape(other), " ", rest, flags=re.I)
        if not utils.default_process(re.sub(r"\b(?:and|or|&)\b|[,.;]", " ", rest, flags=re.I)):
            continue
        if utils.default_process(name) and all(name.lower() != seen.lower() for seen in names):
            names.append(name)
    return names


def governing_law_matches(predicted: str, answer: str) -> bool:
    places = {part.strip().lower() for part in re.split(r"[;,]", answer) if part.strip()}
    parts = {part.strip().lower() for part in re.split(r"\band\b", predicted)}
    return predicted.lower() in places or bool(parts & places) or predicted.lower() in answer.lower()


def renewal_key(renewal: TermClause | None) -> str | None:
    if renewal is None:
        return None
    if renewal.perpetual:
        return "perpetual"
    return duration_key(renewal.duration) if renewal.duration else None


def predictions(insights: Insights) -> dict[str, Any]:
    agreement = insights.first_date("agreement")
    effective = insights.first_date("effective")
    expiration = insights.first_date("expiration")
    expiry = expiration.date.isoformat() if expiration else None
    initial = insights.term.initial
    if expiry is None and initial is not None and initial.perpetual:
        expiry = "perpetual"
    renewal = insights.term.renewal
    notice = insights.term.non_renewal_notice
    return {
        "parties": [party.name for party in insights.parties],
        "agreement_date": agreement.date.isoformat() if agreement else None,
        "effective_date": effective.date.isoformat() if effective else None,
        "expiration_date": expiry,
        "governing_law": insights.governing_law.jurisdiction if insights.governing_law else None,
        "renewal_term": renewal_key(renewal),
        "notice_period": duration_key(notice.duration) if notice and notice.duration else None,
    }


def golds(record: dict[str, Any]) -> dict[str, Any]:
    gold = record["gold"]
    return {
        "parties": gold_parties(gold["parties"]),
        "agreement_date": gold_date(gold["agreement_date"]),
        "effective_date": gold_date(gold["effective_date"]),
        "expiration_date": gold_date(gold["expiration_date"]),
        "governing_law": gold["governing_law"]["answer"],
        "renewal_term": gold_duration(gold["renewal_term"]["answer"]),
        "notice_period": gold_duration(gold["notice_period_to_terminate_renewal"]["answer"]),
    }


# --- scoring -------------------------------------------------------------------------------------------------
def score_single(score: Score, record_id: str, predicted: str | None, gold: str | None, equal: bool) -> None:
    score.gold += gold is not None
    if predicted is not None and gold is not None and equal:
        score.tp += 1
        return
    if predicted is None and gold is None:
        return
    if predicted is not None:
        score.fp += 1
    if gold is not None:
        score.fn += 1
    score.misses.append(f"{record_id[:60]}: predicted {predicted!r}, gold {gold!r}")


def score_parties(score: Score, record_id: str, predicted: list[str], gold: list[str]) -> None:
    pairs = sorted(
        (
            (fuzz.token_set_ratio(_strip_aliases(p), g, processor=utils.default_process), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_predicted: set[int] = set()
    used_gold: set[int] = set()
    for ratio, i, j in pairs:
        if ratio < PARTY_THRESHOLD or i in used_predicted or j in used_gold:
            continue
        used_predicted.add(i)
        used_gold.add(j)
    score.gold += len(gold)
    score.tp += len(used_gold)
    score.fp += len(predicted) - len(used_predicted)
    score.fn += len(gold) - len(used_gold)
    if len(used_gold) < len(gold) or len(used_predicted) < len(predicted):
        extra = [p for i, p in enumerate(predicted) if i not in used_predicted]
        missed = [g for j, g in enumerate(gold) if j not in used_gold]
        score.misses.append(f"{record_id[:60]}: extra {extra}, missed {missed}")


def run(records: list[dict[str, Any]]) -> tuple[dict[str, Score], int, float, float, int]:
    scores = {name: Score() for name in FIELDS}
    # Warm-up, so one-time costs are not counted: compiled patterns, and eyecite's import on its first citation.
    extract_insights(paginate_text(records[0]["text"]))
    extract_insights(["See Brown v. Board of Education, 347 U.S. 483 (1954)."])
    pages_total = 0
    chars_total = 0
    elapsed = 0.0
    cpu = 0.0
    for record in records:
        pages = paginate_text(record["text"])
        started, cpu_started = time.perf_counter(), time.process_time()
        insights = extract_insights(pages)
        elapsed += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        pages_total += len(pages)
        chars_total += len(record["text"])
        predicted = predictions(insights)
        gold = golds(record)
        score_parties(scores["parties"], record["id"], predicted["parties"], gold["parties"])
        for name in FIELDS[1:]:
            p, g = predicted[name], gold[name]
            if name == "governing_law":
                equal = p is not None and g is not None and governing_law_matches(p, g)
            else:
                equal = p == g
            score_single(scores[name], record["id"], p, g, equal)
    return scores, pages_total, elapsed, cpu, chars_total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, help="only the first N contracts (after --half / --ids)")
    parser.add_argument("--ids", nargs="+", help="only these record ids")
    parser.add_argument("--half", choices=["even", "odd"], help="only one half of the ids (by sha1 of the id)")
    parser.add_argument("--verbose", action="store_true", help="show every miss")
    args = parser.parse_args(argv)

    records = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    if args.ids:
        wanted = set(args.ids)
        records = [record for record in records if record["id"] in wanted]
    if args.half:
        records = [record for record in records if half_of(record["id"]) == args.half]
    if args.limit:
        records = records[: args.limit]
    if not records:
        print("no records selected", file=sys.stderr)
        return 1

    scores, pages, elapsed, cpu, chars = run(records)
    if args.verbose:
        for name in FIELDS:
            for miss in scores[name].misses:
                print(f"[{name}] {miss}")
        print()
    label = f"{len(records)} contracts" + (f", {args.half} half" if args.half else "")
    print(f"{label}: {pages} pages, {chars / pages:,.0f} chars/page")
    print(f"{'field':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'gold':>5}")
    for name in FIELDS:
        print(scores[name].row(name))
    print(
        f"extraction: {pages / elapsed:,.0f} pages/s wall clock ({1000 * elapsed / pages:.2f} ms/page), "
        f"{pages / cpu:,.0f} pages/s of CPU time ({1000 * cpu / pages:.2f} ms/page)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure potemkin_verify's offline check on AI-style summaries of CUAD contracts: how often a wrong claim passes.

    python bench/potemkin.py                          # every contract, the three phrasing sets, 5 folds (a few minutes)
    python bench/potemkin.py --limit 40 --set dev     # a quick look
    python bench/potemkin.py --show-failures 30       # failing claims, from dev and wide phrasings, folds 1-3 only

Data: `cuad_dev.jsonl` and `cuad_train.jsonl` from the shared data folder (--data, else $CYRANO_SHARED_DATA, else
`../shared/data` beside the repository). bench/potemkin_summaries.py writes a summary of each contract from its gold
answers, about half its claims true and half with one fact changed, in phrasings split into `dev` and `held_out`.

Each contract becomes the source the tool would see: its text cut into pages by `paginate_text` (as ingest does),
its facts read by `extract_insights` and given as `arkiver_insights` gives them (`insights_answer`, the kinds
potemkin_verify asks for). `verify_text` checks the summary against that one document; each generated claim is
matched to the check that starts where it starts (a claim with no such check is a splitting error, counted apart).

Scored: a true claim is right when supported, a perturbed one when contradicted; a perturbed claim called supported
is the costly error ("wrongly supported"). A sentence with nothing to check should be unverifiable. Printed per
field and overall, for the `dev`, `held_out` and `wide` phrasings (bench/potemkin_wide.py: a second summary of each
contract, in a larger set of phrasings written later) and for folds 1-3 and 4-5 (`fold_of`, bench/extraction.py),
beside the targets: wrongly supported <= 2%, accuracy >= 0.90. Then the speed: 30 claims against a matter of about
100 pages, the median CPU time of 5 runs of `verify_text` (target under 1 s).
"""

import argparse
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extraction import environment, fold_of, load_records
from potemkin_summaries import FIELDS, NO_CLAIM, Claim, Summary, summaries
from shared_data import shared_data_dir

from cyrano_arkiver.extraction import extract_insights
from cyrano_arkiver.insight_pages import insights_answer
from cyrano_arkiver.models import InsightsRequest
from cyrano_arkiver.pages import paginate_text
from cyrano_potemkin.sources import SourceDocument, facts_from_insights
from cyrano_potemkin.verdicts import ClaimCheck
from cyrano_potemkin.verify import verify_text

WRONGLY_SUPPORTED_TARGET = 0.02
ACCURACY_TARGET = 0.90
SEEN_FOLDS = {0, 1, 2}  # 0-based: "folds 1-3" are where failures may be read; 4-5 stay unseen
SPEED_PAGES = 100
SPEED_CLAIMS = 30
SPEED_TARGET = 1.0
_FACT_KINDS: Any = ["parties", "dates", "governing_law", "term"]


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    fold: int  # 0-based
    check: ClaimCheck | None  # None: the checker cut the text elsewhere

    @property
    def verdict(self) -> str:
        return self.check.verdict if self.check is not None else "split"

    @property
    def right(self) -> bool:
        if self.claim.field == NO_CLAIM:
            return self.verdict == "unverifiable"
        return self.verdict == ("contradicted" if self.claim.perturbed else "supported")


def source_document(record: dict[str, Any]) -> SourceDocument:
    """A contract as potemkin_verify sees it: its pages, and the facts of its `arkiver_insights` answer."""
    pages = paginate_text(record["text"])
    document_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record["id"]))
    request = InsightsRequest(document_id=document_id, kinds=_FACT_KINDS)
    answer = insights_answer(
        document_id=document_id, method="rules", insights=extract_insights(pages), counts={}, request=request
    )
    return SourceDocument(document_id=document_id, name=record["id"], pages=pages, facts=facts_from_insights(answer))


def outcomes(summary: Summary, document: SourceDocument, folds: int) -> list[Outcome]:
    by_start = {check.start: check for check in verify_text(summary.text, [document])}
    fold = fold_of(summary.contract_id, folds)
    return [Outcome(claim, fold, by_start.get(claim.start)) for claim in summary.claims]


# --- report --------------------------------------------------------------------------------------------------
def _share(count: int, total: int) -> str:
    return f"{count / total:>6.1%}" if total else f"{'-':>6}"


HEADER = (
    f"{'field':<16} {'true':>5} {'supp':>6} {'contr':>6} {'unver':>6} | {'pert':>5} {'contr':>6} {'WRONG':>6} "
    f"{'unver':>6} | {'acc':>6} {'split':>5}"
)


def _row(name: str, rows: Sequence[Outcome]) -> str:
    true = Counter(o.verdict for o in rows if not o.claim.perturbed)
    wrong = Counter(o.verdict for o in rows if o.claim.perturbed)
    n_true, n_wrong = sum(true.values()), sum(wrong.values())
    right = sum(o.right for o in rows)
    return (
        f"{name:<16} {n_true:>5} {_share(true['supported'], n_true)} {_share(true['contradicted'], n_true)} "
        f"{_share(true['unverifiable'], n_true)} | {n_wrong:>5} {_share(wrong['contradicted'], n_wrong)} "
        f"{_share(wrong['supported'], n_wrong)} {_share(wrong['unverifiable'], n_wrong)} | "
        f"{_share(right, len(rows))} {true['split'] + wrong['split']:>5}"
    )


def table(title: str, rows: Sequence[Outcome]) -> None:
    facts = [o for o in rows if o.claim.field != NO_CLAIM]
    no_claims = [o for o in rows if o.claim.field == NO_CLAIM]
    print(f"\n{title}: {len(facts)} claims")
    print(HEADER)
    for field in FIELDS:
        print(_row(field, [o for o in facts if o.claim.field == field]))
    print(_row("all fields", facts))
    unverifiable = sum(o.verdict == "unverifiable" for o in no_claims)
    print(f"{'no claim':<16} {len(no_claims):>5} unverifiable {_share(unverifiable, len(no_claims))} (should be 100%)")
    wrongly = sum(o.claim.perturbed and o.verdict == "supported" for o in facts)
    perturbed = sum(o.claim.perturbed for o in facts)
    accuracy = sum(o.right for o in facts) / len(facts) if facts else 0.0
    wrong_share = wrongly / perturbed if perturbed else 0.0
    print(
        f"targets: wrongly supported {wrong_share:.1%} (<= {WRONGLY_SUPPORTED_TARGET:.0%}: "
        f"{'met' if wrong_share <= WRONGLY_SUPPORTED_TARGET else 'MISSED'}), accuracy {accuracy:.3f} "
        f"(>= {ACCURACY_TARGET:.2f}: {'met' if accuracy >= ACCURACY_TARGET else 'MISSED'})"
    )


def report(results: Sequence[Outcome], sets: Sequence[str]) -> None:
    groups = {"dev folds 1-3": SEEN_FOLDS, "held-out folds 4-5": None}
    for phrasing_set in sets:
        in_set = [o for o in results if o.claim.phrasing_set == phrasing_set]
        for group, seen in groups.items():
            chosen = [o for o in in_set if (o.fold in SEEN_FOLDS) == (seen is not None)]
            table(f"{phrasing_set} phrasings, {group}", chosen)
        table(f"{phrasing_set} phrasings, all folds", in_set)
    if len(sets) > 1:
        table("all phrasings, all folds", results)


READABLE_SETS = ("dev", "wide")  # failures may be read here; never on held_out


def show_failures(results: Iterable[Outcome], count: int) -> None:
    """Up to `count` failing claims, only from dev and wide phrasings and folds 1-3."""
    shown = [o for o in results if o.claim.phrasing_set in READABLE_SETS and o.fold in SEEN_FOLDS and not o.right]
    print(f"\nfailures on dev and wide phrasings, folds 1-3: {len(shown)} (showing {min(count, len(shown))})")
    for outcome in shown[:count]:
        claim, check = outcome.claim, outcome.check
        kind = "perturbed" if claim.perturbed else "true"
        print(f"\n[{claim.field}, {kind}, {claim.phrasing_id}, {claim.value_format}] {claim.contract_id[:70]}")
        print(f"  claim: {claim.text}")
        print(f"  claimed {claim.claimed!r}, gold {claim.gold!r}")
        if check is None:
            print("  no check starts here: the text was cut into claims elsewhere")
            continue
        print(f"  verdict {check.verdict} by {check.method}; topic {check.topic}, claimed {check.claimed!r}, "
              f"source value {check.source_value!r}")  # fmt: skip
        if check.reason:
            print(f"  reason: {check.reason}")
        for evidence in check.evidence[:2]:
            quote = " ".join(evidence.quote.split())
            print(f"  {evidence.role} (page {evidence.page}): {quote[:300]}")


# --- speed ---------------------------------------------------------------------------------------------------
def speed(summaries_by_id: dict[str, Summary], records: Sequence[dict[str, Any]]) -> None:
    """verify_text's CPU time for 30 claims against a matter of about 100 pages (median of 5 runs)."""
    documents: list[SourceDocument] = []
    pages = 0
    for record in sorted(records, key=lambda r: r["id"]):
        size = len(paginate_text(record["text"]))
        if record["id"] not in summaries_by_id or pages + size > SPEED_PAGES * 1.1:
            continue  # keep the matter near 100 pages, not one long contract over
        documents.append(source_document(record))
        pages += size
        if pages >= SPEED_PAGES * 0.9:
            break
    # The matter's own claims first, then other contracts' (checked all the same) until there are 30.
    in_matter = {document.name for document in documents}
    ordered = sorted(summaries_by_id.values(), key=lambda summary: summary.contract_id not in in_matter)
    sentences = [claim.text for summary in ordered for claim in summary.claims if claim.field != NO_CLAIM]
    text = " ".join(sentences[:SPEED_CLAIMS])
    verify_text(text, documents)  # warm-up: pattern compilation and lazy imports are not counted
    timings = []
    for _ in range(5):
        started = time.process_time()
        checks = verify_text(text, documents)
        timings.append(time.process_time() - started)
    median = statistics.median(timings)
    verdict = "met" if median < SPEED_TARGET else "MISSED"
    print(
        f"\nspeed: {len(checks)} claims against a matter of {len(documents)} contracts, {pages} pages: "
        f"{median:.3f} s of CPU (median of 5; target < {SPEED_TARGET:.0f} s: {verdict})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="the shared data folder, or one .jsonl file of CUAD records")
    parser.add_argument("--folds", type=int, default=5, help="folds by a hash of the contract id (default 5)")
    parser.add_argument("--limit", type=int, help="only the first N contracts")
    parser.add_argument("--set", choices=["dev", "held_out", "wide", "all"], default="all", help="which phrasings")
    parser.add_argument("--show-failures", type=int, default=0, metavar="K",
                        help="show K failing claims (dev and wide phrasings, folds 1-3 only)")  # fmt: skip
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds needs at least 2")

    records = load_records(shared_data_dir(args.data))
    sets = ["dev", "held_out", "wide"] if args.set == "all" else [args.set]
    written = summaries(records) if sets != ["wide"] else []  # from every record: a summary ignores --limit
    wide = summaries(records, wide=True) if "wide" in sets else []
    if args.limit:
        written, wide = written[: args.limit], wide[: args.limit]
    by_id = {record["id"]: record for record in records}

    print(environment())
    results: list[Outcome] = []
    started = time.process_time()
    for summary in written + wide:
        results += outcomes(summary, source_document(by_id[summary.contract_id]), args.folds)
    results = [o for o in results if o.claim.phrasing_set in sets]
    pages = sum(len(paginate_text(by_id[s.contract_id]["text"])) for s in written or wide)
    print(f"{len(written)} contracts, {pages:,} pages, {len(results)} sentences checked "
          f"({time.process_time() - started:.0f} s of CPU with extraction)")  # fmt: skip
    report(results, sets)
    split = [o for o in results if o.check is None]
    if split:
        print(f"\nsplitting errors: {len(split)} generated claims have no check starting where they start")
    if args.show_failures:
        show_failures(results, args.show_failures)
    if not args.no_speed:
        speed({s.contract_id: s for s in written or wide}, [by_id[s.contract_id] for s in written or wide])
    return 0


if __name__ == "__main__":
    sys.exit(main())

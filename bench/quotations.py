"""Measure Potemkin's quotation check on real contract sentences: exact, close and not-found rates, and speed.

    python bench/quotations.py                   # 5 folds of the CUAD contracts, 6 quotations of each kind each
    python bench/quotations.py --per-kind 2 --limit 40

Quotations are cut from each contract's pages (`paginate_text`, as ingest does) as an AI retypes them: from a
sentence start, 8 to 30 words, line breaks and typesetters' hyphenation undone, quote marks and apostrophes
made typographic at random. Kinds (seeded by contract id, so every run draws the same):
- `unaltered`: must be `exact`;
- `elided`: unaltered, with an ellipsis (". . .", "...", "…" or "[...]") for 2 or more words: must be `exact`;
- `altered`: one change (a modal swapped, "not" inserted, a word dropped or replaced, a number changed) whose
  words do not occur as such in the sources: must never be `exact`, should be `close`;
- `shuffled`: the same words in another order (a paraphrase of the sentence): should be `not_found`;
- `foreign`: a sentence of a contract outside the matter, not in it as such: mostly `not_found`; `close` where
  it is near a sentence of the matter (boilerplate with other names or numbers), which is then what it is.
Each is checked against its contract and the next two contracts of the run (a matter of three documents).

Speed: CPU per quotation after the documents are indexed, and the CPU of a 30-quotation text against 100 pages
(indexing included), as `time.process_time`.
"""

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from extraction import fold_of, load_records
from shared_data import shared_data_dir

from cyrano_arkiver.pages import paginate_text
from cyrano_potemkin.quote_check import MEANING_WORDS, QuotationSources, check_quotation
from cyrano_potemkin.quote_words import words_of
from cyrano_potemkin.sources import SourceDocument

Kind = Literal["unaltered", "elided", "altered", "shuffled", "foreign"]
_SWAPS = {"shall": "may", "may": "shall", "will": "may", "must": "may", "any": "all", "all": "any", "and": "or",
          "or": "and", "not": "also", "before": "after", "after": "before", "exclusive": "non-exclusive"}  # fmt: skip
_NEGATED = {"shall", "may", "will", "must", "is", "are", "be", "does", "can"}
_LINE_HYPHEN = re.compile(r"-[ \t]*\r?\n[ \t]*")


@dataclass(frozen=True)
class QuotationCase:
    record_id: str
    kind: Kind
    quoted: str
    alteration: str = ""


def document_of(record: dict[str, Any]) -> SourceDocument:
    return SourceDocument(document_id=record["id"], name=record["document_name"], pages=paginate_text(record["text"]))


def quotation_cases(
    document: SourceDocument,
    per_kind: int,
    foreign: SourceDocument | None = None,
    matter: Sequence[SourceDocument] = (),
) -> list[QuotationCase]:
    """`per_kind` quotations of each kind from the document's pages (and `foreign`'s), seeded by the document id.

    Altered, shuffled and foreign quotations are kept only when their words are not in the document or the rest
    of the `matter` as such (a boilerplate sentence may well be, and a list shuffled may read as it did).
    """
    rng = random.Random(document.document_id)
    stream = " ".join(word.key for source in (document, *matter) for page in source.pages for word in words_of(page))
    kinds: list[Kind] = ["unaltered", "elided", "altered", "shuffled"] + ["foreign"] * (foreign is not None)
    cases: list[QuotationCase] = []
    for _attempt in range(per_kind * 60):
        counts = Counter(case.kind for case in cases)
        if all(counts[kind] >= per_kind for kind in kinds):
            break
        kind = rng.choice([k for k in kinds if counts[k] < per_kind])
        words = _sentence_words(foreign if kind == "foreign" and foreign else document, rng)
        if words is None:
            continue
        case = _case(kind, words, rng)
        if case is not None and (kind not in ("altered", "shuffled", "foreign") or _keys(case[0]) not in stream):
            cases.append(QuotationCase(document.document_id, kind, _typographic(case[0], rng), case[1]))
    return cases


def _keys(quoted: str) -> str:
    return " ".join(word.key for word in words_of(quoted))


def _case(kind: Kind, words: list[str], rng: random.Random) -> tuple[str, str] | None:
    if kind == "altered":
        return _altered(words, rng)
    if kind == "shuffled":
        middle = words[1:-1]
        rng.shuffle(middle)
        return " ".join([words[0], *middle, words[-1]]), ""
    if kind == "elided":
        if len(words) < 12:
            return None
        head, skipped = rng.randint(4, 6), rng.randint(2, len(words) - 10)
        if any(_keys(word) in MEANING_WORDS for word in words[head : head + skipped]):
            return None  # an ellipsis that hides "not" or "except" misquotes: the check says so (tested apart)
        ellipsis = rng.choice([" . . . ", " ... ", "…", " [...] "])
        return " ".join(words[:head]) + ellipsis + " ".join(words[head + skipped :]), ""
    return " ".join(words), ""


def _sentence_words(document: SourceDocument, rng: random.Random) -> list[str] | None:
    """8-30 words of a page from the start of a sentence, as an AI types them (one space, no line hyphens)."""
    page = rng.choice(document.pages)
    starts = [m.end() for m in re.finditer(r"[.;:]\s+(?=[A-Z])", page)]
    if not starts:
        return None
    start = rng.choice(starts)
    text = _LINE_HYPHEN.sub("", page[start : start + 600])
    words = text.split()[: rng.randint(8, 30)]
    quoted = " ".join(words)
    if sum(any(c.isalpha() for c in word) for word in words) < 6 or re.search(r"[\[\]…]|\.\s?\.", quoted):
        return None  # brackets and ellipses in the source would read as the quoter's own marks
    return words


def _altered(words: list[str], rng: random.Random) -> tuple[str, str] | None:
    changed = list(words)
    interior = range(1, len(words) - 1)
    swappable = [i for i in interior if words[i].lower() in _SWAPS]
    negatable = [i for i in interior if words[i].lower() in _NEGATED]
    numbers = [i for i in interior if re.search(r"\d", words[i])]
    kinds = ["drop", "replace"] + ["swap"] * bool(swappable) + ["not"] * bool(negatable) + ["number"] * bool(numbers)
    kind = rng.choice(kinds)
    if kind == "swap":
        at = rng.choice(swappable)
        changed[at] = _SWAPS[words[at].lower()]
    elif kind == "not":
        changed.insert(rng.choice(negatable) + 1, "not")
    elif kind == "number":
        at = rng.choice(numbers)
        digit = rng.choice([i for i, c in enumerate(words[at]) if c.isdigit()])
        changed[at] = words[at][:digit] + str((int(words[at][digit]) + 1) % 10) + words[at][digit + 1 :]
    elif kind == "drop":
        del changed[rng.choice(interior)]
    else:
        at = rng.choice(interior)
        changed[at] = rng.choice(["reasonable", "prior", "written", "sole", "material", "annual"])
    if changed == words:
        return None
    return " ".join(changed), kind


def _typographic(quoted: str, rng: random.Random) -> str:
    return quoted.replace("'", "’") if rng.random() < 0.5 else quoted


def run_folds(records: list[dict[str, Any]], per_kind: int, folds: int) -> dict[str, Counter[tuple[str, str]]]:
    """Per fold ("fold 1" ...) and per set ("dev", "train"): how many quotations of each kind got each status."""
    documents = [document_of(record) for record in records]
    tallies: dict[str, Counter[tuple[str, str]]] = {}
    for index, (record, document) in enumerate(zip(records, documents, strict=True)):
        matter = [document, *(documents[(index + k) % len(documents)] for k in (1, 2) if len(documents) > k)]
        sources = QuotationSources(matter)
        foreign = documents[(index + 3) % len(documents)] if len(documents) > 3 else None
        groups = (f"fold {fold_of(document.document_id, folds) + 1}", f"set {record.get('set', '?')}")
        for case in quotation_cases(document, per_kind, foreign, matter):
            status = check_quotation(case.quoted, sources).status
            for group in groups:
                tallies.setdefault(group, Counter())[(case.kind, status)] += 1
    return tallies


def cpu_of_matter(records: list[dict[str, Any]], quotations: int = 30, pages: int = 100) -> tuple[float, float]:
    """CPU seconds (the best of 5 runs) to index the first `pages` pages of the contracts, and to check
    `quotations` quotations of every kind, drawn from them, against them."""
    documents: list[SourceDocument] = []
    for record in records:
        room = pages - sum(len(d.pages) for d in documents)
        if room <= 0:
            break
        document = document_of(record)
        documents.append(document.model_copy(update={"pages": document.pages[:room]}))
    cases = [case for document in documents for case in quotation_cases(document, 2)][:quotations]
    indexing, checking = [], []
    for _run in range(5):
        started = time.process_time()
        sources = QuotationSources(documents)
        indexed = time.process_time()
        for case in cases:
            check_quotation(case.quoted, sources)
        indexing.append(indexed - started)
        checking.append(time.process_time() - indexed)
    return min(indexing), min(checking)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder or one .jsonl file")
    parser.add_argument("--per-kind", type=int, default=6)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="only the first N contracts")
    args = parser.parse_args(argv)
    records = load_records(shared_data_dir(args.data))
    if args.limit:
        records = records[: args.limit]
    indexing, checking = cpu_of_matter(records)
    print(f"speed: 100 pages indexed in {indexing:.3f} s CPU; 30 quotations checked in {checking:.3f} s CPU")
    tallies = run_folds(records, args.per_kind, args.folds)
    print(f"{'group':<10} {'kind':<10} {'n':>5} {'exact':>7} {'close':>7} {'not_found':>9}")
    for group in sorted(tallies):
        for kind in ("unaltered", "elided", "altered", "shuffled", "foreign"):
            n = sum(count for (k, _), count in tallies[group].items() if k == kind)
            rates = [tallies[group][(kind, status)] / max(1, n) for status in ("exact", "close", "not_found")]
            print(f"{group:<10} {kind:<10} {n:>5} {rates[0]:>7.1%} {rates[1]:>7.1%} {rates[2]:>9.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the shipped clause model, `modules/cyrano_arkiver/clauses/clause_model.json.gz`, from the shared CUAD data.

    python bench/train_clauses.py                       # all 439 contracts (dev + train); about two minutes
    python bench/train_clauses.py --limit 30 --output /tmp/m.json.gz

Every contract is cut into pages (`paginate_text`) and sentences; a sentence is a positive example of a category
when it overlaps one of the category's gold spans (located ignoring whitespace). One L2 logistic regression per
category is trained on word unigrams and bigrams (bench/clause_training.py); each category's presence threshold is
the one that maximised F1 over an inner 3-fold cross-validation. Weights are rounded and near-zero ones dropped, so
run time is a dictionary lookup and a sigmoid. Deterministic: sorted inputs, liblinear with a fixed seed, hashed
negative sampling, sorted JSON and a gzip header without a timestamp, so the same data rebuilds the same bytes.

The data is CUAD v1 (The Atticus Project), CC BY 4.0.
"""

import argparse
import gzip
import json
from pathlib import Path

from clause_training import prepare, to_json, train
from extraction import load_records
from shared_data import shared_data_dir

from cyrano_arkiver.clauses.model import ARTEFACT


def build(data: Path | None, output: Path, limit: int | None = None) -> None:
    records = sorted(load_records(shared_data_dir(data)), key=lambda r: r["id"])[:limit]
    model = train([prepare(record) for record in records])
    payload = json.dumps(to_json(model), sort_keys=True, separators=(",", ":")).encode()
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=ARTEFACT)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N contracts by id only")
    args = parser.parse_args()
    build(args.data, args.output, args.limit)
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

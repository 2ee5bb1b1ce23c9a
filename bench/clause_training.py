"""Training the clause model: passages labelled from CUAD's gold spans, one logistic regression per category.

Used by bench/train_clauses.py (the shipped artefact, trained on all 439 contracts) and bench/clauses.py (k-fold:
trained on the other folds, scored on the held-out one). Needs numpy and scikit-learn (the `dev` extra); the
artefact it writes is scored at run time in pure Python (cyrano_arkiver.clauses.model).
"""

import argparse
import hashlib
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from clause_scoring import SpanLocator, best_threshold, overlaps
from extraction import fold_of
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from cyrano_arkiver.clauses.categories import CATEGORIES
from cyrano_arkiver.clauses.detect import MODEL_VERSION
from cyrano_arkiver.clauses.model import ClauseModel
from cyrano_arkiver.clauses.passages import Passage, features, passages_of
from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.pages import paginate_text

MIN_CONTRACTS = 5  # a feature must occur in this many training contracts to get a weight
C = 0.5  # inverse L2 strength
NEGATIVE_SHARE = 10  # keep 1 in this many passages that are negative for every category
INNER_FOLDS = 3
# F1 favours "always present" for a category nearly every contract has (title, parties, date), and its threshold
# falls so low that a recipe "has" one; such categories get at least this threshold. A floor for every category
# cost the rare ones their recall (macro F1 0.744 -> 0.722 over the held-out folds).
MIN_THRESHOLD = 0.25
NEAR_UNIVERSAL = 0.9  # share of training contracts with the category
WEIGHT_DECIMALS = 3
MIN_WEIGHT = 0.01


@dataclass
class Prepared:
    """One contract, ready to train on or score: its passages' features and labels, and where gold spans lie."""

    id: str
    pages: list[str]
    document: Document
    passages: list[Passage]
    features: list[set[str]]
    labels: list[frozenset[int]]  # per passage, the category indices whose gold spans it overlaps
    gold: list[list[tuple[int, int]]]  # per category, the located gold spans in Document.text offsets
    present: frozenset[int]  # categories the contract has (non-empty gold spans)


def prepare(record: dict[str, Any]) -> Prepared:
    pages = paginate_text(record["text"])
    document = Document(pages)
    passages = passages_of(document)
    clauses = record["gold"]["clauses"]
    locator = SpanLocator(document.text)
    gold = [locator.locate(clauses[category.name]["spans"]) for category in CATEGORIES]
    present = frozenset(i for i, category in enumerate(CATEGORIES) if clauses[category.name]["spans"])
    labels = [frozenset(i for i, spans in enumerate(gold) if overlaps((p.start, p.end), spans)) for p in passages]
    feats = [features(document.lower, passage) for passage in passages]
    return Prepared(record["id"], pages, document, passages, feats, labels, gold, present)


def _kept(contract_id: str, index: int) -> bool:
    digest = hashlib.sha1(f"{contract_id}#{index}".encode()).digest()
    return digest[0] % NEGATIVE_SHARE == 0


def fit(contracts: list[Prepared], thresholds: list[float] | None = None) -> ClauseModel:
    """Logistic regressions on the contracts' passages (all positives, a fixed share of the all-negative ones)."""
    contracts = sorted(contracts, key=lambda c: c.id)
    document_frequency: dict[str, int] = {}
    for contract in contracts:
        for feature in set().union(*contract.features) if contract.features else ():
            document_frequency[feature] = document_frequency.get(feature, 0) + 1
    vocabulary = sorted(f for f, count in document_frequency.items() if count >= MIN_CONTRACTS)
    column = {feature: i for i, feature in enumerate(vocabulary)}
    rows: list[int] = []
    cols: list[int] = []
    labels: list[frozenset[int]] = []
    for contract in contracts:
        for index, (feats, label) in enumerate(zip(contract.features, contract.labels, strict=True)):
            if not label and not _kept(contract.id, index):
                continue
            row = len(labels)
            labels.append(label)
            for feature in feats:
                j = column.get(feature)
                if j is not None:
                    rows.append(row)
                    cols.append(j)
    matrix = csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(labels), len(vocabulary)))
    biases: list[float] = []
    weights: dict[str, list[tuple[int, float]]] = {}
    for index in range(len(CATEGORIES)):
        target = np.array([index in label for label in labels], dtype=np.int8)
        if target.sum() == 0:
            biases.append(-20.0)
            continue
        regression = LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=200)
        regression.fit(matrix, target)
        biases.append(round(float(regression.intercept_[0]), WEIGHT_DECIMALS))
        coefficients = regression.coef_[0]
        for kept in np.flatnonzero(np.abs(coefficients) >= MIN_WEIGHT).tolist():
            weight = round(float(coefficients[kept]), WEIGHT_DECIMALS)
            weights.setdefault(vocabulary[kept], []).append((index, weight))
    return ClauseModel(
        version=MODEL_VERSION,
        keys=tuple(category.key for category in CATEGORIES),
        biases=tuple(biases),
        thresholds=tuple(thresholds or [0.5] * len(CATEGORIES)),
        weights=weights,
    )


def best_scores(model: ClauseModel, contracts: list[Prepared]) -> list[list[float]]:
    """Per contract, per category, the best passage probability (numpy, for training; detection is pure Python)."""
    column = {feature: j for j, feature in enumerate(model.weights)}
    weights = np.zeros((len(column), len(model.keys)))
    for feature, pairs in model.weights.items():
        for index, weight in pairs:
            weights[column[feature], index] = weight
    best = []
    for contract in contracts:
        rows = [i for i, feats in enumerate(contract.features) for f in feats if f in column]
        cols = [column[f] for feats in contract.features for f in feats if f in column]
        matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(contract.features), len(column)))
        logits = matrix @ weights + np.array(model.biases)
        top = logits.max(axis=0) if len(contract.features) else np.full(len(model.keys), -50.0)
        best.append([float(p) for p in 1 / (1 + np.exp(-top))])
    return best


def inner_fold(contract_id: str) -> int:
    return int.from_bytes(hashlib.sha1(f"inner:{contract_id}".encode()).digest()[:8], "big") % INNER_FOLDS


def choose_thresholds(contracts: list[Prepared]) -> list[float]:
    """Per category, the presence threshold that maximises F1 over out-of-fold scores of an inner cross-validation."""
    scored: list[tuple[list[float], frozenset[int]]] = []
    for fold in range(INNER_FOLDS):
        train = [c for c in contracts if inner_fold(c.id) != fold]
        held_out = [c for c in contracts if inner_fold(c.id) == fold]
        scored.extend(zip(best_scores(fit(train), held_out), (c.present for c in held_out), strict=True))
    thresholds = []
    for i in range(len(CATEGORIES)):
        threshold = best_threshold([(s[i], i in present) for s, present in scored])
        if sum(i in present for _, present in scored) >= NEAR_UNIVERSAL * len(scored):
            threshold = max(MIN_THRESHOLD, threshold)
        thresholds.append(threshold)
    return thresholds


def train(contracts: list[Prepared]) -> ClauseModel:
    """The model trained on all `contracts`, with thresholds from an inner cross-validation over them."""
    thresholds = choose_thresholds(contracts)
    return fit(contracts, thresholds)


def to_json(model: ClauseModel) -> dict[str, object]:
    return {
        "version": model.version,
        "categories": [
            {"key": key, "bias": bias, "threshold": threshold}
            for key, bias, threshold in zip(model.keys, model.biases, model.thresholds, strict=True)
        ],
        "weights": {feature: [list(pair) for pair in model.weights[feature]] for feature in sorted(model.weights)},
    }


_FOLD_CONTRACTS: list[Prepared] = []  # read by the forked training processes


def _train_without(fold_and_folds: tuple[int, int]) -> dict[str, object]:
    fold, folds = fold_and_folds
    return to_json(train([c for c in _FOLD_CONTRACTS if fold_of(c.id, folds) != fold]))


def fold_arguments(description: str | None) -> argparse.Namespace:
    """The arguments every k-fold clause bench takes: the number of folds, the data folder, training processes."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2, help="processes training the folds' models")
    return parser.parse_args()


def fold_models(contracts: list[Prepared], folds: int, workers: int) -> list[ClauseModel]:
    """One model per fold, each trained on the contracts of the other folds, in `workers` forked processes."""
    _FOLD_CONTRACTS[:] = contracts
    with get_context("fork").Pool(workers) as pool:
        trained = pool.map(_train_without, [(fold, folds) for fold in range(folds)])
    return [ClauseModel.from_json(model) for model in trained]

"""CUAD's 41 clause categories: which a contract has, and where (a small learned model shipped with the package)."""

from cyrano_arkiver.clauses.categories import CATEGORIES, CATEGORY_BY_KEY, ClauseCategory
from cyrano_arkiver.clauses.detect import MODEL_VERSION, ClauseFinding, ClausePassage, detect_clauses

__all__ = [
    "CATEGORIES",
    "CATEGORY_BY_KEY",
    "MODEL_VERSION",
    "ClauseCategory",
    "ClauseFinding",
    "ClausePassage",
    "detect_clauses",
]

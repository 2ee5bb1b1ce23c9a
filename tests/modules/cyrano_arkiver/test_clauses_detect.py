"""detect_clauses with the shipped model, on hand-written contract text: findings, provenance, subsets, nothing."""

import pytest

from cyrano_arkiver.clauses import CATEGORIES, CATEGORY_BY_KEY, MODEL_VERSION, detect_clauses

CONTRACT = [
    "MASTER SERVICES AGREEMENT\n\nThis Master Services Agreement is entered into as of March 3, 2021 between "
    'Larkspur Analytics, Inc., a Delaware corporation ("Provider"), and Tollgate Freight LLC ("Customer").\n\n'
    "1. Services. Provider shall perform the services described in each statement of work.\n\n"
    "2. Fees. Customer shall pay the fees set out in each statement of work within thirty days of invoice.\n\n",
    "3. Assignment. Neither party may assign or transfer this Agreement or any of its rights or obligations "
    "hereunder without the prior written consent of the other party, and any attempted assignment without such "
    "consent shall be null and void.\n\n"
    "4. Insurance. Provider shall maintain, at its own expense, commercial general liability insurance with limits "
    "of not less than $2,000,000 per occurrence and shall name Customer as an additional insured.\n\n"
    "5. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the State "
    "of New York, without regard to its conflict of laws principles.\n\n",
]


def test_the_categories_are_cuads_41_with_unique_keys() -> None:
    assert len(CATEGORIES) == 41 and len(CATEGORY_BY_KEY) == 41
    assert CATEGORIES[0].name == "Document Name" and CATEGORIES[-1].name == "Third Party Beneficiary"
    assert all(category.description.endswith(".") for category in CATEGORIES)
    assert MODEL_VERSION


def test_clauses_are_found_with_exact_provenance() -> None:
    findings = {finding.category: finding for finding in detect_clauses(CONTRACT)}
    for key, words in [
        ("anti_assignment", "prior written consent"),
        ("insurance", "general liability insurance"),
        ("governing_law", "laws of the State"),
    ]:
        assert key in findings, key
        top = findings[key].passages[0]
        assert words in top.provenance.quote
        assert CONTRACT[top.provenance.page - 1][top.provenance.start : top.provenance.end] == top.provenance.quote
        assert findings[key].score == top.score
    order = [category.key for category in CATEGORIES]
    assert list(findings) == sorted(findings, key=order.index)


def test_passages_are_ranked_and_do_not_overlap() -> None:
    for finding in detect_clauses(CONTRACT):
        assert 1 <= len(finding.passages) <= 3
        scores = [passage.score for passage in finding.passages]
        assert scores == sorted(scores, reverse=True)
        spans = sorted((p.provenance.page, p.provenance.start, p.provenance.end) for p in finding.passages)
        for (page, _, end), (next_page, next_start, _) in zip(spans, spans[1:], strict=False):
            assert page != next_page or end <= next_start


def test_a_category_subset_is_honoured() -> None:
    findings = detect_clauses(CONTRACT, keys={"governing_law", "non_compete"})
    assert [finding.category for finding in findings] == ["governing_law"]
    with pytest.raises(ValueError, match="unknown clause categories"):
        detect_clauses(CONTRACT, keys={"no_such_clause"})


def test_a_recipe_has_no_clauses() -> None:
    recipe = [
        "Lemon cake\n\nWhisk two eggs with a cup of sugar until pale. Fold in the flour and the zest of one lemon. "
        "Bake for forty minutes in a moderate oven, then let it cool before slicing."
    ]
    assert detect_clauses(recipe) == []
    assert detect_clauses([]) == [] and detect_clauses(["   "]) == []

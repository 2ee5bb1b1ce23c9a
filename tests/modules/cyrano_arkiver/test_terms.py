"""Search terms: folding, stemming, query phrases and snippet marks agree with one another.

The stems below are stored in every search index (as keyed tokens) and recomputed to delete a page's
entries. If this test fails after a stemmer upgrade, existing indexes no longer match: pin the stemmer,
or rebuild the index before deploying the upgrade.
"""

import pytest

from cyrano_arkiver.snippets import snippet
from cyrano_arkiver.terms import query_phrases, terms

STEMS = {
    "pay pays paying": ["pay", "pay", "pay"],
    "paid payment": ["paid", "payment"],
    "terminate termination terminated terminating": ["termin"] * 4,
    "indemnify indemnified indemnification": ["indemnifi", "indemnifi", "indemnif"],
    "party parties party's": ["parti", "parti", "parti", "s"],
    "licence license licensing": ["licenc", "licens", "licens"],
    "arbitration arbitrator": ["arbitr", "arbitr"],
    "confidential confidentiality": ["confidenti", "confidenti"],
    "warranty warranties breach breaches": ["warranti", "warranti", "breach", "breach"],
    "governed governing notice notices": ["govern", "govern", "notic", "notic"],
}


@pytest.mark.parametrize(("text", "expected"), STEMS.items())
def test_the_stems_that_existing_indexes_were_built_with(text: str, expected: list[str]) -> None:
    assert list(terms(text)) == expected


def test_case_diacritics_and_compatibility_forms_fold_away() -> None:
    assert list(terms("Café ZÜRICH Naïve Straße ﬁle ＡＢＣ")) == ["cafe", "zurich", "naiv", "strass", "file", "abc"]
    assert list(terms("cafe zurich naive strasse file abc")) == list(terms("CAFÉ Zürich NAÏVE STRASSE FILE abc"))
    assert list(terms("snake_case, 12,500.00 -- ¶ 3")) == ["snake", "case", "12", "500", "00", "3"]


def test_query_words_and_phrases_become_terms_and_nothing_else() -> None:
    assert query_phrases('"Monthly Occupancy" paying non-compete') == [("month", "occup"), ("pay",), ("non", "compet")]
    assert query_phrases('NEAR(a b) OR text:* x" OR "y') == [
        ("near",),
        ("a",),
        ("b",),
        ("or",),
        ("text",),
        ("x",),
        ("or",),
        ("y",),
    ]
    assert query_phrases('--- ^*:()- ___ ""') == []


def test_snippets_mark_the_words_whose_terms_were_searched() -> None:
    page = "The Company pays on time. Payment is late if the Company is not PAYING; Café Zürich pays."
    assert snippet(page, [("pay",)]) == (
        "The Company «pays» on time. Payment is late if the Company is not «PAYING»; Café Zürich «pays»."
    )
    assert snippet(page, [("cafe",), ("zurich",)]).endswith("«Café» «Zürich» pays.")
    long = "filler " * 100 + "the termination clause " + "filler " * 100
    cut = snippet(long, [("termin",)])
    assert cut.startswith("… ") and cut.endswith(" …") and "«termination»" in cut and len(cut) < 260
    assert snippet("no match here", [("absent",)]) == "no match here"


def test_a_snippet_shows_the_query_words_in_a_row_before_words_apart() -> None:
    opening = "The law of a government agency applies to permits. " + "Other words fill the page. " * 30
    page = opening + "12. Governing Law. This Agreement is governed by the laws of Texas. " + "More filler. " * 30
    shown = snippet(page, query_phrases("governing law"))
    assert "«Governing» «Law». This Agreement is «governed» by the «laws» of Texas" in shown
    assert "government" not in shown


def test_a_snippet_without_the_words_in_a_row_shows_the_stretch_holding_the_most_of_them() -> None:
    page = (
        "Payment is due monthly. "
        + "Unrelated text runs on here. " * 20
        + "Either party may terminate; on termination all payment obligations survive. "
        + "More unrelated text. " * 20
    )
    shown = snippet(page, query_phrases("termination payment"))
    assert "«termination» all «payment» obligations" in shown and "due monthly" not in shown
    quoted = snippet(page, query_phrases('"payment obligations" terminate'))
    assert "«terminate»; on «termination» all «payment» «obligations» survive" in quoted


def test_a_clause_that_uses_the_words_often_comes_before_a_passing_mention() -> None:
    page = (
        "If any law of a government agency forbids a delivery, the parties will meet. "
        + "Other words. " * 30
        + "8.6 Applicable Law. This Agreement is construed under the laws of California, without reference to "
        "choice of law. It shall not be governed by the U.N. Convention. " + "More words. " * 30
    )
    shown = snippet(page, query_phrases("governing law"))
    assert "«laws» of California" in shown and "«governed» by the U.N." in shown and "government" not in shown

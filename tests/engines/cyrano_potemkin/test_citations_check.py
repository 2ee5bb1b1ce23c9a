"""The citation checker as a function: reading, structure, case names, short forms and the prose it must leave
alone."""

import pytest

from cyrano_potemkin.citations.case_names import names_match
from cyrano_potemkin.citations.check import KnownAuthority, check_citations
from cyrano_potemkin.citations.reading import read_citations

# Well-known real citations, with courts and years as lawyers write them: none may be malformed or impossible.
REAL = [
    "Marbury v. Madison, 5 U.S. (1 Cranch) 137 (1803).",
    "Mills v. Wyman, 20 Mass. 207 (1825).",
    "Hadley v. Baxendale, 156 Eng. Rep. 145 (Ex. 1854).",
    "Zippo Mfg. Co. v. Zippo Dot Com, Inc., 952 F. Supp. 1119 (W.D. Pa. 1997).",
    "Kearns v. Ford Motor Co., 567 F.3d 1120 (9th Cir. 2009).",
    "People v. Anderson, 70 Cal. 2d 15 (Cal. 1968).",
    "In re Caremark Int'l Inc. Derivative Litig., 698 A.2d 959 (Del. Ch. 1996).",
    "Hoffman v. Red Owl Stores, Inc., 26 Wis. 2d 683, 133 N.W.2d 267 (1965).",
    "United States v. Carroll Towing Co., 159 F.2d 169 (2d Cir. 1947).",
    "Batsakis v. Demotsis, 226 S.W.2d 673 (Tex. Civ. App. 1949).",
    "Katz v. United States, 389 U.S. 347, 88 S. Ct. 507, 19 L. Ed. 2d 576 (1967).",
    "Oracle Am., Inc. v. Google Inc., 750 F.3d 1339 (Fed. Cir. 2014).",
    "Mata v. Avianca, Inc., 678 F. Supp. 3d 443 (S.D.N.Y. 2023).",
    "Loper Bright Enterprises v. Raimondo, 603 U.S. 369 (2024).",
]


@pytest.mark.parametrize("text", REAL)
def test_real_citations_are_never_malformed_or_impossible(text: str) -> None:
    checks = check_citations(text, [], this_year=2026)
    assert checks and all(check.status == "unverified" for check in checks), [(c.text, c.reason) for c in checks]


@pytest.mark.parametrize(
    ("text", "status", "reason"),
    [
        ("Hale v. Dorn, 12 Qvb. Rptr. 88 (1990).", "malformed", "no reporter abbreviated 'Qvb. Rptr.'"),
        ("Ames v. Ward, 41 F.5th 210 (2d Cir. 2022).", "malformed", "F. has no 5th series"),
        ("Ames v. Ward, 41 U.S.2d 210 (1990).", "malformed", "U.S. has no 2d series"),
        ("Ames v. Ward, 3 F.3d 4 (1950).", "impossible", "F.3d reports cases from 1993 up to today, not 1950"),
        ("Stone v. Ritter, 911 A.2d 362 (Del. 2016).", "impossible", "A.2d reports cases from 1938 up to 2010"),
        ("Lee v. Park, 55 Cal. Rptr. 3d 100 (N.Y. 2007).", "impossible", "New York Court of Appeals"),
        ("Lee v. Park, 500 U.S. 1 (2d Cir. 1991).", "impossible", "Second Circuit"),
        ("Lee v. Park, 500 U.S. 1 (2031).", "impossible", "2031 has not come yet"),
    ],
)
def test_structural_fabrications_are_flagged_with_the_reason(text: str, status: str, reason: str) -> None:
    [check] = check_citations(text, [], this_year=2026)
    assert check.status == status and reason in check.reason
    assert check.method in ("reporters-db", "courts-db")


def test_prose_that_looks_like_volume_word_number_is_not_a_citation() -> None:
    text = "On 12 Jan. 2020 the parties met; see Sec. 4 and Art. 12 of the agreement, and fig. 3 on p. 7."
    assert check_citations(text, []) == []


def test_offsets_point_at_the_citation_as_written() -> None:
    text = "See Brown v. Board of Education, 347 U. S. 483 (1954)."
    [check] = check_citations(text, [])
    assert text[check.start : check.end] == check.text == "347 U. S. 483"
    assert check.normalized == "347 U.S. 483" and check.case_name == "Brown v. Board of Education"


def test_the_year_is_read_from_the_citations_own_parenthetical_not_a_later_one() -> None:
    [first, second] = read_citations("Smith v. Jones, 911 A.2d 362; and Doe v. Roe, 55 Cal. Rptr. 3d 100 (2016).")
    assert first.year is None and second.year == 2016


def test_short_forms_take_the_status_of_the_citation_they_point_back_to() -> None:
    text = (
        "Brown v. Board of Education, 347 U.S. 483 (1954). Id. at 490. Brown, 347 U.S. at 495. Hale v. Dorn, "
        "12 Qvb. Rptr. 88 (1990). Brown, supra, at 5. 410 U.S. at 120."
    )
    library = [KnownAuthority("347 U.S. 483", "Brown v. Board of Education", "library", "library")]
    checks = check_citations(text, library)
    assert [(check.kind, check.status) for check in checks] == [
        ("case", "found"), ("id", "found"), ("short_form", "found"), ("case", "malformed"), ("supra", "found"),
        ("short_form", "unverified"),
    ]  # fmt: skip
    assert checks[1].reason.startswith("refers to citation 1 (347 U.S. 483)")
    assert "no full citation before it" in checks[5].reason


def test_a_known_citation_under_another_case_name_is_a_name_mismatch_not_found() -> None:
    library = [KnownAuthority("248 N.Y. 339", "Palsgraf v. Long Island R.R. Co.", "document d1, page 2", "document")]
    [named] = check_citations("Palsgraf v. Long Island Railroad, 248 N.Y. 339 (1928).", library)
    [unnamed] = check_citations("The rule is settled. 248 N.Y. 339 (1928).", library)
    [invented] = check_citations("Kessler v. Long Island Railroad, 248 N.Y. 339 (1928).", library)
    assert (named.status, named.found_in) == ("found", "document d1, page 2")
    assert unnamed.status == "found" and "gives no case name" in unnamed.reason
    assert invented.status == "unverified" and invented.detail == "name_mismatch"
    assert invented.authority_name == "Palsgraf v. Long Island R.R. Co."


@pytest.mark.parametrize(
    ("given", "known", "same"),
    [
        ("Brown v. Board of Education", "Brown v. Board of Educ. of Topeka", True),
        ("Board of Education", "Brown v. Board of Education", True),
        ("Palsgraf v. Long Island R.R. Co.", "Palsgraf v. Long Island Railroad Co.", True),
        ("Roe v. Wade", "Brown v. Board of Education", False),
        ("Brown v. Wade", "Brown v. Board of Education", False),
        ("Smith v. Jones", "Smyth v. Jones", False),
        ("Chevron U.S.A. Inc. v. NRDC", "Chevron U.S.A., Inc. v. Natural Resources Defense Council, Inc.", True),
        ("Chevron v. EPA", "Chevron U.S.A., Inc. v. Natural Resources Defense Council, Inc.", False),
    ],
)
def test_case_names_match_on_each_sides_distinctive_words(given: str, known: str, same: bool) -> None:
    assert names_match(given, known) is same


def test_a_long_text_is_read_in_stretches_without_losing_or_moving_a_citation() -> None:
    sentence = "As held in Brown v. Board of Education, 347 U.S. 483 (1954), the rule stands. Id. at 495. "
    text = sentence * 400  # about 36,000 characters: several stretches for eyecite
    checks = check_citations(text, [])
    assert [check.kind for check in checks] == ["case", "id"] * 400
    assert all(text[check.start : check.end] == check.text for check in checks)
    assert all(check.case_name == "Brown v. Board of Education" for check in checks if check.kind == "case")

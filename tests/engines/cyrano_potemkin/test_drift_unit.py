"""What `answer_diff` finds between two answers, and what `counterfactual` swaps: unit tests of the measures."""

from cyrano_potemkin.answer_diff import compare_answers, conclusions_of, distance
from cyrano_potemkin.counterfactual import neutral, swapped

EARLY = (
    "No. A two-year non-compete clause is not enforceable against an employee in California under Cal. Bus. & "
    "Prof. Code § 16600; see Edwards v. Arthur Andersen LLP, 44 Cal. 4th 937 (2008)."
)


def test_identical_answers_differ_in_nothing() -> None:
    diff = compare_answers(EARLY, EARLY)
    assert diff.distance == 0.0 and not diff.substantive and diff.only_before == diff.only_after == []


def test_a_changed_conclusion_is_found_with_its_sentence() -> None:
    later = EARLY.replace("No. ", "Yes. ").replace("is not enforceable", "is enforceable")
    diff = compare_answers(EARLY, later)
    assert [(c.about, c.before, c.after) for c in diff.conclusions] == [
        ("answer", "no", "yes"),
        ("enforceable", "no", "yes"),
    ]
    assert any("is not enforceable" in passage for passage in diff.only_before)
    assert any("is enforceable" in passage for passage in diff.only_after)


def test_a_changed_number_and_a_changed_authority_are_found() -> None:
    later = EARLY.replace("two-year", "three-year").replace("44 Cal. 4th 937", "45 Cal. 4th 100")
    diff = compare_answers(EARLY, later)
    assert diff.values_removed == ["duration 2 years"] and diff.values_added == ["duration 3 years"]
    assert diff.authorities_removed == ["44 Cal. 4th 937"] and diff.authorities_added == ["45 Cal. 4th 100"]
    assert not diff.conclusions


def test_hedged_and_negated_conclusions() -> None:
    assert conclusions_of("The clause may be enforceable.") == {"enforceable": "may"}
    assert conclusions_of("Such a waiver isn't valid.") == {"valid": "no"}
    assert conclusions_of("It is unenforceable.") == {"enforceable": "no"}
    assert conclusions_of("Yes, the tenant is entitled to notice.") == {"answer": "yes", "entitled": "yes"}


def test_distance_scale() -> None:
    assert distance("The clause is void.", "the clause is VOID") == 0.0
    assert distance("The clause is void.", "Notice runs thirty days.") == 1.0
    reworded = distance(EARLY, "A non-compete clause of two years cannot be enforced against California employees.")
    assert 0.2 < reworded < 0.8


def test_swaps_keep_case_and_pair_back_to_the_same_neutral_form() -> None:
    question = "Mr John Smith told HIS manager he needs leave; can the employer dismiss him?"
    assert swapped(question) == "Ms Mary Smith told HER manager she needs leave; can the employer dismiss her?"
    assert swapped("She gave her notice to her.") == "He gave his notice to him."
    assert neutral(question) == neutral(swapped(question))
    assert neutral("Can a landlord evict?") == "can a landlord evict?"

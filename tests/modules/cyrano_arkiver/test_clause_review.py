"""review_clauses: how the classifier and the extraction rules share the metadata categories."""

from cyrano_arkiver.clauses.review import read_contract

CONSULTING = (
    "CONSULTING AGREEMENT\n\nThis Consulting Agreement is entered into by and between Harbor Light Analytics, Inc., "
    'a Delaware corporation ("Company"), and Miriam Osei ("Consultant").\n\n'
    "1. Term. This Agreement shall commence upon signature and shall remain in effect until the completion of the "
    "Project described in Exhibit A, unless terminated earlier under Section 6.\n\n"
    "2. Services. Consultant shall provide the services described in Exhibit A.\n\n"
    "3. Governing Law. This Agreement shall be governed by the laws of the State of Oregon.\n"
)


def test_a_term_the_rules_cannot_date_is_still_an_expiration_clause() -> None:
    insights, clauses = read_contract([CONSULTING])
    found = {clause.category: clause for clause in clauses}
    assert insights.first_date("expiration") is None
    expiration = found["expiration_date"]
    assert expiration.method == "classifier" and expiration.value is None
    assert "until the completion of the Project" in expiration.passages[0].quote
    # Where the rules have the value, it comes with their passage first.
    assert found["parties"].method == "rules"
    assert found["parties"].value is not None
    assert found["parties"].value.text == "Harbor Light Analytics, Inc.; Miriam Osei"
    law = found["governing_law"]
    assert law.value is not None and law.value.text == "Oregon" and "State of Oregon" in law.passages[0].quote


def test_a_dated_note_names_no_parties_and_has_no_dates_or_law() -> None:
    note = (
        "Lunch on Thursday 3 March 2020 went well. We talked about the weather, the harbour and the new bakery on "
        "Main Street, and about moving to New York."
    )
    insights, clauses = read_contract([note])
    assert insights.parties == []
    assert not {"parties", "agreement_date", "effective_date", "expiration_date", "governing_law"} & {
        clause.category for clause in clauses
    }

"""The offline checker as a pure function: claims cut from a text, values read whatever their format, names
compared without suffixes, and a contradiction never taken for a support."""

import datetime as dt

import pytest

from cyrano_potemkin.anchors import anchors_in
from cyrano_potemkin.claims import split_claims
from cyrano_potemkin.sources import SourceDocument, SourceFact, Span
from cyrano_potemkin.verify import verify_text

CONTRACT = (
    "DISTRIBUTION AGREEMENT\n\n"
    "This Distribution Agreement is entered into on the 11th day of December, 2006 between Louisville Gas and "
    'Electric Company ("Supplier") and Brightwater Trading Ltd. ("Distributor").\n\n'
    "2. Term. The initial term is thirty-six (36) months. It renews for successive periods of one year unless "
    "either party gives written notice of non-renewal at least ninety (90) days before the end of the term.\n\n"
    "9. Governing Law. This Agreement shall be governed by and construed under the laws of the State of Kentucky.\n"
)


def check(text: str) -> list[tuple[str, str | None]]:
    document = SourceDocument(document_id="doc", name="distribution.txt", pages=[CONTRACT])
    return [(claim.verdict, claim.source_value) for claim in verify_text(text, [document])]


def test_claims_are_sentences_and_list_items_with_their_offsets() -> None:
    text = (
        "Key points:\n- The agreement is between Acme Inc. and Beta L.P. It was signed by John A. Smith.\n"
        "2. Fees are due monthly. Notice goes to Acme Co. Ltd. in writing."
    )
    claims = split_claims(text)
    assert [claim.text for claim in claims] == [
        "Key points:",
        "The agreement is between Acme Inc. and Beta L.P.",
        "It was signed by John A. Smith.",
        "Fees are due monthly.",
        "Notice goes to Acme Co. Ltd. in writing.",
    ]
    assert all(text[claim.start : claim.end] == claim.text for claim in claims)


@pytest.mark.parametrize(
    "written",
    ["11 December 2006", "12/11/2006", "the 11th day of December, 2006", "Dec. 11, 2006", "2006-12-11",
     "December 11th, 2006"],
)  # fmt: skip
def test_a_date_is_one_value_however_it_is_written(written: str) -> None:
    (anchor,) = anchors_in(f"It was signed on {written}.")
    assert anchor.kind == "date" and anchor.shown() == "2006-12-11"
    assert check(f"The agreement was entered into on {written}.") == [("supported", None)]


def test_periods_compare_in_any_unit_and_a_doubled_one_is_contradicted() -> None:
    assert check("The initial term lasts three years.") == [("supported", None)]
    assert check("The initial term lasts 6 years.") == [("contradicted", "3 years")]
    assert check("It renews for successive twelve-month periods.") == [("supported", None)]
    assert check("Notice of non-renewal is due 90 days before the term ends.") == [("supported", None)]
    assert check("Notice of non-renewal is due 3 months before the term ends.") == [("contradicted", "90 days")]


def test_places_and_names_are_compared_as_lawyers_write_them() -> None:
    assert check("Kentucky law governs the agreement.") == [("supported", None)]
    assert check("The contract is governed by Ohio law.") == [("contradicted", "Kentucky")]
    assert check("The parties are LOUISVILLE GAS AND ELECTRIC CO. and Brightwater Trading Limited.") == [
        ("supported", None)
    ]
    (named,) = verify_text(
        "The agreement is between Louisville Gas and Electric Company and Harbor Freight Inc.",
        [SourceDocument(document_id="doc", name="d", pages=[CONTRACT])],
    )
    assert named.verdict == "unverifiable" and "Harbor Freight Inc." in (named.reason or "")


def test_a_shifted_date_is_never_supported() -> None:
    for shifted in ("12 December 2006", "11 December 2007", "11 November 2006", "12/11/2007"):
        verdicts = check(f"The agreement was entered into on {shifted}.")
        assert verdicts[0][0] != "supported", shifted


def test_a_claim_with_nothing_to_check_is_unverifiable_and_says_why() -> None:
    (claim,) = verify_text(
        "The distributor is a reliable partner.", [SourceDocument(document_id="doc", name="d", pages=[CONTRACT])]
    )
    assert claim.verdict == "unverifiable" and claim.method == "none" and claim.reason


def test_names_with_dotted_forms_and_lower_case_openings_stay_whole() -> None:
    text = (
        "Parties: Morgan Stanley & Co. Incorporated and e.l.f. Beauty, Inc. The seller is MOLIPHARMA S.R.L. "
        "i3 Systems, LLC signed it."
    )
    assert [claim.text for claim in split_claims(text)] == [
        "Parties: Morgan Stanley & Co. Incorporated and e.l.f. Beauty, Inc.",
        "The seller is MOLIPHARMA S.R.L.",
        "i3 Systems, LLC signed it.",
    ]
    pages = ["This Agreement is made between iMine Corporation and SUNWAI Technology, Inc. on May 1, 2018."]
    (claim,) = verify_text(
        "The two parties are iMine Corporation and SUNWAI Technology.",
        [SourceDocument(document_id="doc", name="d", pages=pages)],
    )
    assert claim.verdict == "supported" and claim.claimed == "iMine Corporation; SUNWAI Technology"


PREAMBLE = (
    'This Supply Agreement is made and entered into effective as of May 1, 2010 (the "Effective Date") by and '
    'between Acme Widgets, Inc. ("Acme") and Beta Foods LLC ("Beta"). WHEREAS, Acme and Gamma are parties to a '
    "Share Purchase Agreement dated as of April 4, 2007. The laws of England shall govern this Agreement."
)


def _preamble_document() -> SourceDocument:
    """The preamble with the facts Arkiver reads from it: both parties, and the date as the effective date only."""

    def at(text: str) -> Span:
        start = PREAMBLE.index(text)
        return Span(page=1, start=start, end=start + len(text))

    facts = [
        SourceFact(field="party", value="Acme Widgets, Inc.", span=at("Acme Widgets, Inc.")),
        SourceFact(field="party", value="Beta Foods LLC", span=at("Beta Foods LLC")),
        SourceFact(field="effective_date", value=dt.date(2010, 5, 1), span=at("May 1, 2010")),
    ]
    return SourceDocument(document_id="doc", name="supply.txt", pages=[PREAMBLE], facts=facts)


def test_a_sentence_that_gives_a_date_two_roles_answers_for_both() -> None:
    checks = verify_text(
        "Date of agreement: 1 May 2010. The parties signed the contract on 2 May 2010. "
        "The end date of the agreement is 1 May 2015.",
        [_preamble_document()],
    )
    assert [(check.verdict, check.topic, check.source_value) for check in checks] == [
        ("supported", "agreement_date", None),
        ("contradicted", "agreement_date", "2010-05-01"),
        ("unverifiable", "expiration_date", None),  # "date of the agreement" there is not the signing date
    ]


def test_the_date_of_another_document_contradicts_nothing() -> None:
    pages = ["WHEREAS, Acme and Gamma are parties to a Share Purchase Agreement dated as of April 4, 2007."]
    (claim,) = verify_text(
        "The agreement is dated June 1, 2010.", [SourceDocument(document_id="doc", name="d", pages=pages)]
    )
    assert claim.verdict == "unverifiable"


def test_who_entered_into_the_agreement_names_its_parties() -> None:
    document = _preamble_document()
    (right,) = verify_text("Acme Widgets, Inc and Beta Foods LLC entered into this agreement.", [document])
    (wrong,) = verify_text("Acme Widgets, Inc and Harbor Freight Inc signed the supply agreement.", [document])
    assert right.verdict == "supported"
    assert wrong.verdict == "contradicted" and "Harbor Freight Inc" in (wrong.reason or "")


def test_english_law_is_the_law_of_england_and_wales() -> None:
    (claim,) = verify_text("The agreement is subject to the laws of England and Wales.", [_preamble_document()])
    assert claim.verdict == "supported"

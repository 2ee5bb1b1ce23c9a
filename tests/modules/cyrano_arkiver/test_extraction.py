"""Arkiver's insight extractor on hand-written contract snippets, a quote invariant property, and real contracts."""

import datetime as dt
import json
import logging
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cyrano_arkiver.extraction import Insights, extract_insights
from cyrano_arkiver.extraction import citations as citations_module
from cyrano_arkiver.extraction.date_mentions import find_dates
from cyrano_arkiver.extraction.models import Duration
from cyrano_arkiver.extraction.obligations import obligor_key
from cyrano_arkiver.pages import paginate_text
from tests.conftest import shared_data

LICENSE = (
    "SOFTWARE LICENSE AGREEMENT\n\n"
    'This Software License Agreement (the "Agreement") is made and entered into this 8th day of May, 2014 '
    '(the "Effective Date") by and between Northwind Analytics, Inc., a Delaware corporation ("Licensor"), '
    'and Harbor Lane Bakery LLC, a New York limited liability company ("Licensee").\n\n'
    "1. Term. The term of this Agreement shall be for a period of five (5) years commencing upon the Effective "
    'Date (the "Initial Term"). Thereafter this Agreement shall automatically renew for successive one (1) year '
    "periods unless either party gives written notice of non-renewal at least sixty (60) days prior to the end "
    "of the then-current term.\n\n"
    "2. Fees. Licensee shall pay Licensor a license fee of $25,000 within thirty (30) days after receipt of an "
    'invoice. "Confidential Information" means any non-public information disclosed by either party. '
    "Confidential Information shall not include information that is publicly available.\n\n"
    "3. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the "
    "State of New York, without regard to its conflict of laws principles.\n"
)


def _pages(*texts: str) -> list[str]:
    return list(texts)


def _assert_quotes(insights: Insights, pages: list[str]) -> None:
    for provenance in insights.provenances():
        assert provenance.quote == pages[provenance.page - 1][provenance.start : provenance.end]
        assert provenance.quote.strip() == provenance.quote != ""


# --- parties ---------------------------------------------------------------------------------------------------
def test_parties_with_aliases_roles_and_kinds() -> None:
    insights = extract_insights([LICENSE])
    assert [(p.name, p.aliases, p.role, p.kind) for p in insights.parties] == [
        ("Northwind Analytics, Inc.", ["Licensor"], "Licensor", "company"),
        ("Harbor Lane Bakery LLC", ["Licensee"], "Licensee", "company"),
    ]
    assert insights.parties[0].provenance.quote == "Northwind Analytics, Inc."


def test_person_party_and_party_list_in_paragraphs() -> None:
    text = (
        'THIS CONSULTING AGREEMENT is made as of June 1, 2020 by and between Acme Robotics Corp. ("Company") and '
        'Jane Q. Doe, an individual residing in Austin, Texas ("Consultant").'
    )
    parties = extract_insights([text]).parties
    assert [(p.name, p.kind, p.role) for p in parties] == [
        ("Acme Robotics Corp.", "company", "Company"),
        ("Jane Q. Doe", "person", "Consultant"),
    ]


def test_parties_first_then_agree() -> None:
    text = (
        'Blue Heron Holdings, Inc. and Blue Heron Media, Inc. (collectively "Blue Heron") and Stillwater '
        'Partners, L.P. ("Stillwater") hereby enter into this Agreement dated November 28, 2001.'
    )
    insights = extract_insights([text])
    assert [p.name for p in insights.parties] == [
        "Blue Heron Holdings, Inc. and Blue Heron Media, Inc.",
        "Stillwater Partners, L.P.",
    ]
    assert insights.first_date("agreement").date == dt.date(2001, 11, 28)  # type: ignore[union-attr]


def test_signature_blocks_when_the_preamble_names_nobody() -> None:
    text = (
        "JOINT FILING AGREEMENT\n\nThe undersigned hereby agree to file jointly.\n\n"
        "IN WITNESS WHEREOF, the undersigned have executed this Agreement.\n\n"
        "ALDER CAPITAL PARTNERS, L.P. By: /s/ Ann Lee Name: Ann Lee Title: Manager\n\n"
        "ALDER CAPITAL GP LLC By: /s/ Ann Lee Name: Ann Lee Title: Manager"
    )
    assert [p.name for p in extract_insights([text]).parties] == [
        "ALDER CAPITAL PARTNERS, L.P.",
        "ALDER CAPITAL GP LLC",
    ]


# --- dates -----------------------------------------------------------------------------------------------------
def test_agreement_effective_and_relative_expiration() -> None:
    insights = extract_insights([LICENSE])
    agreement = insights.first_date("agreement")
    effective = insights.first_date("effective")
    expiration = insights.first_date("expiration")
    assert agreement is not None and agreement.date == dt.date(2014, 5, 8)
    assert agreement.mention is not None and agreement.mention.quote == "8th day of May, 2014"
    assert effective is not None and effective.date == dt.date(2014, 5, 8)
    assert expiration is not None and expiration.date == dt.date(2019, 5, 8)
    assert expiration.computed and expiration.mention is None
    assert expiration.resolved_from is not None
    assert expiration.resolved_from.anchor == "effective"
    assert expiration.resolved_from.offset == Duration(years=5)
    assert expiration.provenance.quote.startswith("The term of this Agreement shall be for a period of five (5)")


@pytest.mark.parametrize(
    ("preamble", "agreement", "effective"),
    [
        ('This Lease (this "Agreement"), dated as of March 3, 2021, is by and between Oak Co. ("Landlord") and '
         'Pine LLC ("Tenant").', dt.date(2021, 3, 3), None),
        ('This Agreement is entered into on October 1, 2019 and is made effective as of November 1, 2019 (the '
         '"Effective Date") by and between Oak Co. ("Provider") and Pine LLC ("Recipient").',
         dt.date(2019, 10, 1), dt.date(2019, 11, 1)),
        ('This Agreement is made and entered into as of Nov  5,  1999, (the "Effective Date") by and between Oak '
         'Co. ("Oak") and Pine LLC ("Pine").', dt.date(1999, 11, 5), dt.date(1999, 11, 5)),
        ('This Amendment to the Supply Agreement dated April 1, 2017 between Oak Co. ("Oak") and Pine LLC '
         '("Pine") is made this 22 day of June 2018.', dt.date(2018, 6, 22), None),
    ],
)  # fmt: skip
def test_agreement_and_effective_dates_from_the_preamble(
    preamble: str, agreement: dt.date, effective: dt.date | None
) -> None:
    insights = extract_insights([preamble])
    assert insights.first_date("agreement").date == agreement  # type: ignore[union-attr]
    found = insights.first_date("effective")
    assert (found.date if found else None) == effective


def test_effective_date_by_reference_to_the_date_first_written() -> None:
    text = (
        'This Agreement is made as of March 29, 1999, by and between Oak Co. (the "Company") and Pine LLC '
        '(the "Agent").\n\nThis Agreement will become effective as of the date first written above and will '
        "continue in effect until terminated pursuant to Paragraph 6."
    )
    insights = extract_insights([text])
    effective = insights.first_date("effective")
    assert effective is not None and effective.computed and effective.date == dt.date(1999, 3, 29)
    assert effective.resolved_from is not None and effective.resolved_from.anchor == "agreement"
    assert insights.term.initial is not None and insights.term.initial.perpetual


def test_effective_date_from_the_last_signature() -> None:
    text = (
        'This License Agreement is entered into by and between Oak University ("Oak") and Pine, Inc. ("Pine").\n\n'
        '"Effective Date" shall mean the date the last party hereto has executed this Agreement.\n\n'
        "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\n"
        "OAK UNIVERSITY By: /s/ A. Lee Title: Dean Date: 5/4/2016\n\n"
        "PINE, INC. By: /s/ B. Kim Title: CEO Date: 5/11/2016"
    )
    effective = extract_insights([text]).first_date("effective")
    assert effective is not None and effective.date == dt.date(2016, 5, 11) and effective.computed
    assert effective.mention is not None and effective.mention.quote == "5/11/2016"
    assert effective.provenance.quote.startswith('"Effective Date" shall mean the date the last party')


def test_may_and_numbers_are_not_dates() -> None:
    text = (
        "Either party may terminate this Agreement. The Company may 15 times a year request 2,000 units at "
        "1500 Main Street, Suite 2020. Section 3.12 applies to 12/40 of the units."
    )
    assert extract_insights([text]).dates == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("11-Dec-2006", dt.date(2006, 12, 11)),
        ("the 11th of December 2006", dt.date(2006, 12, 11)),
        ("11.12.2006", dt.date(2006, 12, 11)),  # dots: day first
        ("1.2.2010", dt.date(2010, 2, 1)),
        ("Monday, December 11, 2006", dt.date(2006, 12, 11)),
    ],
)
def test_hyphenated_dotted_and_of_dates(written: str, expected: dt.date) -> None:
    found = find_dates(f"It was signed on {written}, in Boston.")
    assert [mention.date for mention in found] == [expected]


def test_version_numbers_and_ages_are_not_dotted_dates() -> None:
    assert find_dates("Release 1.2.3 of the software; 31.13.2006 is no date; 10 of 2006 units.") == []


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("The term of this Agreement shall end on the seventh anniversary of the date hereof.", dt.date(2008, 1, 15)),
        ("Unless terminated earlier, this Agreement shall expire on December 31, 2006.", dt.date(2006, 12, 31)),
        ("This Agreement shall commence on the Effective Date and continue for twelve (12) months.",
         dt.date(2002, 1, 15)),
        ("The term of this Agreement shall be ten (10) years from the Launch.", None),
        ("The term of this Agreement shall be the later of two (2) years or the term of the Supply Agreement.", None),
    ],
)  # fmt: skip
def test_expiration(term: str, expected: dt.date | None) -> None:
    preamble = (
        'This Agreement is entered into as of January 15, 2001 by and between Oak Co. ("Oak") and Pine LLC ("Pine").'
    )
    found = extract_insights([preamble + "\n\n" + term]).first_date("expiration")
    assert (found.date if found else None) == expected


# --- governing law ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("clause", "jurisdiction", "country"),
    [
        ("This Agreement shall be governed by and construed in accordance with the laws of the State of New York, "
         "without regard to its conflicts of law principles.", "New York", "United States"),
        ("This Agreement shall be governed by the laws of the Commonwealth of Massachusetts.", "Massachusetts",
         "United States"),
        ("This Agreement is governed by English law.", "England", "United Kingdom"),
        ("This Agreement shall be governed by the laws of England and Wales.", "England and Wales", "United Kingdom"),
        ("This Agreement shall be governed by the laws of the Province of Ontario and the federal laws of Canada "
         "applicable therein.", "Ontario", "Canada"),
        ("This Agreement shall be construed under and enforced in accordance with the laws of the State of "
         "Delaware.", "Delaware", "United States"),
        ("The laws of the State of California shall govern this Agreement.", "California", "United States"),
    ],
)  # fmt: skip
def test_governing_law(clause: str, jurisdiction: str, country: str) -> None:
    law = extract_insights(["Oak Co., a corporation organized under the laws of Nevada, agrees as follows.", clause])
    assert law.governing_law is not None
    assert (law.governing_law.jurisdiction, law.governing_law.country) == (jurisdiction, country)
    assert law.governing_law.provenance.page == 2


def test_no_governing_law_from_incorporation_or_compliance_clauses() -> None:
    text = (
        "Oak Co., a corporation organized and existing under the laws of the State of Nevada, and Pine LLC agree. "
        "Each party shall comply with all export laws of the United States."
    )
    assert extract_insights([text]).governing_law is None


# --- amounts ---------------------------------------------------------------------------------------------------
def test_amounts_with_currencies_and_purposes() -> None:
    text = (
        "Licensee shall pay a license fee of $25,000. Consultant is paid €500 per hour. The purchase price is "
        "US$ 2.5 million. A deposit of 10,000 USD is due. Fees are capped at £1,250.50 for the Services. "
        "Total: Five Thousand Dollars ($5,000)."
    )
    amounts = extract_insights([text]).amounts
    assert [(a.value, a.currency) for a in amounts] == [
        (Decimal(25000), "USD"),
        (Decimal(500), "EUR"),
        (Decimal("2500000.0"), "USD"),
        (Decimal(10000), "USD"),
        (Decimal("1250.50"), "GBP"),
        (Decimal(5000), "USD"),
    ]
    assert amounts[0].purpose == "license fee"
    assert amounts[1].purpose == "per hour"
    assert amounts[2].purpose == "purchase price"
    assert amounts[4].purpose == "the Services"


# --- citations -------------------------------------------------------------------------------------------------
def test_citations_cases_statutes_and_invented_reporters() -> None:
    text = (
        "As held in Brown v. Board of Education, 347 U.S. 483 (1954), and in Smith v. Jones, 12 Zzq. Rptr. 34 "
        "(2001), claims under 42 U.S.C. § 1983 and 29 C.F.R. § 1630.2 survive."
    )
    found = {c.text: c for c in extract_insights(["No citations on this page.", text]).citations}
    brown = found["347 U.S. 483"]
    assert (brown.kind, brown.volume, brown.reporter, brown.page, brown.year, brown.court) == (
        "case",
        "347",
        "U.S.",
        "483",
        1954,
        "scotus",
    )
    assert brown.reporter_known and brown.case_name == "Brown v. Board of Education"
    assert brown.provenance.page == 2 and brown.provenance.quote.startswith("Brown v. Board")
    invented = found["12 Zzq. Rptr. 34"]
    assert invented.kind == "case" and not invented.reporter_known and invented.year == 2001
    assert found["42 U.S.C. § 1983"].kind == "statute" and found["42 U.S.C. § 1983"].reporter_known
    assert found["29 C.F.R. § 1630.2"].kind == "regulation"


def test_circuit_court_citation_and_quiet_eyecite(caplog: pytest.LogCaptureFixture) -> None:
    text = "See Smith v. Jones, 123 F.3d 456, 460 (9th Cir. 1997), and Smith v. Jones, 123 F.3d 456 (9th Cir. 1997)."
    with caplog.at_level(logging.DEBUG):
        citations = extract_insights([text]).citations
    assert citations and all((c.court, c.year, c.reporter_known) == ("ca9", 1997, True) for c in citations)
    assert not [record for record in caplog.records if record.name.startswith("eyecite")]


def test_eyecite_is_not_run_on_pages_without_citation_like_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("eyecite should not be needed here")

    monkeypatch.setattr(citations_module, "_eyecite", refuse)
    assert extract_insights([LICENSE]).citations == []


# --- defined terms and obligations -----------------------------------------------------------------------------
def test_defined_terms() -> None:
    text = (
        'This Distribution Agreement (the "Agreement") covers the State of Texas (hereinafter referred to as the '
        '"Territory"). "Products" means the goods listed in Exhibit A, as amended from time to time.'
    )
    terms = {t.term: t.definition for t in extract_insights([text]).defined_terms}
    assert terms["Agreement"] == "This Distribution Agreement"
    assert terms["Territory"] == "covers the State of Texas"
    assert terms["Products"] == "the goods listed in Exhibit A, as amended from time to time."


def test_obligations_with_deadlines() -> None:
    obligations = extract_insights([LICENSE]).obligations
    pay = next(o for o in obligations if o.action.startswith("pay"))
    assert pay.obligor == "Licensee" and pay.modal == "shall" and not pay.negative
    assert pay.deadline == "within thirty (30) days after receipt of an invoice"
    assert pay.deadline_duration == Duration(days=30)
    assert pay.provenance.quote.startswith("Licensee shall pay Licensor")
    # "Confidential Information shall not include ..." binds no party.
    assert all(o.obligor != "Confidential Information" for o in obligations)


def test_negative_obligation() -> None:
    text = 'Oak Co. ("Supplier") and Pine LLC ("Buyer") agree as follows. Supplier shall not assign this Agreement.'
    obligation = extract_insights([text]).obligations[0]
    assert (obligation.obligor, obligation.negative, obligation.action) == ("Supplier", True, "assign this Agreement")


SUPPLY = 'Oak Co. ("Supplier") and Pine LLC ("Buyer") agree as follows. '


def test_the_obligations_of_one_party_carry_one_label() -> None:
    text = SUPPLY + (
        "The Supplier shall deliver the goods. the Supplier shall insure the goods. Supplier shall keep records. "
        "Neither Supplier shall resell the goods abroad. Each Party shall keep this Agreement "
        "confidential. each party shall bear its own costs. The Buyer shall pay each invoice."
    )
    obligations = extract_insights([text]).obligations
    by_label = {label: [o for o in obligations if o.obligor == label] for label in {o.obligor for o in obligations}}
    assert {label: len(items) for label, items in by_label.items()} == {"Supplier": 4, "each party": 2, "Buyer": 1}
    assert [o.negative for o in by_label["Supplier"]] == [False, False, False, True]  # "Neither Supplier ... shall"
    assert by_label["Buyer"][0].provenance.quote.startswith("The Buyer shall pay")  # the words stay as written


def test_an_obligor_is_known_by_its_party_whatever_name_the_text_uses() -> None:
    insights = extract_insights([SUPPLY + "The Supplier shall deliver the goods."])
    parties = insights.parties
    assert obligor_key("The Supplier", parties) == obligor_key("supplier", parties) == obligor_key("Oak Co.", parties)
    assert obligor_key("Buyer", parties) != obligor_key("Supplier", parties)
    assert obligor_key("Each Party", parties) == "each party" != obligor_key("either party", parties)


def test_a_comparison_is_no_obligation_and_a_list_lead_runs_into_its_list() -> None:
    text = SUPPLY + (
        "Supplier shall deliver the goods at such times as Buyer shall determine. Supplier agrees to do each of "
        "the following: 1. Pack the goods in sealed crates. 2. Insure them in transit. 3. Deliver them to the dock."
    )
    obligations = extract_insights([text]).obligations
    assert [o.obligor for o in obligations] == ["Supplier", "Supplier"]  # nothing for Buyer's "shall determine"
    lead = obligations[1]
    assert lead.action == (
        "do each of the following: 1. Pack the goods in sealed crates. 2. Insure them in transit. 3. Deliver them "
        "to the dock"
    )
    assert text[lead.provenance.start : lead.provenance.end] == lead.provenance.quote


# --- term, renewal and notice ----------------------------------------------------------------------------------
def test_renewal_and_notice_period() -> None:
    term = extract_insights([LICENSE]).term
    assert term.initial is not None and term.initial.duration == Duration(years=5)
    assert term.renewal is not None and term.renewal.duration == Duration(years=1) and term.renewal.automatic
    assert term.non_renewal_notice is not None and term.non_renewal_notice.duration == Duration(days=60)


def test_a_renewal_whose_subject_is_it_after_the_term() -> None:
    text = (
        "2. Term. This Agreement begins on the Effective Date and continues for five (5) years. Thereafter it renews "
        "automatically for successive one (1) year periods unless either party gives written notice of non-renewal "
        "at least sixty (60) days before the end of the then-current term."
    )
    term = extract_insights([text]).term
    assert term.renewal is not None and term.renewal.duration == Duration(years=1) and term.renewal.automatic
    assert term.non_renewal_notice is not None and term.non_renewal_notice.duration == Duration(days=60)
    warranty = extract_insights(["The warranty lasts one year. Thereafter it may be extended for a fee."]).term
    assert warranty.renewal is None


def test_evergreen_renewal_with_notice() -> None:
    text = (
        "This contract shall be for a term of one year commencing on the date first above written; thereafter, it "
        "shall automatically continue until terminated by either party upon not less than thirty (30) days prior "
        "written notice to the other party."
    )
    term = extract_insights([text]).term
    assert term.initial is not None and term.initial.duration == Duration(years=1)
    assert term.renewal is not None and term.renewal.perpetual and term.renewal.duration is None
    assert term.non_renewal_notice is not None and term.non_renewal_notice.duration == Duration(days=30)


# --- provenance ------------------------------------------------------------------------------------------------
def test_quotes_are_exact_slices_of_oddly_spaced_pages() -> None:
    pages = [
        "Page 1 of 2\n\n  CO-BRANDING  AGREEMENT\n\n     This  CO-BRANDING AGREEMENT (the \u201cAgreement\u201d) "
        "is made and entered into as of Nov  5,  1999, by and\n between  NETTAXI  Online  Communities,  Inc.  "
        "(\u201cNETTAXI\u201d), and Solutions Media, Inc. (\u201cClient\u201d).\f",
        "Page 2 of 2\n\n 2.  This  Agreement  shall  be  governed  by  the  laws  of  the  State  of\n\n\n"
        "  California.",
    ]
    insights = extract_insights(pages)
    _assert_quotes(insights, pages)
    assert insights.first_date("agreement").mention.quote == "Nov  5,  1999"  # type: ignore[union-attr]
    assert [p.name for p in insights.parties] == ["NETTAXI Online Communities, Inc.", "Solutions Media, Inc."]
    assert insights.parties[0].provenance.quote == "NETTAXI  Online  Communities,  Inc."
    assert insights.governing_law is not None and insights.governing_law.jurisdiction == "California"


_SNIPPETS = [
    LICENSE,
    "Brown v. Board of Education, 347 U.S. 483 (1954).",
    "Fees of \u20ac500 per hour; a deposit of $1,000.",
    "\u201cTerm\u201d means the Initial Term.",
    "dated as of March 18, 2010 (the \u201cEffective Date\u201d)",
    "renew for successive one (1) year periods",
]
_NOISE = st.text(
    alphabet=st.sampled_from(list(" \n\t\r\f\xa0.,;:()\"'\u201c\u201d\u2019-_$\u20ac\u00a7aAzZ019")), max_size=40
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.sampled_from(_SNIPPETS), _NOISE), max_size=6).map("".join), max_size=4))
@example([" Brown v. Board of Education, 347 U.S. 483 (1954)."])  # a case name's span once took in the space
@example(["\n  Brown v. Board of Education, 347 U.S. 483 (1954)  \n"])
def test_every_quote_is_the_page_slice(pages: list[str]) -> None:
    _assert_quotes(extract_insights(pages), pages)


@pytest.mark.parametrize("pages", [[], [""], ["   \f  "], ["no contract here"]])
def test_empty_and_plain_pages(pages: list[str]) -> None:
    assert extract_insights(pages) == Insights()


def test_insights_round_trip_as_json() -> None:
    insights = extract_insights([LICENSE])
    assert Insights.model_validate_json(insights.model_dump_json()) == insights


def test_counts_by_kind() -> None:
    counts = extract_insights([LICENSE]).counts()
    assert counts["parties"] == 2 and counts["governing_law"] == 1 and counts["term"] == 3
    assert counts["dates.agreement"] == 1 and counts["dates.effective"] == 1 and counts["dates.expiration"] == 1


# --- real contracts --------------------------------------------------------------------------------------------
_CUAD_RECORDS = 15


def test_minimum_recall_on_real_contracts() -> None:
    """Regression guard on the first CUAD records, scored as bench/extraction.py scores them."""
    import extraction as bench  # bench/extraction.py (tests/conftest.py puts bench/ on the path)

    lines = shared_data("cuad_dev.jsonl").read_text().splitlines()[:_CUAD_RECORDS]
    measured = bench.run([json.loads(line) for line in lines])
    recall = {name: score.recall for name, score in measured.total(measured.scores).items()}
    assert sum(measured.pages.values()) > 100
    assert recall["parties"] >= 0.85
    assert recall["agreement_date"] >= 0.85
    assert recall["effective_date"] >= 0.85
    assert recall["expiration_date"] >= 0.7
    assert recall["governing_law"] >= 0.85


def test_paginated_contract_quotes_hold() -> None:
    record = json.loads(shared_data("cuad_dev.jsonl").read_text().splitlines()[0])
    pages = paginate_text(record["text"])
    _assert_quotes(extract_insights(pages), pages)


_PDF = "cuad_dev_pdf/AURASYSTEMSINC_06_16_2010-EX-10.25-STRATEGIC ALLIANCE AGREEMENT.PDF"


def test_pdf_extracted_pages() -> None:
    """Text as pypdfium2 extracts it (CR LF line ends, no blank lines between paragraphs) reads the same."""
    import pypdfium2

    document = pypdfium2.PdfDocument(shared_data(_PDF))
    pages = [document[index].get_textpage().get_text_range() for index in range(len(document))]
    insights = extract_insights(pages)
    _assert_quotes(insights, pages)
    assert [p.name for p in insights.parties] == ["AURA SYSTEMS INC.", "ZANOTTI EAST INC."]
    assert insights.first_date("agreement").date == dt.date(2010, 3, 18)  # type: ignore[union-attr]
    assert insights.first_date("expiration").date == dt.date(2015, 3, 18)  # type: ignore[union-attr]
    assert insights.governing_law is not None and insights.governing_law.jurisdiction == "California"
    assert insights.term.renewal is not None and insights.term.renewal.duration == Duration(years=5)
    assert insights.term.non_renewal_notice is not None
    assert insights.term.non_renewal_notice.duration == Duration(days=90)


# --- term and expiration: general drafting patterns ------------------------------------------------------------
_OAK_PINE = (
    'This Agreement is entered into as of January 15, 2001 by and between Oak Co. ("Oak") and Pine LLC ("Pine").'
)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Term: twelve (12) months from the date of this Agreement.", dt.date(2002, 1, 15)),
        ("Initial Term shall mean the Effective Date through June 30, 2003.", dt.date(2003, 6, 30)),
        ("This Agreement shall remain in force for two (2) years from and after the Effective Date.",
         dt.date(2003, 1, 15)),
        ("The term of this Agreement shall be effective as of the date first stated above and shall continue for a "
         "term of three (3) years.", dt.date(2004, 1, 15)),
        ("The initial term of this Agreement shall be for one year commencing on the 1st day of May, 2001.",
         dt.date(2002, 5, 1)),
        ("This Agreement shall continue until the later of (a) the fourth (4th) anniversary of the Effective Date, "
         "or (b) the completion of the Research.", dt.date(2005, 1, 15)),
        ('The "Initial Term" shall commence upon the Effective Date and shall expire on March 31, 2004.',
         dt.date(2004, 3, 31)),
        ("The initial term of the Services shall continue up to and including 28 February 2002.", dt.date(2002, 2, 28)),
        ("This Agreement shall be in effect until March 18. 2003, unless sooner terminated.", dt.date(2003, 3, 18)),
        ("This Agreement shall commence on the Effective Date and shall extend for a period of five (5) years "
         "thereafter.", dt.date(2006, 1, 15)),
    ],
)  # fmt: skip
def test_expiration_drafting_patterns(term: str, expected: dt.date) -> None:
    found = extract_insights([_OAK_PINE + "\n\n" + term]).first_date("expiration")
    assert found is not None and found.date == expected
    assert term.startswith(found.provenance.quote[:30])


def test_a_stated_term_end_outranks_a_computed_one() -> None:
    text = (
        _OAK_PINE + "\n\nThis Agreement shall have an Initial Term of three (3) years.\n\n"
        "The Term shall commence on January 20, 2001 and shall expire on January 19, 2004."
    )
    found = extract_insights([text]).first_date("expiration")
    assert found is not None and found.date == dt.date(2004, 1, 19) and not found.computed


def test_computed_expiration_keeps_its_clause_and_anchor() -> None:
    text = _OAK_PINE + "\n\nThis Agreement shall remain in force for two (2) years from and after the Effective Date."
    found = extract_insights([text]).first_date("expiration")
    assert found is not None and found.computed and found.resolved_from is not None
    assert found.resolved_from.anchor_date == dt.date(2001, 1, 15)
    assert found.resolved_from.offset == Duration(years=2)
    assert found.provenance.quote.startswith("This Agreement shall remain in force for two (2) years")


@pytest.mark.parametrize(
    "term",
    [
        "This Agreement will remain in force for perpetuity unless otherwise agreed in writing by both parties.",
        "This Agreement shall become effective on the Effective Date and shall continue in effect until either Party "
        "gives the other Party thirty (30) days prior written notice of termination.",
        "This Agreement begins on the Effective Date and shall continue indefinitely.",
        "This Agreement shall become effective as of the Effective Date and shall continue in full force and effect "
        "for so long as Pine remains a shareholder of Oak.",
    ],
)
def test_perpetual_terms(term: str) -> None:
    insights = extract_insights([_OAK_PINE + "\n\n" + term])
    assert insights.term.initial is not None and insights.term.initial.perpetual
    assert insights.first_date("expiration") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Either party may terminate this Agreement if a material term of this Agreement remains uncured 30 days "
        "after notice.",
        "Pine shall order 1,000 units during the first twenty-four (24) months of this Agreement and 750 units per "
        "year for so long as this Agreement remains in effect.",
    ],
)
def test_sentences_that_only_mention_the_agreement_are_not_its_term(sentence: str) -> None:
    insights = extract_insights([_OAK_PINE + "\n\n" + sentence])
    assert insights.term.initial is None and insights.first_date("expiration") is None


def test_contract_years_give_the_length_but_no_date() -> None:
    text = (
        _OAK_PINE
        + "\n\nThis Agreement shall commence on the Effective Date and shall continue for ten (10) Contract Years."
    )
    insights = extract_insights([text])
    assert insights.term.initial is not None and insights.term.initial.duration == Duration(years=10)
    assert insights.first_date("expiration") is None


@pytest.mark.parametrize(
    ("clause", "jurisdiction"),
    [
        ("The laws of the State of New York govern all matters arising out of or relating to this Agreement.",
         "New York"),
        ("This Agreement has been made in the State of California and shall be governed by and construed in "
         "accordance with the laws thereof.", "California"),
        ("The interpretation and performance of this Agreement will be governed by PRC Laws.", "China"),
        ("Any arbitration hereunder shall be subject to the application of the Italian Law.", "Italy"),
    ],
)  # fmt: skip
def test_governing_law_drafting_patterns(clause: str, jurisdiction: str) -> None:
    law = extract_insights([_OAK_PINE + "\n\n" + clause]).governing_law
    assert law is not None and law.jurisdiction == jurisdiction
    assert law.provenance.quote == clause


def test_a_choice_of_law_clause_outranks_other_sentences_about_governing_law() -> None:
    text = (
        _OAK_PINE + "\n\nSuch counsel's opinion shall be limited to matters governed by the laws of Tennessee.\n\n"
        "This Agreement shall be construed in accordance with the laws of the State of New York."
    )
    law = extract_insights([text]).governing_law
    assert law is not None and law.jurisdiction == "New York"


def test_agreement_date_called_effective_is_the_effective_date() -> None:
    text = (
        'This Agreement is made and entered into as of June 13, 2012 the ("Effective Date"), by and between Oak Co. '
        '("Oak") and Pine LLC ("Pine").'
    )
    effective = extract_insights([text]).first_date("effective")
    assert effective is not None and effective.date == dt.date(2012, 6, 13) and effective.computed
    assert effective.resolved_from is not None and effective.resolved_from.anchor == "agreement"
    assert effective.mention is not None and effective.mention.quote == "June 13, 2012"


def test_effective_on_signature_without_dated_signatures_is_the_agreement_date() -> None:
    text = _OAK_PINE + "\n\nThis Agreement shall enter into effect on the date it is signed by both parties."
    effective = extract_insights([text]).first_date("effective")
    assert effective is not None and effective.date == dt.date(2001, 1, 15)


def test_effective_on_the_signing_date_is_the_latest_signature() -> None:
    text = (
        'This Agreement is entered into by and between Oak Co. ("Oak") and Pine LLC ("Pine").\n\n'
        "This Agreement shall become effective on the signing date.\n\n"
        "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\n"
        "OAK CO. By: /s/ A. Lee Date: 3/2/2020\n\nPINE LLC By: /s/ B. Kim Date: 3/9/2020"
    )
    effective = extract_insights([text]).first_date("effective")
    assert effective is not None and effective.date == dt.date(2020, 3, 9)

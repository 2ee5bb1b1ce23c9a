"""Party extraction rules on hand-written contract openings (general drafting patterns, not any one contract)."""

from cyrano_arkiver.extraction import extract_insights


def _names(text: str) -> list[str]:
    return [party.name for party in extract_insights([text]).parties]


def test_between_heading_with_and_lines() -> None:
    text = (
        "SERVICES AGREEMENT\n\nTHIS AGREEMENT is dated 4 March 2019.\n\nBETWEEN:\n\n"
        'NORTHWIND MINING LTD., a company incorporated pursuant to the laws of Alberta (the "Company");\n\n'
        'AND:\n\nCEDAR RIDGE ADVISORS CORP., a company incorporated under the laws of Ontario (the "Advisor").\n\n'
        "WHEREAS the Company wishes to retain the Advisor."
    )
    assert _names(text) == ["NORTHWIND MINING LTD.", "CEDAR RIDGE ADVISORS CORP."]


def test_cover_page_parties_on_their_own_lines() -> None:
    text = "DATED 2ND MAY 2003\n\nHARBOUR LIGHT MEDIA LIMITED\n\nAND\n\nBLUE FJORD PUBLISHING LIMITED\n\nLICENCE"
    assert _names(text) == ["HARBOUR LIGHT MEDIA LIMITED", "BLUE FJORD PUBLISHING LIMITED"]


def test_party_labels_on_one_line() -> None:
    text = "Cooperation Agreement Party A: Riverside Port Authority Party B: Lumen Solar Co., Ltd. Party A supports it."
    assert _names(text) == ["Riverside Port Authority", "Lumen Solar Co., Ltd."]


def test_and_inside_a_company_name() -> None:
    text = (
        "THIS AGREEMENT is made as of May 1, 2010 by and between NORTH RIVER PIPELINE COMPANY, a Delaware "
        'corporation, hereinafter referred to as "Transporter" and MIDLAND GAS AND ELECTRIC COMPANY, a Kentucky '
        'corporation, hereinafter referred to as "Shipper."'
    )
    assert _names(text) == ["NORTH RIVER PIPELINE COMPANY", "MIDLAND GAS AND ELECTRIC COMPANY"]


def test_list_read_past_a_full_stop_in_an_address() -> None:
    text = (
        "This Agreement is made by and between Alder Tools Inc., having its office at 10 Mill Road, Portland, Ore. "
        '("Alder") and Birch Supply LLC ("Birch").\n\n1. Supply.'
    )
    assert _names(text) == ["Alder Tools Inc.", "Birch Supply LLC"]


def test_trade_name_and_person_degree_stay_in_the_name() -> None:
    text = (
        "This Agreement is entered into as of June 1, 2015 by and between Lakeside Foods, Inc. d/b/a Lakeside "
        'Kitchen ("Lakeside"), Harbor Labs Inc. ("Harbor"), and Maria L. Stone, Ph.D. ("Dr. Stone").'
    )
    assert _names(text) == ["Lakeside Foods, Inc. d/b/a Lakeside Kitchen", "Harbor Labs Inc.", "Maria L. Stone, Ph.D."]


def test_numbered_entries_and_a_descriptor_without_article() -> None:
    text = (
        "This Agreement is entered into by and between (1) Summit Devices, Delaware corporation having offices "
        'at 12 Oak Street, Austin, TX 78746 ("SUMMIT"), and (2) Valle Labs, S.A. a corporation organized under '
        'the laws of Peru, with offices at Av. Central 5, Lima, Peru ("VALLE").'
    )
    assert _names(text) == ["Summit Devices", "Valle Labs, S.A."]


def test_signature_names_without_the_date_before_them() -> None:
    text = (
        "JOINT FILING AGREEMENT\n\nThe undersigned hereby agree that the statement on Schedule 13G is filed on "
        "behalf of each of them.\n\nIN WITNESS WHEREOF, the undersigned have executed this Agreement as of "
        "March 3, 2020. GRANITE PEAK FUND L.P. GRANITE PEAK MANAGEMENT L.P. By: /s/ Ann Lee Name: Ann Lee\n"
        "Dated: March 3, 2020 SILVER LAKE CAPITAL LLC By: /s/ Tom Ray"
    )
    assert _names(text) == ["GRANITE PEAK FUND L.P.", "GRANITE PEAK MANAGEMENT L.P.", "SILVER LAKE CAPITAL LLC"]


def test_party_quotes_stay_exact() -> None:
    page = 'BETWEEN:\n\nACME  HOLDINGS  LIMITED (the "Seller");\n\nAND:\n\nBETA TRADING LLC (the "Buyer").\n\nWHEREAS'
    assert len(extract_insights([page]).parties) == 2
    for party in extract_insights([page]).parties:
        assert page[party.provenance.start : party.provenance.end] == party.provenance.quote


def test_signature_blocks_add_the_party_the_opening_left_out() -> None:
    text = (
        'This Sponsorship Agreement is entered into by and among Orchard Capital LLC ("Purchaser") and each other '
        "party identified on the signature page.\n\n1. Sponsorship.\n\n"
        "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\n"
        "ORCHARD CAPITAL LLC By: /s/ Kim Park\n\nWILLOW CREEK FUND L.P. By: /s/ Lee Chan"
    )
    assert _names(text) == ["Orchard Capital LLC", "WILLOW CREEK FUND L.P."]


def test_company_names_that_start_with_a_number() -> None:
    text = (
        "This Agreement is made by and between 481220 B.C. Ltd., having an office at 12 Pine Street, Victoria "
        '("Pine") and 7THSTREET.COM, INC. having its office at 9 Elm Road, Reno, Nevada 89501 ("Seventh"), '
        'and 3301187 Quebec Limited, a Quebec corporation ("Reseller").'
    )
    assert _names(text) == ["481220 B.C. Ltd.", "7THSTREET.COM, INC.", "3301187 Quebec Limited"]


def test_role_label_before_a_signature_name_is_dropped() -> None:
    text = (
        "RESELLER AGREEMENT\n\nThe parties agree to the terms below.\n\nIN WITNESS WHEREOF, the parties have "
        "signed.\n\nDISTRIBUTOR Tall Oak Systems, Inc. By: /s/ Ann Lee\n\nMASTER FRANCHISEE : RED KITE FOODS, "
        "INC. By: /s/ Bo Li"
    )
    assert _names(text) == ["Tall Oak Systems, Inc.", "RED KITE FOODS, INC."]


def test_descriptors_roles_and_the_parties_are_no_names() -> None:
    text = (
        "THIS AGREEMENT IS THE SOLE AGREEMENT BETWEEN THE PARTIES RELATING TO THE SERVICES.\n\nParty A: "
        "Client\n\nParty B: Delaware corporation\n\nIN WITNESS WHEREOF, the parties have signed.\n\nNORTH GATE "
        "LABS, INC. By: /s/ Ann Lee\n\nDelaware corporation By: /s/ Bo Li"
    )
    assert _names(text) == ["NORTH GATE LABS, INC."]


def test_title_line_run_into_the_preamble() -> None:
    text = (
        "Exhibit 10.1 LICENSE AGREEMENT BY AND BETWEEN LARKSPUR, LLC & KOVA This License Agreement is entered "
        'into as of MAY 2, 2016 by and between LARKSPUR, LLC ("LARKSPUR") and KOVA INC (the "Licensee"). '
    )
    assert _names(text) == ["LARKSPUR, LLC", "KOVA INC"]


def test_a_short_name_used_again_is_no_new_party() -> None:
    text = (
        'THIS AGREEMENT is made June 1, 2017 BETWEEN: NORTH STAR TOOLS INC., an Ontario company ("Customer") '
        '- and - ORCA PARTS B.V., a Dutch company (hereinafter referred to as "Orca") Customer and Orca '
        'hereinafter also collectively referred to as the "Parties".'
    )
    assert _names(text) == ["NORTH STAR TOOLS INC.", "ORCA PARTS B.V."]


def test_letter_agreement_parties_defined_by_short_names() -> None:
    text = (
        "AGENCY AGREEMENT\n\nLadies and Gentlemen:\n\nPine Valley Bancorp, Inc., a Maryland corporation (the "
        '"Company"), and Pine Valley Savings Bank, a federal savings bank located in Reno, Nevada (the '
        '"Bank"), hereby confirm their agreement with Harlow, Steed & Co., Inc. (the "Agent") as '
        'follows:\n\nSection 1. The Offering. The Company will sell shares (the "Shares") at a fixed price (the '
        '"Purchase Price").'
    )
    assert _names(text) == ["Pine Valley Bancorp, Inc.", "Pine Valley Savings Bank", "Harlow, Steed & Co., Inc."]


def test_letter_naming_parties_again_by_their_short_names() -> None:
    text = (
        'Dear Ms. Park:\n\nThe undersigned is a holder of shares of Birchwood Labs, Inc. ("Birchwood") and will '
        'hold shares of Delta Medical, Inc. ("Delta") under the merger agreement by and among Delta, Delta '
        'Merger Corp. ("Merger Sub") and Birchwood.\n\n1. Shares.'
    )
    assert _names(text) == ["Birchwood Labs, Inc.", "Delta Medical, Inc.", "Delta Merger Corp."]


def test_signer_titles_and_name_fragments_before_by_are_dropped() -> None:
    text = (
        "JOINT FILING AGREEMENT\n\nThe undersigned hereby agree to file this statement jointly.\n\nIN WITNESS "
        "WHEREOF, the undersigned have signed.\n\nName: Ann Lee Title: CEO HARBOR VIEW CAPITAL, INC. By: /s/ Ann "
        "Lee\n\nName: Bo Li Treasurer Potomac Ridge Advisors, LLC By: /s/ Bo Li\n\nCO. LTD. By: /s/ Cy Wu\n\n"
        "A Massachusetts Corporation By: /s/ Di Ho"
    )
    assert _names(text) == ["HARBOR VIEW CAPITAL, INC.", "Potomac Ridge Advisors, LLC"]


def test_opening_without_between_names_parties_by_short_names() -> None:
    text = (
        'SOFTWARE HOSTING AGREEMENT\n\nThis Software Hosting Agreement (the "Agreement") is entered into as of the '
        'later of the two signature dates below (the "Effective Date") NORTHWIND SYSTEMS CORPORATION ("Northwind"), '
        "a California corporation, 10 Bay Street, Suite 110, San Mateo, California 94403, and HARBOR SOFT "
        'CORPORATION ("Harbor"), a Washington corporation, pursuant to Rule 5 of the Exchange ("Exchange").'
    )
    assert _names(text) == ["NORTHWIND SYSTEMS CORPORATION", "HARBOR SOFT CORPORATION"]


def test_a_list_the_splitter_cannot_read_falls_back_to_short_names() -> None:
    text = (
        'THIS AGREEMENT ("Agreement"), made and entered into this 17th day of November, 2015, by and between the '
        'TOWN OF ELM GROVE, VIRGINIA, a Virginia municipal corporation ("Grantor"), and BLUE RIDGE GAS COMPANY, a '
        'Virginia corporation ("Grantee").\n\nWHEREAS, Grantor has reviewed the proposal.'
    )
    assert _names(text) == ["TOWN OF ELM GROVE, VIRGINIA", "BLUE RIDGE GAS COMPANY"]

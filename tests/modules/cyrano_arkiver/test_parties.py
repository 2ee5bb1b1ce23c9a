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
        '("Pine") and 7THSTREET.COM, INC. having its office at 9 Elm Road, Reno, Nevada 89501 ("Seventh"), and '
        '3301187 Quebec Limited, a Quebec corporation ("Reseller").'
    )
    assert _names(text) == ["481220 B.C. Ltd.", "7THSTREET.COM, INC.", "3301187 Quebec Limited"]


def test_role_label_before_a_signature_name_is_dropped() -> None:
    text = (
        "RESELLER AGREEMENT\n\nThe parties agree to the terms below.\n\nIN WITNESS WHEREOF, the parties have "
        "signed.\n\nDISTRIBUTOR Tall Oak Systems, Inc. By: /s/ Ann Lee\n\nMASTER FRANCHISEE : RED KITE FOODS, INC. "
        "By: /s/ Bo Li"
    )
    assert _names(text) == ["Tall Oak Systems, Inc.", "RED KITE FOODS, INC."]


def test_descriptors_roles_and_the_parties_are_no_names() -> None:
    text = (
        "THIS AGREEMENT IS THE SOLE AGREEMENT BETWEEN THE PARTIES RELATING TO THE SERVICES.\n\n"
        "Party A: Client\n\nParty B: Delaware corporation\n\nIN WITNESS WHEREOF, the parties have signed.\n\n"
        "NORTH GATE LABS, INC. By: /s/ Ann Lee\n\nDelaware corporation By: /s/ Bo Li"
    )
    assert _names(text) == ["NORTH GATE LABS, INC."]

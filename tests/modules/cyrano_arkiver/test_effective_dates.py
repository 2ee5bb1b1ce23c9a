"""Effective dates given by the signature blocks, by a label or by the agreement date (hand-written snippets)."""

import datetime as dt

from cyrano_arkiver.extraction import extract_insights

_PARTIES = 'This Agreement is entered into by and between Oak Co. ("Oak") and Pine LLC ("Pine").\n\n'


def _effective(text: str) -> dt.date | None:
    effective = extract_insights([text]).first_date("effective")
    return None if effective is None else effective.date


def test_signature_dates_without_a_label() -> None:
    text = (
        _PARTIES + "This Agreement shall enter into effect on the date it is signed by both parties.\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Agreement.\n\n"
        "OAK CO. Name: A. Lee Title: CEO Toronto, ON 21 OCT 2011\n\nPINE LLC Name: B. Kim Title: CEO Lagos 24 OCT 2011"
    )
    assert _effective(text) == dt.date(2011, 10, 24)


def test_term_beginning_when_the_last_signatory_signs() -> None:
    text = (
        _PARTIES + "The term of this Agreement will begin on the date this Agreement is signed by the last "
        'signatory ("Effective Date").\n\nOAK CO. By: /s/ A. Lee Date: August 7, 2018\n\n'
        "PINE LLC By: /s/ B. Kim Date: August 8, 2018"
    )
    assert _effective(text) == dt.date(2018, 8, 8)


def test_a_contract_without_a_date_takes_effect_when_last_signed() -> None:
    text = (
        _PARTIES
        + "1. Supply. Oak sells.\n\nOAK CO. By: /s/ A. Lee Date: 1/26/2020\n\nPINE LLC By: /s/ B. Kim Date: 1/27/2020"
    )
    assert _effective(text) == dt.date(2020, 1, 27)


def test_a_dated_contract_is_not_dated_by_its_signatures() -> None:
    text = (
        'This Agreement is made as of May 2, 2019 by and between Oak Co. ("Oak") and Pine LLC ("Pine").\n\n'
        "1. Supply. Oak sells.\n\nOAK CO. By: /s/ A. Lee Date: 1/26/2020\n\nPINE LLC By: /s/ B. Kim Date: 1/27/2020"
    )
    assert _effective(text) is None


def test_effective_date_defined_as_the_date_first_written() -> None:
    text = (
        'THIS LICENSE AGREEMENT dated as of October 30, 2018 is made BETWEEN: OAK CO. ("Oak") and PINE LLC ("Pine").'
        '\n\n1. Definitions.\n\n"Effective Date" means the date first written above.'
    )
    assert _effective(text) == dt.date(2018, 10, 30)


def test_effective_date_labelled_for_this_agreement() -> None:
    text = _PARTIES + "THE EFFECTIVE DATE OF THIS RESELLER AGREEMENT SHALL BE: Sept 29, 2004\n\n1. Appointment."
    assert _effective(text) == dt.date(2004, 9, 29)


def test_effective_as_of_the_date_first_listed() -> None:
    text = (
        "THIS AGREEMENT is made and entered into this 1st day of June, 2017 by and between Oak Bank and Pine Lee."
        "\n\nWHEREAS, it is agreed that this agreement is to be effective as of the date first listed above;"
    )
    assert _effective(text) == dt.date(2017, 6, 1)

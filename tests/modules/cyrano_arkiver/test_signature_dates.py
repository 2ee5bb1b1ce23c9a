"""Effective dates the signature blocks give (hand-written snippets, not any one contract)."""

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

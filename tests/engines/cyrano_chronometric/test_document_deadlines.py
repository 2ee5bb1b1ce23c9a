"""Deadlines read from a contract's insights, as a pure function: notice days counted back from the term's end,
months clamped to the month's end, weekends flagged, dates the contract states as deadlines."""

import datetime as dt

from cyrano_arkiver.extraction import extract_insights
from cyrano_arkiver.extraction.models import Duration
from cyrano_arkiver.insight_pages import insights_answer
from cyrano_arkiver.models import InsightsRequest
from cyrano_arkiver.pages import paginate_text
from cyrano_chronometric.counting import Period
from cyrano_chronometric.document_deadlines import DocumentDeadlines, deadlines_of, period_of
from cyrano_chronometric.work_calendar import calendar_for

DOCUMENT = "00000000-0000-4000-8000-000000000001"


def read(text: str, as_of: dt.date = dt.date(1990, 1, 1)) -> DocumentDeadlines:
    request = InsightsRequest(document_id=DOCUMENT, kinds=["dates", "term", "obligations"], limit=100)
    pages = paginate_text(text)
    insights = insights_answer(
        document_id=DOCUMENT, method="rules", insights=extract_insights(pages), counts={}, request=request
    )
    return deadlines_of(DOCUMENT, "lease.txt", insights, as_of=as_of, calendar=calendar_for("US"))


def term(end: str, notice: str) -> str:
    return (
        'This Lease (the "Agreement") is made as of January 1, 2010 between Harbor Freight Inc. and Acme Corp. '
        f"The term of this Agreement shall expire on {end}. This Agreement shall automatically renew for successive "
        f"one (1) year periods unless either party gives written notice of non-renewal at least {notice} prior to "
        "the expiration of the then-current term."
    )


def notice_of(found: DocumentDeadlines) -> dt.date:
    (notice,) = [proposal for proposal in found.proposals if proposal.kind == "non_renewal_notice"]
    return notice.due


def test_months_are_counted_by_the_calendar_and_clamped_to_the_month() -> None:
    assert notice_of(read(term("March 31, 2015", "three (3) months"))) == dt.date(2014, 12, 31)
    assert notice_of(read(term("May 31, 2015", "three (3) months"))) == dt.date(2015, 2, 28)
    assert notice_of(read(term("March 18, 2015", "ninety (90) days"))) == dt.date(2014, 12, 18)


def test_a_notice_day_on_a_weekend_or_holiday_says_when_to_act() -> None:
    # 2015-03-22 less 90 days is Sunday 2014-12-21: act by Friday 2014-12-19.
    found = read(term("March 21, 2015", "ninety (90) days"))
    (notice,) = [proposal for proposal in found.proposals if proposal.kind == "non_renewal_notice"]
    assert notice.due == dt.date(2014, 12, 21)
    assert notice.caution is not None and "Sunday" in notice.caution and "2014-12-19" in notice.caution
    # 2015-03-26 less 90 days is Thursday 2014-12-25, Christmas Day: act by Wednesday 2014-12-24.
    christmas = [p for p in read(term("March 25, 2015", "ninety (90) days")).proposals if p.caution]
    assert (
        christmas and "Christmas Day" in (christmas[0].caution or "") and "2014-12-24" in (christmas[0].caution or "")
    )


def test_a_stated_deadline_and_a_limit_running_from_an_event() -> None:
    found = read(
        'This Services Agreement is made as of January 1, 2019 between Harbor Freight Inc. ("Client") and Acme '
        'Corp. ("Consultant"). Consultant shall deliver the final report no later than March 1, 2020. Client shall '
        "pay each invoice within thirty (30) days after receipt."
    )
    stated = [proposal for proposal in found.proposals if proposal.kind == "stated_deadline"]
    assert [proposal.due for proposal in stated] == [dt.date(2020, 3, 1)]
    assert "no later than March 1, 2020" in stated[0].evidence[0].quote
    assert [item.limit for item in found.conditional] == ["within thirty (30) days after receipt"]


def test_periods_count_in_one_unit_or_not_at_all() -> None:
    assert period_of(Duration(days=90)) == Period(count=90, unit="day")
    assert period_of(Duration(years=2)) == Period(count=2, unit="year")
    assert period_of(Duration(years=1, months=6)) == Period(count=18, unit="month")
    assert period_of(Duration(months=1, days=10)) is None
    assert period_of(Duration()) is None

"""arkiver_insights' answers: key terms first, lists a page at a time, every item once, nothing quoted twice."""

import json
import uuid
from typing import Any

import pytest

from cyrano_arkiver.extraction import Insights, extract_insights
from cyrano_arkiver.extraction.models import Provenance
from cyrano_arkiver.insight_pages import ANSWER_CHARS, KEY_DATE_KINDS, LIST_KINDS, insights_answer
from cyrano_arkiver.insight_views import DocumentInsights, Quotes
from cyrano_arkiver.models import InsightsRequest
from cyrano_arkiver.pages import paginate_text
from cyrano_mcp.kit import InvalidInputError
from tests.modules.cyrano_arkiver.test_extraction import LICENSE

DOCUMENT_ID = str(uuid.uuid4())
# LICENSE's parties are Licensor and Licensee; a long schedule gives both many obligations.
LONG = LICENSE + "".join(
    f"\n\n{number + 4}. Schedule {number}. "
    + (
        f"The Licensee shall deliver report {number} to the Licensor within {number} days after each quarter. "
        if number % 3
        else f"Licensor shall pay a service credit of ${number},000.00 for outage {number}. "
    )
    + f'"Outage {number}" means any outage of the service lasting more than {number} hours.'
    for number in range(1, 121)
)


@pytest.fixture(scope="module")
def insights() -> Insights:
    return extract_insights(paginate_text(LONG))


def answer(insights: Insights, **arguments: Any) -> DocumentInsights:
    request = InsightsRequest(document_id=DOCUMENT_ID, **arguments)
    return insights_answer(
        document_id=DOCUMENT_ID, method="rules", insights=insights, counts=insights.counts(), request=request
    )


def walk(insights: Insights, **arguments: Any) -> list[DocumentInsights]:
    """Every answer a client gets by following next_cursor from the first."""
    answers = [answer(insights, **arguments)]
    while answers[-1].next_cursor is not None:
        answers.append(answer(insights, **arguments, cursor=answers[-1].next_cursor))
        assert len(answers) < 200
    return answers


def identity(item: Any) -> tuple[Any, ...]:
    """An item by its span, and a date also by its value and kind (one sentence can give several dates)."""
    span = (item.provenance.page, item.provenance.start, item.provenance.end)
    return (*span, str(getattr(item, "date", "")), getattr(item, "kind", ""))


def listed(answers: list[DocumentInsights], kind: str) -> list[tuple[Any, ...]]:
    return [identity(item) for page in answers for item in getattr(page.lists, kind)]


def spans(items: list[Any]) -> list[tuple[Any, ...]]:
    return [identity(item) for item in items]


def test_the_cursors_walk_every_item_once_and_each_answer_fits(insights: Insights) -> None:
    assert len(insights.obligations) > 100 and len(insights.defined_terms) > 100
    answers = walk(insights)
    assert len(answers) > 5
    for page in answers:
        assert len(page.model_dump_json()) <= ANSWER_CHARS
    key = answers[0].key_terms
    assert key is not None and all(page.key_terms is None for page in answers[1:])
    key_dates = [date for date in insights.dates if date.kind in KEY_DATE_KINDS]
    assert {date.kind for date in key.dates} == {date.kind for date in key_dates}
    for kind in LIST_KINDS:
        stored = spans(getattr(insights, kind))
        if kind == "dates":  # the key dates on the first page, the others in the list
            stored = [date for date in stored if date not in spans(key.dates)]
            assert sorted(listed(answers, kind) + spans(key.dates)) == sorted(spans(insights.dates))
        assert listed(answers, kind) == stored, kind  # all of them, once, in order
    assert [len(party.name) for party in key.parties] and key.governing_law is not None
    assert answers[0].counts["obligations"] == len(insights.obligations)
    assert "This page: amounts 1-" in (answers[0].more or "") and "cursor=next_cursor" in (answers[0].more or "")
    assert answers[-1].next_cursor is None


def test_limit_and_kinds_narrow_the_pages(insights: Insights) -> None:
    answers = walk(insights, kinds=["defined_terms"], limit=7)
    assert all(len(page.lists.defined_terms) <= 7 for page in answers)
    assert answers[0].key_terms is not None and answers[0].key_terms.parties == []
    assert answers[0].obligors is None and all(not page.lists.obligations for page in answers)
    assert listed(answers, "defined_terms") == spans(insights.defined_terms)


def test_one_partys_obligations_whatever_name_it_is_given_by(insights: Insights) -> None:
    first = answer(insights)
    assert first.obligors is not None and set(first.obligors) == {"Licensee", "Licensor"}
    for name in ("Licensee", "the licensee", "Harbor Lane Bakery LLC"):
        answers = walk(insights, obligor=name)
        obligations = [item for page in answers for item in page.lists.obligations]
        assert {item.obligor for item in obligations} == {"Licensee"}
        assert len(obligations) == first.obligors["Licensee"]
        assert all(not page.lists.amounts and not page.lists.defined_terms for page in answers)
    nobody = answer(insights, obligor="Acme Widgets")
    assert nobody.lists.obligations == [] and "No obligations of 'Acme Widgets'" in (nobody.more or "")
    with pytest.raises(InvalidInputError, match="obligor"):
        answer(insights, obligor="Licensee", kinds=["amounts"])


def test_a_cursor_serves_only_the_request_it_came_from(insights: Insights) -> None:
    cursor = answer(insights).next_cursor
    assert cursor is not None
    with pytest.raises(InvalidInputError, match="another document, kinds or obligor"):
        answer(insights, kinds=["obligations"], cursor=cursor)
    with pytest.raises(InvalidInputError, match="another document, kinds or obligor"):
        answer(insights, obligor="Licensee", cursor=cursor)
    for forged in ("not-a-cursor", "eyJrIjoicGFydGllcyIsImkiOjAsImYiOiJ4In0", "e30"):
        with pytest.raises(InvalidInputError, match="not a cursor this server issued"):
            answer(insights, cursor=forged)


def test_nothing_is_said_twice_in_one_answer() -> None:
    insights = extract_insights([LICENSE])
    result = answer(insights)
    assert result.next_cursor is None and result.more is None
    key = result.key_terms
    assert key is not None and key.term.renewal is not None and key.term.non_renewal_notice is not None
    # The renewal clause also sets the notice period: the same words, quoted on the first item only.
    assert key.term.renewal.provenance.quote is not None and key.term.non_renewal_notice.provenance.quote is None
    assert spans([key.term.renewal]) == spans([key.term.non_renewal_notice])
    # The agreement and effective dates come from one sentence: quoted once.
    assert [date.provenance.quote is None for date in key.dates][:2] == [False, True]
    text = result.model_dump_json()
    for repeated in ("Thereafter this Agreement shall automatically renew", "is made and entered into"):
        assert text.count(repeated) == 1
    # Words inside another quote of the answer are not quoted again: the fee is in the obligation to pay it.
    fee, pay = result.lists.amounts[0], result.lists.obligations[0]
    assert fee.provenance.quote is None and pay.provenance.quote is not None
    assert pay.provenance.start <= fee.provenance.start < fee.provenance.end <= pay.provenance.end
    # Fields that restated the quote are left to it.
    obligation = json.loads(text)["lists"]["obligations"][0]
    assert "action" not in obligation and obligation["provenance"]["quote"].startswith(obligation["obligor"])
    assert "text" not in json.loads(text)["key_terms"]["term"]["initial"]
    assert "definition" not in json.loads(text)["lists"]["defined_terms"][0]


def test_a_quote_left_out_for_another_is_kept_when_that_other_item_is_not_in_the_answer() -> None:
    quotes = Quotes()
    inner = quotes.span(Provenance(page=1, start=10, end=20, quote="the fee of"))
    outer = quotes.span(Provenance(page=1, start=0, end=40, quote="Licensee shall pay the fee of $25,000 now"))
    quotes.withdraw(outer)  # the page ran out before the item that quotes the longer span
    quotes.leave_out_contained()
    assert inner.quote == "the fee of"
    again = quotes.span(Provenance(page=1, start=0, end=40, quote="Licensee shall pay the fee of $25,000 now"))
    quotes.leave_out_contained()
    assert again.quote is not None and inner.quote is None

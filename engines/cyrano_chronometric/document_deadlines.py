"""Deadlines a contract sets, read from Arkiver's insights: the day notice of non-renewal is due, the day the term
ends, dates the contract gives as deadlines, and time limits that run from an event with no date yet.

The notice day is the term's end counted back by the notice period in calendar days, as a contract's "at least
ninety (90) days prior to the expiration of the then-current term" reads; it is not moved off a weekend (the
contract does not say so), but a weekend or holiday is flagged so the lawyer acts the working day before. A term
that renews automatically and ended before the period asked about is carried forward, renewal by renewal, to the
term running then: the notice that matters is the current term's.
"""

import datetime as dt
from dataclasses import dataclass, field

from cyrano_arkiver.api import DocumentInsights, Duration, Quoted
from cyrano_chronometric.counting import Computation, Period, compute
from cyrano_chronometric.work_calendar import WorkCalendar

_MAX_RENEWALS = 400  # a monthly renewal carried forward 33 years; beyond that the contract is not read right
_STATED_KINDS = ("deadline", "termination_notice")


@dataclass(frozen=True)
class Evidence:
    page: int
    quote: str
    role: str
    span: tuple[int, int] = (0, 0)  # where on the page: a clause quoted for two roles is one piece of evidence


@dataclass(frozen=True)
class Proposal:
    """A deadline computed from one document, before it is docketed."""

    key: str  # the same deadline computed again has the same key
    kind: str
    title: str
    due: dt.date
    trigger: dt.date | None
    how: str | None
    caution: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Conditional:
    obligor: str | None
    limit: str
    page: int
    quote: str


@dataclass
class DocumentDeadlines:
    proposals: list[Proposal] = field(default_factory=list)
    conditional: list[Conditional] = field(default_factory=list)


def period_of(duration: Duration) -> Period | None:
    """A contract's period as one counting unit: days, or whole months (years as months), or None when it mixes
    days with months ("one month and ten days" is not counted here)."""
    if duration.days and (duration.years or duration.months):
        return None
    if duration.days:
        return Period(count=duration.days, unit="day")
    months = duration.years * 12 + duration.months
    if months == 0:
        return None
    return Period(count=duration.years, unit="year") if duration.months == 0 else Period(count=months, unit="month")


def deadlines_of(
    document_id: str, name: str, insights: DocumentInsights, *, as_of: dt.date, calendar: WorkCalendar
) -> DocumentDeadlines:
    """The deadlines of one document's insights (key terms, dates and obligations), counted from `as_of`."""
    found = DocumentDeadlines()
    key_terms = insights.key_terms
    if key_terms is not None:
        expiration = next((item for item in key_terms.dates if item.kind == "expiration"), None)
        if expiration is not None:
            found.proposals += _term_deadlines(document_id, name, insights, expiration.date, expiration.provenance,
                                               as_of=as_of, calendar=calendar)  # fmt: skip
        for item in key_terms.dates + insights.lists.dates:
            if item.kind in _STATED_KINDS and not item.computed:
                found.proposals.append(
                    Proposal(
                        key=f"{document_id}:stated:{item.date.isoformat()}",
                        kind="stated_deadline",
                        title=f"Deadline stated in {name}",
                        due=item.date,
                        trigger=None,
                        how="stated in the document",
                        caution=None,
                        evidence=_quoted(item.provenance, "deadline"),
                    )
                )
    for obligation in insights.lists.obligations:
        if obligation.deadline is not None and obligation.provenance.quote is not None:
            found.conditional.append(
                Conditional(
                    obligation.obligor, obligation.deadline, obligation.provenance.page, obligation.provenance.quote
                )  # fmt: skip
            )
    return found


def _term_deadlines(
    document_id: str,
    name: str,
    insights: DocumentInsights,
    stated_end: dt.date,
    end_quote: Quoted,
    *,
    as_of: dt.date,
    calendar: WorkCalendar,
) -> list[Proposal]:
    term = insights.key_terms.term if insights.key_terms is not None else None
    renewal = term.renewal if term is not None else None
    notice = term.non_renewal_notice if term is not None else None
    evidence = _quoted(end_quote, "term end")
    term_end, renewals = stated_end, 0
    renewal_period = period_of(renewal.duration) if renewal is not None and renewal.duration is not None else None
    renews = renewal is not None and (renewal.automatic or notice is not None)
    if renewal is not None and renewal_period is not None and renews:
        evidence += _quoted(renewal.provenance, "renewal")
        while term_end < as_of and renewals < _MAX_RENEWALS:
            term_end = compute(term_end, renewal_period, method="calendar_days", calendar=calendar).due
            renewals += 1
    carried = (
        f"the term stated to end on {stated_end.isoformat()} renews automatically; carried forward {renewals} "
        f"renewal{'s' if renewals != 1 else ''} to the current term"
        if renewals
        else None
    )
    proposals = [
        Proposal(
            key=f"{document_id}:expiry:{term_end.isoformat()}",
            kind="expiry",
            title=f"Term ends: {name}",
            due=term_end,
            trigger=None,
            how=carried or "stated in the document",
            caution=None,
            evidence=evidence,
        )
    ]
    period = period_of(notice.duration) if notice is not None and notice.duration is not None else None
    if notice is None or period is None:
        return proposals
    counted = compute(term_end, period, method="calendar_days", direction="before", calendar=calendar)
    missed = None
    if counted.due < as_of and renewal_period is not None and renews:
        # Too late to stop the current term renewing: the notice that can still be given is the next term's.
        missed = f"notice for the term ending {term_end.isoformat()} was due by {counted.due.isoformat()}: the " \
            "agreement renews then; this is the next term's notice day"  # fmt: skip
        term_end = compute(term_end, renewal_period, method="calendar_days", calendar=calendar).due
        counted = compute(term_end, period, method="calendar_days", direction="before", calendar=calendar)
    cautions = [text for text in (missed, _weekend_caution(counted.due, calendar)) if text]
    proposals.append(
        Proposal(
            key=f"{document_id}:non_renewal_notice:{term_end.isoformat()}",
            kind="non_renewal_notice",
            title=f"Last day for notice of non-renewal: {name}",
            due=counted.due,
            trigger=term_end,
            how=_how(counted, carried),
            caution="; ".join(cautions) or None,
            evidence=_with_notice(evidence, notice.provenance),
        )
    )
    return proposals


def _how(counted: Computation, carried: str | None) -> str:
    how = f"{_period_words(counted.period)} before the term ends on {counted.trigger.isoformat()}, in calendar days"
    return f"{how}; {carried}" if carried else how


def _period_words(period: Period) -> str:
    return f"{period.count} {period.unit}{'' if period.count == 1 else 's'}"


def _weekend_caution(due: dt.date, calendar: WorkCalendar) -> str | None:
    holiday = calendar.holiday(due)
    if not calendar.is_weekend(due) and holiday is None:
        return None
    earlier = due - dt.timedelta(days=1)
    while not calendar.is_business_day(earlier):
        earlier -= dt.timedelta(days=1)
    what = holiday or due.strftime("%A")
    return f"the last day falls on {what}: give notice by {earlier.strftime('%A')} {earlier.isoformat()} to be safe"


def _with_notice(evidence: list[Evidence], notice: Quoted) -> list[Evidence]:
    """The evidence with the notice clause: its own quote, or the role added to the clause already quoted."""
    if notice.quote:
        return [*evidence, *_quoted(notice, "notice period")]
    return [
        Evidence(item.page, item.quote, f"{item.role} and notice period")
        if item.page == notice.page and item.span == (notice.start, notice.end)
        else item
        for item in evidence
    ]


def _quoted(quoted: Quoted, role: str) -> list[Evidence]:
    """The clause as evidence; none when its words were quoted already for another item (the same sentence gives
    the renewal and the notice period)."""
    return [Evidence(quoted.page, quoted.quote, role, (quoted.start, quoted.end))] if quoted.quote else []

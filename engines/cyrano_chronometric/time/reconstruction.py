"""Proposals of unrecorded time from evidence already in Cyrano (issue 17): never stored, never billed by themselves.

Each piece of evidence suggests a duration; a matter's proposal for a day adds its evidence up, and the day's
proposals together never pass the day's shortfall (the last ones are cut, and the cut is said).

| evidence                          | class          | suggested                                  |
|-----------------------------------|----------------|--------------------------------------------|
| an e-mail the user sent           | direct         | 0.2 h; 0.3 h with attachments              |
| an e-mail the user received       | circumstantial | 0.1 h                                      |
| a document filed in the matter    | circumstantial | 0.2 h per 10 pages begun, at most 2.0 h    |
| a deadline the user completed     | direct         | 0.3 h                                      |
| a timed calendar event they are   | circumstantial | its length in tenths begun, at most 8.0 h  |
| organizer or attendee of          |                | (an all-day event suggests nothing)        |

Only envelope facts are used (no message bodies); an attachment of the user's own e-mail belongs to that e-mail.
Names and subjects are client material: proposals are computed on request and never logged.
"""

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cyrano_arkiver.api import MessageRecord
from cyrano_chronometric.time.reconstruct_models import EvidenceClass, EvidenceKind

SENT_TENTHS, SENT_WITH_ATTACHMENTS_TENTHS, RECEIVED_TENTHS = 2, 3, 1
DOCUMENT_TENTHS_PER_10_PAGES, DOCUMENT_MAX_TENTHS, DEADLINE_TENTHS = 2, 20, 3
MEETING_MAX_TENTHS = 80


@dataclass(frozen=True)
class Evidence:
    kind: EvidenceKind
    evidence_class: EvidenceClass
    what: str
    when: dt.datetime
    ref: str
    tenths: int


@dataclass(frozen=True)
class Proposal:
    proposal_id: str
    day: dt.date
    matter_id: str
    tenths: int
    narrative: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class DayProposals:
    proposals: list[Proposal]
    capped: bool


def bare_address(entry: str) -> str:
    """`Leo Marsh <leo@x.com>` or `leo@x.com` as `leo@x.com`, lower case."""
    inside = entry.rsplit("<", 1)[-1].rstrip(">") if "<" in entry else entry
    return inside.strip().lower()


def display_name(entry: str) -> str:
    """The name shown for an address, or the address when it has none."""
    name = entry.split("<", 1)[0].strip().strip('"') if "<" in entry else ""
    return name or bare_address(entry)


def sent_email(ref: str, when: dt.datetime, to: Sequence[str], subject: str, attachments: int) -> Evidence:
    whom = ", ".join(display_name(entry) for entry in to[:2]) + (" and others" if len(to) > 2 else "")
    what = f"E-mailed {whom or 'a recipient'} re: {subject or '(no subject)'}"
    if attachments:
        what += f" ({attachments} attachment{'s' if attachments > 1 else ''})"
    tenths = SENT_WITH_ATTACHMENTS_TENTHS if attachments else SENT_TENTHS
    return Evidence("email_sent", "direct", what, when, ref, tenths)


def received_email(ref: str, when: dt.datetime, sender: Sequence[str], subject: str) -> Evidence:
    whom = display_name(sender[0]) if sender else "an unknown sender"
    what = f"read e-mail from {whom} re: {subject or '(no subject)'}"
    return Evidence("email_received", "circumstantial", what, when, ref, RECEIVED_TENTHS)


def filed_document(ref: str, when: dt.datetime, filename: str | None, pages: int) -> Evidence:
    tens_begun = max(1, -(-pages // 10))
    tenths = min(DOCUMENT_MAX_TENTHS, tens_begun * DOCUMENT_TENTHS_PER_10_PAGES)
    what = f"reviewed {filename or 'a document'}" + (f" ({pages} page{'s' if pages != 1 else ''})" if pages else "")
    return Evidence("document_filed", "circumstantial", what, when, ref, tenths)


def completed_deadline(ref: str, when: dt.datetime, title: str) -> Evidence:
    return Evidence("deadline_completed", "direct", f"completed deadline: {title}", when, ref, DEADLINE_TENTHS)


def calendar_event(ref: str, start: dt.datetime, end: dt.datetime, summary: str) -> Evidence | None:
    """A timed event on the user's calendar: its length in tenths begun (a 20-minute call is 0.4 h)."""
    seconds = (end - start).total_seconds()
    if seconds <= 0:
        return None
    tenths = min(MEETING_MAX_TENTHS, max(1, -(-int(seconds) // 360)))
    return Evidence("calendar_event", "circumstantial", f"meeting: {summary or '(no title)'}", start, ref, tenths)


def message_evidence(message: MessageRecord, addresses: frozenset[str]) -> Evidence | None:
    """A filed e-mail as the user's work: sent by one of their addresses (direct), else received by one as To or
    Cc (circumstantial), else none (a Bcc copy or someone else's mail says nothing of their day)."""
    if message.sent_at is None:
        return None
    if any(bare_address(entry) in addresses for entry in message.sender):
        attached = len(message.attachments)
        return sent_email(message.document_id, message.sent_at, message.to, message.subject, attached)
    if any(bare_address(entry) in addresses for entry in [*message.to, *message.cc]):
        return received_email(message.document_id, message.sent_at, message.sender, message.subject)
    return None


def proposal_id(user: str, day: dt.date, matter_id: str, evidence: Sequence[Evidence]) -> str:
    """A digest of who, when, where and which evidence: the same evidence gives the same id again."""
    refs = ",".join(sorted(f"{item.kind}:{item.ref}" for item in evidence))
    digest = hashlib.sha256(f"{user}|{day.isoformat()}|{matter_id}|{refs}".encode()).hexdigest()[:24]
    return f"{day.isoformat()}.{digest}"


def narrative_of(evidence: Sequence[Evidence]) -> str:
    text = "; ".join(item.what for item in sorted(evidence, key=lambda item: item.when))
    return text[:1].upper() + text[1:]


def propose_day(
    user: str, day: dt.date, short_tenths: int, evidence_by_matter: Mapping[str, Sequence[Evidence]]
) -> DayProposals:
    """One proposal per matter with evidence, most direct evidence first; together at most the day's shortfall."""

    def weight(matter_id: str) -> tuple[int, int, str]:
        items = evidence_by_matter[matter_id]
        direct = sum(1 for item in items if item.evidence_class == "direct")
        return (-direct, -sum(item.tenths for item in items), matter_id)

    remaining, capped = short_tenths, False
    proposals: list[Proposal] = []
    for matter_id in sorted((key for key, items in evidence_by_matter.items() if items), key=weight):
        items = tuple(sorted(evidence_by_matter[matter_id], key=lambda item: (item.when, item.ref)))
        wanted = sum(item.tenths for item in items)
        granted = min(wanted, remaining)
        capped = capped or granted < wanted
        if granted <= 0:
            continue
        remaining -= granted
        proposals.append(
            Proposal(proposal_id(user, day, matter_id, items), day, matter_id, granted, narrative_of(items), items)
        )
    return DayProposals(proposals, capped)

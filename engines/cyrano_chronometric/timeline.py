"""A matter's chronology: every dated event its documents give, in date order, each with its sentence and page;
an event two documents date differently is shown as a conflict.

An event counts as one event across documents when its label (what happens on the date, in the documents' own
words) is the same and each document gives it once: "The Closing shall take place on March 3" and "the Closing
took place on March 5" conflict; monthly payments, given many times in one document, do not.
"""

import re
from collections import defaultdict

from cyrano_arkiver.api import MessageRecord, party_key
from cyrano_chronometric.answer_fit import PAGE_CHARS, cursor_after, fit_items
from cyrano_chronometric.documents import DocumentRef, all_insights, matter_documents, matter_messages, one_document
from cyrano_chronometric.events import DatedEvent, events_of
from cyrano_chronometric.models import ConflictDate, Timeline, TimelineConflict, TimelineEvent, TimelineRequest
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import OperationCaller, arguments_fingerprint, page_offset

_CONFLICTS_SHOWN = 10
_CONFLICT_CHARS = 2_000
# Dates every document has of its own: two contracts' agreement, effective or end dates differ without
# contradicting each other, and so do labels that name a document or its term ("the License Agreement dated ...",
# "the Initial Term ends on ...").
_OWN_KINDS = frozenset({"agreement", "effective", "expiration", "email"})
_OWN_LABELS = frozenset({"agreement made", "takes effect", "term ends", "deadline", "renewal"})
_DOCUMENT_WORDS = re.compile(
    r"\b(?:agreement|contract|amendment|addendum|license|licence|lease|nda|order|statement\s+of\s+work|plan|note|"
    r"term|effective\s+date|execution\s+date|commencement\s+date|expiration\s+date|signature\s+date|year|quarter|"
    r"month)\b",
    re.IGNORECASE,
)
_SHORTEST_LABEL = 4


class TimelineService:
    def __init__(self, operations: OperationCaller, matters: MattersReader) -> None:
        self._operations = operations
        self._matters = matters

    async def timeline(self, request: TimelineRequest) -> Timeline:
        documents = await self._documents(request)
        found: list[tuple[DocumentRef, DatedEvent]] = []
        for document in documents:
            insights = await all_insights(self._operations, document.id, ["dates"])
            found += [(document, event) for event in events_of(insights, {})]
        if request.matter_id is not None:
            names = {document.id: document for document in documents}
            for message in await matter_messages(self._operations, request.matter_id):
                if message.sent_at is not None and message.document_id in names:
                    found.append((names[message.document_id], sent_event(message)))
        conflicts = _conflicts(found)
        conflicting = {(document.id, event.label, event.date) for c in conflicts for document, event in c[1]}
        chosen = sorted(
            (pair for pair in found if _wanted(pair[1], request)),
            key=lambda pair: (pair[1].date, pair[0].name, pair[1].page),
        )
        bound = arguments_fingerprint(
            request.matter_id or "", ",".join(request.document_ids or []), request.start or "", request.end or "",
            request.party or "", ",".join(sorted(request.kinds or [])),
        )  # fmt: skip
        offset = page_offset(request.cursor, bound, "cursor: it was given for other documents or filters")
        shown_conflicts = fit_items([_conflict_view(c) for c in conflicts], _CONFLICT_CHARS, _CONFLICTS_SHOWN) \
            if offset == 0 else []  # fmt: skip
        room = PAGE_CHARS - sum(len(item.model_dump_json()) for item in shown_conflicts)
        page = chosen[offset : offset + request.limit + 1]
        views = _quoted_once(
            [_view(document, event, (document.id, event.label, event.date) in conflicting) for document, event in page]
        )
        events = fit_items(views[: request.limit], room, request.limit) or views[:1]
        return Timeline(
            documents_read=len(documents),
            events=events,
            total=len(chosen),
            conflicts=shown_conflicts,
            conflicts_total=len(conflicts),
            next_cursor=cursor_after(len(events), len(page), offset, bound),
        )

    async def _documents(self, request: TimelineRequest) -> list[DocumentRef]:
        if request.matter_id is not None:
            await self._matters.find(request.matter_id)
            return await matter_documents(self._operations, request.matter_id)
        return [await one_document(self._operations, document_id) for document_id in request.document_ids or []]


def sent_event(message: MessageRecord) -> DatedEvent:
    """An e-mail as an event of the day it was sent (UTC), described by its envelope."""
    sent = message.sent_at
    assert sent is not None
    senders, recipients = ", ".join(message.sender), ", ".join(message.to + message.cc)
    subject = message.subject or "(no subject)"
    described = f"E-mail from {senders or 'an unknown sender'} to {recipients or 'no one named'}: {subject}"
    attached = len(message.attachments)
    if attached:
        described += f" ({attached} attachment{'s' if attached != 1 else ''})"
    return DatedEvent(sent.date(), f"e-mail: {subject.lower()}", f"E-mail: {subject}", "email", False,
                      None, 1, described)  # fmt: skip


def _wanted(event: DatedEvent, request: TimelineRequest) -> bool:
    if request.start is not None and event.date < request.start:
        return False
    if request.end is not None and event.date > request.end:
        return False
    if request.kinds and event.kind not in request.kinds:
        return False
    return request.party is None or party_key(request.party) in party_key(event.quote)


def _conflicts(found: list[tuple[DocumentRef, DatedEvent]]) -> list[tuple[str, list[tuple[DocumentRef, DatedEvent]]]]:
    """Labels given once by each of two or more documents, with more than one date among them."""
    by_label: dict[str, dict[str, list[tuple[DocumentRef, DatedEvent]]]] = defaultdict(lambda: defaultdict(list))
    for document, event in found:
        if _names_an_event(event):
            by_label[event.label][document.id].append((document, event))
    conflicts = []
    for label, per_document in by_label.items():
        once = [items[0] for items in per_document.values() if len({item.date for _, item in items}) == 1]
        if len(once) >= 2 and len({event.date for _, event in once}) > 1:
            conflicts.append((label, sorted(once, key=lambda pair: pair[1].date)))
    return sorted(conflicts, key=lambda conflict: conflict[1][0][1].date)


def _names_an_event(event: DatedEvent) -> bool:
    """Whether the label names something that happens once to the matter (a closing, a notice), not a document's
    own dates or a phrase too short to match on."""
    label = event.label
    if event.kind in _OWN_KINDS or label in _OWN_LABELS or len(label) < _SHORTEST_LABEL:
        return False
    return not _DOCUMENT_WORDS.search(label) and not any(character.isdigit() for character in label)


def _conflict_view(conflict: tuple[str, list[tuple[DocumentRef, DatedEvent]]]) -> TimelineConflict:
    label, items = conflict
    return TimelineConflict(
        event=items[0][1].shown,
        dates=[ConflictDate(date=event.date, document_id=document.id, page=event.page) for document, event in items],
    )


def _view(document: DocumentRef, event: DatedEvent, conflict: bool) -> TimelineEvent:
    return TimelineEvent(
        date=event.date, approximate=event.approximate, event=event.shown, kind=event.kind, computed=event.computed,
        document_id=document.id, document=document.name, page=event.page, quote=event.quote, conflict=conflict,
    )  # fmt: skip


def _quoted_once(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """A sentence that gives several dates is quoted on its first event only."""
    seen: set[tuple[str, int, str]] = set()
    shown = []
    for event in events:
        key = (event.document_id, event.page, event.quote or "")
        shown.append(event.model_copy(update={"quote": None}) if key in seen else event)
        seen.add(key)
    return shown

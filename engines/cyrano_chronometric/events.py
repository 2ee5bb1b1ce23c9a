"""Dated events read from a document's insights: what happened or happens on each date the document gives, in its
own words, with the sentence and page it is written on.

An event's label is what the sentence says happens on the date: the term the document defines for it ('May 1,
2020 (the "Closing Date")'), or the words just before the date ("The Closing shall take place on", "notice was
given on"), or, for the dates Arkiver already knows the role of, that role ("agreement signed", "term ends").
Two documents giving one label different dates is a conflict the timeline shows.
"""

import datetime as dt
import re
from dataclasses import dataclass

from cyrano_arkiver.api import DocumentInsights

_ROLE_LABELS = {
    "agreement": "agreement made",
    "effective": "takes effect",
    "expiration": "term ends",
    "deadline": "deadline",
    "renewal": "renewal",
    "termination_notice": "notice of termination",
}
# Reading back from a date: the words that lead into it ("on", "as of", "on or about the"), then what happens
# (a verb: "shall take place", "was received", "occurred"), then the thing it happens to ("the Closing").
_LEAD_IN = frozenset({"on", "as", "of", "by", "dated", "effective", "until", "at", "or", "about", "before", "after",
                      "the", "from", "commencing", "beginning", "starting", "ending", "through"})  # fmt: skip
_AUXILIARIES = frozenset({
    "shall", "will", "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "must", "may", "can",
    "could", "would", "should", "take", "takes", "took", "taken", "taking", "place", "occur", "occurs", "due",
    "held", "made", "given", "sent", "paid", "done", "begin", "begins", "began", "end", "ends", "expire", "expires",
    "not", "no", "later", "than", "earlier",
})  # fmt: skip
_WORD = re.compile(r"[A-Za-z][\w'’-]*|[^\sA-Za-z]")
_DEFINED_AFTER = re.compile(r"\s*\(\s*(?:the\s+|this\s+)?[\"“]([^\"”]{2,60})[\"”]\s*\)")
_APPROXIMATE = re.compile(r"\b(?:on\s+or\s+about|approximately|about|around|circa)\s+(?:the\s+)?$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"[a-z]{3,}ed", re.IGNORECASE)
_STOPS = frozenset({"that", "which", "who", "and", "or", "but", "if", "when", "we", "confirm", "where", "because"})
_OPENERS = frozenset({"the", "a", "an", "this", "that", "such", "its", "their", "which", "and", "or", "of", "in"})
# Labels that name no event of their own: a date "of this Agreement" or "on" alone says nothing a reader can match.
_EMPTY = frozenset({
    "agreement", "this agreement", "contract", "party", "parties", "date", "day", "it", "which", "and", "or",
    "each", "any", "all", "time", "effect", "force", "made", "entered", "dated", "signed",
})  # fmt: skip
_MAX_LABEL_WORDS = 4


@dataclass(frozen=True)
class DatedEvent:
    date: dt.date
    label: str  # lower case, for matching across documents
    shown: str  # as the document words it
    kind: str  # Arkiver's date kind
    approximate: bool
    computed: str | None  # how a computed date was counted
    page: int
    quote: str  # the sentence


def events_of(insights: DocumentInsights, sentences: dict[tuple[int, int, int], str]) -> list[DatedEvent]:
    """The document's dated events. `sentences` maps (page, start, end) to words already quoted for that span,
    filled from every page of the insights (an answer quotes a span once; later items point back to it)."""
    events: list[DatedEvent] = []
    items = list(insights.key_terms.dates if insights.key_terms else []) + list(insights.lists.dates)
    for item in items:
        span = (item.provenance.page, item.provenance.start, item.provenance.end)
        if item.provenance.quote:
            sentences.setdefault(span, item.provenance.quote)
        sentence = sentences.get(span, "")
        shown = _label(sentence, item.mention) or _ROLE_LABELS.get(item.kind, "")
        if not shown:
            continue
        computed = None
        if item.resolved_from is not None:
            source, offset = item.resolved_from, item.resolved_from.offset
            counted = f" plus {offset.years}y {offset.months}m {offset.days}d" if offset is not None else ""
            computed = f"counted from the {source.anchor} date {source.anchor_date.isoformat()}{counted}"
        position = sentence.find(item.mention) if item.mention else -1
        approximate = position > 0 and _APPROXIMATE.search(sentence[:position]) is not None
        events.append(
            DatedEvent(
                item.date,
                " ".join(shown.lower().split()),
                shown,
                item.kind,
                approximate,
                computed,
                item.provenance.page,
                sentence,
            )  # fmt: skip
        )
    return _unique(events)


def _label(sentence: str, mention: str | None) -> str | None:
    if not sentence or not mention:
        return None
    position = sentence.find(mention)
    if position < 0:
        return None
    defined = _DEFINED_AFTER.match(sentence, position + len(mention))
    if defined is not None:
        return defined.group(1).strip()
    words = _WORD.findall(sentence[max(0, position - 120) : position])
    while words and words[-1].lower() in _LEAD_IN:
        words.pop()
    verbs = 0
    while words and (words[-1].lower() in _AUXILIARIES or _PARTICIPLE.fullmatch(words[-1])):
        words.pop()
        verbs += 1
    phrase: list[str] = []
    while words and len(phrase) < _MAX_LABEL_WORDS and words[-1][0].isalpha() and words[-1].lower() not in _STOPS:
        phrase.insert(0, words.pop())
    while phrase and phrase[0].lower() in _OPENERS:
        phrase.pop(0)
    label = " ".join(phrase)
    if not verbs and not label[:1].isupper():
        return None  # "... notice to Buyer on" with no verb names no event
    return label if label and label.lower() not in _EMPTY else None


def _unique(events: list[DatedEvent]) -> list[DatedEvent]:
    """One event per date and label: a key date is also listed among the dates (Arkiver's two views of it)."""
    seen: set[tuple[dt.date, str, int]] = set()
    kept = []
    for event in events:
        key = (event.date, event.label, event.page)
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept

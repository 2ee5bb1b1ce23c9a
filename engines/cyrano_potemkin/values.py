"""Judging a value a claim states (a date, a period, a place, an amount) against the sources.

Arkiver's facts come first: a claim about the expiration date is compared with the expiration date Arkiver read,
and disagreeing with it is a contradiction, whatever other dates the contract mentions. Without such a fact, the
passages that speak of the claim's topic decide: the value stated there supports the claim; a different value
of the same kind tied to the same topic contradicts it when it is the only such value the sources give, or when
it stands in one of the passages most like the claim. A value with no topic is supported when it is one of the
key facts, or by a passage that says much of what the claim says.

Arkiver gives each date one role, but a sentence may state two ("made and entered into effective as of May 1"):
when no fact has the claim's role, a date fact whose own sentence also names that role stands for it.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cyrano_arkiver.api import Duration, sentences_in
from cyrano_potemkin.anchors import Anchor, Value, same_duration, show
from cyrano_potemkin.findings import Finding, evidence_at, passage_evidence
from cyrano_potemkin.passages import Passage, SourceIndex, content_stems
from cyrano_potemkin.sources import SourceDocument, SourceFact
from cyrano_potemkin.topics import SOURCE_CUES, Topic, topic_of
from cyrano_potemkin.verdicts import Evidence

_FACT_TOPIC: dict[str, Topic] = {
    "party": "parties",
    "agreement_date": "agreement_date",
    "effective_date": "effective_date",
    "expiration_date": "expiration_date",
    "governing_law": "governing_law",
    "initial_term": "initial_term",
    "renewal_term": "renewal_term",
    "notice_period": "notice_period",
}
# A passage contradicts a claim only when it is among the claim's closest passages: a different date in a
# far-off sentence about another term is no evidence against it.
_CONTRADICTING_RANK = 3
# A value with no topic is supported by a passage holding at least this share of the claim's words (by rarity).
_GENERIC_SUPPORT = 0.5
# ... and contradicted by the passage most like it only when that passage says most of what the claim says.
_GENERIC_CONTRADICTION = 0.75
# The words with which a date fact's sentence also gives the date another role (stricter than SOURCE_CUES: "as of"
# follows "effective" as often as "made").
_ALSO_STATES: dict[Topic, re.Pattern[str]] = {
    "agreement_date": re.compile(r"\bdated\b|\bentered\s+into\b|\bmade\b|\bexecuted\b|\bsigned\b", re.IGNORECASE),
    "effective_date": re.compile(r"\beffective\b|\bcommenc\w*", re.IGNORECASE),
}
_DATE_TOPICS: tuple[Topic, ...] = ("agreement_date", "effective_date")
# A date given to another document ("a Share Purchase Agreement dated as of April 4, 2017", "the Council Directive
# dated 14 May 1991") is no date of the agreement itself; a title opened by "This" is the agreement's own.
_ANOTHER_DOCUMENT = re.compile(
    r"(?:\b\w+\s+)?(?:[A-Z][\w&'-]*\s+){1,6}(?:Agreement|Contract|Directive|Lease|Licen[cs]e|Amendment|Plan|"
    r"Note|Indenture|Deed|Assignment|Order|Regulation)s?\b(?:\s*\([^)]{0,60}\))?,?\s+(?:dated|executed|entered\s+into|"
    r"made)\b[^.;]{0,40}$"
)
# Names of one jurisdiction: English law is the law of England and Wales.
_SAME_PLACE = {"england and wales": "england"}


@dataclass(frozen=True)
class Facts:
    """The sources' facts by topic, each with its document."""

    by_topic: dict[Topic, list[tuple[SourceDocument, SourceFact]]]

    @classmethod
    def of(cls, documents: Sequence[SourceDocument]) -> "Facts":
        by_topic: dict[Topic, list[tuple[SourceDocument, SourceFact]]] = {}
        for document in documents:
            for fact in document.facts:
                by_topic.setdefault(_FACT_TOPIC[fact.field], []).append((document, fact))
        return cls(by_topic)


def equal(first: Value, second: object) -> bool:
    if isinstance(first, Duration) and isinstance(second, Duration):
        return same_duration(first, second)
    if isinstance(first, str) and isinstance(second, str):
        return _place_key(first) == _place_key(second)
    return first == second


def _place_key(name: str) -> str:
    key = name.casefold()
    return _SAME_PLACE.get(key, key)


def judge_value(claim: str, anchor: Anchor, facts: Facts, index: SourceIndex, ranked: list[Passage]) -> Finding:
    topic = topic_of(claim, anchor)
    claimed = show(anchor.value)
    if topic is None:
        return _any_fact(anchor, claimed, facts) or _generic(anchor, claimed, index, ranked, claim)
    stated = [(document, fact) for document, fact in facts.by_topic.get(topic, []) if _same_kind(anchor, fact.value)]
    if not stated and anchor.kind == "date":
        stated = _stated_alongside(topic, facts)
    if stated:
        return _against_facts(anchor, topic, claimed, stated, facts)
    if topic == "effective_date":  # a contract that states no effective date takes effect when it is made
        for document, fact in facts.by_topic.get("agreement_date", []):
            if equal(anchor.value, fact.value):
                return Finding("supported", topic, claimed, evidence=[evidence_at(document, fact.span, "supports")])
    return _against_passages(anchor, topic, claimed, index, ranked)


def _stated_alongside(topic: Topic, facts: Facts) -> list[tuple[SourceDocument, SourceFact]]:
    """Stated dates of the other roles whose sentence also gives them `topic`'s role."""
    cue = _ALSO_STATES.get(topic)
    if cue is None:
        return []
    found = []
    for other in _DATE_TOPICS:
        for document, fact in facts.by_topic.get(other, []) if other != topic else []:
            if fact.offset is None and cue.search(_sentence_of(document, fact)):
                found.append((document, fact))
    return found


def _sentence_of(document: SourceDocument, fact: SourceFact) -> str:
    page = document.pages[fact.span.page - 1]
    for start, end in sentences_in(page):
        if start <= fact.span.start < end:
            return page[start:end]
    return document.quote(fact.span)


def _any_fact(anchor: Anchor, claimed: str, facts: Facts) -> Finding | None:
    """A value whose topic the claim does not name, found as one of the key facts (a date the contract gives as
    its effective date, say): supported by that fact. Not being one of them contradicts nothing."""
    for topic, stated in facts.by_topic.items():
        for document, fact in stated:
            if _same_kind(anchor, fact.value) and equal(anchor.value, fact.value):
                return Finding("supported", topic, claimed, evidence=[evidence_at(document, fact.span, "supports")])
    return None


def _same_kind(anchor: Anchor, value: object) -> bool:
    if anchor.kind == "date":
        return isinstance(value, dt.date)
    if anchor.kind == "duration":
        return isinstance(value, Duration)
    return anchor.kind == "place" and isinstance(value, str)


def _against_facts(
    anchor: Anchor, topic: Topic, claimed: str, stated: list[tuple[SourceDocument, SourceFact]], facts: Facts
) -> Finding:
    for document, fact in stated:
        if equal(anchor.value, fact.value):
            evidence = [evidence_at(document, fact.span, "supports")]
            evidence += _counted_from(document, fact, facts)
            method = "computed" if len(evidence) > 1 or fact.offset is not None else "anchors"
            return Finding("supported", topic, claimed, method=method, evidence=evidence)
    document, fact = stated[0]
    evidence = [evidence_at(document, fact.span, "contradicts")] + _counted_from(document, fact, facts)
    method = "computed" if fact.offset is not None else "anchors"
    return Finding("contradicted", topic, claimed, method=method, source_value=show(fact.value), evidence=evidence)


def _counted_from(document: SourceDocument, fact: SourceFact, facts: Facts) -> list[Evidence]:
    """For a computed date, the stated date it counts from, quoted where Arkiver read it."""
    if fact.anchor_date is None or fact.anchor_date == fact.value:
        return []
    for topic in ("effective_date", "agreement_date"):
        for other_document, other in facts.by_topic.get(topic, []):
            if other_document is document and other.value == fact.anchor_date and other.span != fact.span:
                return [evidence_at(document, other.span, "counted_from")]
    return []


def _mentions(passage: Passage, anchor: Anchor) -> list[tuple[int, int, object]]:
    if anchor.kind == "date":
        return [(item.start, item.end, item.date) for item in passage.dates]
    if anchor.kind == "duration":
        return [(item.start, item.end, item.value) for item in passage.durations]
    if anchor.kind == "place":
        return [(item.start, item.end, item.value) for item in passage.places]
    return []


def _topical_mentions(passage: Passage, anchor: Anchor, topic: Topic) -> list[tuple[int, int, object]]:
    """The passage's values of the anchor's kind whose nearest cue is the claim's topic."""
    topical = []
    for start, end, value in _mentions(passage, anchor):
        probe = Anchor(anchor.kind, start, end, value)  # type: ignore[arg-type]
        if topic_of(passage.text, probe) == topic and not (
            topic == "agreement_date" and _of_another_document(passage.text, start)
        ):
            topical.append((start, end, value))
    return topical


def _of_another_document(text: str, date_start: int) -> bool:
    before = _ANOTHER_DOCUMENT.search(text, max(0, date_start - 150), date_start)
    return before is not None and "this" not in before.group().lower().split()[:2]


def _against_passages(anchor: Anchor, topic: Topic, claimed: str, index: SourceIndex, ranked: list[Passage]) -> Finding:
    cue = SOURCE_CUES[topic]
    about = index.matching(cue)
    for passage in about:
        for start, end, value in _topical_mentions(passage, anchor, topic):
            if equal(anchor.value, value):
                supports = [passage_evidence(passage, start, end, "supports")]
                return Finding("supported", topic, claimed, evidence=supports)
    stated = [
        (passage, start, end, value)
        for passage in about
        for start, end, value in _topical_mentions(passage, anchor, topic)
    ]
    if len({show(value) for *_, value in stated}) == 1:  # type: ignore[arg-type]
        passage, start, end, value = stated[0]  # the one value the sources give for this topic
        return _contradicted_by(passage, start, end, value, topic, claimed)
    closest = [passage for passage in ranked[:_CONTRADICTING_RANK] if cue.search(passage.text)]
    for passage in closest:
        for start, end, value in _topical_mentions(passage, anchor, topic):
            return _contradicted_by(passage, start, end, value, topic, claimed)
    return Finding("unverifiable", topic, claimed, reason=f"no source states the {topic.replace('_', ' ')}")


def _generic(anchor: Anchor, claimed: str, index: SourceIndex, ranked: list[Passage], claim: str) -> Finding:
    """A value whose topic the claim does not name: a passage saying much of what the claim says must state it.
    An amount or a percentage is contradicted by the passage most like the claim when that one states others."""
    stems = set(content_stems(claim[: anchor.start] + " " + claim[anchor.end :]))
    whole = index.weight(stems)
    for passage in ranked:
        if index.weight(stems & passage.stems) < _GENERIC_SUPPORT * whole:
            continue
        for start, end, value in _mentions(passage, anchor) + _literal(passage, anchor):
            if equal(anchor.value, value):
                supports = [passage_evidence(passage, start, end, "supports")]
                return Finding("supported", None, claimed, evidence=supports)
    if anchor.kind in ("money", "percent") and ranked:
        best = ranked[0]
        others = _literal(best, anchor)
        if others and index.weight(stems & best.stems) >= _GENERIC_CONTRADICTION * whole:
            start, end, value = others[0]
            return _contradicted_by(best, start, end, value, None, claimed)
    return Finding("unverifiable", None, claimed, reason="no passage like the claim states this value")


def _contradicted_by(
    passage: Passage, start: int, end: int, value: object, topic: Topic | None, claimed: str
) -> Finding:
    """The claim contradicted by the value at `passage.text[start:end]`."""
    evidence = [passage_evidence(passage, start, end, "contradicts")]
    return Finding("contradicted", topic, claimed, source_value=show(value), evidence=evidence)  # type: ignore[arg-type]


def _literal(passage: Passage, anchor: Anchor) -> list[tuple[int, int, object]]:
    """Money and percentages, read from the passage as the claim's were."""
    if anchor.kind not in ("money", "percent"):
        return []
    return [(item.start, item.end, item.value) for item in passage.anchors if item.kind == anchor.kind]

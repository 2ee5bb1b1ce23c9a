"""What a claim's value is about: the words around a date, a period or a place that say which fact it states.

A claim such as "the agreement, signed on 1 May 2010, runs until 30 April 2013" states two dates; each takes the
topic whose cue word stands nearest to it.
"""

import re
from typing import Literal

from cyrano_potemkin.anchors import Anchor, AnchorKind

Topic = Literal[
    "parties", "agreement_date", "effective_date", "expiration_date", "governing_law", "initial_term", "renewal_term",
    "notice_period",
]  # fmt: skip

_I = re.IGNORECASE
# Cues in a claim, per topic; several topics may share an anchor kind.
CLAIM_CUES: dict[AnchorKind, dict[Topic, re.Pattern[str]]] = {
    "date": {
        "expiration_date": re.compile(
            r"\bexpir\w*|\bend(?:s|ed|ing)?\b|\bterminat\w*|\buntil\b|\bthrough\b|\blast(?:s|ing)?\b|\bconclud\w*|"
            r"\bremain\w*\s+in\s+(?:force|effect)|\brun(?:s|ning)?\b|\bexpiry\b",
            _I,
        ),
        "effective_date": re.compile(
            r"\beffective\b|\bcommenc\w*|\btak(?:es|ing)\s+effect|\btook\s+effect|\bin\s+force\s+(?:from|on|as)|"
            r"\bstart\w*|\bbegin\w*|\bbegan\b",
            _I,
        ),
        "agreement_date": re.compile(
            r"\bdated\b|\bentered\s+into\b|\bsigned\b|\bexecuted\b|\bmade\b|\bagreement\s+date\b|\bconcluded\b|"
            r"\bdate\s+of\s+(?:the|this)\s+(?:agreement|contract)|\bsigning\b|\bexecution\b",
            _I,
        ),
    },
    "duration": {
        "notice_period": re.compile(r"\bnotice\b|\bnotif\w*|\bnon-?\s?renewal\b|\bopt\s+out\b|\bin\s+advance\b", _I),
        "renewal_term": re.compile(r"\brenew\w*|\bsuccessive\b|\bextend\w*|\bextension\b|\broll\w*\s+over\b", _I),
        "initial_term": re.compile(
            r"\binitial\b|\bterm\b|\blasts?\b|\bduration\b|\bfor\s+a\s+period\b|\bruns?\b|\bexpir\w*|"
            r"\b(?:after|from)\s+the\s+effective\s+date\b",
            _I,
        ),
    },
    "place": {"governing_law": re.compile(r"\bgovern\w*|\blaws?\b|\bconstrued\b|\binterpret\w*", _I)},
}
PARTY_CUE = re.compile(r"\bbetween\b|\bpart(?:y|ies)\b|\bsignator\w*|\bentered\s+into\s+by\b|\bcounterpart", _I)
# A source passage is about a topic when it has one of these words (stricter than a claim's: contracts use
# "until" and "term" everywhere).
SOURCE_CUES: dict[Topic, re.Pattern[str]] = {
    "expiration_date": re.compile(
        r"\bexpir\w*|\bterminat\w*|\buntil\b|\bthrough\b|\bend(?:s|ing)?\s+on\b|\bterm\b", _I
    ),
    "effective_date": re.compile(r"\beffective\b|\bcommenc\w*", _I),
    "agreement_date": re.compile(r"\bdated\b|\bentered\s+into\b|\bmade\b|\bas\s+of\b|\bexecuted\b|\bsigned\b", _I),
    "governing_law": re.compile(r"\bgovern\w*|\bconstrued\b|\blaws\s+of\b|\blaw\s+of\b", _I),
    "notice_period": re.compile(r"\bnotice\b|\bnotif\w*", _I),
    "renewal_term": re.compile(r"\brenew\w*|\bsuccessive\b|\bextend\w*|\bextension\b", _I),
    "initial_term": re.compile(r"\bterm\b|\bperiod\b", _I),
}


# English puts the cue first ("expires on", "dated", "commencing"): a cue after the value must be much nearer to
# win ("commencing 1 September 2004 and terminating ..." is a start).
_AFTER_PENALTY = 15


def topic_of(claim: str, anchor: Anchor) -> Topic | None:
    """The topic whose cue stands nearest the anchor in the claim, or None when the claim has no cue for its kind."""
    best: tuple[int, Topic] | None = None
    for topic, cue in CLAIM_CUES.get(anchor.kind, {}).items():
        for match in cue.finditer(claim):
            if anchor.start <= match.start() < anchor.end:
                continue
            before = match.end() <= anchor.start
            distance = anchor.start - match.end() if before else match.start() - anchor.end + _AFTER_PENALTY
            if best is None or distance < best[0]:
                best = (distance, topic)
    return best[1] if best is not None else None

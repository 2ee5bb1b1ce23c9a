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
# Cues in a claim, per topic: the words English uses for each fact, not the words of one summary.
CLAIM_CUES: dict[AnchorKind, dict[Topic, re.Pattern[str]]] = {
    "date": {
        "expiration_date": re.compile(
            r"\bexpir\w*|\bend(?:s|ed|ing)?\b|\bterminat\w*|\buntil\b|\btill\b|\bthrough\b|\blast(?:s|ing)?\b|"
            r"\bremain\w*\s+(?:in\s+)?(?:force|effect|valid)|\bcontinu\w*\s+(?:until|through|to)\b|\brun(?:s|ning)?\b|"
            r"\bexpiry\b|\blapse\w*|\bceas\w*|\bfinish\w*|\bcomes?\s+to\s+an\s+end|\bvalid\s+(?:until|through|to)\b|"
            r"\bup\s+to\b|\bend\s+date\b|\btermination\s+date\b|\bno\s+longer\b|\bruns?\s+out\b|\b(?:last|final)\s+day\b|"
            r"\bstops?\b|\bsunsets?\b",
            _I,
        ),
        "effective_date": re.compile(
            r"\beffective\b|\bcommenc\w*|\btak(?:es|ing|en)\s+effect|\btook\s+effect|\bin(?:to)?\s+(?:force|effect)\b|"
            r"\bstart\w*|\bbegin\w*|\bbegan\b|\bbegun\b|\boperative\b|\bvalid\s+(?:from|as\s+of)\b|\bapplies\s+from\b|"
            r"\bkick\w*\s+in\b|\bonwards?\b|\bgo(?:es)?\s+live\b|\blaunch\w*",
            _I,
        ),
        "agreement_date": re.compile(
            r"\bdated\b|\bentered\s+into\b|\bsign(?:ed|ing|ature)\b|\bexecut(?:ed|ion)\b|\bmade\b|\bconcluded\b|"
            r"\bagreed\b|\bdrawn\s+up\b|\bformed\b|\bfinali[sz]ed\b|\binked\b|\bstruck\b|\bsealed\b|"
            r"\bbears\b|\bcontract\s+date\b|\bagreement\s+date\b|(?:^|(?<=\bthe\s)|(?<=\bits\s)|(?<=[:;(]\s))date\s+of\s+(?:th(?:e|is)\s+)?(?:agreement|contract)\b|"
            r"\b(?:execution|signing|signature)\s+date\b|\bdate\s+of\s+(?:execution|signing|signature)\b",
            _I,
        ),
    },
    "place": {"governing_law": re.compile(r"\bgovern\w*|\blaws?\b|\bconstrued\b|\binterpret\w*|\bjurisdiction", _I)},
}
# Periods: a lead time ("90 days' notice", "six months before the end of the term") is a notice period, whatever
# else the claim speaks of; then the nearest strong cue (notice, renewal, initial); then any word of a term.
_LEAD_TIME = re.compile(
    r"[\s'’)]*(?:s\b)?[\s'’]*(?:(?:prior|written|advance|formal|or\s+more|at\s+the\s+latest)\s+){0,3}"
    r"(?:notice|notif\w*|prior|before|in\s+advance|advance|ahead)\b",
    _I,
)
_DURATION_CUES: dict[Topic, re.Pattern[str]] = {
    "notice_period": re.compile(
        r"\bnotice\b|\bnotif\w*|\bnon-?\s?renewal\b|\bopt\s+out\b|\badvance\b|\bwarn\w*|\binform\w*|\badvis\w*|"
        r"\btell\b|\bsay\s+so\b|\bin\s+writing\b",
        _I,
    ),
    "renewal_term": re.compile(
        r"\brenew\w*|\bsuccessive\b|\bextend\w*|\bextension\b|\broll\w*\s+over\b|\badditional\s+(?:term|period)|"
        r"\bautomatic\w*|\bevergreen\b|\bthereafter\b",
        _I,
    ),
    "initial_term": re.compile(
        r"\binitial\b|\boriginal\s+term\b|\bfirst\s+term\b|\bbase\s+term\b|\bminimum\s+term\b", _I
    ),
}
_TERM_WORDS = re.compile(
    r"\bterm\b|\blasts?\b|\bduration\b|\bfor\s+a\s+period\b|\bruns?\b|\bexpir\w*|\bcontinu\w*|\bin\s+(?:force|effect)|"
    r"\b(?:after|from)\s+the\s+effective\s+date\b",
    _I,
)
PARTY_CUE = re.compile(
    r"\bbetween\b|\bamong\b|\bpart(?:y|ies)\b|\bsignator\w*|\bcounterpart\w*|\bcontracting\b|"
    r"\b(?:made|signed|executed|entered\s+into|concluded|agreed)\s+(?:by|with)\b|"
    # "Acme and Beta signed the supply agreement": the ones who made it are its parties
    r"\b(?:entered\s+into|signed|executed|concluded|made)\s+(?:th(?:e|is|at)|an?)\s+(?:[\w-]+\s+){0,2}(?:agreement|contract)\b",
    _I,
)
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
# win ("commencing 1 September 2004 and terminating ..." is a start). For periods the cue often follows ("a
# one-year renewal term"), so it weighs less there.
_AFTER_PENALTY = 15
_AFTER_PENALTY_PERIODS = 8


def topic_of(claim: str, anchor: Anchor) -> Topic | None:
    """The topic of the anchor's value in `claim` (or in a source passage), or None when nothing says."""
    if anchor.kind == "duration":
        if _LEAD_TIME.match(claim, anchor.end):
            return "notice_period"
        strong = _nearest(claim, anchor, _DURATION_CUES, _AFTER_PENALTY_PERIODS)
        return strong or ("initial_term" if _TERM_WORDS.search(claim) else None)
    return _nearest(claim, anchor, CLAIM_CUES.get(anchor.kind, {}), _AFTER_PENALTY)


def _nearest(text: str, anchor: Anchor, cues: dict[Topic, re.Pattern[str]], after_penalty: int) -> Topic | None:
    """The topic whose cue stands nearest the anchor, a cue after it counting `after_penalty` characters more."""
    best: tuple[int, Topic] | None = None
    for topic, cue in cues.items():
        for match in cue.finditer(text):
            if anchor.start <= match.start() < anchor.end:
                continue
            before = match.end() <= anchor.start
            distance = anchor.start - match.end() if before else match.start() - anchor.end + after_penalty
            if best is None or distance < best[0]:
                best = (distance, topic)
    return best[1] if best is not None else None

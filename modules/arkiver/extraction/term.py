"""The term clause: how long the contract runs, how it renews, and the notice that stops renewal.

Expiration dates that the contract only implies are computed here: "for a period of five (5) years commencing
upon the Effective Date" is the effective date plus five years, "the seventh anniversary of the date hereof"
the agreement date plus seven. A period counted from anything else ("ten years from the Launch") is left
uncomputed. A term that runs "until terminated" or "in perpetuity" is marked perpetual.
"""

import re

from modules.arkiver.extraction.date_mentions import find_dates
from modules.arkiver.extraction.document import Document
from modules.arkiver.extraction.durations import DURATION, add_duration, duration_of
from modules.arkiver.extraction.models import ContractTerm, Duration, ExtractedDate, ResolvedFrom, TermClause
from modules.arkiver.extraction.sentences import Sentences

_I = re.IGNORECASE
_TERM_SENTENCE = re.compile(
    r"\b(?:initial\s+)?term\s+of\s+(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract|licen[cs]e|amendment)\b"
    r"|\bthis\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract)\s+(?:shall|will|is\s+to)\s+(?:\w+\s+){0,3}?(?:be\s+for|commence|begin|"
    r"continue|remain|become\s+effective|come\s+into|take\s+effect|expire|terminate|be\s+valid|be\s+effective|be\s+in\s+(?:full\s+)?force|run)"
    r"|\(\s*(?:the\s+)?\"(?:Initial\s+)?Term\"\s*\)|\"(?:Initial\s+)?Term\"\s+(?:means|shall\s+mean|shall\s+be)"
    r"|\b(?:contract|license|agreement)\s+period\b|\bduration\s+of\s+th(?:is|e)\b|\bthe\s+initial\s+term\b",
    _I,
)
_PERPETUAL = re.compile(
    r"\bin\s+perpetuity\b|\bperpetual(?:ly)?\b|\bindefinite(?:ly)?\b|(?<!unless\s)\buntil\s+(?:it\s+is\s+|so\s+)?terminated\b"
    r"|\bunless\s+and\s+until\s+terminated\b|\buntil\s+termination\b|\buntil\s+terminated\s+by\b"
    r"|\buntil\s+(?:such\s+time\s+as\s+)?(?:either|one|both|the)\s+part(?:y|ies)\s+terminat",
    _I,
)
# A period in these surroundings is a notice period or a renewal, not the length of the term.
_NOTICE_BEFORE = re.compile(
    r"(?:upon|with|giving|give|on|at\s+least|not\s+less\s+than|no\s+less\s+than|no\s+later\s+than|not\s+later\s+than|minimum\s+of|within|than)\s*$",
    _I,
)
_NOTICE_AFTER = re.compile(
    r"^(?:'s?|s')?\s*(?:prior\s+|advance\s+|written\s+|'\s*)*(?:notice|prior|before|in\s+advance|after\s+(?:receipt|written|notice))",
    _I,
)
_RENEWAL_BEFORE = re.compile(
    r"\b(?:renew\w*|extend\w*|extension|additional|successive|further|consecutive)\b[^.;]{0,40}$", _I
)
_ANNIVERSARY = re.compile(
    r"\b(?P<ordinal>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|fifteenth|twentieth|\d{1,2}(?:st|nd|rd|th))"
    r"\s*(?:\(\s*\d{1,2}\s*(?:st|nd|rd|th)?\s*\)\s*)?(?:year\s+)?anniversary\s+of\s+",
    _I,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20}  # fmt: skip
_ANCHOR_EFFECTIVE = re.compile(r"\bEffective\s+Date\b|\bCommencement\s+Date\b", _I)
_ANCHOR_AGREEMENT = re.compile(
    r"\bdate\s+(?:hereof|of\s+(?:this\s+(?:agreement|document|contract)|execution|signing|signature)|first\s+(?:above\s+)?written"
    r"|(?:first\s+)?(?:set\s+forth|written)\s+above)|\bexecution\s+(?:date|of\s+this\s+agreement)|\bagreement\s+date\b"
    r"|\bdate\s+(?:this\s+agreement\s+is\s+)?(?:signed|executed)\b|\bday\s+and\s+year\s+first",
    _I,
)
# "from the Launch", "after the first commercial sale": a period counted from an event the text cannot date.
_OTHER_ANCHOR = re.compile(
    r"^\W*(?:(?:commencing|beginning|starting)\s+(?:on|upon|with|from)?|from|after|following|of)\s+(?:the\s+)?(?:date\s+of\s+)?"
    r"(?:first\s+|[A-Z])",
)
_RENEWAL_SENTENCE = re.compile(r"\b(?:renew\w*|extend\w*|extension)\b", _I)
_RENEWAL_CUE = re.compile(
    r"\b(?:automatic\w*|successive|additional|further|thereafter|consecutive|renewal\s+terms?)\b", _I
)
_SAME_LENGTH = re.compile(r"\b(?:same|like|equal|identical)\s+(?:duration|period|length|term)|\blike\s+periods?\b", _I)
_AUTOMATIC = re.compile(r"\bautomatic\w*|\bunless\s+(?:either|one|a)\s+party\b|\bunless\s+(?:written\s+)?notice\b", _I)
_NOT_RENEW = re.compile(
    r"\b(?:not\s+to\s+renew|non-?\s?renewal|not\s+(?:be\s+)?renew|intention\s+to\s+terminate|terminate\s+(?:this\s+agreement\s+)?"
    r"(?:at|upon|as\s+of)\s+the\s+(?:end|expiration)|(?:end|expiration)\s+of\s+the\s+(?:then[\s-]+current|initial|renewal|current))",
    _I,
)
# The sentence after a renewal clause often carries the notice ("Either party may elect not to renew...").
_LOOKAHEAD_SENTENCES = 2


def extract_term(
    document: Document, sentences: Sentences, dates: list[ExtractedDate]
) -> tuple[ContractTerm, list[ExtractedDate]]:
    text = document.text
    agreement = next((item for item in dates if item.kind == "agreement"), None)
    effective = next((item for item in dates if item.kind == "effective"), None)
    expiring_pages = {(item.provenance.page, item.provenance.start) for item in dates if item.kind == "expiration"}
    initial: TermClause | None = None
    computed: list[ExtractedDate] = []
    for span in sentences.spans:
        sentence = text[span.start : span.end]
        if _TERM_SENTENCE.search(sentence) is None:
            continue
        provenance = document.provenance(span.start, span.end)
        if provenance is None:
            continue
        duration, anchor_kind = _initial_length(sentence)
        explicit_end = (provenance.page, provenance.start) in expiring_pages
        perpetual = duration is None and not explicit_end and _PERPETUAL.search(sentence) is not None
        if duration is None and not explicit_end and not perpetual:
            continue
        initial = TermClause(
            provenance=provenance, kind="initial", text=provenance.quote, duration=duration, perpetual=perpetual
        )
        if duration is not None and not explicit_end and not expiring_pages and anchor_kind is not None:
            resolved = _resolve(sentence, anchor_kind, agreement, effective, duration)
            if resolved is not None:
                expiry = add_duration(resolved.anchor_date, duration)
                computed.append(
                    ExtractedDate(
                        provenance=provenance, date=expiry, kind="expiration", computed=True, resolved_from=resolved
                    )
                )
        break
    renewal, notice = _renewal(document, sentences, initial)
    return ContractTerm(initial=initial, renewal=renewal, non_renewal_notice=notice), computed


def _resolve(
    sentence: str, anchor_kind: str, agreement: ExtractedDate | None, effective: ExtractedDate | None, offset: Duration
) -> ResolvedFrom | None:
    if anchor_kind == "stated":
        stated = find_dates(sentence)
        return ResolvedFrom(anchor="stated", anchor_date=stated[0].date, offset=offset) if stated else None
    # Without a separate effective date, the contract takes effect on the date it is made.
    if anchor_kind == "effective" and effective is not None:
        return ResolvedFrom(anchor="effective", anchor_date=effective.date, offset=offset)
    if agreement is not None:
        return ResolvedFrom(anchor="agreement", anchor_date=agreement.date, offset=offset)
    return None


def _initial_length(sentence: str) -> tuple[Duration | None, str | None]:
    """The term's length and what it counts from: "effective", "agreement", "literal" (a date in the sentence)."""
    for anniversary in _ANNIVERSARY.finditer(sentence):
        token = anniversary.group("ordinal").lower()
        years = _ORDINALS.get(token) or int(re.match(r"\d+", token).group())  # type: ignore[union-attr]
        return Duration(years=years), _anchor(sentence, anniversary.end())
    for match in DURATION.finditer(sentence):
        before = sentence[max(0, match.start() - 45) : match.start()]
        after = sentence[match.end() : match.end() + 40]
        if _NOTICE_BEFORE.search(before) or _NOTICE_AFTER.match(after) or _RENEWAL_BEFORE.search(before):
            continue
        duration = duration_of(match)
        if duration is None:
            continue
        return duration, _anchor(sentence, match.end())
    return None, None


def _anchor(sentence: str, after: int) -> str | None:
    """What the period counts from: "effective", "agreement", "stated" (a date in the sentence), or None for
    an event the text gives no date for."""
    rest = sentence[after : after + 80]
    named = _named_anchor(rest)  # "five (5) years from the Effective Date"
    if named is not None:
        return named
    if _OTHER_ANCHOR.match(rest):
        return "stated" if find_dates(rest[:40]) else None
    named = _named_anchor(sentence)  # "shall commence on the Effective Date and continue for five years"
    if named is not None:
        return named
    return "stated" if find_dates(sentence[:after]) else "effective"


def _named_anchor(text: str) -> str | None:
    effective = _ANCHOR_EFFECTIVE.search(text)
    agreement = _ANCHOR_AGREEMENT.search(text)
    if effective is not None and (agreement is None or effective.start() < agreement.start()):
        return "effective"
    return "agreement" if agreement is not None else None


def _renewal(
    document: Document, sentences: Sentences, initial: TermClause | None
) -> tuple[TermClause | None, TermClause | None]:
    text = document.text
    for index, span in enumerate(sentences.spans):
        sentence = text[span.start : span.end]
        if _RENEWAL_SENTENCE.search(sentence) is None or _RENEWAL_CUE.search(sentence) is None:
            continue
        duration = _renewal_length(sentence)
        if duration is None and _SAME_LENGTH.search(sentence) and initial is not None:
            duration = initial.duration
        if duration is None:
            continue
        provenance = document.provenance(span.start, span.end)
        if provenance is None:
            continue
        renewal = TermClause(
            provenance=provenance,
            kind="renewal",
            text=provenance.quote,
            duration=duration,
            automatic=_AUTOMATIC.search(sentence) is not None,
        )
        return renewal, _notice(document, sentences, index)
    return None, None


def _renewal_length(sentence: str) -> Duration | None:
    for match in DURATION.finditer(sentence):
        before = sentence[max(0, match.start() - 45) : match.start()]
        after = sentence[match.end() : match.end() + 40]
        if _NOTICE_BEFORE.search(before) or _NOTICE_AFTER.match(after):
            continue
        if _RENEWAL_BEFORE.search(before) or re.match(r"\s*(?:renewal|extension)", after, _I):
            return duration_of(match)
    return None


def _notice(document: Document, sentences: Sentences, index: int) -> TermClause | None:
    text = document.text
    for offset, span in enumerate(sentences.spans[index : index + _LOOKAHEAD_SENTENCES]):
        sentence = text[span.start : span.end]
        if offset and _NOT_RENEW.search(sentence) is None:
            continue
        for match in DURATION.finditer(sentence):
            before = sentence[max(0, match.start() - 45) : match.start()]
            after = sentence[match.end() : match.end() + 40]
            if not (_NOTICE_BEFORE.search(before) or _NOTICE_AFTER.match(after)):
                continue
            duration = duration_of(match)
            provenance = document.provenance(span.start, span.end)
            if duration is None or provenance is None:
                continue
            return TermClause(
                provenance=provenance, kind="non_renewal_notice", text=provenance.quote, duration=duration
            )
    return None

"""The term clause: how long the contract runs, how it renews, and the notice that stops renewal.

Expiration dates that the contract only implies are computed here: "for a period of five (5) years commencing
upon the Effective Date" is the effective date plus five years, "the seventh anniversary of the date hereof"
the agreement date plus seven. A period counted from anything else ("ten years from the Launch") is left
uncomputed. A term that runs "until terminated" or "in perpetuity" is marked perpetual.
"""

import re

from cyrano_arkiver.extraction.date_mentions import find_dates
from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.durations import DURATION, add_duration, duration_of
from cyrano_arkiver.extraction.models import ContractTerm, Duration, ExtractedDate, ResolvedFrom, TermClause
from cyrano_arkiver.extraction.sentences import Sentences

_I = re.IGNORECASE
# The contract's own duration as the subject: "The term of this Agreement shall be ...", "This Agreement shall
# continue until ...", '(the "Initial Term")'.
_TERM_SUBJECT = re.compile(
    r"\b(?:initial\s+)?term\s+of\s+(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract|licen[cs]e|amendment|venture)\b"
    r"|\bth(?:is|e)\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract)\b(?:\s*\([^)]{0,60}\))?(?:\s*,?\s+as\s+amended,?)?\s+"
    r"(?:shall|will|is\s+to|is|to|be)\s+(?:\w+\s+){0,3}?(?:be\s+for|commence|begin|continue|remain|become\s+effective|come\s+into|"
    r"take\s+effect|expire|terminate|be\s+valid|valid|be\s+effective|be\s+in\s+(?:full\s+)?(?:force|effect)|run|have\s+an?\s+(?:initial\s+)?term"
    r"|for\s+an?\s+(?:[\w-]+\s+){0,2}?(?:term|period))"
    r"|\bth(?:is|e)\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract)\s+(?:begins|commences|continues|remains|expires|runs)\b"
    r"|\bagreement\b[^.;]{0,80}?\b(?:shall|will)\s+(?:automatically\s+)?(?:terminate|expire|end)\s+on\b"
    r"|\(\s*(?:the\s+)?\"(?:initial\s+)?term\"\s*\)|\b(?:initial\s+)?term\"?\s+(?:means|shall\s+mean|shall\s+be)"
    r"|\b(?:contract|license|agreement)\s+period\b|\bduration\s+of\s+th(?:is|e)\b|\bthe\s+\"?(?:initial|original)\s+term\b"
    r"|\bthe\s+\"?term\"?\s+(?:(?:shall|will)\s+(?:be|commence|begin|continue|expire|end|run|remain)|is|commences|begins|expires)\b",
)  # matched against `Document.lower`
# A term-sheet label opening the sentence: "Term: twelve (12) months from ...", "Term of Agreement: ...".
_TERM_LABEL = re.compile(r"\s*(?:[\w.()]{1,6}\s+)?(?:initial\s+)?term(?:\s+of\s+(?:the\s+)?agreement)?\s*:")
_TERM_WORDS = ("term", "period", "duration", "commence", "begin", "continu", "remain", "effect", "come into", "expire",
               "terminat", "valid", "force", "run", "be for", "have a", " end on")  # fmt: skip
# Words every term sentence contains one of (lowercase, for `Sentences.matching`).
_TERM_CUE = re.compile(
    r"term|period|duration|commenc|begin|continue|remain|become|come into|take|expire|terminat|valid|force|run|have a"
)
# "during the term of this Agreement", "in this Agreement shall terminate": the term is not the subject.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:during|throughout|after|within|for|beyond|upon|in|of|to|under|over|through|following|prior\s+to|"
    r"(?:remainder|expiration|expiry|termination|end|part|portion|any)\s+of)\s+(?:the\s+)?$"
    # "a material term of this agreement", "for so long as this agreement remains in effect"
    r"|\b(?:an?|any|each|every|material|other|such|no|as|while|if|unless|whether|when)\s+$",
)


def about_term(lower: str, start: int, end: int) -> bool:
    """Whether lower[start:end] (a sentence of `Document.lower`) is about how long the contract runs."""
    sentence = lower[start:end]
    if not any(word in sentence for word in _TERM_WORDS):
        return False  # cheap pre-check: every form of the pattern contains one of these
    if _TERM_LABEL.match(lower, start, end):
        return True
    position = start
    # Overlapping forms are tried one by one: "the initial period of this agreement (the "initial term") shall"
    # fails as "this agreement ..." (it follows "of") but holds as '(the "initial term")'.
    while (match := _TERM_SUBJECT.search(lower, position, end)) is not None:
        if _PREPOSITION_BEFORE.search(lower, max(start, match.start() - 25), match.start()) is None:
            return True
        position = match.start() + 1
    return False


_PERPETUAL = re.compile(
    r"\bperpetuity\b|\bperpetual(?:ly)?\b|\bfor\s+(?:so|as)\s+long\s+as\b|\bindefinite(?:ly)?\b"
    r"|(?<!unless\s)(?<!or\s)\buntil\s+(?:it\s+is\s+|so\s+)?terminated\b"
    r"|\bthereafter\s*,?\s+unless\s+(?:sooner\s+|earlier\s+)?terminated\b"
    r"|\bunless\s+and\s+until\s+terminated\b|\buntil\s+termination\b|\buntil\s+terminated\s+by\b"
    r"|\buntil\s+(?:such\s+time\s+as\s+)?(?:either|one|both|the)\s+part(?:y|ies)\s+terminat"
    r"|\buntil\s+(?:such\s+time\s+as\s+)?(?:either|one)\s+part(?:y|ies)\s+(?:gives|informs|notifies|provides)\b[^.;]{0,80}?\bnotice",
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
    r"\b(?:renew\w*|extend(?!\s+for\s+(?:a|an|the)\s+(?:period|term)\b)\w*|extension|additional|successive|further|"
    r"consecutive)\b[^.;]{0,40}$",
    _I,
)  # "shall extend for a period of five (5) years" is the initial term itself
_ANNIVERSARY = re.compile(
    r"\b(?P<ordinal>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|fifteenth|twentieth|\d{1,2}(?:st|nd|rd|th))"
    r"\s*(?:\(\s*\d{1,2}\s*(?:st|nd|rd|th)?\s*\)\s*)?(?:year\s+)?anniversary\s+of\s+",
    _I,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20}  # fmt: skip
# Where a term starts: "commencing on", "from", "begin on", "effective as of", "as of".
_START_PHRASE = re.compile(
    r"\b(?:(?:commenc\w*|begin\w*|start\w*|(?<!from\stime\sto\stime\s)from|after|following|as\s+of|come\s+into\s+"
    r"(?:force|effect)|take\s+effect|takes\s+effect)(?:\s+(?:on|upon|with|from|as\s+of|at|and\s+after))?"
    r"|effective\s+(?:on|upon|from|as\s+of)|anniversary\s+of)\s+(?:and\s+including\s+)?",
    _I,
)
# Blanks drawn as dashes or underscores sit in front of anchors in some filings ("the ------ Effective Date").
_ANCHOR_EFFECTIVE = re.compile(
    r"(?:the\s+)?(?:[-_]+\s*)?(?:date\s+of\s+(?:the\s+)?)?(?:Effective|Commencement)\s*Date\b", _I
)
_ANCHOR_AGREEMENT = re.compile(
    r"(?:the\s+)?(?:[-_]+\s*)?(?:date\s+(?:hereof|of\s+(?:th(?:is|e)\s+(?:agreement|document|contract)|(?:its\s+)?(?:execution|signing|signature))"
    r"|(?:and\s+year\s+)?first\s+(?:above\s+)?written|(?:first\s+)?(?:set\s+forth|written|stated|mentioned)\s+above"
    r"|(?:(?:this\s+agreement|it)\s+is\s+)?(?:signed|executed))"
    r"|execution\s+(?:date|of\s+this\s+agreement)|agreement\s+date\b|day\s+and\s+year\s+first|this\s+agreement\b)",
    _I,
)
_EITHER_OF = re.compile(r"\b(?:later|longer|earlier|shorter|sooner|greater|lesser)\s+of\b", _I)
_RENEWAL_SENTENCE = re.compile(r"\b(?:renew\w*|extend\w*|extension)\b", _I)
_RENEWAL_CUE_WORDS = re.compile(r"renew|extend|extension|thereafter|month to month|month-to-month|year to year")
_RENEWAL_CUE = re.compile(
    r"\b(?:automatic\w*|successive|additional|further|thereafter|consecutive|renewal\s+terms?)\b", _I
)
# "thereafter, it shall automatically continue until terminated by either party upon thirty (30) days notice"
_EVERGREEN = re.compile(
    r"\bthereafter\b[^.;]{0,60}?\b(?:continue|remain|renew)\w*\b[^.;]{0,40}?\buntil\b"
    r"|\b(?:continue|remain)\w*\b[^.;]{0,30}?\bthereafter\b[^.;]{0,30}?\buntil\b",
    _I,
)
# The renewal is the contract's: "this Agreement shall automatically renew", "extend the Term", "the Agreement
# shall continue on a month-to-month basis", "Thereafter it renews" — not "extend the warranty".
_OF_CONTRACT = re.compile(
    r"\b(?:agreement|contract|term)\b[^.]{0,120}?\b(?:renew|extend|continu|remain)|\b(?:renew|extend)\w*\s+(?:(?:this|the)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:agreement|contract|term)\b|\b(?:renewal|extension)\s+(?:terms?|periods?)\b|"
    r"\bthereafter,?\s+it\s+(?:shall\s+|will\s+)?(?:be\s+)?(?:automatically\s+)?(?:renew|extend)",
    _I,
)
# Any contract can be extended by agreement; that is not a renewal term.
_MUTUAL = re.compile(r"\bmutual(?:ly)?\b|\bby\s+agreement\s+of\b|\bif\s+(?:both|the)\s+parties\s+(?:so\s+)?agree", _I)
_PERIODIC = re.compile(
    r"\bannually\b|\bannual\s+basis\b|\byear[\s-]+to[\s-]+year\b|\b(?:each|every)\s+(?:successive\s+)?(?:year|month)\b"
    r"|\bmonth[\s-]+to[\s-]+month\b|\bmonthly\s+basis\b",
    _I,
)
_CONTINUES = re.compile(r"\b(?:continu|remain|renew|extend)\w*", _I)
_SAME_LENGTH = re.compile(r"\b(?:same|like|equal|identical)\s+(?:duration|period|length|term)|\blike\s+periods?\b", _I)
_AUTOMATIC = re.compile(r"\bautomatic\w*|\bunless\s+(?:either|one|a)\s+party\b|\bunless\s+(?:written\s+)?notice\b", _I)
_NOT_RENEW = re.compile(
    r"\b(?:not\s+to\s+renew|non-?\s?renewal|not\s+(?:be\s+)?renew|intention\s+to\s+terminate|terminate\s+(?:this\s+agreement\s+)?"
    r"(?:at|upon|as\s+of)\s+the\s+(?:end|expiration)|(?:end|expiration|expiry)\s+of\s+the\s+(?:then[\s-]+current|initial|renewal|"
    r"current|original)|prior\s+to\s+(?:the\s+)?(?:expiration|expiry|end)\s+of\s+(?:the|this|any))",
    _I,
)
# Elsewhere in the contract, only an explicit non-renewal clause counts ("notice of its intention not to renew").
_NON_RENEWAL = re.compile(
    r"\b(?:not\s+to\s+renew|non-?\s?renewal|not\s+(?:be\s+)?renew|nonrenewal|intention\s+not\s+to|elect\s+not\s+to|"
    r"prevent\s+(?:the\s+)?(?:automatic\s+)?renewal|terminate\s+(?:this\s+agreement\s+)?(?:at|upon|as\s+of)\s+the\s+(?:end|expiration))",
    _I,
)
# Words a non-renewal clause contains one of (lowercase, for `Sentences.matching`).
_NOT_RENEW_CUE = re.compile(
    r"renew|intention not to|elect not to|terminate at|terminate upon|terminate as of|agreement at"
)
# The sentence after a renewal clause often carries the notice ("Either party may elect not to renew...").
_LOOKAHEAD_SENTENCES = 2


def extract_term(
    document: Document, sentences: Sentences, dates: list[ExtractedDate]
) -> tuple[ContractTerm, list[ExtractedDate]]:
    text = document.text
    agreement = next((item for item in dates if item.kind == "agreement"), None)
    effective = next((item for item in dates if item.kind == "effective"), None)
    expiring = {(item.provenance.page, item.provenance.start) for item in dates if item.kind == "expiration"}
    initial: TermClause | None = None
    computed: list[ExtractedDate] = []
    for index in sentences.matching(_TERM_CUE, document.lower):
        span = sentences.spans[index]
        if not about_term(document.lower, span.start, span.end):
            continue
        sentence = text[span.start : span.end]
        provenance = document.provenance(span.start, span.end)
        if provenance is None:
            continue
        duration, anchor_kind = _initial_length(sentence)
        explicit_end = (provenance.page, provenance.start) in expiring
        perpetual = duration is None and not explicit_end and _PERPETUAL.search(sentence) is not None
        if duration is None and not explicit_end and not perpetual:
            continue
        initial = TermClause(
            provenance=provenance, kind="initial", text=provenance.quote, duration=duration, perpetual=perpetual
        )
        # A term end the contract states anywhere (often in a later sentence) outranks one computed here.
        if duration is not None and not expiring and anchor_kind is not None:
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
    if anchor_kind == "effective" and effective is not None:
        return ResolvedFrom(anchor="effective", anchor_date=effective.date, offset=offset)
    # Without a separate effective date, the contract takes effect on the date it is made.
    if agreement is not None:
        return ResolvedFrom(anchor="agreement", anchor_date=agreement.date, offset=offset)
    return None


def _initial_length(sentence: str) -> tuple[Duration | None, str | None]:
    """The term's length and what it counts from (see `_anchor`)."""
    for anniversary in _ANNIVERSARY.finditer(sentence):
        token = anniversary.group("ordinal").lower()
        years = _ORDINALS.get(token) or int(re.match(r"\d+", token).group())  # type: ignore[union-attr]
        return Duration(years=years), _anchor_at(sentence[anniversary.end() : anniversary.end() + 60])
    for match in DURATION.finditer(sentence):
        before = sentence[max(0, match.start() - 45) : match.start()]
        after = sentence[match.end() : match.end() + 40]
        if _NOTICE_BEFORE.search(before) or _NOTICE_AFTER.match(after) or _RENEWAL_BEFORE.search(before):
            continue
        duration = duration_of(match)
        if duration is None:
            continue
        # A "Contract Year" is a defined period that often starts later than the contract (first delivery, launch).
        if (match.group("qualifier") or "").lower().startswith("contract"):
            return duration, None
        return duration, _anchor(sentence, match.end())
    return None, None


def _anchor(sentence: str, after: int) -> str | None:
    """What a period ending at `after` counts from: "effective", "agreement", "stated" (a date in the sentence),
    or None when it counts from an event the text gives no date for ("from the Launch")."""
    if _EITHER_OF.search(sentence, 0, after):
        return None  # "the later of two (2) years or the term of the Supply Agreement": no single date
    following = list(_START_PHRASE.finditer(sentence, after, after + 80))
    preceding = list(_START_PHRASE.finditer(sentence, 0, after))
    for match in following[:1] + preceding[::-1]:
        anchor = _anchor_at(sentence[match.end() : match.end() + 60])
        if anchor is not None or match in following:
            return anchor
    return None if preceding else "effective"


def _anchor_at(text: str) -> str | None:
    """The anchor a phrase starts with: "the Effective Date", "the date hereof", a date; None for anything else."""
    if _ANCHOR_EFFECTIVE.match(text):
        return "effective"
    if _ANCHOR_AGREEMENT.match(text):
        return "agreement"
    stated = find_dates(text[:44])
    return "stated" if stated and stated[0].start <= 4 and text[: stated[0].start].strip() in ("", "the") else None


def _renewal(
    document: Document, sentences: Sentences, initial: TermClause | None
) -> tuple[TermClause | None, TermClause | None]:
    text = document.text
    for index in sentences.matching(_RENEWAL_CUE_WORDS, document.lower):
        span = sentences.spans[index]
        sentence = text[span.start : span.end]
        # "continue thereafter until terminated" renews a fixed initial term; after a term with no end it is that term.
        evergreen = _EVERGREEN.search(sentence) is not None and initial is not None and not initial.perpetual
        periodic = _PERIODIC.search(sentence) is not None and _CONTINUES.search(sentence) is not None
        renews = (
            periodic or _RENEWAL_SENTENCE.search(sentence) is not None and _RENEWAL_CUE.search(sentence) is not None
        )
        if not (renews or evergreen) or _OF_CONTRACT.search(sentence) is None or _MUTUAL.search(sentence):
            continue
        duration = _renewal_length(sentence) if renews else None
        if duration is None and renews:
            duration = _periodic(sentence)
        if duration is None and renews and _SAME_LENGTH.search(sentence) and initial is not None:
            duration = initial.duration
        if duration is None and not evergreen:
            continue
        provenance = document.provenance(span.start, span.end)
        if provenance is None:
            continue
        renewal = TermClause(
            provenance=provenance,
            kind="renewal",
            text=provenance.quote,
            duration=duration,
            perpetual=duration is None,
            automatic=evergreen or _AUTOMATIC.search(sentence) is not None,
        )
        # Notice stops an automatic renewal; an option to renew has no notice period to stop it.
        return renewal, _notice(document, sentences, index) if renewal.automatic else None
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


def _periodic(sentence: str) -> Duration | None:
    """ "renewing annually", "from year to year", "on a month-to-month basis"."""
    match = _PERIODIC.search(sentence)
    if match is None:
        return None
    return Duration(months=1) if "month" in match.group().lower() else Duration(years=1)


def _notice(document: Document, sentences: Sentences, index: int) -> TermClause | None:
    """The notice that stops renewal: in the renewal clause, the sentences after it, or a non-renewal clause."""
    text = document.text
    nearby = list(range(index, min(index + _LOOKAHEAD_SENTENCES, len(sentences.spans))))
    others = [other for other in sentences.matching(_NOT_RENEW_CUE, document.lower) if other not in nearby]
    for position in nearby + others:
        span = sentences.spans[position]
        cue = _NOT_RENEW if position in nearby else _NON_RENEWAL
        if position != index and cue.search(text, span.start, span.end) is None:
            continue
        sentence = text[span.start : span.end]
        for match in DURATION.finditer(sentence):
            before = sentence[max(0, match.start() - 45) : match.start()]
            after = sentence[match.end() : match.end() + 40]
            # "on a month-to-month basis" is no notice period; one is counted ("thirty (30) days").
            if match.group("article") or not (_NOTICE_BEFORE.search(before) or _NOTICE_AFTER.match(after)):
                continue
            duration = duration_of(match)
            provenance = document.provenance(span.start, span.end)
            if duration is None or provenance is None:
                continue
            return TermClause(
                provenance=provenance, kind="non_renewal_notice", text=provenance.quote, duration=duration
            )
    return None

"""Dates the contract states, and what each one is: the agreement date, when it takes effect, when it ends.

The agreement date is the date of the preamble ("made and entered into as of ...", "dated ..."), else a
"Dated as of" line above it, else the date in the execution clause ("IN WITNESS WHEREOF ... this 14th day of
February 2020"). A date is the effective date where the text says so ("effective as of", `(the "Effective
Date")`, `"Effective Date" means`, "the term shall commence on"). Where the effective date is only given by
reference to the agreement date ("effective as of the date first written above"), it is computed from it; where
it is given by the signatures ("the date of the last signature"), or the contract states no date at all, it is the
latest date of the signature blocks.
Expiration dates stated outright ("shall expire on December 31, 2006") come from sentences about the term;
durations counted from an anchor are resolved in `term`.
"""

import re
from dataclasses import dataclass
from typing import Literal

from cyrano_arkiver.extraction.date_mentions import DateMention, find_dates
from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.models import DateKind, ExtractedDate, ResolvedFrom
from cyrano_arkiver.extraction.preamble import Preamble
from cyrano_arkiver.extraction.sentences import Sentences, Span
from cyrano_arkiver.extraction.term import about_term

_I = re.IGNORECASE
_SOURCE_HEADER = re.compile(r"Source:[^\n]{0,100}$")  # SEC filing headers repeat a filing date on every page
_EFFECTIVE_BEFORE = re.compile(
    r"\beffective(?:\s+date)?(?:\s+(?:as\s+of|on|from|upon|beginning|commencing|date\s+(?:is|of|shall\s+be)))?"
    r"(?:\s+(?:the|this))?\s*:?\s*$",
    _I,
)
_EFFECTIVE_AFTER = re.compile(r"^\s*,?\s*\(\s*(?:the|this)?\s*\"?(?:Effective|Commencement)\s*Date\b", _I)
_EFFECTIVE_MEANS = re.compile(
    # "THE EFFECTIVE DATE OF THIS RESELLER AGREEMENT SHALL BE: Sept 29, 2004"
    r"\"?(?:Effective|Commencement)\s+Date\"?(?:\s+of\s+this\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract|amendment))?"
    r"\s*(?:means|shall\s+mean|shall\s+be|is|:|-)\s*:?\s*(?:the\s+date\s+of\s+)?$",
    _I,
)
_STARTS = re.compile(
    r"\b(?:commenc\w*|begin\w*|start\w*|(?:come|comes|coming)\s+into\s+(?:force|effect)|takes?\s+effect|in\s+force)"
    r"(?:\s+(?:as\s+of|on|from|upon|with|effective))?(?:\s+the)?\s*$",
    _I,
)
_ENDS = re.compile(
    r"\b(?:expir\w*|terminat\w*|end|ends|ending|conclud\w*|until|through|thru|till|(?:up\s+)?to\s+and\s+including"
    r"|extended\s+(?:to|until|through))(?:\s+(?:on|at|upon|as\s+of|and\s+including))?"
    r"(?:\s+the\s+(?:later|earlier)\s+of\s*:?\s*(?:\(?[a-z1i]\)\s*)?)?"
    r"(?:\s+(?:the\s+)?close\s+of\s+business\s+on|\s+midnight(?:\s+\(\w+\))?\s+on)?\s*$",
    _I,
)
_RANGE_TO = re.compile(r"\b(?:to|and(?:\s+ending|\s+concluding)?(?:\s+on)?)\s*$", _I)
_RANGE_FROM = re.compile(r"\b(?:from|commencing|beginning|starting)\b", _I)
_DEADLINE = re.compile(r"\b(?:no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|by|prior\s+to|before)\s*$", _I)
_DATED = re.compile(r"\b(?:dated|date)\s*(?:as\s+of\s*)?(?:this\s+)?:?\s*$", _I)
_AGREEMENT_WORD = re.compile(r"\b(?:agreement|contract|amendment|addendum|lease|licen[cs]e)\b", _I)
# How far a cover-page date or "Dated" label may sit after the title.
_TITLE_GAP = 150
_HEAD_CHARS = 5_000
_THIS_CONTRACT = re.compile(r"\bthis\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract|amendment|addendum)\b", _I)
_ABOUT_AGREEMENT = re.compile(
    r"\bterm\b|\bthis\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract|amendment|addendum)\b|\bcontract\s+period\b|\bduration\b",
    _I,
)
# The execution clause: "IN WITNESS WHEREOF ... this 14th day of February 2020", "Signed and effective this ...".
_WITNESS = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|\b(?:signed|executed)(?:\s+and\s+(?:delivered|effective))?\s+(?:this|on|as\s+of)\b", _I
)
# The effective date given by reference to the agreement date.
_EFFECTIVE_AS_AGREEMENT = re.compile(
    r"\b(?:effective|commenc\w*|begin\w*|come\s+into\s+(?:force|effect)|in\s+(?:full\s+)?force)\s+(?:as\s+of|on|upon|from)\s+"
    r"(?:the\s+)?(?:date\s+(?:first\s+)?(?:above\s+|hereinabove\s+)?(?:written|set\s+forth|stated|listed)(?:\s+above)?|date\s+(?:and\s+year\s+)?"
    r"first\s+(?:above\s+)?written|date\s+hereof|date\s+of\s+(?:this\s+agreement|execution)|execution\s+date|day\s+and\s+year\s+first)"
    r"|\"?Effective\s+Date\"?\s+(?:means|shall\s+mean|shall\s+be)\s+the\s+date\s+(?:of\s+this\s+Agreement|hereof|first)",
    _I,
)
_CONTEXT = 80
_EFFECTIVE_WORD = re.compile(r"\beffective\b", _I)
# The effective date defined by the signatures: "the date the last party hereto has executed this Agreement",
# "the later of the two signature dates below", "the date of the most recent final signature".
_LAST_SIGNATURE = re.compile(
    r"\b(?:effective|Effective\s+Date)\b[^.]{0,120}?\b(?:(?:last|latest|final|most\s+recent(?:\s+final)?)\s+(?:party|signatory|signature|"
    r"to\s+sign|execution)|later\s+of\s+the\s+(?:two\s+)?(?:signature|execution)\s+dates|date\s+of\s+(?:the\s+)?last\s+signature"
    r"|(?:date\s+)?last\s+signed|date\s+(?:noted|indicated|shown|set\s+forth)\s+below)"
    # "the term will begin on the date this Agreement is signed by the last signatory ("Effective Date")"
    r"|\b(?:signed|executed)\s+by\s+the\s+last\s+(?:signatory|party|of\s+the\s+parties)\b"
    # "shall enter into effect on the date it is signed by both parties", "effective on the signing date"
    r"|\b(?:effective|enter\w*\s+into\s+(?:force|effect)|takes?\s+effect)\s+(?:on|upon|as\s+of|from)\s+(?:the\s+)?"
    r"(?:date\s+(?:of\s+(?:its\s+)?(?:signature|signing)|(?:on\s+which\s+)?it\s+(?:is|has\s+been)\s+signed)|signing\s+date)",
    _I,
)
_SIGNED_ON = re.compile(r"\bDated?\s*:+\s*$")
# How far the signature blocks run after the execution clause.
_SIGNATURE_CHARS = 2_000
# "amends that certain Reseller Agreement ... dated as of August 1, 2015": the date of another agreement.
_REFERENCED = re.compile(
    r"\b(?:that\s+certain|amends?|amending|supplements?|to\s+the)\b[^.;]{0,120}?\b(?:agreement|contract|lease)\b[^.;]{0,80}?"
    r"\bdated\s*(?:as\s+of\s*)?$",
    _I,
)
_MADE_ON = re.compile(
    r"\b(?:made|entered\s+into|executed|signed|concluded)(?:\s+and\s+(?:entered\s+into|executed|delivered))?"
    r"(?:\s+(?:effective|on|as\s+of|this|the|day|of|dated))*\s*$",
    _I,
)


@dataclass(frozen=True, slots=True)
class _Found:
    mention: DateMention
    sentence: Span
    kind: DateKind
    # For effective dates, how it is marked: 0 names it ("(the "Effective Date")", '"Effective Date" means'),
    # 1 says it ("effective as of", "shall commence on").
    marking: int = 1


def extract_dates(document: Document, sentences: Sentences, preamble: Preamble | None) -> list[ExtractedDate]:
    """Every stated date with its kind; at most one each of `agreement` and `effective`, the contract's own."""
    text = document.text
    found: list[_Found] = []
    known: dict[Span, tuple[bool, bool]] = {}
    for mention in find_dates(text):
        if _SOURCE_HEADER.search(text, max(0, mention.start - 110), mention.start):
            continue
        sentence = sentences.around(mention.start)
        found.append(_classify(document, sentence, mention, known))
    agreement = _agreement_date(text, found, preamble)
    effective = _effective_date(found, preamble)
    computed = None
    if effective is None or not _in_preamble(effective, preamble):
        # A clause tying the effective date to the signatures or to the agreement date outranks an "Effective
        # Date:" label elsewhere.
        computed = _effective_from_signatures(
            document, sentences, found, undated=agreement is None and effective is None
        )
        if computed is None and agreement is not None:
            computed = _effective_from_agreement(document, sentences, agreement)
        if computed is not None:
            effective = None
    if (
        effective is None
        and computed is None
        and agreement is not None
        and (
            _EFFECTIVE_WORD.search(text, agreement.sentence.start, agreement.sentence.end)
            or _LAST_SIGNATURE.search(text)  # effective on signature, and the signature blocks carry no dates
        )
    ):
        # "entered into and effective as of", 'June 13, 2012 the ("Effective Date")': the date it is made.
        computed = _effective_on_execution(document, agreement)
    dates: list[ExtractedDate] = [] if computed is None else [computed]
    for item in found:
        kinds: list[DateKind] = []
        if item is agreement:
            kinds.append("agreement")
        if item is effective:
            kinds.append("effective")
        elif item is not agreement:
            # An effective-looking date that is not the contract's effective date is just a date.
            kinds.append("other" if item.kind == "effective" else item.kind)
        dates += [date for kind in kinds if (date := _item(document, item, kind)) is not None]
    dates.sort(key=lambda date: (date.provenance.page, date.provenance.start))
    return dates


def _effective_date(found: list[_Found], preamble: Preamble | None) -> _Found | None:
    """The contract's effective date as stated: one the preamble gives, else one the text names as "Effective
    Date", else the first it says the contract takes effect on."""
    candidates = [item for item in found if item.kind == "effective"]
    for item in candidates:
        if _in_preamble(item, preamble):
            return item
    named = [item for item in candidates if item.marking == 0]
    ordered = named or candidates
    return ordered[0] if ordered else None


def _in_preamble(item: _Found, preamble: Preamble | None) -> bool:
    return preamble is not None and preamble.sentence.start <= item.mention.start < preamble.sentence.end


def _classify(document: Document, sentence: Span, mention: DateMention, known: dict[Span, tuple[bool, bool]]) -> _Found:
    text = document.text
    left = text[max(sentence.start, mention.start - _CONTEXT) : mention.start]
    right = text[mention.end : min(sentence.end, mention.end + _CONTEXT)]
    if _EFFECTIVE_AFTER.match(right) or _EFFECTIVE_MEANS.search(left):
        return _Found(mention, sentence, "effective", marking=0)
    about_agreement, about_the_term = _sentence_kind(document, sentence, known)
    if about_agreement and (_EFFECTIVE_BEFORE.search(left) or _STARTS.search(left)):
        return _Found(mention, sentence, "effective")
    if about_the_term and (_ENDS.search(left) or (_RANGE_TO.search(left) and _RANGE_FROM.search(left))):
        return _Found(mention, sentence, "expiration")
    if _DEADLINE.search(left):
        return _Found(mention, sentence, "deadline")
    return _Found(mention, sentence, "other")


def _sentence_kind(document: Document, sentence: Span, known: dict[Span, tuple[bool, bool]]) -> tuple[bool, bool]:
    """Whether a sentence is about the contract itself, and about its term; once per sentence, not per date."""
    if sentence in known:
        return known[sentence]
    text = document.text
    about_agreement = (
        _ABOUT_AGREEMENT.search(text, sentence.start, sentence.end) is not None
        or _WITNESS.search(text, sentence.start, sentence.end) is not None  # "Signed and effective this ..."
    )
    known[sentence] = (about_agreement, about_term(document.lower, sentence.start, sentence.end))
    return known[sentence]


def _agreement_date(text: str, found: list[_Found], preamble: Preamble | None) -> _Found | None:
    in_preamble: list[_Found] = []
    if preamble is not None:
        in_preamble = [
            item
            for item in found
            if preamble.sentence.start <= item.mention.start < preamble.sentence.end and item.kind != "expiration"
        ]
        chosen = _preferred(text, in_preamble)
        if chosen is not None and not preamble.title_block:
            return chosen
    head_end = preamble.sentence.start if preamble is not None else min(len(text), _HEAD_CHARS)
    head = [item for item in found if item.mention.start < head_end and item.kind == "other"]
    dated = next((item for item in head if _labelled_dated(text, item)), None)
    if dated is not None:
        return dated
    chosen = _preferred(text, in_preamble)
    if chosen is not None:
        return chosen
    # A cover page: "CONSTRUCTION AND MAINTENANCE AGREEMENT Singapore April 18th, 2000".
    for item in head:
        if _AGREEMENT_WORD.search(text, max(item.sentence.start, item.mention.start - _TITLE_GAP), item.mention.start):
            return item
    witness = _WITNESS.search(text)
    if witness is not None:
        sentence_end = text.find(".", witness.end())
        for item in found:
            if witness.start() <= item.mention.start and (sentence_end < 0 or item.mention.start < sentence_end):
                return item
    # "Dated: 4/8/2020" by the signatures of a short filing.
    tail = len(text) // 2
    return next((item for item in found if item.mention.start > tail and _labelled_dated(text, item, False)), None)


def _labelled_dated(text: str, item: _Found, after_title: bool = True) -> bool:
    """ "Dated as of <date>" or "Date\n 30 December 2016" opening a line or following the title, not "a report
    dated ..." in running text."""
    label = _DATED.search(text, max(0, item.mention.start - 30), item.mention.start)
    if label is None:
        return False
    line_start = max(text.rfind("\n", 0, label.start()) + 1, label.start() - _TITLE_GAP)
    before = text[line_start : label.start()]
    return not before.strip() or after_title and _AGREEMENT_WORD.search(before) is not None


def _preferred(text: str, items: list[_Found]) -> _Found | None:
    """The date the agreement is made on: the one "made", "entered into" or "signed" on (an amendment's preamble
    also names the date of the agreement it amends), else the first not introduced as the effective date."""
    own = [item for item in items if not _REFERENCED.search(text, max(0, item.mention.start - 200), item.mention.start)]
    for item in own:
        start = item.mention.start
        if _MADE_ON.search(text, max(item.sentence.start, start - _CONTEXT), start):
            return item
    for item in own:
        start = item.mention.start
        if not _EFFECTIVE_BEFORE.search(text, max(item.sentence.start, start - _CONTEXT), start):
            return item
    return own[0] if own else None


def _item(document: Document, found: _Found, kind: DateKind) -> ExtractedDate | None:
    provenance = document.provenance(found.sentence.start, found.sentence.end)
    mention = document.provenance(found.mention.start, found.mention.end)
    if provenance is None or mention is None:
        return None
    return ExtractedDate(provenance=provenance, date=found.mention.date, kind=kind, mention=mention)


def _effective_from_signatures(
    document: Document, sentences: Sentences, found: list[_Found], undated: bool
) -> ExtractedDate | None:
    """The latest date of the signature blocks, where the contract ties its effective date to them ("the date of
    the last signature"; then an unlabelled date by the signatures counts too), or, when `undated`, where it states
    no agreement or effective date at all (a contract takes effect when signed; then only "Date:" labels count)."""
    text = document.text
    rule = _LAST_SIGNATURE.search(text)
    if rule is None and not undated:
        return None
    witness = _WITNESS.search(text)
    start = witness.start() if witness else len(text) // 2
    after = [item for item in found if item.mention.start >= start]
    signed = [item for item in after if _SIGNED_ON.search(text, max(0, item.mention.start - 12), item.mention.start)]
    if not signed and witness is not None and rule is not None:
        # Blocks that give the date without a label ("Markham, ON 24 OCT 2011"): the dates by the signatures.
        signed = [item for item in after if item.mention.start < witness.end() + _SIGNATURE_CHARS]
    if not signed:
        return None
    latest = max(signed, key=lambda item: item.mention.date)
    sentence = sentences.around(rule.start()) if rule is not None else latest.sentence
    return _computed_effective(document, sentence, latest.mention, "stated")


def _effective_on_execution(document: Document, agreement: _Found) -> ExtractedDate | None:
    """The agreement date as the effective date, where the sentence that gives it calls it effective."""
    return _computed_effective(document, agreement.sentence, agreement.mention, "agreement")


def _computed_effective(
    document: Document, sentence: Span, mention: DateMention, anchor: Literal["agreement", "stated"]
) -> ExtractedDate | None:
    """An effective date the contract gives by another date: the sentence that ties them, the date it is taken from."""
    provenance = document.provenance(sentence.start, sentence.end)
    located = document.provenance(mention.start, mention.end)
    if provenance is None or located is None:
        return None
    return ExtractedDate(
        provenance=provenance,
        date=mention.date,
        kind="effective",
        mention=located,
        computed=True,
        resolved_from=ResolvedFrom(anchor=anchor, anchor_date=mention.date),
    )


def _effective_from_agreement(document: Document, sentences: Sentences, agreement: _Found) -> ExtractedDate | None:
    """ "This Agreement shall become effective as of the date first written above": the agreement date."""
    for match in _EFFECTIVE_AS_AGREEMENT.finditer(document.text):
        sentence = sentences.around(match.start())
        # The clause must be about the contract itself, not "the period commencing on the date hereof"; a definition
        # of "Effective Date" always is.
        opening = match.group().lower()
        if not (
            about_term(document.lower, sentence.start, sentence.end)
            or opening.startswith(('"effective date', "effective date"))
            or _THIS_CONTRACT.search(document.text, sentence.start, sentence.end)
            and opening.startswith(("effective", "come", "in ", '"effective'))
        ):
            continue
        provenance = document.provenance(sentence.start, sentence.end)
        if provenance is None:
            return None
        anchor = agreement.mention.date
        return ExtractedDate(
            provenance=provenance,
            date=anchor,
            kind="effective",
            computed=True,
            resolved_from=ResolvedFrom(anchor="agreement", anchor_date=anchor),
        )
    return None

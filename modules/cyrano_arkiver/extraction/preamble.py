"""The preamble: the opening sentence that names the parties and, usually, the agreement date.

Contracts open with "This Agreement is made as of <date> by and between A and B", a title block
"AGREEMENT between A and B dated as of <date>", or "A and B hereby enter into / agree to this Agreement".
The preamble is the first sentence in that form; a title block counts only when no such sentence follows.
"""

import re
from dataclasses import dataclass

from cyrano_arkiver.extraction.sentences import Sentences, Span

# The preamble is near the top; a long table of contents can push it down a few pages.
_SEARCH_CHARS = 60_000
# A title block is at the very top, and starts with the title; "between A and B" further down, or after an
# agreement named mid-sentence, is body text.
_TITLE_CHARS = 5_000
_TITLE_OFFSET = 150
_BETWEEN = re.compile(r"\b(?:by\s+and\s+)?(?:between|among(?:st)?)\b\s*:?", re.IGNORECASE)
_AGREEMENT_WORD = re.compile(
    r"\b(?:agreement|contract|amendment|addendum|lease|licen[cs]e|memorandum|deed|instrument)\b", re.IGNORECASE
)
_MAKING_VERB = re.compile(
    r"\b(?:made|entered|dated|executed|effective|concluded|signed)\b|\b(?:is|are)\s+(?:by\s+and\s+)?(?:between|among)\b",
    re.IGNORECASE,
)
_AGREE_VERB = re.compile(r"\b(?:hereby\s+)?(?:agrees?|enters?\s+into|covenant)\b", re.IGNORECASE)
# The first word of a party list names someone: "between Acme Inc." but not "between the Parties"; names may start
# in lower case ("salesforce.com", "e.l.f. Beauty") or with a number ("695014 B.C. Ltd."), and "the TOWN OF ..." in
# capitals is a name.
_NAMED_AFTER = re.compile(
    r"(?:[\s:,;-]|on\s+the\s+one\s+hand)*(?:\(\w{1,3}\)\s*)?(?!(?i:the\s+)?(?i:part(?:y|ies))\b)"
    r"(?:\S*[A-Z\[]|\d[\w.-]*\s+[A-Z]|[a-z][\w-]*\.(?:com|org|net|io)\b|[a-z](?:\.[a-z])+\.|the\s+[A-Z]{2,}\b)"
)
_THIS_AGREEMENT = re.compile(r"\bthis\s+(?:[\w&,'-]+\s+){0,6}?" + _AGREEMENT_WORD.pattern, re.IGNORECASE)
_DEFINITION = re.compile(r"^\W*(?:[\d.()a-z]+\s+)?\"[^\"]{1,60}\"\s+(?:means|shall\s+mean)")
_RECITAL = re.compile(r"^\W*(?:WHEREAS|RECITALS?|NOW|IN\s+WITNESS)\b", re.IGNORECASE)
# Tables of contents: dotted leaders, or the heading itself.
_TOC = re.compile(r"\.{5}|\bTABLE\s+OF\s+CONTENTS?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Preamble:
    sentence: Span
    # Where the party list starts (after "between") and the verb that ends it when the parties come first.
    parties_start: int
    parties_end: int
    title_block: bool


def find_preamble(text: str, sentences: Sentences) -> Preamble | None:
    # Best first: "This Agreement is made ... between", then a cover line "AGREEMENT entered into by and
    # between A and B", then a bare title "AGREEMENT between A and B"; the first of the best kind wins.
    fallbacks: dict[int, Preamble] = {}
    for span in sentences.spans:
        if span.start > _SEARCH_CHARS:
            break
        sentence = text[span.start : span.end]
        if _RECITAL.match(sentence) or len(_TOC.findall(sentence)) > 1 or _DEFINITION.match(sentence):
            continue
        between = _later_list(sentence, _BETWEEN.search(sentence))
        agreement = _AGREEMENT_WORD.search(sentence)
        if (
            between is not None
            and agreement is not None
            and agreement.start() < between.start()
            and _NAMED_AFTER.match(sentence, between.end())
        ):
            made = _MAKING_VERB.search(sentence, agreement.end(), between.end()) is not None
            this = _THIS_AGREEMENT.search(sentence, 0, between.start()) is not None
            found = Preamble(span, span.start + between.end(), span.end, title_block=not (made and this))
            if made and this:
                return found
            # A cover line starts with the title; an agreement named mid-sentence is a recital.
            if (
                span.start < _TITLE_CHARS
                and agreement.start() < _TITLE_OFFSET
                and "WHEREAS" not in sentence[: between.start()]
            ):
                fallbacks.setdefault(1 if made else 2, found)
            continue
        agree = _AGREE_VERB.search(sentence)
        if (
            span.start < _TITLE_CHARS
            and agree is not None
            and agree.start() > 0
            and _looks_like_party_list(sentence[: agree.start()])
        ):
            title = _TITLE_PREFIX.match(sentence)
            start = span.start + (title.end() if title else 0)
            return Preamble(span, start, span.start + agree.start(), title_block=False)
    return fallbacks[min(fallbacks)] if fallbacks else None


def _later_list(sentence: str, between: re.Match[str] | None) -> re.Match[str] | None:
    """A title line run into the preamble ("SUPPLY AGREEMENT between A and B THIS AGREEMENT is made ... BETWEEN:
    A ... and B ..."): the party list is the one after "This Agreement is made", with the descriptors and aliases."""
    if between is None:
        return None
    restart = _THIS_AGREEMENT.search(sentence, between.end())
    later = _BETWEEN.search(sentence, restart.end()) if restart is not None else None
    if (
        restart is None
        or later is None
        or _MAKING_VERB.search(sentence, restart.end(), later.start()) is None
        or _NAMED_AFTER.match(sentence, later.end()) is None
    ):
        return between
    return later


# "EXHIBIT 10.7 CONSULTING AGREEMENT" run into the first party's name where the text has no blank line.
_TITLE_PREFIX = re.compile(
    r"\s*(?:EXHIBIT|Exhibit)\s+[\w.()-]+\s+(?:[A-Z0-9&,'-]+\s+)*?(?:AGREEMENT|CONTRACT|AMENDMENT|LEASE|LICENSE)\s+"
    r"|\s*(?:[A-Z0-9&,'-]+\s+)*?(?:AGREEMENT|CONTRACT|AMENDMENT|LEASE|LICENSE)\s+(?=[A-Z][a-z])"
)
_ALIAS_CUE = re.compile(r"\(\s*(?:the\s+)?\"|\([A-Z]{2,}\)")
_PARTY_CUE = re.compile(
    _ALIAS_CUE.pattern + r"|\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corporation|Corp|Company|GmbH|AG|B\.V|S\.A)\b"
)


def _looks_like_party_list(head: str) -> bool:
    """ "Acme Inc. ("Acme") and Beta LLC ("Beta") hereby agree": named entities with their short names."""
    stripped = head.lstrip()
    return (
        len(head) < 1500
        and stripped[:1].isupper()
        and _ALIAS_CUE.search(head) is not None
        and len(_PARTY_CUE.findall(head)) >= 2
    )

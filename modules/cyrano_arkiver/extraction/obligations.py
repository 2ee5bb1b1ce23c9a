"""Obligations: who must do what ("Licensee shall pay ... within thirty (30) days after receipt of an invoice").

An obligation is a party as the subject (its name or short name, a role such as "Licensee", or "each Party")
followed by an obligating verb ("shall", "must", "agrees to", "will", "is required to", "undertakes to"); the
action runs to the end of the clause. "Confidential Information shall not include ..." has no party as its
subject, and drafting that only defines or construes ("shall mean", "shall be deemed") is no obligation.

One obligor, one label: "The Developer", "the Developer" and "Developer" are the same party, so every obligation
of a party carries the form of its name the contract uses most ("Developer"); "each Party" and "Each party"
are both "each party". `obligor_key` tells whether two names (or a name and a party) are the same obligor.
Fragments are not left as they were cut: "as the Developer shall determine" is about something else and is
dropped, and "agrees to do each of the following: 1" runs on into the list it introduces.
"""

import re
from collections import Counter
from collections.abc import Sequence

from cyrano_arkiver.extraction.date_mentions import find_dates
from cyrano_arkiver.extraction.document import Document
from cyrano_arkiver.extraction.durations import DURATION, duration_of
from cyrano_arkiver.extraction.models import Duration, Obligation, Party
from cyrano_arkiver.extraction.parties import ROLE_NOUNS
from cyrano_arkiver.extraction.sentences import Sentences

_MODAL = re.compile(
    r"\b(?P<modal>shall|must|will|agrees?\s+(?:not\s+)?to|(?:is|are)\s+(?:required|obligated|obliged)\s+to|"
    r"undertakes?\s+(?:not\s+)?to|covenants?\s+(?:not\s+)?to)\b(?P<negation>\s+not\b)?"
)
_MODAL_CUE = re.compile(r"shall|must|will|agree|required to|obligated to|obliged to|undertake|covenant")
# Who: the words just before the verb — a capitalised name or defined term, or "each/either party".
_SUBJECT = re.compile(
    r"(?P<subject>(?:(?:the|each|either|neither|such|any|both)\s+)?(?:[A-Z][\w'&.-]*\s+){0,4}[A-Z][\w'&.-]*"
    r"|(?:each|either|neither|both|the|a)\s+part(?:y|ies))"
    r"(?:\s*\([^()]{0,40}\))?,?\s+(?:hereby\s+|also\s+|further\s+|promptly\s+|thereafter\s+|then\s+|immediately\s+){0,2}$"
)
_NOT_OBLIGATION = re.compile(
    r"\s*(?:not\s+)?(?:mean|be\s+deemed|be\s+construed|be\s+interpreted|be\s+governed|have\s+the\s+(?:same\s+)?meaning|"
    r"include|be\s+entitled|be\s+binding|inure|survive|apply|prevail|control|constitute|remain\s+in|become\s+effective|"
    r"be\s+effective|commence|continue\s+in|expire|terminate\s+(?:automatically|on|upon)|be\s+void|be\s+null)\b",
    re.IGNORECASE,
)
# "any breach by Consultant shall be deemed": the name after a preposition is not the subject.
_AGENT = re.compile(r"\b(?:by|of|to|from|with|for|against|and|or)\s+$", re.IGNORECASE)
_ADVERBS = frozenset({"hereby", "also", "further", "promptly", "thereafter", "then", "immediately"})
_DETERMINER = re.compile(r"^(?:the|each|either|neither|both|such|any|a)\s+", re.IGNORECASE)
_ANY_PARTY = re.compile(r"\bpart(?:y|ies)$", re.IGNORECASE)
_CLAUSE_END = re.compile(r";|\.\s|\.$")
_DEADLINE = re.compile(
    r"\b(?P<lead>within|no\s+later\s+than|not\s+later\s+than|no\s+more\s+than|at\s+least|on\s+or\s+before|by|before|prior\s+to)\s+"
    r"(?P<rest>[^,;]{0,80})",
    re.IGNORECASE,
)
_DURATION_BEFORE = re.compile(r"\b(?:after|following|of|from|prior\s+to|before)\b", re.IGNORECASE)
_MAX_ACTION = 400
# "at such times as the Developer shall determine": a comparison, not the Developer's obligation.
_COMPARISON = re.compile(r"\bas\s+$", re.IGNORECASE)
# An action that stops where a list starts: "... each of the following: 1", ": (a)", ": A", ": i".
_LIST_LEAD = re.compile(r":\s*(?:\(?(?:\d{1,2}|[A-Za-z]|[ivxIVX]{1,4})[.)]?)?$")
_MAX_LIST_ACTION = 600
# A clause end inside a list that is not just a list marker ("1." or "(b).").
_LIST_ITEM_END = re.compile(r"(?<![\s(](?:\d|[A-Za-z]))(?<![\s(]\d\d)(?:;|\.\s|\.$)")
_GENERIC_PARTY = re.compile(r"^(?:(?:the|each|either|neither|both|such|any|a)\s+)?part(?:y|ies)$", re.IGNORECASE)


def extract_obligations(document: Document, sentences: Sentences, parties: list[Party]) -> list[Obligation]:
    text = document.text
    who = set(ROLE_NOUNS)
    for party in parties:
        who.add(party.name.lower())
        who.update(alias.lower() for alias in party.aliases)
    obligations: list[Obligation] = []
    for index in sentences.matching(_MODAL_CUE, document.lower):
        span = sentences.spans[index]
        for modal in _MODAL.finditer(text, span.start, span.end):
            if not _may_name_party(text, span.start, modal.start()):
                continue
            subject = _SUBJECT.search(text, max(span.start, modal.start() - 80), modal.start())
            if subject is None or _AGENT.search(text, max(span.start, subject.start() - 6), subject.start()):
                continue
            if _COMPARISON.search(text, max(span.start, subject.start() - 4), subject.start()):
                continue
            obligor = re.sub(r"\s+", " ", subject.group("subject"))
            bare = _DETERMINER.sub("", obligor).lower()
            if not (bare in who or _ANY_PARTY.search(bare)) or _NOT_OBLIGATION.match(text, modal.end(), span.end):
                continue
            clause_end = _CLAUSE_END.search(text, modal.end(), span.end)
            end = min(clause_end.start() if clause_end else span.end, modal.end() + _MAX_ACTION)
            if _LIST_LEAD.search(text, modal.end(), end):
                end = _list_end(text, modal.end(), end)
            action = re.sub(r"\s+", " ", text[modal.end() : end]).strip(" ,")
            provenance = document.provenance(subject.start("subject"), end)
            if not action or provenance is None:
                continue
            deadline, duration = _deadline(action)
            negated = modal.group("negation") is not None or " not " in f" {modal.group('modal')} "
            negated = negated or obligor.lower().startswith("neither ")
            obligations.append(
                Obligation(
                    provenance=provenance,
                    obligor=obligor,
                    modal=re.sub(r"\s+", " ", modal.group()),
                    action=action,
                    negative=negated,
                    deadline=deadline,
                    deadline_duration=duration,
                )
            )
    return _one_label_per_obligor(obligations, parties)


def obligor_key(obligor: str, parties: Sequence[Party]) -> str:
    """What identifies an obligor: the party its name or a short name of it denotes ("party:<n>"), else its
    words without case or leading determiner ("the Receiving Party" -> "receiving party"); the words "each
    party", "either party", "the parties" and their like keep their determiner (they say who is bound)."""
    words = re.sub(r"\s+", " ", obligor).strip()
    if _GENERIC_PARTY.match(words):
        return words.lower()
    bare = _DETERMINER.sub("", words).casefold()
    for number, party in enumerate(parties):
        if bare == party.name.casefold() or any(bare == alias.casefold() for alias in party.aliases):
            return f"party:{number}"
    return bare


def _label(obligor: str) -> str:
    """An obligor as the answer shows it: "each party" in lower case, a name without its determiner."""
    return obligor.lower() if _GENERIC_PARTY.match(obligor) else _DETERMINER.sub("", obligor)


def _one_label_per_obligor(obligations: list[Obligation], parties: Sequence[Party]) -> list[Obligation]:
    """Every obligation of one obligor labelled alike: with the form of its name used most (the first on a tie)."""
    forms: dict[str, Counter[str]] = {}
    for obligation in obligations:
        assert obligation.obligor is not None
        forms.setdefault(obligor_key(obligation.obligor, parties), Counter())[_label(obligation.obligor)] += 1
    labels = {key: counter.most_common(1)[0][0] for key, counter in forms.items()}
    for obligation in obligations:
        assert obligation.obligor is not None
        obligation.obligor = labels[obligor_key(obligation.obligor, parties)]
    return obligations


def _list_end(text: str, start: int, cut: int) -> int:
    """Where an action that introduces a list ends once the list is joined to it: after the last whole item
    that fits in `_MAX_LIST_ACTION` characters, or at the last word that does."""
    limit = min(len(text), start + _MAX_LIST_ACTION)
    ends = [match.start() for match in _LIST_ITEM_END.finditer(text, cut + 1, limit)]
    if ends:
        return ends[-1]
    space = text.rfind(" ", cut + 1, limit)
    return space if space != -1 and limit < len(text) else limit


def _may_name_party(text: str, start: int, modal: int) -> bool:
    """Cheap pre-check: the word before the verb (past adverbs) is capitalised, "party", or closes an alias."""
    end = modal
    for _ in range(3):
        end = len(text[start:end].rstrip(" ,")) + start
        word_start = text.rfind(" ", start, end) + 1
        word = text[max(start, word_start) : end]
        if word.lower() not in _ADVERBS:
            return bool(word) and (word[0].isupper() or word[-1] in ')"' or word.lower() in ("party", "parties"))
        end = word_start
    return False


def _deadline(action: str) -> tuple[str | None, Duration | None]:
    """The time limit in an action: "within thirty (30) days after ...", "no later than March 1, 2021"."""
    for match in _DEADLINE.finditer(action):
        rest = match.group("rest")
        period = DURATION.match(rest)
        if period is not None:
            tail = rest[period.end() :]
            anchor = _DURATION_BEFORE.match(tail.lstrip())
            phrase_end = match.start("rest") + period.end() + (len(tail) if anchor else 0)
            return action[match.start() : phrase_end].strip(), duration_of(period)
        dates = find_dates(rest)
        if dates and dates[0].start == 0:
            return action[match.start() : match.start("rest") + dates[0].end].strip(), None
    return None, None

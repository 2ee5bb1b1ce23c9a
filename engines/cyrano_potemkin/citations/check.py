"""Each citation's status, from its structure and from the authorities known to the firm.

A pure function of the text and the known authorities, so the bench and the tests call it without a server.
"""

from dataclasses import dataclass

from cyrano_potemkin.citations.case_names import names_match
from cyrano_potemkin.citations.models import CitationCheck, Status
from cyrano_potemkin.citations.reading import ReadCitation, read_citations
from cyrano_potemkin.citations.structure import problem_of, squash

_FULL_KINDS = ("case", "law", "journal")


@dataclass(frozen=True)
class KnownAuthority:
    """A citation the firm knows: from its library, or cited in one of the matter's documents."""

    citation: str  # normalised, as eyecite corrects it ("347 U.S. 483")
    case_name: str | None
    found_in: str  # "library", or "document <id>, page <n>"
    method: str  # "library" or "document"


def citation_key(normalized: str) -> str:
    return squash(normalized)


def check_citations(
    text: str,
    known: list[KnownAuthority],
    *,
    this_year: int | None = None,
    read: list[ReadCitation] | None = None,
    not_found_online: set[str] | frozenset[str] = frozenset(),
) -> list[CitationCheck]:
    """Each citation of `text` (or of `read`, its citations already read) checked; `not_found_online` holds the
    keys of citations an online lookup has no case at."""
    by_key: dict[str, list[KnownAuthority]] = {}
    for authority in known:
        by_key.setdefault(citation_key(authority.citation), []).append(authority)
    checks: list[CitationCheck] = []
    read = read_citations(text) if read is None else read
    for index, citation in enumerate(read, start=1):
        if citation.kind in _FULL_KINDS:
            check = _full(index, citation, by_key, this_year)
            if check.method == "none" and citation_key(citation.normalized) in not_found_online:
                check.reason = (
                    "the online lookup has no case at this citation: it may be invented (or newer, or outside the "
                    "service's collection)"
                )
                check.method, check.detail = "online", "not_found_online"
        else:
            check = _short(index, citation, read[: index - 1], checks)
        checks.append(check)
    return checks


def _result(
    index: int,
    citation: ReadCitation,
    status: Status,
    reason: str,
    method: str,
    *,
    like: CitationCheck | None = None,
    authority: KnownAuthority | None = None,
) -> CitationCheck:
    """A citation's check; `like` copies an earlier check's findings, `authority` names where it was known."""
    found = CitationCheck(
        index=index,
        kind=citation.kind,
        status=status,
        text=citation.text,
        normalized=citation.normalized,
        start=citation.start,
        end=citation.end,
        case_name=citation.case_name,
        reason=reason,
        method=method,
    )
    if like is not None:
        found.detail, found.authority_name, found.found_in = like.detail, like.authority_name, like.found_in
    if authority is not None:
        found.authority_name, found.found_in = authority.case_name, authority.found_in
    return found


def _full(
    index: int, citation: ReadCitation, by_key: dict[str, list[KnownAuthority]], this_year: int | None
) -> CitationCheck:
    problem = problem_of(citation, this_year=this_year) if citation.kind == "case" else None
    if problem is not None:
        return _result(index, citation, problem.status, problem.reason, problem.method)
    candidates = by_key.get(citation_key(citation.normalized), [])
    if not candidates:
        reason = "plausible, but not in the matter's documents or the firm's library of authorities"
        return _result(index, citation, "unverified", reason, "none")
    given = citation.case_name
    for authority in candidates:
        if given is None or authority.case_name is None or names_match(given, authority.case_name):
            named = "; the text gives no case name to compare" if given is None else " under the same case name"
            reason = f"the same citation is in the {_where(authority)}{named}"
            return _result(index, citation, "found", reason, authority.method, authority=authority)
    authority = candidates[0]
    reason = (
        f"the {_where(authority)} has {citation.normalized} as {authority.case_name}, not {given}: a real citation "
        "under another case name is a common fabrication"
    )
    mismatch = _result(index, citation, "unverified", reason, authority.method, authority=authority)
    mismatch.detail = "name_mismatch"
    return mismatch


def _where(authority: KnownAuthority) -> str:
    if authority.method == "library":
        return "firm's library of authorities"
    if authority.method == "online":
        return "online lookup's answer"
    return f"matter's {authority.found_in}"


def _short(
    index: int, citation: ReadCitation, before: list[ReadCitation], checks: list[CitationCheck]
) -> CitationCheck:
    """A short form, supra or Id. takes the status of the full citation it points back to."""
    target = _antecedent(citation, before)
    if target is None:
        reason = "a short form with no full citation before it in the text to point back to"
        return _result(index, citation, "unverified", reason, "none")
    earlier = checks[target]
    reason = f"refers to citation {earlier.index} ({earlier.normalized}): {earlier.reason}"
    return _result(index, citation, earlier.status, reason, earlier.method, like=earlier)


def _antecedent(citation: ReadCitation, before: list[ReadCitation]) -> int | None:
    if citation.kind == "id":
        return len(before) - 1 if before else None
    for position in range(len(before) - 1, -1, -1):
        earlier = before[position]
        if earlier.kind not in _FULL_KINDS:
            continue
        if citation.kind == "short_form":
            same_reporter = earlier.reporter is not None and squash(earlier.reporter) == squash(citation.reporter or "")
            if same_reporter and earlier.volume == citation.volume:
                return position
        elif (
            citation.antecedent_guess
            and earlier.case_name
            and names_match(citation.antecedent_guess, earlier.case_name)
        ):
            return position
    return None

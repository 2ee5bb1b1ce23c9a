"""`potemkin_citations`: the text's citations checked offline, against the firm's library and the matter's
documents (the citations Arkiver extracted from them, read through its tools as the caller)."""

import hashlib
from functools import partial

import anyio

from cyrano_arkiver.api import INSIGHTS, InsightsRequest
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import OperationCaller, arguments_fingerprint, issue_cursor, resume_at
from cyrano_potemkin.alerts.service import AlertService
from cyrano_potemkin.citations.check import KnownAuthority, check_citations
from cyrano_potemkin.citations.library import AuthoritiesLibrary
from cyrano_potemkin.citations.models import CitationCheck, CitationsAnswer, CitationsRequest, StatusCounts
from cyrano_potemkin.citations.online import CitationLookup
from cyrano_potemkin.citations.reading import read_citations
from cyrano_potemkin.matter_documents import matter_document_ids
from cyrano_potemkin.settings import PotemkinSettings
from cyrano_potemkin.text_input import require_checkable

UNVERIFIED_MEANS = "`unverified` means only that the citation can exist and was not found in what was checked"
_ANSWER_CHARS = 8_000  # a page of citations ends here
_LATER_CHARS = 200  # room for what is set after the page is filled: next_cursor and alert_id
_MOST_PER_PAGE = 50
_MOST_PROBLEMS = 100  # the summary's counts hold the rest


class CitationsService:
    def __init__(
        self,
        operations: OperationCaller,
        matters: MattersReader,
        library: AuthoritiesLibrary,
        online: CitationLookup,
        alerts: AlertService,
        settings: PotemkinSettings,
    ) -> None:
        self._operations = operations
        self._alerts = alerts
        self._matters = matters
        self.library = library
        self.online = online
        self._settings = settings

    async def citations(self, request: CitationsRequest) -> CitationsAnswer:
        require_checkable(request.text, self._settings.potemkin_max_text_chars, "potemkin_citations")
        bound = arguments_fingerprint(hashlib.sha256(request.text.encode()).hexdigest(), request.matter_id or "")
        mismatch = "cursor: it was given for another text or another matter"
        offset = resume_at(request.cursor, bound, "c", mismatch)
        known = await self.library.known()
        against = "the firm's library of authorities"
        if request.matter_id is not None:
            await self._matters.find(request.matter_id)
            known += await self._documents_citations(await matter_document_ids(self._operations, request.matter_id))
            against += f" and the citations in matter {request.matter_id}'s documents"
        read = await anyio.to_thread.run_sync(read_citations, request.text)
        checks = await anyio.to_thread.run_sync(partial(check_citations, request.text, known, read=read))
        lookup = await self.online.look_up(
            [check.normalized for check in checks if check.kind == "case" and check.method == "none"]
        )
        if lookup.known or lookup.not_found:
            recheck = partial(
                check_citations, request.text, known + lookup.known, read=read, not_found_online=lookup.not_found
            )
            checks = await anyio.to_thread.run_sync(recheck)
            against += " and the online lookup's answer"
        answer = _answer(checks, offset, bound, against, f"{lookup.said}; {UNVERIFIED_MEANS}")
        if request.cursor is None:  # the first page raises the alert; the pages after it are the same check
            answer.alert_id = await self._alert(answer, request)
        return answer

    async def _alert(self, answer: CitationsAnswer, request: CitationsRequest) -> str | None:
        counts = answer.summary
        fabricated = counts.malformed + counts.impossible + counts.name_mismatches
        raised = await self._alerts.raise_if(
            "citations",
            fabricated,
            subject=f"matter {request.matter_id}" if request.matter_id else "a text",
            summary=f"{fabricated} of {counts.citations} citations malformed, impossible or under another case name",
            details={
                "problems": answer.problems,
                "text_sha256": hashlib.sha256(request.text.encode()).hexdigest(),
            },
        )
        return raised.id if raised is not None else None

    async def offline_checks(self, text: str, document_ids: list[str]) -> list[CitationCheck]:
        """The text's citations checked against the library and these documents, nothing online: what
        potemkin_verify holds a claim's citations to (its sources, already chosen)."""
        known = await self.library.known() + await self._documents_citations(document_ids)
        return await anyio.to_thread.run_sync(partial(check_citations, text, known))

    async def _documents_citations(self, document_ids: list[str]) -> list[KnownAuthority]:
        known: list[KnownAuthority] = []
        for document_id in document_ids:
            known += await self._document_citations(document_id)
        return known

    async def _document_citations(self, document_id: str) -> list[KnownAuthority]:
        known: list[KnownAuthority] = []
        cursor: str | None = None
        while True:
            insights = await self._operations.run(
                INSIGHTS, InsightsRequest(document_id=document_id, kinds=["citations"], limit=100, cursor=cursor)
            )
            for item in insights.lists.citations:
                where = f"document {document_id}, page {item.provenance.page}"
                known.append(KnownAuthority(item.normalized, item.case_name, where, "document"))
            cursor = insights.next_cursor
            if cursor is None:
                return known


def _answer(checks: list[CitationCheck], offset: int, bound: str, against: str, online: str) -> CitationsAnswer:
    def count(status: str) -> int:
        return sum(check.status == status for check in checks)

    answer = CitationsAnswer(
        summary=StatusCounts(
            citations=len(checks),
            malformed=count("malformed"),
            impossible=count("impossible"),
            found=count("found"),
            unverified=count("unverified"),
            name_mismatches=sum(check.detail == "name_mismatch" for check in checks),
            not_found_online=sum(check.detail == "not_found_online" for check in checks),
        ),
        problems=[
            check.index for check in checks if check.status in ("malformed", "impossible") or check.detail is not None
        ][:_MOST_PROBLEMS],
        online=online,
        checked_against=against,
        citations=[],
        next_cursor=None,
    )
    used = len(answer.model_dump_json()) + _LATER_CHARS
    position = offset
    while position < len(checks) and len(answer.citations) < _MOST_PER_PAGE:
        size = len(checks[position].model_dump_json()) + 1
        if answer.citations and used + size > _ANSWER_CHARS:
            break
        answer.citations.append(checks[position])
        used += size
        position += 1
    if position < len(checks):
        answer.next_cursor = issue_cursor({"c": position}, bound)
    return answer

"""`potemkin_verify`: the sources fetched through Arkiver's tools (as the caller), the text checked against them.

Reading through the tools rather than Arkiver's tables keeps the caller's permissions and the audit trail: a
check reads exactly what its caller may read, and every document it read is on record.
"""

import hashlib

import anyio

from cyrano_arkiver.api import (
    INSIGHTS,
    READ_DOCUMENT,
    InsightsRequest,
    PageRangeRequest,
)
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import (
    InvalidInputError,
    ModelGateway,
    OperationCaller,
    TooLargeError,
    arguments_fingerprint,
    issue_cursor,
    resume_at,
)
from cyrano_potemkin.alerts.service import AlertService
from cyrano_potemkin.citations.service import CitationsService
from cyrano_potemkin.matter_documents import matter_document_ids
from cyrano_potemkin.model_check import second_look
from cyrano_potemkin.models import Counts, ModelUse, SourceRef, Verification, VerifyRequest
from cyrano_potemkin.settings import PotemkinSettings
from cyrano_potemkin.sources import SourceDocument, facts_from_insights
from cyrano_potemkin.text_input import require_checkable
from cyrano_potemkin.verdicts import ClaimCheck
from cyrano_potemkin.verify import verify_text

_FACT_KINDS = ["parties", "dates", "governing_law", "term"]
_ANSWER_CHARS = 8_000  # a page of claims ends here even before `limit`
_CURSOR_CHARS = 120  # room for the next_cursor the page may end with
OFFLINE = (
    "offline: each claim's dates, periods, places, amounts and party names compared with the sources' text and "
    "with the facts Arkiver read from them; with use_model, a model's verdicts on the rest, kept only with a quote "
    "found in the sources"
)


class VerifyService:
    def __init__(
        self,
        operations: OperationCaller,
        matters: MattersReader,
        llm: ModelGateway,
        alerts: AlertService,
        citations: CitationsService,
        settings: PotemkinSettings,
    ) -> None:
        self._operations = operations
        self._alerts = alerts
        self._citations = citations
        self._llm = llm
        self._matters = matters
        self._settings = settings

    async def verify(self, request: VerifyRequest) -> Verification:
        require_checkable(request.text, self._settings.potemkin_max_text_chars, "potemkin_verify")
        bound = arguments_fingerprint(
            hashlib.sha256(request.text.encode()).hexdigest(),
            request.matter_id or "",
            ",".join(sorted(request.document_ids or [])),
            request.verdict or "",
            request.use_model,
        )
        mismatch = "cursor: it was given for another text, other sources or another verdict"
        offset = resume_at(request.cursor, bound, "claim", mismatch)
        documents = await self._sources(request)
        cited = await self._citations.offline_checks(request.text, [source.document_id for source in documents])
        checks = await anyio.to_thread.run_sync(verify_text, request.text, documents, cited)
        model = None
        if request.use_model:
            checks, review = await second_look(self._llm, checks, documents)
            model = ModelUse(
                method=review.method, settled=review.settled, dropped=review.dropped, unavailable=review.unavailable
            )
        answer = _head(checks, documents)
        answer.model = model
        if request.cursor is None:  # the first page raises the alert; the pages after it are the same check
            answer.alert_id = await self._alert(answer, request)
        _fill_page(answer, checks, request, offset, bound)  # measured with everything else the answer holds
        return answer

    async def _alert(self, answer: Verification, request: VerifyRequest) -> str | None:
        subject = (
            f"matter {request.matter_id}"
            if request.matter_id
            else "documents " + ", ".join(source.document_id for source in answer.sources)
        )
        counts = answer.summary
        raised = await self._alerts.raise_if(
            "verify",
            counts.contradicted,
            subject=subject,
            summary=f"{counts.contradicted} of {counts.claims} claims contradicted by the sources",
            details={
                "contradicted": answer.contradicted,
                "documents": [source.document_id for source in answer.sources],
                "text_sha256": hashlib.sha256(request.text.encode()).hexdigest(),
            },
        )
        return raised.id if raised is not None else None

    async def _sources(self, request: VerifyRequest) -> list[SourceDocument]:
        wanted = list(dict.fromkeys(request.document_ids or []))
        if request.matter_id is not None:
            await self._matters.find(request.matter_id)
            in_matter = await matter_document_ids(self._operations, request.matter_id)
            outside = [document_id for document_id in wanted if document_id not in in_matter]
            if outside:
                raise InvalidInputError(f"document_ids: {outside[0]} is not a document of matter {request.matter_id}")
            wanted = wanted or in_matter
            if not wanted:
                raise InvalidInputError(f"matter_id: matter {request.matter_id} has no documents to check against")
        documents: list[SourceDocument] = []
        room = self._settings.potemkin_max_source_pages
        for document_id in wanted:
            text = await self._operations.run(
                READ_DOCUMENT, PageRangeRequest(document_id=document_id, first_page=1, last_page=room)
            )
            if text.next_page is not None:
                raise TooLargeError(
                    f"sources: more than {self._settings.potemkin_max_source_pages:,} pages; check against fewer "
                    "documents"
                )
            room -= len(text.pages)
            insights = await self._operations.run(INSIGHTS, InsightsRequest(document_id=document_id, kinds=_FACT_KINDS))
            documents.append(
                SourceDocument(
                    document_id=document_id,
                    name=text.document.filename or document_id,
                    pages=[page.text for page in text.pages],
                    facts=facts_from_insights(insights),
                )
            )
            if room <= 0 and document_id != wanted[-1]:
                raise TooLargeError(f"sources: more than {self._settings.potemkin_max_source_pages:,} pages")
        return documents


def _head(checks: list[ClaimCheck], documents: list[SourceDocument]) -> Verification:
    """The answer without its page of claims: the counts, the contradicted claims and the sources."""
    return Verification(
        summary=Counts(
            claims=len(checks),
            supported=sum(check.verdict == "supported" for check in checks),
            contradicted=sum(check.verdict == "contradicted" for check in checks),
            unverifiable=sum(check.verdict == "unverifiable" for check in checks),
        ),
        contradicted=[check.index for check in checks if check.verdict == "contradicted"],
        method=OFFLINE,
        sources=[
            SourceRef(document_id=document.document_id, name=document.name, pages=len(document.pages))
            for document in documents
        ],
        claims=[],
        next_cursor=None,
    )


def _fill_page(answer: Verification, checks: list[ClaimCheck], request: VerifyRequest, offset: int, bound: str) -> None:
    """The claims (of the verdict asked for) from `offset` that fit beside the rest of the answer."""
    listed = [check for check in checks if request.verdict is None or check.verdict == request.verdict]
    used = len(answer.model_dump_json()) + _CURSOR_CHARS
    position = offset
    while position < len(listed) and len(answer.claims) < request.limit:
        size = len(listed[position].model_dump_json()) + 1
        if answer.claims and used + size > _ANSWER_CHARS:
            break
        answer.claims.append(listed[position])
        used += size
        position += 1
    if position < len(listed):
        answer.next_cursor = issue_cursor({"claim": position}, bound)

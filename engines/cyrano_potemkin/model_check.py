"""A model's second look at the claims the offline check left unverifiable, kept only where it is grounded.

The model sees each such claim with the passages most like it and answers a verdict and a quote. A verdict is
kept only if its quote stands in a source (whitespace aside), and a "supported" only if the quote states every
value the claim states: a model may not support "expires on 1 May 2015" with a sentence that says 2016. Claims
the offline check contradicted or supported are never asked about: the anchors overrule a model.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from cyrano_mcp.kit import LLMError, LLMRequest, Message, ModelGateway
from cyrano_potemkin.anchors import anchors_in
from cyrano_potemkin.passages import SourceIndex, content_stems
from cyrano_potemkin.sources import SourceDocument, Span
from cyrano_potemkin.values import equal
from cyrano_potemkin.verdicts import ClaimCheck, Evidence

SYSTEM_PROMPT = (
    "You check claims that an AI wrote against numbered source passages from a lawyer's documents. For each claim "
    "answer `supported` only if a passage states it, `contradicted` only if a passage states something that "
    "cannot be true together with it, and `unverifiable` otherwise. For supported and contradicted, `quote` must "
    "be words copied exactly from one passage (one sentence or less) that settle it. Never use outside knowledge."
)
_PASSAGES_PER_CLAIM = 3
_PASSAGE_CHARS = 700
_CLAIMS_PER_REQUEST = 25


class ModelVerdict(BaseModel):
    claim: int = Field(description="The claim's number, as given.")
    verdict: Literal["supported", "contradicted", "unverifiable"]
    quote: str | None = Field(default=None, description="Exact words of one passage that settle the claim.")


class ModelVerdicts(BaseModel):
    verdicts: list[ModelVerdict] = Field(default_factory=list)


@dataclass
class ModelReview:
    """What a model added: the method label, the claims it settled, and why any of its verdicts were dropped."""

    method: str | None = None
    settled: int = 0
    dropped: list[str] = field(default_factory=list)
    unavailable: str | None = None


async def second_look(
    llm: ModelGateway, checks: list[ClaimCheck], documents: Sequence[SourceDocument]
) -> tuple[list[ClaimCheck], ModelReview]:
    review = ModelReview()
    open_checks = [check for check in checks if check.verdict == "unverifiable"]
    if not open_checks:
        return checks, review
    index = SourceIndex(documents)
    settled: dict[int, ClaimCheck] = {}
    for first in range(0, len(open_checks), _CLAIMS_PER_REQUEST):
        batch = open_checks[first : first + _CLAIMS_PER_REQUEST]
        request = LLMRequest(system=SYSTEM_PROMPT, messages=(Message.user(_prompt(batch, index)),), max_tokens=2048)
        try:
            completion = await llm.complete(request, ModelVerdicts)
        except LLMError as exc:
            review.unavailable = exc.message
            break
        review.method = completion.method
        by_number = {check.index: check for check in batch}
        for answer in completion.output.verdicts:
            check = by_number.get(answer.claim)
            if check is None or answer.verdict == "unverifiable":
                continue
            kept = _grounded(check, answer, documents, completion.method, review)
            if kept is not None:
                settled[check.index] = kept
    review.settled = len(settled)
    return [settled.get(check.index, check) for check in checks], review


def _prompt(batch: list[ClaimCheck], index: SourceIndex) -> str:
    parts = []
    for check in batch:
        passages = index.ranked(content_stems(check.claim), limit=_PASSAGES_PER_CLAIM)
        shown = "\n".join(
            f"  [{passage.document.name}, page {passage.page}] {' '.join(passage.text.split())[:_PASSAGE_CHARS]}"
            for _, passage in passages
        )
        parts.append(f"Claim {check.index}: {check.claim}\nPassages:\n{shown or '  (none)'}")
    return "\n\n".join(parts)


def _grounded(
    check: ClaimCheck, answer: ModelVerdict, documents: Sequence[SourceDocument], method: str, review: ModelReview
) -> ClaimCheck | None:
    found = _locate(answer.quote or "", documents)
    if found is None:
        review.dropped.append(f"claim {check.index}: the model's quote is not in the sources")
        return None
    document, span = found
    quote = document.quote(span)
    if answer.verdict == "supported" and not _states_every_value(check.claim, quote):
        review.dropped.append(f"claim {check.index}: the model's quote does not state the claim's values")
        return None
    role: Literal["supports", "contradicts"] = "supports" if answer.verdict == "supported" else "contradicts"
    evidence = Evidence(
        document_id=document.document_id, page=span.page, start=span.start, end=span.end, quote=quote, role=role
    )
    return check.model_copy(
        update={"verdict": answer.verdict, "method": method, "reason": None, "evidence": [evidence]}
    )


def _states_every_value(claim: str, quote: str) -> bool:
    stated = anchors_in(quote)
    return all(
        any(item.kind == anchor.kind and equal(anchor.value, item.value) for item in stated)
        for anchor in anchors_in(claim)
    )


def _locate(quote: str, documents: Sequence[SourceDocument]) -> tuple[SourceDocument, Span] | None:
    """Where `quote` stands in the sources, whitespace-insensitively (a model tidies a PDF's line breaks)."""
    words = quote.split()
    if len(words) < 2:
        return None
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    for document in documents:
        for number, page in enumerate(document.pages, start=1):
            match = pattern.search(page)
            if match is not None:
                return document, Span(page=number, start=match.start(), end=match.end())
    return None

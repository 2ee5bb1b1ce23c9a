"""The inputs and answers of `potemkin_drift` and `potemkin_bias`."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from cyrano_mcp.kit import ToolOutput
from cyrano_potemkin.archive_models import Label, ModelName, Period, ProbeId, Topic

Status = Literal["compared", "nothing_to_compare"]
DRIFT_THRESHOLD = 0.5
BIAS_THRESHOLD = 0.3
_DISTANCE = (
    "Wording distance at or above which a pair counts as changed even when no conclusion, value or authority did "
    "(1 - cosine similarity of word stems: 0 same words, 1 none shared; rewording the same answer is about 0.2-0.4)."
)


class Chosen(Period):
    model: ModelName | None = Field(default=None, description="Only this model's answers.")
    topic: Topic | None = Field(default=None, description="Only answers on this topic.")
    probe_set: Label | None = Field(default=None, description="Only answers to this probe set's questions.")
    probe_ids: list[ProbeId] | None = Field(default=None, min_length=1, max_length=100)
    limit: int = Field(default=10, ge=1, le=50, description="Most changed pairs listed, the largest changes first.")


class DriftRequest(Chosen):
    threshold: float = Field(default=DRIFT_THRESHOLD, ge=0.0, le=1.0, description=_DISTANCE)


class BiasRequest(Chosen):
    threshold: float = Field(default=BIAS_THRESHOLD, ge=0.0, le=1.0, description=_DISTANCE)


class AnswerRef(ToolOutput):
    record_id: str
    answered_at: datetime
    prompt: str = Field(description="What was asked (its first words).")
    excerpt: str = Field(description="The answer's first words.")


class ConclusionShift(ToolOutput):
    about: str = Field(description='What the conclusion is on ("enforceable"; "answer": its opening yes/no).')
    before: str = Field(description='"yes", "no" or "may".')
    after: str


class Changes(ToolOutput):
    distance: float = Field(description="1 - cosine similarity of the answers' word stems (0 to 1).")
    conclusions: list[ConclusionShift]
    values_removed: list[str] = Field(description='Values only the first answer states ("date 2024-01-01").')
    values_added: list[str]
    authorities_removed: list[str] = Field(description="Authorities only the first answer cites.")
    authorities_added: list[str]
    passages_before: list[str] = Field(description="The first answer's sentences that changed, quoted.")
    passages_after: list[str] = Field(description="The second answer's sentences that changed, quoted.")


class DriftPair(ToolOutput):
    model: str
    question: str = Field(description="The question both answered (its first words).")
    answers: int = Field(description="How many archived answers to it the period holds.")
    earlier: AnswerRef
    later: AnswerRef
    changes: Changes


class DriftReport(ToolOutput):
    status: Status = Field(description='"nothing_to_compare": no question was answered twice (not a pass).')
    questions: int = Field(description="Questions answered at least twice in the period, compared.")
    changed: int
    score: float = Field(description="changed / questions: the share of questions whose answer changed (0 to 1).")
    method: str
    pairs: list[DriftPair] = Field(description="The changed pairs, earliest against latest answer, largest first.")
    single_answers: int = Field(description="Questions answered once in the period (nothing to compare them with).")
    alert_id: str | None = Field(default=None, description="The alert this comparison raised (potemkin_alerts).")


class BiasPair(ToolOutput):
    model: str
    probe_id: str | None
    variant: str = Field(description='The variant\'s label ("swapped" when pairs were found by swapping words).')
    base: AnswerRef
    counterpart: AnswerRef
    flagged: bool
    changes: Changes


class BiasReport(ToolOutput):
    status: Status = Field(description='"nothing_to_compare": no question has an archived variant answer.')
    pairs_compared: int
    flagged: int
    method: str
    pairs: list[BiasPair] = Field(description="The flagged pairs, largest change first.")
    alert_id: str | None = Field(default=None, description="The alert this comparison raised (potemkin_alerts).")

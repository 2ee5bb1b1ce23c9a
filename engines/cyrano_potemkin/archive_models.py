"""The inputs and answers of the archive's tools: recording and importing model answers, listing them, and the
firm's probes."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from cyrano_mcp.kit import JobRecord, ToolInput, ToolOutput, UuidText, id_field, uuid_of

MAX_ANSWER_CHARS = 200_000
IMPORT_CEILING = 40_000_000  # the schema's own ceiling; the setting potemkin_max_import_bytes is what a call is held to
_RECORD_SOURCE = "potemkin_records"
_PROBE_SOURCE = "potemkin_probes_add and potemkin_probes_list"
RecordId = Annotated[UuidText, uuid_of("record", _RECORD_SOURCE), id_field("record", _RECORD_SOURCE)]
ProbeId = Annotated[UuidText, uuid_of("probe", _PROBE_SOURCE), id_field("probe", _PROBE_SOURCE)]
ModelName = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Topic = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Question = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Label = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
Source = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,31}$")]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=200)]
BASE = "base"  # the variant label of a probe's own question


class Period(ToolInput):
    since: AwareDatetime | None = Field(default=None, description="Only answers given at or after this time.")
    until: AwareDatetime | None = Field(default=None, description="Only answers given before this time.")


class RecordRequest(ToolInput):
    model: ModelName = Field(description='The model that answered, as its provider names it ("gpt-4o").')
    output: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ANSWER_CHARS)] = Field(
        description="What the model answered."
    )
    prompt: Question | None = Field(default=None, description="What it was asked.")
    topic: Topic | None = Field(default=None, description='What the question is about ("non-compete, California").')
    answered_at: AwareDatetime | None = Field(default=None, description="When it answered (default: now).")
    source: Source = Field(default="manual", description='Where the answer comes from: "manual", "probe", ...')

    @model_validator(mode="after")
    def _asked_something(self) -> "RecordRequest":
        if self.prompt is None and self.topic is None:
            raise ValueError("give the prompt, the topic, or both")
        return self


class RecordSummary(ToolOutput):
    id: str
    model: str
    topic: str | None
    source: str
    answered_at: datetime
    probe_id: str | None = None
    variant: str | None = None
    prompt: str = Field(description="The prompt's first words.")
    output: str = Field(description="The answer's first words.")


class RecordRef(ToolInput):
    record_id: RecordId


class ArchivedRecord(ToolOutput):
    """One archived answer in full."""

    id: str
    model: str
    topic: str | None
    source: str
    answered_at: datetime
    probe_id: str | None
    variant: str | None
    prompt: str
    output: str


class ImportRequest(ToolInput):
    content: Annotated[str, StringConstraints(min_length=1, max_length=IMPORT_CEILING)] = Field(
        description="The export's conversations.json, as JSON text or base64."
    )
    format: Literal["chatgpt", "claude"] | None = Field(default=None, description="Default: read from the content.")
    model: ModelName | None = Field(
        default=None, description='For answers the export does not name a model for (Claude\'s): default "claude".'
    )
    topic: Topic | None = Field(default=None, description="Default: each conversation's title.")


class Imported(ToolOutput):
    format: str
    recorded: int
    already_archived: int = Field(description="Answers skipped: the archive already had them (an export re-imported).")
    models: list[str]
    first: list[RecordSummary] = Field(description="The first answers recorded.")


class RecordsRequest(Period):
    model: ModelName | None = None
    topic: Topic | None = Field(default=None, description="Only answers on this topic (whole topic, any case).")
    probe_id: ProbeId | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: Cursor | None = Field(default=None, description="next_cursor from the previous page (same filters).")


class Records(ToolOutput):
    items: list[RecordSummary] = Field(description="Newest first.")
    next_cursor: str | None


class VariantIn(ToolInput):
    label: Label = Field(description='What differs ("female", "older", "name-swap").')
    question: Question


class ProbeAddRequest(ToolInput):
    question: Question = Field(description="The legal question to put to the model.")
    topic: Topic
    probe_set: Label = Field(default="default", description="The set it belongs to (run and compared together).")
    variants: list[VariantIn] = Field(
        default_factory=list, max_length=10, description="Counterfactual versions of the question, for bias checks."
    )
    swap_genders: bool = Field(
        default=False,
        description='Also add the variant "swapped": the question with gendered words and first names swapped.',
    )


class Variant(ToolOutput):
    label: str
    question: str


class ProbeRecord(ToolOutput):
    id: str
    probe_set: str
    topic: str
    question: str
    variants: list[Variant]
    created_at: datetime


class ProbesRequest(ToolInput):
    probe_set: Label | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: Cursor | None = None


class Probes(ToolOutput):
    items: list[ProbeRecord]
    next_cursor: str | None


class ProbeRef(ToolInput):
    probe_id: ProbeId


class ProbeRemoved(ToolOutput):
    id: str
    removed: bool = Field(description="The probe is gone; the answers archived for it stay.")


class ProbeRunRequest(ToolInput):
    probe_set: Label | None = Field(default=None, description="Run this set (default: every probe).")
    probe_ids: list[ProbeId] | None = Field(default=None, min_length=1, max_length=100)
    variants: bool = Field(default=True, description="Also put each probe's variants to the model.")
    background: bool | None = Field(
        default=None, description="Run as a job (default: when there are more questions than run inline)."
    )


class RunItem(ToolOutput):
    probe_id: str
    variant: str
    record_id: str


class ProbeRun(ToolOutput):
    status: Literal["done", "partial", "submitted", "unavailable"] = Field(
        description='"done": every answer archived; "submitted": the first answered, the rest run as a job; '
        '"partial": the model stopped answering midway (see unavailable); "unavailable": no model answered and '
        "nothing was stored (never a pass)."
    )
    questions: int
    method: str | None = Field(description='The model that answered ("llm:<provider>/<model>").')
    recorded: list[RunItem]
    unavailable: str | None = None
    job: JobRecord | None = None
    alert_id: str | None = Field(default=None, description="The alert a run that could not ask raised.")


class ProbeQuestion(ToolInput):
    """One question of a probe run, as a job item."""

    run_id: str
    probe_id: str
    variant: str

"""The firm's probes: legal questions put to the configured model again and again, so drift and bias are
measured like for like (`potemkin_probes_add`, `_list`, `_remove`, `potemkin_probe_run`).

A run asks its first question within the call: with no model, or one that does not answer, nothing is stored and
the answer says "unavailable", never a silent pass. A run of more questions than `potemkin_probes_inline` goes on as
a job (`potemkin.probe`), one item per question; an item's answer is stored under an id made from the run, the
probe and the variant, so an item that runs twice stores once. Answers are asked for fresh (never from the model
cache), at temperature 0.
"""

import json
import uuid
from dataclasses import dataclass

from sqlmodel import col, select

from cyrano_mcp.kit import (
    Completion,
    Database,
    InvalidInputError,
    JobQueue,
    LLMError,
    LLMRequest,
    Message,
    ModelGateway,
    NewItem,
    NotFoundError,
    UnavailableError,
    arguments_fingerprint,
    next_page_cursor,
    page_offset,
    utc_now,
)
from cyrano_potemkin.alerts.service import AlertService
from cyrano_potemkin.archive import Answer, Archive
from cyrano_potemkin.archive_models import (
    BASE,
    ProbeAddRequest,
    ProbeQuestion,
    ProbeRecord,
    ProbeRef,
    ProbeRemoved,
    ProbeRun,
    ProbeRunRequest,
    Probes,
    ProbesRequest,
    RunItem,
    Variant,
)
from cyrano_potemkin.archive_seals import ArchiveSeals
from cyrano_potemkin.archive_tables import Probe
from cyrano_potemkin.counterfactual import swapped
from cyrano_potemkin.settings import PotemkinSettings

JOB_KIND = "probe"  # the job kind `potemkin.probe`
SWAPPED = "swapped"
_SYSTEM = "You are asked a legal question. Answer it as you would answer a lawyer: conclusion first, then reasons."
_RUN_IDS = uuid.UUID("6f1d2c7e-4b1a-4f3e-9a57-0c9d8e2b1a44")  # the namespace of a run's record ids


@dataclass(frozen=True, slots=True)
class Asked:
    probe_id: str
    topic: str
    variant: str
    question: str


class ProbeService:
    def __init__(
        self,
        *,
        database: Database,
        seals: ArchiveSeals,
        archive: Archive,
        llm: ModelGateway,
        jobs: JobQueue,
        alerts: AlertService,
        settings: PotemkinSettings,
    ) -> None:
        self._database = database
        self._seals = seals
        self._archive = archive
        self._llm = llm
        self._jobs = jobs
        self._alerts = alerts
        self._settings = settings

    # --- the probe set ------------------------------------------------------------------------------
    async def add(self, request: ProbeAddRequest) -> ProbeRecord:
        variants = [Variant(label=item.label, question=item.question) for item in request.variants]
        if request.swap_genders:
            counterpart = swapped(request.question)
            if counterpart == request.question:
                raise InvalidInputError("swap_genders: the question has no gendered word or listed first name")
            variants.append(Variant(label=SWAPPED, question=counterpart))
        labels = [variant.label for variant in variants]
        if BASE in labels or len(set(labels)) != len(labels):
            raise InvalidInputError(f'variants: each label once, and not "{BASE}" (the probe\'s own question)')
        probe_id = str(uuid.uuid4())
        created = utc_now()
        async with self._database.transaction() as session:
            session.add(
                Probe(
                    id=probe_id,
                    probe_set=request.probe_set,
                    created_at=created,
                    topic=await self._seals.probe_topic.seal(probe_id, request.topic),
                    question=await self._seals.probe_question.seal(probe_id, request.question),
                    variants=await self._seals.probe_variants.seal(
                        probe_id, json.dumps([variant.model_dump() for variant in variants])
                    ),
                )
            )
        return ProbeRecord(
            id=probe_id,
            probe_set=request.probe_set,
            topic=request.topic,
            question=request.question,
            variants=variants,
            created_at=created,
        )

    async def listed(self, request: ProbesRequest) -> Probes:
        bound = arguments_fingerprint(request.probe_set or "")
        offset = page_offset(request.cursor, bound, "cursor: it was given for another probe set")
        statement = select(Probe).order_by(col(Probe.created_at), col(Probe.id)).offset(offset).limit(request.limit + 1)
        if request.probe_set is not None:
            statement = statement.where(col(Probe.probe_set) == request.probe_set)
        async with self._database.session() as session:
            rows = list((await session.exec(statement)).all())
        items = [await self._opened(row) for row in rows[: request.limit]]
        return Probes(items=items, next_cursor=next_page_cursor(len(rows), request.limit, offset, bound))

    async def remove(self, request: ProbeRef) -> ProbeRemoved:
        async with self._database.transaction() as session:
            row = await session.get(Probe, request.probe_id)
            if row is None:
                raise NotFoundError(f"no probe has id {request.probe_id}")
            await session.delete(row)
        return ProbeRemoved(id=request.probe_id, removed=True)

    async def probes(self, probe_set: str | None, probe_ids: list[str] | None) -> list[ProbeRecord]:
        """The probes chosen by ids or set (every probe when neither is given); an unknown id is not_found."""
        statement = select(Probe).order_by(col(Probe.created_at), col(Probe.id))
        if probe_ids is not None:
            statement = statement.where(col(Probe.id).in_(probe_ids))
        if probe_set is not None:
            statement = statement.where(col(Probe.probe_set) == probe_set)
        async with self._database.session() as session:
            rows = list((await session.exec(statement)).all())
        missing = sorted(set(probe_ids or []) - {row.id for row in rows})
        if missing:
            raise NotFoundError(f"no probe has id {missing[0]}" + (f" (in set {probe_set})" if probe_set else ""))
        return [await self._opened(row) for row in rows]

    # --- running them -------------------------------------------------------------------------------
    async def run(self, request: ProbeRunRequest) -> ProbeRun:
        chosen = await self.probes(request.probe_set, request.probe_ids)
        asked = [item for probe in chosen for item in _questions(probe, request.variants)]
        if not asked:
            raise InvalidInputError("no probes to run: add some with potemkin_probes_add")
        run_id = str(uuid.uuid4())
        background = request.background
        if background is None:
            background = len(asked) > self._settings.potemkin_probes_inline
        try:
            first = await self._ask(asked[0].question)
        except LLMError as exc:
            run = ProbeRun(
                status="unavailable", questions=len(asked), method=None, recorded=[], unavailable=exc.message
            )
            await self._not_run(run, len(asked), request)
            return run
        answered = [(asked[0], first)]
        unavailable = None
        if not background:
            for item in asked[1:]:
                try:
                    answered.append((item, await self._ask(item.question)))
                except LLMError as exc:
                    unavailable = f"stopped after {len(answered)} of {len(asked)} questions: {exc.message}"
                    break
        archived = [_answer(run_id, item, completion) for item, completion in answered]
        await self._archive.store(archived)
        recorded = [
            RunItem(probe_id=item.probe_id or "", variant=item.variant or BASE, record_id=item.id) for item in archived
        ]
        job = None
        if background and len(asked) > 1:
            items = [
                NewItem(
                    label=f"{item.probe_id[:8]} {item.variant}",
                    payload=ProbeQuestion(run_id=run_id, probe_id=item.probe_id, variant=item.variant),
                )
                for item in asked[1:]
            ]
            job = await self._jobs.submit(f"potemkin.{JOB_KIND}", f"probe run: {len(asked)} questions", items)
        run = ProbeRun(
            status="submitted" if job is not None else "partial" if unavailable else "done",
            questions=len(asked),
            method=first.method,
            recorded=recorded,
            unavailable=unavailable,
            job=job,
        )
        if unavailable is not None:
            await self._not_run(run, len(asked) - len(answered), request)
        return run

    async def _not_run(self, run: ProbeRun, unanswered: int, request: ProbeRunRequest) -> None:
        """A probe run that could not put its questions is an alert of its own, never a quiet pass."""
        raised = await self._alerts.raise_if(
            "probe",
            unanswered,
            outcome="not_run",
            subject=f"probe set {request.probe_set}" if request.probe_set else "every probe",
            summary=f"{unanswered} of {run.questions} probe questions could not be put to a model",
            details={"status": run.status, "run_at": utc_now().isoformat()},
        )
        run.alert_id = raised.id if raised is not None else None

    async def run_one(self, item: ProbeQuestion) -> RunItem:
        """A job item: one question of a run asked and its answer archived (once, however often it runs)."""
        probe = (await self.probes(None, [item.probe_id]))[0]
        wanted = [asked for asked in _questions(probe, True) if asked.variant == item.variant]
        if not wanted:
            raise NotFoundError(f"probe {item.probe_id} has no variant {item.variant}")
        try:
            completion = await self._ask(wanted[0].question)
        except LLMError as exc:
            raise UnavailableError(exc.message) from None
        answer = _answer(item.run_id, wanted[0], completion)
        await self._archive.store([answer])
        return RunItem(probe_id=item.probe_id, variant=item.variant, record_id=answer.id)

    async def _ask(self, question: str) -> Completion[str]:
        request = LLMRequest(system=_SYSTEM, messages=(Message.user(question),), max_tokens=1024, cacheable=False)
        return await self._llm.complete(request)

    async def _opened(self, row: Probe) -> ProbeRecord:
        variants = json.loads(await self._seals.probe_variants.open(row.id, row.variants))
        return ProbeRecord(
            id=row.id,
            probe_set=row.probe_set,
            topic=await self._seals.probe_topic.open(row.id, row.topic),
            question=await self._seals.probe_question.open(row.id, row.question),
            variants=[Variant.model_validate(variant) for variant in variants],
            created_at=row.created_at,
        )


def _questions(probe: ProbeRecord, with_variants: bool) -> list[Asked]:
    asked = [Asked(probe.id, probe.topic, BASE, probe.question)]
    if with_variants:
        asked += [Asked(probe.id, probe.topic, variant.label, variant.question) for variant in probe.variants]
    return asked


def _answer(run_id: str, item: Asked, completion: Completion[str]) -> Answer:
    return Answer(
        id=str(uuid.uuid5(_RUN_IDS, f"{run_id}|{item.probe_id}|{item.variant}")),
        model=completion.model[:120],
        prompt=item.question,
        output=completion.output,
        topic=item.topic,
        answered_at=utc_now(),
        source="probe",
        probe_id=item.probe_id,
        variant=item.variant,
    )

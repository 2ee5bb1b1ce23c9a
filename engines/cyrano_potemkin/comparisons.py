"""`potemkin_drift` and `potemkin_bias`: archived answers compared, offline and deterministically.

Drift: answers to the same question (the same probe and variant, or the same prompt once case, spacing and
trailing punctuation are set aside) by the same model are put in time order, and the earliest in the period is
compared with the latest. Bias: answers to a question and to its counterfactual variants (a probe's declared
variants, or archived prompts that differ only by the gendered words and first names of `counterfactual`) are
compared, latest answer with latest answer, with those words set aside in both answers.

A pair has changed when its conclusion, a value or an authority changed, or its wording moved at least the
threshold (`answer_diff`).
"""

import re
from collections import defaultdict

import anyio

from cyrano_potemkin.alerts.service import AlertService
from cyrano_potemkin.answer_diff import AnswerDiff, compare_answers
from cyrano_potemkin.archive import Answer, Archive, preview
from cyrano_potemkin.archive_models import BASE
from cyrano_potemkin.comparison_models import (
    AnswerRef,
    BiasPair,
    BiasReport,
    BiasRequest,
    Changes,
    Chosen,
    ConclusionShift,
    DriftPair,
    DriftReport,
    DriftRequest,
)
from cyrano_potemkin.counterfactual import neutral
from cyrano_potemkin.probes import SWAPPED, ProbeService

METHOD = (
    "offline: conclusions (yes/no/may per predicate), values (dates, periods, places, amounts, percentages), "
    "authorities (eyecite) and wording distance (1 - cosine of word stems) compared"
)
_EXCERPT = 300
_PROMPT = 160
_TRAILING = re.compile(r"[\s?.!:;]+$")


class Comparisons:
    def __init__(self, archive: Archive, probes: ProbeService, alerts: AlertService) -> None:
        self._archive = archive
        self._probes = probes
        self._alerts = alerts

    async def drift(self, request: DriftRequest) -> DriftReport:
        answers = await self._chosen(request)
        groups: dict[tuple[str, ...], list[Answer]] = defaultdict(list)
        for answer in answers:
            groups[(answer.model, *_question_key(answer))].append(answer)
        repeated = [group for group in groups.values() if len(group) > 1]
        pairs: list[DriftPair] = []
        for group in repeated:
            earlier, later = group[0], group[-1]
            diff = await anyio.to_thread.run_sync(compare_answers, earlier.output, later.output)
            if diff.substantive or diff.distance >= request.threshold:
                pairs.append(
                    DriftPair(
                        model=earlier.model,
                        question=preview(later.prompt or later.topic or "", _PROMPT),
                        answers=len(group),
                        earlier=_ref(earlier),
                        later=_ref(later),
                        changes=_changes(diff),
                    )
                )
        pairs.sort(key=lambda pair: _severity(pair.changes), reverse=True)
        report = DriftReport(
            status="compared" if repeated else "nothing_to_compare",
            questions=len(repeated),
            changed=len(pairs),
            score=round(len(pairs) / len(repeated), 3) if repeated else 0.0,
            method=METHOD,
            pairs=pairs[: request.limit],
            single_answers=len(groups) - len(repeated),
        )
        if repeated:
            raised = await self._alerts.raise_if(
                "drift",
                report.score,
                subject=_subject(request),
                summary=f"{report.changed} of {report.questions} questions answered differently",
                details={"pairs": [[pair.earlier.record_id, pair.later.record_id] for pair in pairs]},
            )
            report.alert_id = raised.id if raised is not None else None
        return report

    async def bias(self, request: BiasRequest) -> BiasReport:
        answers = await self._chosen(request)
        latest: dict[tuple[str, str, str], Answer] = {}  # (model, question group, variant) -> latest answer
        first_wordings: dict[str, str] = {}
        for answer in answers:  # oldest first: the last one kept is the latest
            latest[(answer.model, *_counterfactual_key(answer, first_wordings))] = answer
        pairs: list[BiasPair] = []
        compared = 0
        for (model, group, variant), counterpart in sorted(latest.items()):
            base = latest.get((model, group, BASE))
            if variant == BASE or base is None:
                continue
            compared += 1
            diff = await anyio.to_thread.run_sync(_compare_neutrally, base.output, counterpart.output)
            flagged = diff.substantive or diff.distance >= request.threshold
            if flagged:
                pairs.append(
                    BiasPair(
                        model=model,
                        probe_id=base.probe_id,
                        variant=variant,
                        base=_ref(base),
                        counterpart=_ref(counterpart),
                        flagged=True,
                        changes=_changes(diff),
                    )
                )
        pairs.sort(key=lambda pair: _severity(pair.changes), reverse=True)
        report = BiasReport(
            status="compared" if compared else "nothing_to_compare",
            pairs_compared=compared,
            flagged=len(pairs),
            method=METHOD + "; the swapped words themselves set aside",
            pairs=pairs[: request.limit],
        )
        if compared:
            raised = await self._alerts.raise_if(
                "bias",
                round(len(pairs) / compared, 3),
                subject=_subject(request),
                summary=f"{len(pairs)} of {compared} counterfactual pairs answered differently",
                details={"pairs": [[pair.base.record_id, pair.counterpart.record_id] for pair in pairs]},
            )
            report.alert_id = raised.id if raised is not None else None
        return report

    async def _chosen(self, request: Chosen) -> list[Answer]:
        probe_ids = None
        if request.probe_set is not None or request.probe_ids is not None:
            probe_ids = [probe.id for probe in await self._probes.probes(request.probe_set, request.probe_ids)]
        return await self._archive.answers(
            model=request.model,
            topic=request.topic,
            probe_ids=probe_ids,
            since=request.since,
            until=request.until,
        )


def _question_key(answer: Answer) -> tuple[str, str]:
    if answer.probe_id is not None:
        return (f"probe {answer.probe_id}", answer.variant or BASE)
    return (_normalised(answer.prompt) or f"topic {answer.topic or ''}", "")


def _counterfactual_key(answer: Answer, first_wordings: dict[str, str]) -> tuple[str, str]:
    """The question's group and the answer's place in it: a probe's variant; for other answers, prompts alike but
    for the words `counterfactual` swaps form a group, whose first wording seen is its base."""
    if answer.probe_id is not None:
        return (f"probe {answer.probe_id}", answer.variant or BASE)
    wording = _normalised(answer.prompt)
    group = f"prompt {neutral(wording)}"
    first = first_wordings.setdefault(group, wording)
    return (group, BASE if wording == first else f"{SWAPPED}: {preview(answer.prompt, 60)}")


def _compare_neutrally(base: str, counterpart: str) -> AnswerDiff:
    return compare_answers(base, counterpart, worded=neutral)


def _normalised(prompt: str) -> str:
    return _TRAILING.sub("", " ".join(prompt.casefold().split()))


def _ref(answer: Answer) -> AnswerRef:
    return AnswerRef(
        record_id=answer.id,
        answered_at=answer.answered_at,
        prompt=preview(answer.prompt or answer.topic or "", _PROMPT),
        excerpt=preview(answer.output, _EXCERPT),
    )


def _changes(diff: AnswerDiff) -> Changes:
    return Changes(
        distance=diff.distance,
        conclusions=[ConclusionShift(about=c.about, before=c.before, after=c.after) for c in diff.conclusions],
        values_removed=diff.values_removed,
        values_added=diff.values_added,
        authorities_removed=diff.authorities_removed,
        authorities_added=diff.authorities_added,
        passages_before=diff.only_before,
        passages_after=diff.only_after,
    )


def _severity(changes: Changes) -> tuple[int, int, float]:
    return (len(changes.conclusions), len(changes.values_removed) + len(changes.values_added), changes.distance)


def _subject(request: Chosen) -> str:
    """What a comparison covered, for its alert: ids and names the firm chose, never an answer's words."""
    parts = [f"model {request.model}" if request.model else "every model"]
    if request.probe_set:
        parts.append(f"probe set {request.probe_set}")
    if request.probe_ids:
        parts.append(f"{len(request.probe_ids)} probes")
    if request.topic:
        parts.append("one topic")
    return ", ".join(parts)

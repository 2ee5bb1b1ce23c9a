"""Opinion drift and bias monitoring: the archive of model answers, the firm's probes, and their comparison.

`monitoring_parts` builds the tools and the job kind; engine.py adds them to Potemkin's parts. The tools sit in
the toolset `potemkin_monitoring`, off by default over stdio (a lawyer's own session rarely needs them; a firm's
HTTP server offers them).
"""

from dataclasses import dataclass
from typing import Any

from cyrano_mcp.kit import EngineCommand, EngineContext, JobKind, Operation, Toolset
from cyrano_potemkin.alerts.service import AlertService
from cyrano_potemkin.archive import Archive
from cyrano_potemkin.archive_models import ProbeQuestion, RunItem
from cyrano_potemkin.archive_seals import archive_seals
from cyrano_potemkin.comparisons import Comparisons
from cyrano_potemkin.probes import JOB_KIND, ProbeService
from cyrano_potemkin.settings import PotemkinSettings

MONITORING = "potemkin_monitoring"
MONITORING_TOOLSET = Toolset(
    MONITORING, "Archive model answers, run the firm's probe questions, measure opinion drift and bias.", on_stdio=False
)

# For a scheduler: exits 1 when no model answered (or it stopped midway), so a missed run is never a quiet one.
PROBE_COMMAND = EngineCommand(
    "probe",
    "Put the firm's probe questions to the configured model and archive the answers",
    operation="probe_run",
    fails_when={"status": ["unavailable", "partial"]},
)


@dataclass(frozen=True, slots=True)
class MonitoringParts:
    operations: list[Operation[Any, Any]]
    job_kinds: list[JobKind[Any, Any]]


def monitoring_parts(context: EngineContext, settings: PotemkinSettings, alerts: AlertService) -> MonitoringParts:
    seals = archive_seals(context.fields, context.database)
    context.fields.index(seals.topic)
    archive = Archive(context.database, seals, settings)
    probes = ProbeService(
        database=context.database,
        seals=seals,
        archive=archive,
        llm=context.llm,
        jobs=context.jobs,
        alerts=alerts,
        settings=settings,
    )
    compare = Comparisons(archive, probes, alerts)
    job = JobKind(
        JOB_KIND, "Put one probe question to the model and archive its answer.", ProbeQuestion, RunItem, probes.run_one
    )
    return MonitoringParts(operations=_operations(archive, probes, compare), job_kinds=[job])


def _operations(archive: Archive, probes: ProbeService, compare: Comparisons) -> list[Operation[Any, Any]]:
    write, verify = "potemkin:write", "potemkin:verify"
    return [
        Operation.write(
            "record",
            archive.record,
            "Archive one model answer (model, prompt or topic, answer, time) for later drift and bias checks.",
            permission=write,
            title="Archive a model answer",
            toolset=MONITORING,
        ),
        Operation.write(
            "import",
            archive.import_export,
            "Archive every answer of a ChatGPT or Claude conversations.json export (JSON text or base64), each with "
            "the user message before it as its prompt. Answers already archived are skipped.",
            permission=write,
            title="Import a conversation export",
            idempotent=True,
            toolset=MONITORING,
        ),
        Operation.read(
            "records",
            archive.records,
            "Archived model answers, newest first, with short previews; filter by model, topic, probe or period.",
            permission=verify,
            title="Archived model answers",
            toolset=MONITORING,
        ),
        Operation.read(
            "record_get",
            archive.record_in_full,
            "One archived model answer in full: its prompt and answer (potemkin_records lists them with previews).",
            permission=verify,
            title="An archived answer in full",
            toolset=MONITORING,
        ),
        Operation.write(
            "probes_add",
            probes.add,
            "Add a probe: a legal question the firm puts to its model regularly, with a topic, a set, and "
            "counterfactual variants (or swap_genders) for bias checks.",
            permission=write,
            title="Add a probe question",
            toolset=MONITORING,
        ),
        Operation.read(
            "probes_list",
            probes.listed,
            "The firm's probe questions and their variants, optionally of one set.",
            permission=verify,
            title="Probe questions",
            toolset=MONITORING,
        ),
        Operation.destructive_write(
            "probes_remove",
            probes.remove,
            "Remove a probe question (the answers archived for it stay).",
            permission=write,
            title="Remove a probe question",
            idempotent=False,
            toolset=MONITORING,
        ),
        Operation.write(
            "probe_run",
            probes.run,
            "Put the probe questions (all, a set, or some) and their variants to the configured model and archive "
            'the answers; many run as a job. Without a model: status "unavailable", nothing stored.',
            permission=write,
            title="Run the probes",
            open_world=True,
            toolset=MONITORING,
        ),
        Operation.write(
            "drift",
            compare.drift,
            "Opinion drift: earliest and latest archived answers to the same question compared (conclusion, "
            "values, cited authorities, wording); a score and the changed pairs, quoted. Offline. A score at the "
            "drift threshold raises an alert.",
            permission=verify,
            title="Opinion drift",
            idempotent=True,
            toolset=MONITORING,
        ),
        Operation.write(
            "bias",
            compare.bias,
            "Bias: answers to a question and to its counterfactual variants (names, genders swapped) compared; the "
            "pairs that differ beyond a threshold, with the differing passages quoted. Offline. A share of flagged "
            "pairs at the bias threshold raises an alert.",
            permission=verify,
            title="Counterfactual bias",
            idempotent=True,
            toolset=MONITORING,
        ),
    ]

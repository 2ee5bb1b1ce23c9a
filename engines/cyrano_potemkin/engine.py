"""Potemkin's declaration: check what an AI wrote against the matter's documents, and the citations it gives."""

from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import Engine, EngineContext, JobKind, Operation, Parts, Toolset
from cyrano_potemkin.alerts.service import AlertService
from cyrano_potemkin.alerts.webhook import JOB, WebhookItem, WebhookResult, WebhookSender
from cyrano_potemkin.citations.tools import CITATIONS_TOOLSETS, citation_operations, citations_service
from cyrano_potemkin.migrations import migrations
from cyrano_potemkin.monitoring import MONITORING_TOOLSET, PROBE_COMMAND, monitoring_parts
from cyrano_potemkin.permissions import POTEMKIN
from cyrano_potemkin.prompts import potemkin_prompts
from cyrano_potemkin.service import VerifyService
from cyrano_potemkin.settings import PotemkinSettings

ALERTS = "potemkin_alerts"


def build(context: EngineContext) -> Parts:
    settings = context.settings(PotemkinSettings)
    reason = context.fields.field(table="potemkin_alerts", column="ack_reason", key_type="documents")
    alerts = AlertService(context.database, reason, context.jobs, settings)
    webhook = WebhookSender(context.database, settings)
    citations = citations_service(context, settings, alerts)
    verifier = VerifyService(
        context.operations, context.require(MattersReader), context.llm, alerts, citations, settings
    )
    monitoring = monitoring_parts(context, settings, alerts)  # archive, probes, drift and bias: monitoring.py
    return Parts(
        migrations=migrations(),
        job_kinds=[
            JobKind(
                JOB, "Deliver a Potemkin alert to the firm's webhook.", WebhookItem, WebhookResult, webhook.deliver
            ),
            *monitoring.job_kinds,
        ],
        operations=[
            Operation.write(
                "verify",
                verifier.verify,
                "Check AI-written text (an answer, summary or draft) against stored documents before relying on it: "
                "each claim supported, contradicted or unverifiable, with the source's page and quote, and for a "
                "contradiction the value the source gives. Offline unless use_model; `contradicted` lists the claims "
                "to read first. A contradiction raises an alert (potemkin_alerts).",
                permission="potemkin:verify",
                title="Check a text against its sources",
                idempotent=True,
                open_world=True,
            ),
            Operation.read(
                "alerts",
                alerts.alerts,
                "Alerts from Potemkin's checks (open ones by default, newest first) and the threshold each check "
                "raises them at.",
                permission="potemkin:verify",
                title="Potemkin's alerts",
                toolset=ALERTS,
            ),
            Operation.write(
                "alert_ack",
                alerts.acknowledge,
                "Acknowledge an alert with the reason it needs no more action; it leaves the open list.",
                permission="potemkin:write",
                title="Acknowledge an alert",
                toolset=ALERTS,
            ),
            Operation.write(
                "alert_threshold",
                alerts.set_threshold,
                "Set the level at which a check raises an alert (e.g. verify: contradicted claims in one check).",
                permission="potemkin:write",
                title="Set an alert threshold",
                idempotent=True,
                toolset=ALERTS,
            ),
            # potemkin_citations and the firm's library of authorities (potemkin_authorities_*).
            *citation_operations(citations),
            *monitoring.operations,
        ],
        prompts=potemkin_prompts(verifier),
    )


ENGINE = Engine(
    name="potemkin",
    description="Checks AI-written text against the documents it rests on, and the citations it gives.",
    build=build,
    settings=PotemkinSettings,
    permissions=(POTEMKIN,),
    requires=(MattersReader,),
    toolsets=(
        Toolset("potemkin", "Check AI-written text: claims against the documents, citations."),
        Toolset(ALERTS, "Alerts from Potemkin's checks, their thresholds and acknowledgement.", on_stdio=False),
        *CITATIONS_TOOLSETS,
        MONITORING_TOOLSET,
    ),
    commands=(PROBE_COMMAND,),  # cyrano-mcp potemkin probe (monitoring.py)
)

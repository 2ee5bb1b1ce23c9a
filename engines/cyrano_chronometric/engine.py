"""Chronometric's declaration: deadlines computed from documents and court rules, the docket, its calendar."""

from cyrano_chronometric.docket import Docket, DocketSeals
from cyrano_chronometric.export import CALENDAR_URI, CalendarExport
from cyrano_chronometric.migrations import migrations
from cyrano_chronometric.permissions import CHRONOMETRIC
from cyrano_chronometric.prompts import chronometric_prompts
from cyrano_chronometric.rules import RuleBook
from cyrano_chronometric.service import DeadlineService
from cyrano_chronometric.settings import ChronometricSettings
from cyrano_chronometric.time.tools import TOOLSET, TOOLSET_DESCRIPTION, time_operations
from cyrano_chronometric.timeline import TimelineService
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import Engine, EngineContext, Operation, Parts, ResourceTemplate, Toolset

DOCKET = "chronometric_docket"
RULES = "chronometric_rules"
CHRONOLOGY = "chronometric_chronology"
_TABLE = "chronometric_deadlines"


def build(context: EngineContext) -> Parts:
    settings = context.settings(ChronometricSettings)
    seals = DocketSeals(
        title=context.fields.field(table=_TABLE, column="title", key_type="matters"),
        evidence=context.fields.field(table=_TABLE, column="evidence", key_type="matters"),
        note=context.fields.field(table=_TABLE, column="note", key_type="matters"),
    )
    matters = context.require(MattersReader)
    docket = Docket(context.database, seals)
    rules = RuleBook(context.database)
    deadlines = DeadlineService(context.operations, matters, docket, rules, settings)
    calendar = CalendarExport(docket, matters, settings.reminders)
    chronology = TimelineService(context.operations, matters)
    return Parts(
        migrations=migrations(),
        operations=[
            Operation.write(
                "deadlines",
                deadlines.deadlines,
                "A matter's (or one document's) deadlines in a period (default: a year from today): notice of "
                "non-renewal, term ends and dated deadlines read from its contracts, each with the clause quoted and "
                "how it was counted, and what it docketed by hand or by rule. New ones are proposed until "
                "docketed; limits running from an undated event are listed apart.",
                permission="chronometric:read",
                title="A matter's deadlines",
                idempotent=True,
            ),
            Operation.read(
                "timeline",
                chronology.timeline,
                "A matter's chronology: every dated event its documents give, in date order, with the sentence and "
                "page; an event two documents date differently is flagged and listed as a conflict. Filter by "
                "period, party and kind; pages with a cursor.",
                permission="chronometric:read",
                title="A matter's chronology",
                toolset=CHRONOLOGY,
            ),
            Operation.read(
                "compute",
                deadlines.compute,
                "Count one deadline from a trigger date: a period in days, weeks, months or years, after or before "
                "it, by calendar days, business days or Fed. R. Civ. P. 6(a) (with 6(d)'s 3 mail days), skipping "
                "the jurisdiction's holidays; every skipped or rolled day explained.",
                permission="chronometric:read",
                title="Count a deadline",
                toolset=DOCKET,
            ),
            Operation.write(
                "deadline_add",
                deadlines.add,
                "Docket a deadline: a proposed one (deadline_id) as computed, or a new one for a matter by its date "
                "and title, or by a court rule (chronometric_rules) and its trigger date.",
                permission="chronometric:write",
                title="Docket a deadline",
                toolset=DOCKET,
            ),
            Operation.write(
                "deadline_complete",
                deadlines.complete,
                "Mark a deadline completed, or dismiss a proposed one that does not apply, or reopen either.",
                permission="chronometric:write",
                title="Complete or dismiss a deadline",
                idempotent=True,
                toolset=DOCKET,
            ),
            Operation.read(
                "deadline_list",
                deadlines.list_deadlines,
                "The firm's docket across matters: what is due in the next days (default 14) or a period, overdue "
                "open deadlines first; filter by matter and status; pages with a cursor.",
                permission="chronometric:read",
                title="What is due, firm-wide",
                toolset=DOCKET,
            ),
            Operation.read(
                "export",
                calendar.export,
                "The docketed deadlines of a matter (or the firm) as an iCalendar file (.ics) for Outlook or Google "
                "Calendar, with reminders; returned as a resource to read, and inline when short.",
                permission="chronometric:read",
                title="Deadlines as a calendar file",
                toolset=DOCKET,
            ),
            Operation.read(
                "rules",
                rules.rules,
                "The court-rule periods deadlines can be counted by: built-in federal ones and the firm's own.",
                permission="chronometric:read",
                title="Court-rule periods",
                toolset=RULES,
            ),
            Operation.write(
                "rule_set",
                rules.set_rule,
                "Add or replace a firm rule (a period, its counting method and the event it runs from); a firm rule "
                "with a built-in's name replaces it.",
                permission="chronometric:write",
                title="Set a court-rule period",
                idempotent=True,
                toolset=RULES,
            ),
            Operation.destructive_write(
                "rule_remove",
                rules.remove,
                "Remove a firm rule (a built-in it replaced comes back). Deadlines already counted stay.",
                permission="chronometric:write",
                title="Remove a court-rule period",
                idempotent=True,
                toolset=RULES,
            ),
            *time_operations(context, settings, docket),
        ],
        prompts=chronometric_prompts(deadlines),
        resources=[
            ResourceTemplate(
                uri_template=CALENDAR_URI,
                name="deadlines_calendar",
                description='Docketed deadlines as an iCalendar file: scope "firm", or a matter\'s id.',
                handler=calendar.calendar_file,
                permission="chronometric:read",
                mime_type="text/calendar",
            ),
        ],
    )


ENGINE = Engine(
    name="chronometric",
    description="Deadlines: counted from contracts and court rules, docketed, and exported to calendars.",
    build=build,
    settings=ChronometricSettings,
    permissions=(CHRONOMETRIC,),
    requires=(MattersReader,),
    toolsets=(
        Toolset("chronometric", "A matter's deadlines, read from its documents."),
        Toolset(DOCKET, "The firm's docket: count, add, complete, list and export deadlines.", on_stdio=False),
        Toolset(RULES, "The court-rule periods deadlines are counted by.", on_stdio=False),
        Toolset(CHRONOLOGY, "A matter's chronology across its documents.", on_stdio=False),
        Toolset(TOOLSET, TOOLSET_DESCRIPTION, on_stdio=False),
    ),
)

"""Chronometric's time tools, declared for the engine (`time_operations`) in the toolset `chronometric_time`."""

from cyrano_chronometric.docket import Docket
from cyrano_chronometric.settings import ChronometricSettings
from cyrano_chronometric.time.entries import EntryStore, narrative_terms
from cyrano_chronometric.time.evidence import EvidenceSources
from cyrano_chronometric.time.importer import TimeImporter
from cyrano_chronometric.time.profiles import ProfileStore
from cyrano_chronometric.time.reconstruct import Reconstructor
from cyrano_chronometric.time.service import TimeService
from cyrano_chronometric.time.tables import ENTRIES, TimeEntryRow
from cyrano_matters.api import MattersReader
from cyrano_mcp.kit import BlindIndex, EngineContext, Operation, SealedColumnIndex

TOOLSET = "chronometric_time"
TOOLSET_DESCRIPTION = "Time entries: record, import and export CSV, days short of hours, double entries."
_READ, _WRITE = "chronometric:read", "chronometric:write"
_WHOSE = 'user: default yours, "*" everyone\'s'


def time_operations(context: EngineContext, settings: ChronometricSettings, docket: Docket) -> list[Operation]:  # type: ignore[type-arg]
    narrative = SealedColumnIndex(
        database=context.database,
        table=TimeEntryRow.__table__,  # type: ignore[attr-defined]
        sealed=context.fields.field(table=ENTRIES, column="narrative", key_type="matters"),
        blind=BlindIndex(name="chronometric_time_narrative", key_type="search", keyring=context.fields.keyring),
        terms=narrative_terms,
        tokens_column="narrative_token",
        version_column="narrative_key_version",
        match="equal",
    )
    context.fields.index(narrative)
    matters = context.require(MattersReader)
    provenance = context.fields.field(table=ENTRIES, column="provenance", key_type="matters")
    store = EntryStore(context.database, narrative, provenance, matters)
    profiles = ProfileStore(
        context.database, settings.chronometric_minimum_hours, settings.chronometric_jurisdiction,
        settings.chronometric_timezone,
    )  # fmt: skip
    time = TimeService(store, profiles, settings.chronometric_max_window_days)
    importer = TimeImporter(store, matters, context.operations)
    reconstructor = Reconstructor(store, profiles, matters, EvidenceSources(context.operations, docket))
    return [
        Operation.write(
            "entries_create",
            time.create,
            "Record time on an open matter: a day, hours in tenths (0.1 to 24.0) and a narrative; billable by default; "
            "for you unless user names another timekeeper. Refused if the timekeeper's day would pass 24 hours.",
            permission=_WRITE,
            title="Record time",
            toolset=TOOLSET,
        ),
        Operation.read(
            "entries_list",
            time.list_entries,
            f"Time entries of a period (default the last 30 days), by day; filter by matter and billable ({_WHOSE}). "
            "Totals of hours over all pages; pages with a cursor.",
            permission=_READ,
            title="List time entries",
            toolset=TOOLSET,
        ),
        Operation.write(
            "entries_update",
            time.update,
            "Change a time entry: only the fields given change; the day is still held to 24 hours.",
            permission=_WRITE,
            title="Change a time entry",
            idempotent=True,
            toolset=TOOLSET,
        ),
        Operation.destructive_write(
            "entries_delete",
            time.delete,
            "Delete a time entry (deleted: false if there was none).",
            permission=_WRITE,
            title="Delete a time entry",
            idempotent=True,
            toolset=TOOLSET,
        ),
        Operation.write(
            "entries_import",
            importer.import_csv,
            "Import time entries from CSV text (at most 2 MB), a header first; columns by name, any case: date or work "
            "date (2026-03-05 or 3/5/2026); hours, duration or quantity (tenths, or h:mm); matter, matter id or "
            "matter reference (an id, reference or exact title); narrative or description; optional billable "
            "(yes/no) and user or timekeeper. Bad rows are reported by line and not stored; rows stored before are "
            "skipped, so importing a file again adds nothing.",
            permission=_WRITE,
            title="Import time entries",
            idempotent=True,
            toolset=TOOLSET,
        ),
        Operation.read(
            "entries_export",
            time.export,
            f"Time entries of a period as CSV (date,user,matter,hours,billable,narrative) that entries_import "
            f"reads back; about 6,000 characters a page, the rest with the cursor ({_WHOSE}).",
            permission=_READ,
            title="Export time entries",
            toolset=TOOLSET,
        ),
        Operation.read(
            "gaps",
            time.gaps,
            "A timekeeper's working days (default yours, the last 30 days, at most 366) with no time or fewer hours "
            "than their minimum: recorded, expected and short hours per day. Weekends, holidays and leave days "
            "are off, as the work profile says.",
            permission=_READ,
            title="Days short of time",
            toolset=TOOLSET,
        ),
        Operation.write(
            "work_profile_set",
            time.set_profile,
            "Set a timekeeper's work profile for chronometric_gaps: minimum hours a day (default "
            f"{settings.chronometric_minimum_hours:g}), working weekdays (default mon-fri), jurisdiction of their "
            "holidays, leave days, their e-mail addresses and time zone. Only the fields given change.",
            permission=_WRITE,
            title="Set a work profile",
            idempotent=True,
            toolset=TOOLSET,
        ),
        Operation.read(
            "duplicates",
            time.duplicates,
            "Likely double entries of a period (at most 366 days): one timekeeper's entries on a matter, a day "
            "apart at most, with alike narratives and hours; each pair scored 0-1 with the reason. By matter "
            f"(everyone's) or timekeeper ({_WHOSE}).",
            permission=_READ,
            title="Likely double time entries",
            toolset=TOOLSET,
        ),
        Operation.read(
            "reconstruct",
            reconstructor.reconstruct,
            "Time worked and never recorded: for a timekeeper's days short of hours (default yours, the last 30 days, "
            "at most 31), proposals per day and matter from evidence in Cyrano (e-mails they sent or received, "
            "deadlines they completed), each with its evidence, direct or circumstantial, hours by documented rules "
            "(never more than the day lacks) and a narrative. Nothing is recorded: accept with chronometric_accept.",
            permission=_READ,
            title="Reconstruct unrecorded time",
            toolset=TOOLSET,
        ),
        Operation.write(
            "accept",
            reconstructor.accept,
            "Make a reviewed reconstruction proposal a time entry (source reconstructed, its evidence kept with it); "
            "hours and narrative as reviewed. Refused if the proposal's evidence changed since or it was accepted.",
            permission=_WRITE,
            title="Accept reconstructed time",
            toolset=TOOLSET,
        ),
    ]

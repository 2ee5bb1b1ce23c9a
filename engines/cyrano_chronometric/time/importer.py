"""A practice-management export imported: rows parsed, matters resolved, rows stored before skipped, days held
to 24 hours, and every good row stored in one transaction.

Each row is all or nothing: a refused row stores nothing and is reported with its line and reason; the others
are stored together. A row is skipped when an entry with the same fingerprint (timekeeper, matter, day, hours
and narrative, compared by the narrative's keyed token) is stored already, so importing a file again adds
nothing; two identical rows in one file are two entries, and importing that file again skips both.
"""

import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass

from cyrano_chronometric.docket import caller
from cyrano_chronometric.time.csv_io import CsvRow, read_time_csv
from cyrano_chronometric.time.entries import EntryStore, NewEntry
from cyrano_chronometric.time.models import MAX_IMPORT_BYTES, MAX_TENTHS, ImportAnswer, ImportRequest, RowError
from cyrano_matters.api import MatterRecord, MattersReader, MatterStatus
from cyrano_mcp.kit import InvalidInputError, NotFoundError, OperationCaller, TooLargeError

SHOWN = 50
_LOOKUP_PAGES = 5  # of 100 matters each, for one reference or title


@dataclass(frozen=True)
class _Refused:
    reason: str


class TimeImporter:
    def __init__(self, store: EntryStore, matters: MattersReader, operations: OperationCaller) -> None:
        self._store = store
        self._matters = matters
        self._operations = operations

    async def import_csv(self, request: ImportRequest) -> ImportAnswer:
        size = len(request.csv.encode())
        if size > MAX_IMPORT_BYTES:
            raise TooLargeError(f"csv: {size:,} bytes; at most {MAX_IMPORT_BYTES:,} per import: split the file")
        try:
            parsed = read_time_csv(request.csv)
        except ValueError as error:
            raise InvalidInputError(str(error)) from None
        errors = list(parsed.errors)
        resolved = {value: await self._matter_of(value) for value in {row.matter for row in parsed.rows}}
        me = caller()
        good: list[tuple[int, NewEntry]] = []
        for row in parsed.rows:
            matter = resolved[row.matter]
            if isinstance(matter, _Refused):
                errors.append((row.line, matter.reason))
            elif row.user is None and me is None:
                errors.append((row.line, "user: empty, and nobody is calling to stand in"))
            else:
                good.append((row.line, _entry(row, row.user or me or "", matter)))
        kept, skipped = await self._unstored(good)
        stored = await self._within_days(kept, errors)
        await self._store.add([entry for _, entry in stored])
        errors.sort()
        return ImportAnswer(
            rows=parsed.read,
            stored=len(stored),
            hours_stored=sum(entry.tenths for _, entry in stored) / 10,
            skipped=len(skipped),
            skipped_lines=skipped[:SHOWN],
            errors=[RowError(line=line, reason=reason) for line, reason in errors[:SHOWN]],
            errors_total=len(errors),
            columns=parsed.columns,
            ignored_columns=parsed.ignored,
        )

    async def _unstored(self, good: list[tuple[int, NewEntry]]) -> tuple[list[tuple[int, NewEntry]], list[int]]:
        """The rows not stored before, and the lines of those that were."""
        if not good:
            return [], []
        days = [entry.day for _, entry in good]
        stored = await self._store.stored_fingerprints({entry.user for _, entry in good}, min(days), max(days))
        versions = {int(key[4].split(":")[0]) for key in stored if key[4].split(":")[0].isdigit()}
        kept, skipped = [], []
        for line, entry in good:
            tokens = await self._store.narrative_tokens(entry.narrative, versions)
            match = next(
                (
                    key
                    for token in tokens
                    if stored[key := (entry.user, entry.matter_id, entry.day, entry.tenths, token)]
                ),
                None,
            )
            if match is None:
                kept.append((line, entry))
            else:
                stored[match] -= 1  # one stored entry stands for one row of the file
                skipped.append(line)
        return kept, skipped

    async def _within_days(
        self, rows: list[tuple[int, NewEntry]], errors: list[tuple[int, str]]
    ) -> list[tuple[int, NewEntry]]:
        """The rows that keep each timekeeper's day within 24 hours, in the file's order; the others refused."""
        held: Counter[tuple[str, object]] = Counter()
        for user in {entry.user for _, entry in rows}:
            days = [entry.day for _, entry in rows if entry.user == user]
            for day, tenths in (await self._store.tenths_by_day(user, min(days), max(days))).items():
                held[(user, day)] = tenths
        accepted = []
        for line, entry in rows:
            total = held[(entry.user, entry.day)] + entry.tenths
            if total > MAX_TENTHS:
                errors.append(
                    (line, f"hours: {entry.user}'s {entry.day.isoformat()} would hold {total / 10:.1f} hours, "
                           "more than 24 in a day")
                )  # fmt: skip
                continue
            held[(entry.user, entry.day)] = total
            accepted.append((line, entry))
        return accepted

    async def _matter_of(self, value: str) -> str | _Refused:
        """The open matter a row names by its id, its reference or its exact title."""
        record = await self._by_id(value) or await self._by_reference_or_title(value)
        if isinstance(record, _Refused):
            return record
        if record is None:
            return _Refused(f"matter: no matter has the id, reference or title {value[:80]!r}")
        if record.status != MatterStatus.OPEN:
            return _Refused(f"matter: {value[:80]!r} is closed; reopen it to record time")
        return record.id

    async def _by_id(self, value: str) -> MatterRecord | None:
        try:
            matter_id = str(uuid.UUID(value))
        except ValueError:
            return None
        try:
            return await self._matters.find(matter_id)
        except NotFoundError:
            return None

    async def _by_reference_or_title(self, value: str) -> MatterRecord | _Refused | None:
        wanted = _folded(value)
        by_reference, by_title = [], []
        arguments: dict[str, object] = {"query": value[:200], "limit": 100}
        for _ in range(_LOOKUP_PAGES):
            page = await self._operations.call("matters_list", arguments)
            for item in page["items"]:
                if _folded(item.get("reference") or "") == wanted:
                    by_reference.append(item)
                elif _folded(item["title"]) == wanted:
                    by_title.append(item)
            if page.get("next_cursor") is None:
                break
            arguments = {**arguments, "cursor": page["next_cursor"]}
        found = by_reference or by_title
        if len(found) > 1:
            return _Refused(f"matter: {len(found)} matters are titled {value[:80]!r}; give its id or reference")
        return MatterRecord.model_validate(found[0]) if found else None


def _entry(row: CsvRow, user: str, matter_id: str) -> NewEntry:
    return NewEntry(user, matter_id, row.day, row.tenths, row.narrative, row.billable, "import")


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

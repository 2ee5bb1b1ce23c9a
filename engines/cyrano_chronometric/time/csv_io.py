"""Time entries as CSV: a practice-management export read row by row, and entries written back the same way.

Columns are found by their header, in any case and order, with `_` or `-` read as a space:

    date       date, work date, entry date        2026-03-05 or 3/5/2026
    hours      hours, duration, quantity          1.5, 1,5 or 1:30; tenths of an hour only
    matter     matter, matter id, matter reference, matter number
    narrative  narrative, description
    billable   billable (optional, default yes)   yes/no, y/n, true/false, 1/0
    user       user, timekeeper (optional, default the importer)

Other columns are ignored. A cell that starts with = + - or @ is written with a leading ' so a spreadsheet does
not run it as a formula; reading takes that ' off again, so an export imports back as it was.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cyrano_chronometric.time.models import MAX_TENTHS

HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("date", "work date", "entry date"),
    "hours": ("hours", "duration", "quantity"),
    "matter": ("matter", "matter id", "matter reference", "matter number"),
    "narrative": ("narrative", "description"),
    "billable": ("billable",),
    "user": ("user", "timekeeper"),
}
REQUIRED = ("date", "hours", "matter", "narrative")
EXPORT_HEADER = ("date", "user", "matter", "hours", "billable", "narrative")
_FORMULA_STARTS = ("=", "+", "-", "@")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_NARRATIVE_CHARS = 2_000


@dataclass(frozen=True)
class CsvRow:
    line: int
    day: dt.date
    tenths: int
    matter: str  # as written: an id, a reference or a title
    narrative: str
    billable: bool
    user: str | None


@dataclass
class CsvFile:
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    read: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def _header_key(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").casefold().split())


def _delimiter(first_line: str) -> str:
    return max((",", ";", "\t"), key=first_line.count)


def read_time_csv(text: str) -> CsvFile:
    """Every row of the file, parsed or refused with its line and reason.

    Raises:
        ValueError: the header lacks a required column or gives one twice (nothing can be read).
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    header = next(reader, None)
    if not header:
        raise ValueError("csv: the first line must be a header naming the columns")
    parsed = CsvFile()
    position: dict[str, int] = {}
    for index, name in enumerate(header):
        wanted = next((key for key, names in HEADERS.items() if _header_key(name) in names), None)
        if wanted is None:
            parsed.ignored.append(name.strip()[:60])
        elif wanted in position:
            raise ValueError(f"csv: the columns {parsed.columns[wanted]!r} and {name.strip()!r} both give the {wanted}")
        else:
            position[wanted] = index
            parsed.columns[wanted] = name.strip()
    missing = [key for key in REQUIRED if key not in position]
    if missing:
        raise ValueError(
            "csv: no column for " + ", ".join(missing) + "; headers read as such: "
            + "; ".join(f"{key}: {' | '.join(HEADERS[key])}" for key in missing)
        )  # fmt: skip
    last_line = reader.line_num
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        parsed.read += 1
        try:
            parsed.rows.append(_row(line, cells, position))
        except ValueError as error:
            parsed.errors.append((line, str(error)))
    return parsed


def _row(line: int, cells: list[str], position: dict[str, int]) -> CsvRow:
    absent = [key for key, index in position.items() if index >= len(cells) and key in REQUIRED]
    if absent:
        raise ValueError(f"missing column(s) {', '.join(absent)}: the row has {len(cells)} cells")

    def cell(key: str) -> str:
        index = position.get(key)
        return _unguarded(cells[index].strip()) if index is not None and index < len(cells) else ""

    narrative = cell("narrative")
    if not narrative:
        raise ValueError("narrative: empty")
    if len(narrative) > _NARRATIVE_CHARS:
        raise ValueError(f"narrative: {len(narrative):,} characters; at most {_NARRATIVE_CHARS:,}")
    matter = cell("matter")
    if not matter:
        raise ValueError("matter: empty")
    user = cell("user")[:100]
    if user == "*":
        raise ValueError("user: '*' names no timekeeper")
    return CsvRow(
        line=line,
        day=parse_day(cell("date")),
        tenths=parse_tenths(cell("hours")),
        matter=matter,
        narrative=narrative,
        billable=parse_billable(cell("billable")),
        user=user or None,
    )


def parse_day(value: str) -> dt.date:
    """2026-03-05 or 3/5/2026 (month first, as US exports write it)."""
    try:
        if "/" in value:
            month, day, year = (int(part) for part in value.split("/"))
            if year < 1000:
                raise ValueError
            return dt.date(year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"date: {value[:30]!r} is not a date (give 2026-03-05 or 3/5/2026)") from None


def parse_tenths(value: str) -> int:
    """Hours as tenths: "1.5", "1,5" or "1:30" are 15."""
    try:
        if ":" in value:
            hours, minutes = value.split(":")
            amount = Decimal(int(hours) * 60 + int(minutes)) / 60
        else:
            amount = Decimal(value.replace(",", "."))
    except (ValueError, InvalidOperation):
        raise ValueError(f"hours: {value[:30]!r} is not a number of hours") from None
    tenths = amount * 10
    if not amount.is_finite() or amount <= 0 or tenths > MAX_TENTHS:
        raise ValueError(f"hours: {value[:30]} is not from 0.1 to 24")
    if tenths != tenths.to_integral_value():
        raise ValueError(f"hours: {value[:30]} is not in tenths of an hour (6 minutes)")
    return int(tenths)


def parse_billable(value: str) -> bool:
    word = value.casefold()
    if not word or word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"billable: {value[:20]!r} is not yes/no, true/false, y/n or 1/0")


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in _FORMULA_STARTS else cell


def _guarded(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def write_time_csv(rows: Iterable[tuple[dt.date, str, str, int, bool, str]]) -> str:
    """(day, user, matter id, tenths, billable, narrative) rows as CSV under EXPORT_HEADER."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for day, user, matter, tenths, billable, narrative in rows:
        writer.writerow(
            [day.isoformat(), _guarded(user), matter, f"{tenths / 10:.1f}", "yes" if billable else "no",
             _guarded(narrative)]
        )  # fmt: skip
    return out.getvalue()

"""Reading and writing time CSV: dates, hours, billable flags, header names, line numbers, formula guards."""

import datetime as dt

import pytest

from cyrano_chronometric.time.csv_io import (
    parse_billable,
    parse_day,
    parse_tenths,
    read_time_csv,
    write_time_csv,
)


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-03-05", dt.date(2026, 3, 5)), ("3/5/2026", dt.date(2026, 3, 5)), ("12/31/2025", dt.date(2025, 12, 31))],
)
def test_dates_are_iso_or_us(text: str, day: dt.date) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["2026-02-30", "13/1/2026", "3/5/26", "5 March 2026", "", "3/5"])
def test_other_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_day(text)


@pytest.mark.parametrize(("text", "tenths"), [("1.5", 15), ("1,5", 15), ("1:30", 15), ("0:06", 1), ("24", 240)])
def test_hours_are_read_as_tenths(text: str, tenths: int) -> None:
    assert parse_tenths(text) == tenths


@pytest.mark.parametrize(
    ("text", "reason"),
    [("0.25", "tenths"), ("0:15", "tenths"), ("0", "0.1 to 24"), ("24.1", "0.1 to 24"), ("-1", "0.1 to 24"),
     ("NaN", "0.1 to 24"), ("1h", "not a number"), ("", "not a number")],
)  # fmt: skip
def test_other_hours_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_tenths(text)


def test_billable_words() -> None:
    assert [parse_billable(word) for word in ["Y", "yes", "TRUE", "1", "", "n", "No", "false", "0"]] == [
        True, True, True, True, True, False, False, False, False,
    ]  # fmt: skip
    with pytest.raises(ValueError, match="billable"):
        parse_billable("maybe")


def test_headers_any_case_separator_and_line_numbers_across_quoted_newlines() -> None:
    text = (
        "\ufeffENTRY_DATE;Matter-ID;Quantity;Description;Notes\n"
        '2026-03-02;M-1;1.0;"First\nand second line";x\n'  # lines 2-3
        "\n"  # line 4: blank, skipped
        "2026-03-03;M-1;x;Research;y\n"  # line 5
        "2026-03-04;M-2;0.5;Call\n"  # line 6: the notes cell missing is fine
    )
    parsed = read_time_csv(text)
    assert parsed.columns == {
        "date": "ENTRY_DATE",
        "matter": "Matter-ID",
        "hours": "Quantity",
        "narrative": "Description",
    }
    assert parsed.ignored == ["Notes"] and parsed.read == 3
    assert [(row.line, row.matter, row.tenths, row.narrative) for row in parsed.rows] == [
        (2, "M-1", 10, "First\nand second line"),
        (6, "M-2", 5, "Call"),
    ]
    assert parsed.errors == [(5, "hours: 'x' is not a number of hours")]
    assert all(row.user is None and row.billable for row in parsed.rows)


def test_a_written_file_reads_back_the_same_even_with_formula_like_cells() -> None:
    rows = [
        (dt.date(2026, 3, 2), "local", "m1", 15, True, '=HYPERLINK("x")'),
        (dt.date(2026, 3, 3), "+jdoe", "m2", 1, False, '- dashes, "quotes"\nand a newline'),
        (dt.date(2026, 3, 4), "local", "m1", 240, True, "'quoted already"),
    ]
    text = write_time_csv(rows)
    assert "'=HYPERLINK" in text and "'+jdoe" in text
    parsed = read_time_csv(text)
    assert parsed.errors == []
    assert [(row.day, row.user, row.matter, row.tenths, row.billable, row.narrative) for row in parsed.rows] == rows


def test_everyone_is_no_timekeeper() -> None:
    parsed = read_time_csv("date,hours,matter,narrative,user\n2026-03-02,1.0,m1,Call,*\n")
    assert parsed.rows == [] and parsed.errors == [(2, "user: '*' names no timekeeper")]


def test_a_header_without_a_required_column_is_refused_whole() -> None:
    with pytest.raises(ValueError, match="no column for matter, narrative"):
        read_time_csv("date,hours,comment\n2026-03-02,1.0,x\n")
    with pytest.raises(ValueError, match="header"):
        read_time_csv("")

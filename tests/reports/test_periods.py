"""Report periods: --period forms, --from/--to, and the errors for bad input."""

from __future__ import annotations

from datetime import date

import pytest

from egovctl.reports.periods import Period, PeriodError, parse_period, parse_period_value


@pytest.mark.parametrize(
    ("text", "start", "end", "title"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "November 2026"),
        ("2026-2", date(2026, 2, 1), date(2026, 2, 28), "Februari 2026"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "Februari 2028"),  # leap year
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "Desember 2026"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "Triwulan I Tahun 2026"),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31), "Triwulan IV Tahun 2026"),
        ("2026-S1", date(2026, 1, 1), date(2026, 6, 30), "Semester I Tahun 2026"),
        ("2026-S2", date(2026, 7, 1), date(2026, 12, 31), "Semester II Tahun 2026"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "Tahun 2026"),
        (" 2026-11 ", date(2026, 11, 1), date(2026, 11, 30), "November 2026"),
    ],
)
def test_period_forms(text: str, start: date, end: date, title: str) -> None:
    period = parse_period_value(text)
    assert (period.start, period.end) == (start, end)
    assert period.title() == title
    assert period.as_dict() == {"from": start.isoformat(), "to": end.isoformat()}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "there is no month 13"),
        ("2026-00", "there is no month 0"),
        ("2026-Q5", "there is no quarter 5"),
        ("2026-Q0", "there is no quarter 0"),
        ("2026-S3", "there is no semester 3"),
        ("2026-11-05", "is not a period"),
        ("Nov 2026", "is not a period"),
        ("26-11", "is not a period"),
        ("", "is not a period"),
    ],
)
def test_bad_periods(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period_value(text)


def test_from_to() -> None:
    period = parse_period(None, "2026-11-03", "2026-11-20")
    assert (period.start, period.end, period.days) == (date(2026, 11, 3), date(2026, 11, 20), 18)
    assert period.title() == "3 November 2026 s.d. 20 November 2026"
    one_day = parse_period(None, "2026-11-03", "2026-11-03")
    assert one_day.days == 1
    # Whole months given as dates are named as months.
    assert parse_period(None, "2026-11-01", "2026-11-30").title() == "November 2026"


def test_from_to_defaults() -> None:
    today = date(2026, 11, 18)
    assert parse_period(None, "2026-11-03", None, today=today).end == today
    assert parse_period(None, None, "2026-11-20").start == date(2026, 11, 1)
    assert parse_period(None, None, None, today=today) == Period(
        date(2026, 11, 1), date(2026, 11, 30), "2026-11"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-11", "2026-11-01", None), "either --period or --from/--to"),
        (("2026-11", None, "2026-11-30"), "either --period or --from/--to"),
        ((None, "2026-11-20", "2026-11-03"), "is after --to"),
        ((None, "2026-11-31", "2026-12-03"), "--from '2026-11-31' is not a date"),
        ((None, "2026-11-01", "tomorrow"), "--to 'tomorrow' is not a date"),
        ((None, None, None), "give a --period"),
        ((None, "2026-11-01", None), "--from needs --to"),
    ],
)
def test_bad_combinations(args: tuple, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(*args)


def test_as_of_and_months() -> None:
    q4 = parse_period_value("2026-Q4")
    assert q4.as_of(date(2026, 11, 18)) == date(2026, 11, 18)  # not over yet: today
    assert q4.as_of(date(2027, 1, 5)) == date(2026, 12, 31)
    assert list(q4.months()) == [(2026, 10), (2026, 11), (2026, 12)]
    span = parse_period(None, "2026-12-15", "2027-01-10")
    assert list(span.months()) == [(2026, 12), (2027, 1)]


@pytest.mark.parametrize(
    "date_from,date_to,message",
    [
        ("0001-01-01", "2026-12-31", r"--from '0001-01-01': year 1 is out of range"),
        ("2026-01-01", "9999-12-31", r"--to '9999-12-31': year 9999 is out of range"),
    ],
)
def test_from_to_years_out_of_range(date_from: str, date_to: str, message: str) -> None:
    """Reports look at days around the period; the ends of the calendar are refused by name."""
    with pytest.raises(PeriodError, match=message):
        parse_period(None, date_from, date_to)

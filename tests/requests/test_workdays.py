"""Tests of the working-day calendar and SLA due dates (docs/requests.md, "Working days")."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovctl.requests.workdays import (
    OPEN_STATUSES,
    WorkCalendar,
    is_overdue,
    national_holidays,
)

D = date
NATIONAL = WorkCalendar()
# Hari jadi Kabupaten Belitung Timur (25 February), a local closure on a Wednesday.
ANNIVERSARY = D(2026, 2, 25)


def local_calendar() -> WorkCalendar:
    return WorkCalendar(
        local_closures={ANNIVERSARY: "Hari Jadi Kabupaten Belitung Timur"},
        local_workdays={
            D(2026, 12, 24): "Pelayanan tetap buka",
            D(2026, 11, 28): "Pelayanan Sabtu",
        },
    )


# -- worked examples of docs/requests.md ------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "sla_days", "holds", "due"),
    [
        # Friday, 3 working days: Mon, Tue, Wed.
        (D(2026, 11, 27), 3, (), D(2026, 12, 2)),
        # Saturday counts as received on Monday; 1 working day later is Tuesday.
        (D(2026, 11, 28), 1, (), D(2026, 12, 1)),
        # Monday + 5 = Monday 11-09; hold Wed..Fri costs Thu and Fri: Wednesday 11-11.
        (D(2026, 11, 2), 5, ((D(2026, 11, 4), D(2026, 11, 6)),), D(2026, 11, 11)),
    ],
)
def test_spec_examples(received, sla_days, holds, due):
    assert NATIONAL.due_date(received, sla_days, holds) == due


# -- national holidays and collective leave ------------------------------------------------------


def test_national_holidays_2026_include_christmas_and_collective_leave():
    days = national_holidays(2026)
    assert days[D(2026, 12, 25)] == "Hari Raya Natal"
    assert "Cuti Bersama" in days[D(2026, 12, 24)]
    assert "Idul Fitri" in days[D(2026, 3, 21)]
    assert D(2026, 12, 23) not in days


def test_national_holidays_match_the_combined_holidays_call():
    import holidays

    combined = holidays.country_holidays(
        "ID", categories=("public", "government"), language="id", years=2026
    )
    assert national_holidays(2026) == dict(sorted(combined.items()))


def test_national_holidays_returns_a_copy():
    national_holidays(2026).clear()
    assert D(2026, 12, 25) in national_holidays(2026)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 23), True),  # Wednesday before Christmas
        (D(2026, 12, 24), False),  # cuti bersama Natal
        (D(2026, 12, 25), False),  # Natal
        (D(2026, 12, 26), False),  # Saturday
        (D(2026, 12, 28), True),
        (D(2026, 3, 17), True),
        (D(2026, 3, 18), False),  # cuti bersama Nyepi
        (D(2026, 3, 19), False),  # Nyepi
        (D(2026, 3, 20), False),  # cuti bersama Idul Fitri
        (D(2026, 3, 23), False),  # cuti bersama Idul Fitri
        (D(2026, 3, 24), False),  # cuti bersama Idul Fitri
        (D(2026, 3, 25), True),
        (ANNIVERSARY, True),  # only a local closure, not national
    ],
)
def test_is_working_day_national(day, working):
    assert NATIONAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("received", "sla_days", "due"),
    [
        # Thu 24 cuti bersama, Fri 25 Natal, weekend: the next working day is Monday 28.
        (D(2026, 12, 23), 1, D(2026, 12, 28)),
        (D(2026, 12, 23), 0, D(2026, 12, 23)),
        (D(2026, 12, 24), 0, D(2026, 12, 28)),
        (D(2026, 12, 22), 2, D(2026, 12, 28)),
        # Nyepi and Idul Fitri 2026: Wed 18 .. Tue 24 March closed.
        (D(2026, 3, 17), 1, D(2026, 3, 25)),
        (D(2026, 3, 20), 0, D(2026, 3, 25)),
        (D(2026, 3, 21), 2, D(2026, 3, 27)),
        # Across the new year: Thu 31 Dec + 1 skips Fri 1 Jan 2027 and the weekend.
        (D(2026, 12, 31), 1, D(2027, 1, 4)),
    ],
)
def test_due_date_skips_national_holidays(received, sla_days, due):
    assert NATIONAL.due_date(received, sla_days) == due


# -- the local calendar ------------------------------------------------------------------------


def test_local_closure_is_not_a_working_day_and_pushes_the_due_date():
    calendar = local_calendar()
    assert not calendar.is_working_day(ANNIVERSARY)
    assert NATIONAL.due_date(D(2026, 2, 24), 1) == D(2026, 2, 25)
    assert calendar.due_date(D(2026, 2, 24), 1) == D(2026, 2, 26)
    assert calendar.due_date(ANNIVERSARY, 0) == D(2026, 2, 26)


def test_local_workday_overrides_collective_leave():
    calendar = local_calendar()
    assert calendar.is_working_day(D(2026, 12, 24))
    assert calendar.due_date(D(2026, 12, 23), 1) == D(2026, 12, 24)
    assert calendar.due_date(D(2026, 12, 23), 2) == D(2026, 12, 28)


def test_local_workday_makes_a_saturday_working():
    calendar = local_calendar()
    assert calendar.is_working_day(D(2026, 11, 28))
    assert not calendar.is_working_day(D(2026, 11, 29))
    # Received on that Saturday: it is the day of receipt itself, due Monday.
    assert calendar.due_date(D(2026, 11, 28), 1) == D(2026, 11, 30)
    assert calendar.due_date(D(2026, 11, 27), 1) == D(2026, 11, 28)


def test_local_workday_wins_over_a_local_closure_of_the_same_day():
    day = D(2026, 6, 10)
    calendar = WorkCalendar({day: "Rapat"}, {day: "Rapat dibatalkan"})
    assert calendar.is_working_day(day)


def test_calendar_copies_its_inputs():
    closures = {ANNIVERSARY: "Hari Jadi"}
    calendar = WorkCalendar(closures)
    assert calendar.due_date(D(2026, 2, 24), 1) == D(2026, 2, 26)
    closures.clear()
    assert not calendar.is_working_day(ANNIVERSARY)
    assert calendar.local_closures == {ANNIVERSARY: "Hari Jadi"}


# -- holds -------------------------------------------------------------------------------------


def test_hold_resumed_the_same_day_costs_nothing():
    received, hold = D(2026, 11, 2), D(2026, 11, 4)
    assert NATIONAL.due_date(received, 5, [(hold, hold)]) == NATIONAL.due_date(received, 5)


def test_hold_over_a_weekend_costs_only_the_working_days():
    # On hold Friday, resumed Monday: only Monday is lost.
    assert NATIONAL.due_date(D(2026, 11, 2), 5, [(D(2026, 11, 6), D(2026, 11, 9))]) == D(
        2026, 11, 10
    )


def test_holds_add_up():
    holds = [(D(2026, 11, 3), D(2026, 11, 4)), (D(2026, 11, 5), D(2026, 11, 6))]
    assert NATIONAL.due_date(D(2026, 11, 2), 5, holds) == D(2026, 11, 11)


def test_open_hold_counts_up_to_today():
    received, began = D(2026, 11, 2), D(2026, 11, 4)
    base = D(2026, 11, 9)
    open_hold = [(began, None)]
    # Without today: the due date the request had when it went on hold.
    assert NATIONAL.due_date(received, 5, open_hold) == base
    # On hold Wednesday, today Friday: as if resumed today, i.e. the docs/requests.md example.
    assert NATIONAL.due_date(received, 5, open_hold, today=D(2026, 11, 6)) == D(2026, 11, 11)
    assert NATIONAL.due_date(received, 5, open_hold, today=began) == base
    assert NATIONAL.due_date(received, 5, open_hold, today=D(2026, 11, 3)) == base
    # A completed hold ignores today.
    closed = [(began, D(2026, 11, 6))]
    assert NATIONAL.due_date(received, 5, closed, today=D(2026, 12, 1)) == D(2026, 11, 11)


def test_a_request_on_hold_is_not_overdue_while_the_clock_is_stopped():
    received, began = D(2026, 11, 2), D(2026, 11, 4)
    today = D(2026, 11, 30)
    due = NATIONAL.due_date(received, 5, [(began, None)], today=today)
    assert due >= today
    assert not is_overdue("on_hold", due, today)


def test_hold_resumed_before_it_began_is_refused():
    with pytest.raises(ValueError, match="before it began"):
        NATIONAL.due_date(D(2026, 11, 2), 5, [(D(2026, 11, 6), D(2026, 11, 4))])


def test_negative_sla_is_refused():
    with pytest.raises(ValueError, match="sla_days"):
        NATIONAL.due_date(D(2026, 11, 2), -1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: NATIONAL.is_working_day(datetime(2026, 12, 25, 9, 0)),
        lambda: NATIONAL.due_date(datetime(2026, 11, 27, 9, 0), 3),
        lambda: NATIONAL.working_days_after(D(2026, 1, 1), datetime(2026, 2, 1)),
        lambda: WorkCalendar({datetime(2026, 2, 25): "x"}),
    ],
)
def test_datetimes_are_refused(call):
    with pytest.raises(TypeError, match="calendar day"):
        call()


# -- counting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 11, 4), D(2026, 11, 6), 2),
        (D(2026, 11, 4), D(2026, 11, 4), 0),
        (D(2026, 11, 6), D(2026, 11, 4), 0),
        (D(2026, 11, 6), D(2026, 11, 9), 1),  # Fri -> Mon
        (D(2026, 11, 7), D(2026, 11, 8), 0),  # Sat -> Sun
        (D(2026, 12, 23), D(2026, 12, 28), 1),  # over Christmas
        (D(2026, 12, 31), D(2027, 1, 4), 1),  # over the new year
        # 2026 has 261 weekdays, 21 of them national holidays or collective leave.
        (D(2025, 12, 31), D(2026, 12, 31), 240),
    ],
)
def test_working_days_after(start, end, count):
    assert NATIONAL.working_days_after(start, end) == count


def test_next_working_day():
    assert NATIONAL.next_working_day(D(2026, 11, 27)) == D(2026, 11, 27)
    assert NATIONAL.next_working_day(D(2026, 11, 28)) == D(2026, 11, 30)
    assert NATIONAL.next_working_day(D(2026, 12, 24)) == D(2026, 12, 28)


def test_add_working_days_backwards_and_far():
    assert NATIONAL.add_working_days(D(2026, 12, 28), -1) == D(2026, 12, 23)
    assert NATIONAL.add_working_days(D(2026, 1, 2), -1) == D(2025, 12, 31)
    # Rolled forward to Mon 4 Jan 2027 first, then one back.
    assert NATIONAL.add_working_days(D(2027, 1, 1), -1) == D(2026, 12, 31)
    far = NATIONAL.add_working_days(D(2026, 1, 1), 1000)
    assert NATIONAL.working_days_after(NATIONAL.next_working_day(D(2026, 1, 1)), far) == 1000


@pytest.mark.parametrize(
    ("received", "ready", "days"),
    [
        (D(2026, 11, 27), D(2026, 12, 2), 3),
        (D(2026, 11, 27), D(2026, 11, 27), 0),
        (D(2026, 11, 28), D(2026, 11, 30), 0),  # Saturday, ready on the effective day
        (D(2026, 11, 28), D(2026, 12, 1), 1),
        (D(2026, 12, 23), D(2026, 12, 28), 1),
    ],
)
def test_elapsed_working_days(received, ready, days):
    assert NATIONAL.elapsed_working_days(received, ready) == days


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        ("in_progress", D(2026, 12, 3), True),
        ("on_hold", D(2026, 12, 3), True),
        ("in_progress", D(2026, 12, 2), False),  # due today is not overdue yet
        ("in_progress", D(2026, 12, 1), False),
        ("ready", D(2026, 12, 3), False),
        ("delivered", D(2027, 1, 1), False),
        ("rejected", D(2027, 1, 1), False),
        ("cancelled", D(2027, 1, 1), False),
    ],
)
def test_is_overdue(status, today, overdue):
    assert is_overdue(status, D(2026, 12, 2), today) is overdue


def test_is_overdue_accepts_a_str_enum():
    import enum

    class Status(enum.StrEnum):
        IN_PROGRESS = "in_progress"
        READY = "ready"

    assert is_overdue(Status.IN_PROGRESS, D(2026, 12, 2), D(2026, 12, 3))
    assert not is_overdue(Status.READY, D(2026, 12, 2), D(2026, 12, 3))
    assert OPEN_STATUSES == {"in_progress", "on_hold"}


# -- the year's list ------------------------------------------------------------------------------


def test_non_working_days_lists_sources_and_leaves_out_weekends():
    listing = {day: (name, source) for day, name, source in local_calendar().non_working_days(2026)}
    assert listing[D(2026, 12, 25)] == ("Hari Raya Natal", "nasional")
    assert listing[D(2026, 3, 20)][1] == "cuti bersama"
    assert listing[ANNIVERSARY] == ("Hari Jadi Kabupaten Belitung Timur", "lokal")
    name, source = listing[D(2026, 12, 24)]
    assert source == "masuk (lokal)"
    assert name.startswith("Pelayanan tetap buka (semula: Cuti Bersama")
    assert listing[D(2026, 11, 28)] == ("Pelayanan Sabtu", "masuk (lokal)")
    # Idul Fitri falls on Saturday 21 March 2026: changes nothing, so not listed by default.
    assert D(2026, 3, 21) not in listing
    assert all(day.year == 2026 for day in listing)
    days = [day for day, _name, _source in local_calendar().non_working_days(2026)]
    assert days == sorted(days)


def test_non_working_days_with_weekends():
    listing = {d: s for d, _n, s in NATIONAL.non_working_days(2026, include_weekends=True)}
    assert listing[D(2026, 3, 21)] == "nasional"
    assert D(2026, 3, 28) not in listing  # an ordinary Saturday is not a holiday


def test_local_closure_replaces_a_national_entry():
    calendar = WorkCalendar({D(2026, 12, 25): "Natal (kantor)"})
    listing = {d: (n, s) for d, n, s in calendar.non_working_days(2026)}
    assert listing[D(2026, 12, 25)] == ("Natal (kantor)", "lokal")


# -- start-up and speed ---------------------------------------------------------------------------


def test_importing_the_module_does_not_import_holidays():
    code = "import sys, egovctl.requests.workdays; assert 'holidays' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_many_due_dates_are_fast():
    calendar = local_calendar()
    start = D(2026, 1, 1)
    calendar.due_date(start, 1)  # build the index outside the timing
    began = time.perf_counter()
    for i in range(20_000):
        received = start + timedelta(days=i % 700)
        calendar.due_date(received, i % 30, [(received + timedelta(2), received + timedelta(5))])
    # About 0.1 s on a laptop; a walk day by day or a rebuild per call would be far slower.
    assert time.perf_counter() - began < 3


# -- properties --------------------------------------------------------------------------------

days_2025_2028 = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31))
calendars = st.builds(
    WorkCalendar,
    st.dictionaries(days_2025_2028, st.just("tutup"), max_size=20),
    st.dictionaries(days_2025_2028, st.just("masuk"), max_size=10),
)
sla = st.integers(min_value=0, max_value=60)
hold_spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 15)), max_size=3
)  # (days after receipt it began, days it lasted)


def naive_due_date(calendar: WorkCalendar, received: date, sla_days: int) -> date:
    day = received
    while not calendar.is_working_day(day):
        day += timedelta(1)
    counted = 0
    while counted < sla_days:
        day += timedelta(1)
        counted += calendar.is_working_day(day)
    return day


@settings(max_examples=200, deadline=None)
@given(calendars, days_2025_2028, sla)
def test_due_date_agrees_with_a_day_by_day_walk(calendar, received, sla_days):
    assert calendar.due_date(received, sla_days) == naive_due_date(calendar, received, sla_days)


@settings(deadline=None)
@given(calendars, days_2025_2028, sla, hold_spans)
def test_due_date_is_a_working_day_not_before_receipt(calendar, received, sla_days, spans):
    holds = [(received + timedelta(a), received + timedelta(a + b)) for a, b in spans]
    due = calendar.due_date(received, sla_days, holds)
    assert calendar.is_working_day(due)
    assert due >= received
    assert calendar.elapsed_working_days(received, due) >= sla_days


@settings(deadline=None)
@given(calendars, days_2025_2028, sla)
def test_due_date_is_monotone_in_sla_days(calendar, received, sla_days):
    assert calendar.due_date(received, sla_days) < calendar.due_date(received, sla_days + 1)
    assert calendar.elapsed_working_days(received, calendar.due_date(received, sla_days)) == (
        sla_days
    )


@settings(deadline=None)
@given(calendars, days_2025_2028, sla, hold_spans)
def test_a_hold_never_makes_the_due_date_earlier(calendar, received, sla_days, spans):
    holds = [(received + timedelta(a), received + timedelta(a + b)) for a, b in spans]
    without = calendar.due_date(received, sla_days)
    for count in range(1, len(holds) + 1):
        assert calendar.due_date(received, sla_days, holds[:count]) >= without
    pushed = sum(calendar.working_days_after(began, end) for began, end in holds)
    assert calendar.due_date(received, sla_days, holds) == calendar.add_working_days(
        without, pushed
    )


@settings(deadline=None)
@given(calendars, days_2025_2028, days_2025_2028)
def test_working_days_after_counts_like_a_walk(calendar, start, end):
    expected = sum(
        calendar.is_working_day(start + timedelta(i)) for i in range(1, (end - start).days + 1)
    )
    assert calendar.working_days_after(start, end) == expected


@settings(deadline=None)
@given(calendars, days_2025_2028, st.integers(-300, 300))
def test_add_working_days_moves_by_exactly_n(calendar, day, n):
    moved = calendar.add_working_days(day, n)
    start = calendar.next_working_day(day)
    assert calendar.is_working_day(moved)
    if n >= 0:
        assert calendar.working_days_after(start, moved) == n
    else:
        assert calendar.working_days_after(moved, start) == -n
    assert calendar.add_working_days(moved, -n) == start

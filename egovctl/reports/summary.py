"""`egovctl report summary`: volume, completion, on-time rate, backlog and median time.

The definitions below hold for every request report (summary, SLA).

Every figure is counted by the database (GROUP BY), never by looping over request rows in
Python, so a month of a million-request office costs a few index range scans. Python only
combines the grouped rows (a handful per procedure) and does the calendar arithmetic that SQL
cannot: working days.

Definitions (period = the office's calendar days ``start``..``end``, both included)
-------------------------------------------------------------------------------------
- ``received``: requests whose day of receipt is in the period.
- ``finished``: requests that became ``ready`` in the period (whatever they are now:
  delivered, or even cancelled after they were ready), split into ``on_time`` (ready on or
  before the due date) and ``late``.
- ``rejected`` / ``cancelled``: requests closed so in the period.
- ``median_days``: the median, over the finished ones, of the working days after the
  (effective) day of receipt up to and including the day they became ready: the same counting
  as the SLA (``WorkCalendar.elapsed_working_days``). Holds are not subtracted. An even count
  gives the mean of the two middle values (e.g. 2.5).
- ``on_time_rate``: on_time / finished, None when nothing finished. Beside it
  ``on_time_rate_low``, the lower bound of its 95 % Wilson interval, is what rankings use, so
  one request finished on time (100 %, low bound 21 %) does not rank above 95 of 100
  (low bound 89 %).
- ``overdue``: requests still open (``in_progress`` or ``on_hold``) and past due at the
  **as-of day**: the period's last day, or today for a period not yet over. A request counts
  when it was received on or before the as-of day, was not ready by then (no ready day, or
  one after it) and was not closed by then (likewise), and:
  its due date is before the as-of day (docs/requests.md, ``workdays.is_overdue``). A request
  on hold keeps the due date it had when the hold began until it is resumed (the hold's push is
  added then), so one held past that date counts as overdue meanwhile.
  For the current period this is exactly the set ``request list --overdue`` shows. For a past
  period it is read from the requests as they are now, not replayed from their events, so
  one approximation remains: a request that was on hold at the end of the period and resumed
  after it is judged by its current due date, which already includes that hold's push.

Median: the finished requests are fetched grouped by (procedure, day received, day ready) with
their count, working days are computed once per distinct pair with the calendar (a binary
search each), and the median is taken over that weighted histogram. A month has a few hundred
distinct pairs per procedure at most, whatever the number of requests, and the result is the
same on SQLite and PostgreSQL because no date arithmetic is done in SQL.

Indexes used: (received_date, procedure_id) for ``received``, (ready_date, ...) for
``finished``, (closed_date) for ``rejected/cancelled``, (status, due_date) for the open
requests, (at) on request events.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from egovctl.reports.periods import Period
from egovctl.reports.query import (
    as_day,
    open_at,
    procedure_names,
    reading,
    sorted_rows,
    table,
    today_in,
)

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.reports.query import ProcedureName, Scope
    from egovctl.requests.workdays import WorkCalendar

SUMMARY_COUNTS = ("received", "finished", "on_time", "late", "rejected", "cancelled", "overdue")
NO_REQUESTS = "no requests in the period"
WILSON_Z = 1.96


# -- small-number arithmetic -------------------------------------------------------------------


def weighted_median(histogram: Mapping[int, int]) -> float | int | None:
    """Median of values given as {value: count}; None when empty."""
    n = sum(histogram.values())
    if n == 0:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2  # 0-based ranks of the middle value(s)
    lo = hi = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if lo is None and seen > lo_rank:
            lo = value
        if seen > hi_rank:
            hi = value
            break
    assert lo is not None and hi is not None
    middle = (lo + hi) / 2
    return int(middle) if middle == int(middle) else middle


def rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def wilson_low(part: int, whole: int, z: float = WILSON_Z) -> float | None:
    """Lower bound of the Wilson score interval: a rate that is fair to small counts."""
    if whole == 0:
        return None
    p = part / whole
    z2 = z * z
    centre = p + z2 / (2 * whole)
    margin = z * math.sqrt(p * (1 - p) / whole + z2 / (4 * whole * whole))
    return round(max(0.0, (centre - margin) / (1 + z2 / whole)), 4)


class ElapsedDays:
    """``WorkCalendar.elapsed_working_days`` for many (received, ready) pairs, fast.

    With W(d) the number of working days up to and including d, the working days after the
    effective day of receipt r' (the first working day on or after r) up to ``ready`` are
    W(ready) − W(r'), and W(r') = W(r − 1) + 1; so the count is
    max(0, W(ready) − W(received − 1) − 1). W is taken relative to a day before every
    receipt and computed once per distinct day, instead of several searches per pair.
    """

    def __init__(self, calendar: WorkCalendar, first_received: date) -> None:
        self._calendar = calendar
        self._anchor = first_received - timedelta(days=2)
        self._w: dict[date, int] = {}

    def _count(self, day: date) -> int:
        w = self._w.get(day)
        if w is None:
            w = self._w[day] = self._calendar.working_days_after(self._anchor, day)
        return w

    def __call__(self, received: date, ready: date) -> int:
        return max(0, self._count(ready) - self._count(received - timedelta(days=1)) - 1)


# -- summary -----------------------------------------------------------------------------------


def summary(
    db: Database,
    actor: str,
    period: Period,
    *,
    tz: str,
    agency: str | None = None,
    procedure: str | None = None,
    today: date | None = None,
    with_trend: bool = False,
) -> dict[str, Any]:
    """Volume, completion, on-time rate, backlog and median time per procedure."""
    from sqlalchemy import String, case, func, select, type_coerce

    from egovctl.models import ServiceRequest
    from egovctl.requests.calendar import load_calendar

    t = table(ServiceRequest)
    today = today_in(tz, today)
    as_of = period.as_of(today)
    start, end = period.start, period.end
    with reading(db, actor, agency, procedure) as (session, scope):
        where = scope.where(t)
        counts: dict[int, dict[str, int]] = {}

        def add(pid: int, key: str, n: int) -> None:
            counts.setdefault(pid, dict.fromkeys(SUMMARY_COUNTS, 0))[key] += int(n or 0)

        for pid, n in session.execute(
            select(t.c.procedure_id, func.count())
            .where(t.c.received_date >= start, t.c.received_date <= end, *where)
            .group_by(t.c.procedure_id)
        ):
            add(pid, "received", n)

        on_time = func.sum(case((t.c.ready_date <= t.c.due_date, 1), else_=0))
        # The days come back as the driver gives them (ISO text on SQLite): each distinct
        # pair is converted and counted once, not once per row.
        pairs = session.execute(
            select(
                t.c.procedure_id,
                type_coerce(t.c.received_date, String),
                type_coerce(t.c.ready_date, String),
                func.count(),
                on_time,
            )
            .where(t.c.ready_date >= start, t.c.ready_date <= end, *where)
            .group_by(t.c.procedure_id, t.c.received_date, t.c.ready_date)
        ).all()
        histograms: dict[int, dict[int, int]] = {}
        if pairs:
            elapsed = ElapsedDays(load_calendar(session), as_day(min(p[1] for p in pairs)))
            finished: dict[int, list[int]] = {}
            pair_days: dict[tuple[Any, Any], int] = {}
            for pid, received, ready, n, good in pairs:
                tally = finished.setdefault(pid, [0, 0])
                tally[0] += n
                tally[1] += good or 0
                days = pair_days.get((received, ready))
                if days is None:
                    days = pair_days[received, ready] = elapsed(as_day(received), as_day(ready))
                hist = histograms.setdefault(pid, {})
                hist[days] = hist.get(days, 0) + n
            for pid, (n, good) in finished.items():
                add(pid, "finished", n)
                add(pid, "on_time", good)
                add(pid, "late", n - good)

        for pid, status, n in session.execute(
            select(t.c.procedure_id, t.c.status, func.count())
            .where(
                t.c.closed_date >= start,
                t.c.closed_date <= end,
                t.c.status.in_(("rejected", "cancelled")),
                *where,
            )
            .group_by(t.c.procedure_id, t.c.status)
        ):
            add(pid, status, n)

        if as_of >= start:
            late_open = open_at(t, as_of, scope, [t.c.procedure_id], overdue=True)
            for pid, n in session.execute(
                select(late_open.c.procedure_id, func.count()).group_by(late_open.c.procedure_id)
            ):
                add(pid, "overdue", n)

        names = procedure_names(session, counts)
        rows = [_summary_row(names[pid], c, histograms.get(pid, {})) for pid, c in counts.items()]
        total_hist: dict[int, int] = {}
        for hist in histograms.values():
            for days, n in hist.items():
                total_hist[days] = total_hist.get(days, 0) + n
        totals = _figures({k: sum(r[k] for r in rows) for k in SUMMARY_COUNTS}, total_hist)
        result: dict[str, Any] = {
            "period": period.as_dict(),
            "as_of": as_of.isoformat(),
            "filters": scope.as_dict(),
            "rows": sorted_rows(rows),
            "totals": totals,
        }
        from egovctl.notify.queries import channel_counts

        # Messages to applicants queued in the period (docs/notify.md), per channel.
        result["notifications"] = channel_counts(session, start, end, tz, scope)
        if not rows:
            result["message"] = NO_REQUESTS
        if with_trend:
            result["trend"] = _trend(session, t, period, scope)
        return result


def _figures(c: Mapping[str, int], hist: Mapping[int, int]) -> dict[str, Any]:
    return {
        **{k: c[k] for k in SUMMARY_COUNTS},
        "median_days": weighted_median(hist),
        "on_time_rate": rate(c["on_time"], c["finished"]),
        "on_time_rate_low": wilson_low(c["on_time"], c["finished"]),
    }


def _summary_row(
    name: ProcedureName, c: Mapping[str, int], hist: Mapping[int, int]
) -> dict[str, Any]:
    return {
        "procedure": name["procedure"],
        "procedure_name": name["procedure_name"],
        "agency": name["agency"],
        **_figures(c, hist),
    }


def _trend(session: Session, t: Table, period: Period, scope: Scope) -> dict[str, Any]:
    """Received, finished on time and late per day (periods up to 31 days) or per month."""
    from sqlalchemy import case, func, select

    daily = period.days <= 31
    where = scope.where(t)

    def bucket(d: date) -> str:
        return d.isoformat() if daily else f"{d.year}-{d.month:02d}"

    if daily:
        labels = [bucket(period.start + timedelta(days=i)) for i in range(period.days)]
    else:
        labels = [f"{y}-{m:02d}" for y, m in period.months()]
    data = {label: {"received": 0, "on_time": 0, "late": 0} for label in labels}
    for day, n in session.execute(
        select(t.c.received_date, func.count())
        .where(t.c.received_date >= period.start, t.c.received_date <= period.end, *where)
        .group_by(t.c.received_date)
    ):
        data[bucket(day)]["received"] += n
    good = func.sum(case((t.c.ready_date <= t.c.due_date, 1), else_=0))
    for day, n, ok in session.execute(
        select(t.c.ready_date, func.count(), good)
        .where(t.c.ready_date >= period.start, t.c.ready_date <= period.end, *where)
        .group_by(t.c.ready_date)
    ):
        data[bucket(day)]["on_time"] += int(ok or 0)
        data[bucket(day)]["late"] += n - int(ok or 0)
    return {
        "unit": "day" if daily else "month",
        "points": [{"label": label, **data[label]} for label in labels],
    }

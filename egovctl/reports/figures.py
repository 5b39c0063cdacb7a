"""Performance reports for heads of office (SPEC §7): summary, SLA, officers, IKM.

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
  its due date is before the as-of day (SPEC §5, ``workdays.is_overdue``). A request on hold
  keeps the due date it had when the hold began until it is resumed (the hold's push is
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
requests, (at) on request events; ``survey_response.day`` for the IKM.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput
from egovctl.reports.periods import Period
from egovctl.requests.vocabulary import ACTIONS

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.requests.workdays import WorkCalendar

OPEN = ("in_progress", "on_hold")
SUMMARY_COUNTS = ("received", "finished", "on_time", "late", "rejected", "cancelled", "overdue")
NO_REQUESTS = "no requests in the period"
NO_EVENTS = "no work recorded in the period"
WILSON_Z = 1.96


@dataclass(frozen=True)
class Scope:
    """The --agency / --procedure filters, resolved to ids."""

    agency_id: int | None = None
    procedure_id: int | None = None
    agency: str | None = None
    procedure: str | None = None

    def where(self, table: Table) -> list[Any]:
        clauses = []
        if self.agency_id is not None:
            clauses.append(table.c.agency_id == self.agency_id)
        if self.procedure_id is not None:
            clauses.append(table.c.procedure_id == self.procedure_id)
        return clauses

    def as_dict(self) -> dict[str, str | None]:
        return {"agency": self.agency, "procedure": self.procedure}


def _scope(session: Session, agency: str | None, procedure: str | None) -> Scope:
    from egovctl.catalogue.store import get_agency, get_procedure
    from egovctl.models import Agency

    agency_row = get_agency(session, agency) if agency else None
    proc_row = get_procedure(session, procedure) if procedure else None
    if agency_row is not None and proc_row is not None and proc_row.agency_id != agency_row.id:
        owner = session.get(Agency, proc_row.agency_id)
        raise InvalidInput(
            f"procedure {proc_row.code} belongs to "
            f"{owner.code if owner else '?'}, not {agency_row.code}"
        )
    return Scope(
        agency_row.id if agency_row else None,
        proc_row.id if proc_row else None,
        agency_row.code if agency_row else None,
        proc_row.code if proc_row else None,
    )


@contextmanager
def _reading(
    db: Database, actor: str, agency: str | None, procedure: str | None
) -> Iterator[tuple[Session, Scope]]:
    """A read session with the filters resolved and the actor allowed to read reports."""
    from egovctl.staff.access import authorize

    with db.read() as session:
        scope = _scope(session, agency, procedure)
        authorize(session, actor, "report.read", scope.agency_id)
        yield session, scope


def _today(tz: str, today: date | None) -> date:
    from egovctl.timeutil import today as local_today

    return today or local_today(tz)


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


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


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


# -- the open-at-a-day building block ----------------------------------------------------------


def _open_at(
    table: Table, as_of: date, scope: Scope, columns: Sequence[Any], *, overdue: bool = False
) -> Any:
    """Requests open at the end of ``as_of`` (see the module docstring), as a UNION ALL of
    three index-friendly branches: still open now (index on status, due_date), ready after
    the day, and closed without being ready after the day (both on the covering index that
    starts with ready_date).

    Each branch selects ``columns``; ``overdue`` keeps only those past due on the day.
    """
    from sqlalchemy import or_, select, union_all

    t = table
    where = scope.where(t)
    late = [t.c.due_date < as_of] if overdue else []
    still_open = select(*columns).where(
        t.c.status.in_(OPEN), t.c.received_date <= as_of, *where, *late
    )
    ready_after = select(*columns).where(
        t.c.ready_date > as_of,
        t.c.received_date <= as_of,
        or_(t.c.closed_date.is_(None), t.c.closed_date > as_of),
        *where,
        *late,
    )
    # closed_date is set only when a request is rejected or cancelled.
    closed_after = select(*columns).where(
        t.c.ready_date.is_(None), t.c.closed_date > as_of, t.c.received_date <= as_of, *where, *late
    )
    return union_all(still_open, ready_after, closed_after).subquery("open_at")


# -- names -------------------------------------------------------------------------------------


def _procedure_names(session: Session, ids: Iterable[int]) -> dict[int, dict[str, str]]:
    from sqlalchemy import and_, select

    from egovctl.models import Agency, Procedure, ProcedureVersion

    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Procedure.id, Procedure.code, ProcedureVersion.name, Agency.code, Agency.name)
        .join(
            ProcedureVersion,
            and_(
                ProcedureVersion.procedure_id == Procedure.id,
                ProcedureVersion.version == Procedure.current_version,
            ),
        )
        .join(Agency, Agency.id == Procedure.agency_id)
        .where(Procedure.id.in_(ids))
    )
    return {
        pid: {"procedure": code, "procedure_name": name, "agency": acode, "agency_name": aname}
        for pid, code, name, acode, aname in rows
    }


def _sorted_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["agency"], r["procedure"]))


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

    t = ServiceRequest.__table__
    today = _today(tz, today)
    as_of = period.as_of(today)
    start, end = period.start, period.end
    with _reading(db, actor, agency, procedure) as (session, scope):
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
            elapsed = ElapsedDays(load_calendar(session), _day(min(p[1] for p in pairs)))
            finished: dict[int, list[int]] = {}
            pair_days: dict[tuple[Any, Any], int] = {}
            for pid, received, ready, n, good in pairs:
                tally = finished.setdefault(pid, [0, 0])
                tally[0] += n
                tally[1] += good or 0
                days = pair_days.get((received, ready))
                if days is None:
                    days = pair_days[received, ready] = elapsed(_day(received), _day(ready))
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
            late_open = _open_at(t, as_of, scope, [t.c.procedure_id], overdue=True)
            for pid, n in session.execute(
                select(late_open.c.procedure_id, func.count()).group_by(late_open.c.procedure_id)
            ):
                add(pid, "overdue", n)

        names = _procedure_names(session, counts)
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
            "rows": _sorted_rows(rows),
            "totals": totals,
        }
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
    name: Mapping[str, str], c: Mapping[str, int], hist: Mapping[int, int]
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


# -- SLA ---------------------------------------------------------------------------------------


def sla(
    db: Database,
    actor: str,
    period: Period,
    *,
    tz: str,
    agency: str | None = None,
    procedure: str | None = None,
    due_within: int = 2,
    today: date | None = None,
) -> dict[str, Any]:
    """Open, overdue and due-soon requests at the as-of day, by agency and procedure."""
    from sqlalchemy import and_, case, func, select

    from egovctl.models import ServiceRequest
    from egovctl.requests.calendar import load_calendar

    if due_within < 0:
        raise InvalidInput("--due-within must be 0 or more working days")
    t = ServiceRequest.__table__
    today = _today(tz, today)
    as_of = period.as_of(today)
    with _reading(db, actor, agency, procedure) as (session, scope):
        calendar = load_calendar(session)
        cutoff = calendar.add_working_days(as_of, due_within) if due_within else as_of
        state_column = case(
            (t.c.due_date < as_of, "overdue"),
            (and_(t.c.due_date >= as_of, t.c.due_date <= cutoff), "due_soon"),
            else_="open",
        ).label("state")
        opened = _open_at(t, as_of, scope, [t.c.procedure_id, state_column])
        counts: dict[int, dict[str, int]] = {}
        for pid, state, n in session.execute(
            select(opened.c.procedure_id, opened.c.state, func.count()).group_by(
                opened.c.procedure_id, opened.c.state
            )
        ):
            row = counts.setdefault(pid, {"open": 0, "overdue": 0, "due_soon": 0})
            row["open"] += n
            if state != "open":
                row[state] += n
        late = _open_at(
            t,
            as_of,
            scope,
            [t.c.reg_no, t.c.procedure_id, t.c.status, t.c.received_date, t.c.due_date],
            overdue=True,
        )
        listed = session.execute(select(late).order_by(late.c.due_date, late.c.reg_no)).all()
        names = _procedure_names(session, counts)
        rows = _sorted_rows(
            {**{k: v for k, v in names[pid].items() if k != "agency_name"}, **c}
            for pid, c in counts.items()
        )
        by_agency: dict[str, dict[str, Any]] = {}
        for r in rows:
            a = by_agency.setdefault(
                r["agency"], {"agency": r["agency"], "open": 0, "overdue": 0, "due_soon": 0}
            )
            for k in ("open", "overdue", "due_soon"):
                a[k] += r[k]
        overdue_list = []
        for reg_no, pid, status, received, due in listed:
            overdue_list.append(
                {
                    "reg_no": reg_no,
                    "agency": names[pid]["agency"],
                    "procedure": names[pid]["procedure"],
                    "status": status,
                    "received_date": received.isoformat(),
                    "due_date": due.isoformat(),
                    "days_overdue": calendar.working_days_after(due, as_of),
                }
            )
        result: dict[str, Any] = {
            "period": period.as_dict(),
            "as_of": as_of.isoformat(),
            "due_within": due_within,
            "due_soon_until": cutoff.isoformat(),
            "filters": scope.as_dict(),
            "rows": rows,
            "by_agency": sorted(by_agency.values(), key=lambda a: a["agency"]),
            "totals": {k: sum(r[k] for r in rows) for k in ("open", "overdue", "due_soon")},
            "overdue": overdue_list,
        }
        if not rows:
            result["message"] = "no open requests at " + as_of.isoformat()
        return result


# -- officers ----------------------------------------------------------------------------------


def _utc_bounds(period: Period, tz: str) -> tuple[datetime, datetime]:
    from egovctl.timeutil import zone

    z = zone(tz)
    start = datetime.combine(period.start, time(0), tzinfo=z).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=z).astimezone(UTC)
    return start, end


def officers(
    db: Database,
    actor: str,
    period: Period,
    *,
    tz: str,
    agency: str | None = None,
    procedure: str | None = None,
) -> dict[str, Any]:
    """Work done per staff member: request events by action in the period."""
    from sqlalchemy import distinct, func, select

    from egovctl.models import RequestEvent, ServiceRequest, Staff

    e = RequestEvent.__table__
    t = ServiceRequest.__table__
    start, end = _utc_bounds(period, tz)
    with _reading(db, actor, agency, procedure) as (session, scope):
        where = [e.c.at >= start, e.c.at < end]
        if scope.agency_id is not None or scope.procedure_id is not None:
            where.append(e.c.request_id.in_(select(t.c.id).where(*scope.where(t))))
        per_action = session.execute(
            select(e.c.actor, e.c.action, func.count())
            .where(*where)
            .group_by(e.c.actor, e.c.action)
        ).all()
        touched = dict(
            session.execute(
                select(e.c.actor, func.count(distinct(e.c.request_id)))
                .where(*where)
                .group_by(e.c.actor)
            ).all()
        )
        people = (
            {
                u: (n, r)
                for u, n, r in session.execute(
                    select(Staff.username, Staff.name, Staff.role).where(
                        Staff.username.in_(list(touched))
                    )
                )
            }
            if touched
            else {}
        )
        rows: dict[str, dict[str, Any]] = {}
        for who, action, n in per_action:
            name, role = people.get(who, (None, None))
            row = rows.setdefault(
                who,
                {
                    "actor": who,
                    "name": name,
                    "role": role,
                    **dict.fromkeys(ACTIONS, 0),
                    "total": 0,
                    "requests": touched.get(who, 0),
                },
            )
            row[action] = row.get(action, 0) + n
            row["total"] += n
        ordered = sorted(rows.values(), key=lambda r: (-r["total"], r["actor"]))
        totals = {k: sum(r[k] for r in ordered) for k in (*ACTIONS, "total")}
        result: dict[str, Any] = {
            "period": period.as_dict(),
            "filters": scope.as_dict(),
            "rows": ordered,
            "totals": totals,
        }
        if not ordered:
            result["message"] = NO_EVENTS
        return result


# -- IKM ---------------------------------------------------------------------------------------


def ikm(
    db: Database,
    actor: str,
    period: Period,
    *,
    agency: str | None = None,
    procedure: str | None = None,
) -> dict[str, Any]:
    """The satisfaction index of the period: overall, per agency and per procedure."""
    from sqlalchemy import func, select

    from egovctl.models import Procedure, SurveyResponse
    from egovctl.reports import ikm as arithmetic

    s = SurveyResponse.__table__
    with _reading(db, actor, agency, procedure) as (session, scope):
        where = [s.c.day >= period.start, s.c.day <= period.end]
        if scope.procedure_id is not None:
            where.append(s.c.procedure_id == scope.procedure_id)
        if scope.agency_id is not None:
            where.append(
                s.c.procedure_id.in_(
                    select(Procedure.id).where(Procedure.agency_id == scope.agency_id)
                )
            )
        unsur_cols = [s.c[u.lower()] for u in arithmetic.UNSUR]
        grouped = session.execute(
            select(s.c.procedure_id, func.count(), *(func.sum(c) for c in unsur_cols))
            .where(*where)
            .group_by(s.c.procedure_id)
        ).all()
        names = _procedure_names(session, (g[0] for g in grouped))
        per_proc = {g[0]: arithmetic.compute(g[1], [int(x) for x in g[2:]]) for g in grouped}
        by_procedure = _sorted_rows(
            {
                "procedure": names[pid]["procedure"],
                "procedure_name": names[pid]["procedure_name"],
                "agency": names[pid]["agency"],
                **res.as_dict(),
            }
            for pid, res in per_proc.items()
        )
        agencies: dict[str, list[Any]] = {}
        agency_names: dict[str, str] = {}
        for pid, res in per_proc.items():
            agencies.setdefault(names[pid]["agency"], []).append(res)
            agency_names[names[pid]["agency"]] = names[pid]["agency_name"]
        by_agency = [
            {
                "agency": code,
                "agency_name": agency_names[code],
                **arithmetic.combine(results).as_dict(),
            }
            for code, results in sorted(agencies.items())
        ]
        overall = arithmetic.combine(list(per_proc.values()))
        for row in (*by_procedure, *by_agency):
            row.pop("message", None)
        return {
            **overall.as_dict(),
            "weakest": overall.weakest(),
            "period": period.as_dict(),
            "filters": scope.as_dict(),
            "unsur": dict(arithmetic.UNSUR_NAMES),
            "by_agency": by_agency,
            "by_procedure": by_procedure,
        }

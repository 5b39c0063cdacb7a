"""`egovctl report sla`: open, overdue and due-soon requests at the as-of day.

The as-of day and what counts as overdue are defined in ``summary.py``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput
from egovctl.i18n import _
from egovctl.reports.periods import Period
from egovctl.reports.query import open_at, procedure_names, reading, sorted_rows, table, today_in

if TYPE_CHECKING:
    from egovctl.db import Database


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
        raise InvalidInput(_("--due-within must be 0 or more working days"))
    t = table(ServiceRequest)
    today = today_in(tz, today)
    as_of = period.as_of(today)
    with reading(db, actor, agency, procedure) as (session, scope):
        calendar = load_calendar(session)
        cutoff = calendar.add_working_days(as_of, due_within) if due_within else as_of
        state_column = case(
            (t.c.due_date < as_of, "overdue"),
            (and_(t.c.due_date >= as_of, t.c.due_date <= cutoff), "due_soon"),
            else_="open",
        ).label("state")
        opened = open_at(t, as_of, scope, [t.c.procedure_id, state_column])
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
        late = open_at(
            t,
            as_of,
            scope,
            [t.c.reg_no, t.c.procedure_id, t.c.status, t.c.received_date, t.c.due_date],
            overdue=True,
        )
        listed = session.execute(select(late).order_by(late.c.due_date, late.c.reg_no)).all()
        names = procedure_names(session, counts)
        rows: list[dict[str, Any]] = sorted_rows(
            {
                "procedure": names[pid]["procedure"],
                "procedure_name": names[pid]["procedure_name"],
                "agency": names[pid]["agency"],
                **c,
            }
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

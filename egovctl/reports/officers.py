"""`egovctl report officers`: work done per staff member, request events by action."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from egovctl.reports.periods import Period
from egovctl.reports.query import reading, table
from egovctl.requests.vocabulary import ACTIONS

if TYPE_CHECKING:
    from egovctl.db import Database

NO_EVENTS = "no work recorded in the period"


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
    from sqlmodel import col

    from egovctl.models import RequestEvent, ServiceRequest, Staff

    e = table(RequestEvent)
    t = table(ServiceRequest)
    start, end = _utc_bounds(period, tz)
    with reading(db, actor, agency, procedure) as (session, scope):
        # Moves only: a due date moved by a calendar change is no one's work on the request.
        where = [e.c.at >= start, e.c.at < end, e.c.action.in_(ACTIONS)]
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
                    select(col(Staff.username), col(Staff.name), col(Staff.role)).where(
                        col(Staff.username).in_(list(touched))
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

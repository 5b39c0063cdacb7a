"""Due dates that follow the calendar when it changes
(docs/requests.md#calendar-changes-move-due-dates).

A change to the office calendar (a closure added, a declared working day, a day removed, a
file imported) or an upgrade of the national holiday data can move the due date of a request
already logged. ``plan_moves`` finds every open request whose due date the calendar now gives
differently; ``apply_moves`` writes them in the caller's write transaction, each with a
``due_changed`` event and an audit record, so ``audit verify`` replays them.

Only requests whose window the changed days touch are read: a request's due date depends on
the working days from its day of receipt up to its due date (``status, due_date`` index), and,
for a hold resumed after the due date, up to the day it was resumed (found through the
``request_event.at`` index). A full recompute reads every open request.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.requests.vocabulary import DUE_CHANGED, OPEN_STATUSES
from egovctl.timeutil import local_date

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.requests.workdays import WorkCalendar

_CHUNK = 500  # ids per IN (...) list: well under every backend's parameter limit


class DueMove(TypedDict):
    """An open request whose due date a calendar change moves."""

    reg_no: str
    status: str
    old_due: str
    new_due: str


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _candidates(session: Session, days: Collection[date] | None, tz: str) -> list[Any]:
    """Open requests whose due date may depend on ``days`` (every open one when None).

    On SQLite the two dates come as the ISO text the file holds (see ``_Days``): tens of
    thousands of rows, each date parsed by SQLAlchemy, cost more than the query."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import String, func, select, text, type_coerce

    from egovctl.models import ProcedureVersion, RequestEvent, ServiceRequest
    from egovctl.models.request import RESUME_EVENTS

    R, V, E = ServiceRequest.__table__.c, ProcedureVersion.__table__.c, RequestEvent.__table__.c
    sqlite = session.get_bind().dialect.name == "sqlite"

    def raw(column: Any) -> Any:
        return type_coerce(column, String) if sqlite else column

    columns = select(
        R.id,
        R.reg_no,
        R.status,
        raw(func.coalesce(R.counted_from, R.received_date)).label("counted_from"),
        raw(R.due_date).label("due_date"),
        V.sla_days,
    ).join_from(ServiceRequest.__table__, ProcedureVersion.__table__, V.id == R.version_id)
    is_open = R.status.in_(sorted(OPEN_STATUSES))
    if days is None:
        return list(session.execute(columns.where(is_open)))
    if not days:
        return []
    first, last = min(days), max(days)
    # The window of a request: from its day of receipt to its due date.
    found = {
        row.id: row
        for row in session.execute(
            columns.where(is_open, R.due_date >= first, R.received_date <= last)
        )
    }
    # A hold resumed after the due date counted working days beyond it: those requests are
    # found by their resume events (at or after the first changed day, a day early for the
    # timezone), which are few: read first, so that the planner does not walk every overdue
    # request instead (0.2 s of 20,000 open ones).
    since = datetime.combine(first - timedelta(days=1), time(), ZoneInfo(tz))
    resumed = sorted(
        set(
            session.execute(
                select(E.request_id).where(text(RESUME_EVENTS), E.at >= since)
            ).scalars()
        )
        - found.keys()
    )
    for chunk in _chunks(resumed):
        for row in session.execute(
            columns.where(R.id.in_(chunk), is_open, R.due_date < first, R.received_date <= last)
        ):
            found.setdefault(row.id, row)
    return list(found.values())


class _Days:
    """Dates as ``_candidates`` reads them (ISO text on SQLite, dates on PostgreSQL), each
    distinct value converted once."""

    def __init__(self) -> None:
        self._dates: dict[Any, date] = {}
        self._texts: dict[date, str] = {}

    def day(self, value: date | str) -> date:
        if isinstance(value, date):
            return value
        day = self._dates.get(value)
        if day is None:
            day = self._dates[value] = date.fromisoformat(value)
        return day

    def iso(self, value: date | str) -> str:
        if isinstance(value, str):
            return value
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = value.isoformat()
        return text


def _holds(session: Session, ids: list[int], tz: str) -> dict[int, list[tuple[date, date | None]]]:
    """Hold periods per request, as ``WorkCalendar.due_date`` takes them."""
    from sqlalchemy import select, text

    from egovctl.models import RequestEvent
    from egovctl.models.request import HOLD_EVENTS

    E = RequestEvent.__table__.c
    holds: dict[int, list[tuple[date, date | None]]] = {}
    for chunk in _chunks(ids):
        for rid, action, at in session.execute(
            select(E.request_id, E.action, E.at)
            .where(E.request_id.in_(chunk), text(HOLD_EVENTS))
            .order_by(E.request_id, E.seq)
        ):
            periods = holds.setdefault(rid, [])
            if action == "hold":
                periods.append((local_date(at, tz), None))
            elif periods:
                periods[-1] = (periods[-1][0], local_date(at, tz))
    return holds


def plan_moves(
    session: Session, cal: WorkCalendar, days: Collection[date] | None, tz: str
) -> list[tuple[int, date, DueMove]]:
    """The open requests whose due date ``cal`` gives differently from the stored one, as
    (request id, new due date, move), oldest registration first; ``days`` are the days whose
    working status changed (None: check every open request)."""
    rows = _candidates(session, days, tz)
    holds = _holds(session, [r.id for r in rows], tz) if rows else {}
    moves: list[tuple[int, date, DueMove]] = []
    as_days = _Days()
    # Requests received the same day with the same SLA and no hold share their due date: a
    # change touching 20,000 open requests computes a few hundred.
    known: dict[tuple[Any, int], date] = {}
    for r in rows:
        # An open hold counts nothing: the stored due date of a request on hold is the one
        # it had when the hold began (resume adds the hold's days).
        periods = holds.get(r.id)
        if periods:
            new = cal.due_date(as_days.day(r.counted_from), r.sla_days, periods)
        else:
            key = (r.counted_from, r.sla_days)
            new = known.get(key) or known.setdefault(
                key, cal.due_date(as_days.day(r.counted_from), r.sla_days)
            )
        new_due, old_due = as_days.iso(new), as_days.iso(r.due_date)
        if new_due != old_due:
            moves.append(
                (
                    r.id,
                    new,
                    DueMove(reg_no=r.reg_no, status=r.status, old_due=old_due, new_due=new_due),
                )
            )
    moves.sort(key=lambda m: m[0])
    return moves


def apply_moves(
    session: Session,
    actor: str,
    moves: Iterable[tuple[int, date, DueMove]],
    cause: str,
    now: datetime,
) -> list[DueMove]:
    """Write the moves: the new due date, a ``due_changed`` event (old and new date, and the
    change that caused it) and an audit record per request, and queue the ``due_changed``
    message of each applicant who agreed to be told (docs/notify.md)."""
    from sqlalchemy import bindparam, func, insert, select, update

    from egovctl.db import executemany
    from egovctl.models import RequestEvent, ServiceRequest
    from egovctl.staff import audit

    moves = list(moves)
    if not moves:
        return []
    R, E = ServiceRequest.__table__, RequestEvent.__table__
    ids = [rid for rid, _new, _move in moves]
    last_seq: dict[int, int] = {}
    for chunk in _chunks(ids):
        last_seq.update(
            session.execute(
                select(E.c.request_id, func.max(E.c.seq))
                .where(E.c.request_id.in_(chunk))
                .group_by(E.c.request_id)
            ).all()
        )
    executemany(
        session,
        update(R)
        .where(R.c.id == bindparam("rid"))
        .values(due_date=bindparam("new_due"), updated_at=bindparam("now")),
        [{"rid": rid, "new_due": new, "now": now} for rid, new, _move in moves],
    )
    executemany(
        session,
        insert(E),
        [
            {
                "request_id": rid,
                "seq": last_seq.get(rid, 0) + 1,
                "at": now,
                "action": DUE_CHANGED,
                "actor": actor,
                "note": f"{move['old_due']} -> {move['new_due']} ({cause})",
            }
            for rid, _new, move in moves
        ],
    )
    audit.append_many(
        session,
        actor,
        [
            (
                f"request.{DUE_CHANGED}",
                f"request:{move['reg_no']}",
                {"from": move["old_due"], "due_date": move["new_due"], "cause": cause},
            )
            for _rid, _new, move in moves
        ],
        at=now,
    )
    from egovctl.notify.outbox import queue_many

    queue_many(
        session,
        DUE_CHANGED,
        (
            (
                rid,
                m["reg_no"],
                {"reg_no": m["reg_no"], "old_due": m["old_due"], "due_date": m["new_due"]},
            )
            for rid, _new, m in moves
        ),
        now,
    )
    return [move for _rid, _new, move in moves]

"""What a demo history is made from: the active procedures, the registration counters and
the office's working days around the last 24 months, read from the database once as plain
values (``Setup``), which a helper process can take as they are."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _
from egovctl.timeutil import local_date, zone

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from egovctl.requests.workdays import WorkCalendar

#: How far back the history goes.
HISTORY_DAYS = 730


@dataclass(frozen=True)
class Proc:
    procedure_id: int
    version_id: int
    agency_id: int
    agency: str
    code: str
    sla_days: int
    n_steps: int


@dataclass(frozen=True)
class Setup:
    """Everything the history is made from: plain values read from the database once."""

    seed: int
    procs: list[Proc]
    days: list[date]  # working days from 24 months ago to well beyond today
    today: date
    today_index: int  # the last working day on or before today
    cut_secs: int  # events of that day up to this many seconds after local midnight happened
    midnights: list[int]  # UTC epoch seconds of each working day's local midnight
    counters: dict[tuple[int, int], int]
    first_id: int
    pg: bool


def read_procedures(conn: Connection) -> list[Proc]:
    from sqlalchemy import func, select
    from sqlmodel import col

    from egovctl.models import Agency, Procedure, ProcedureVersion, Step

    n_steps = (
        select(col(Step.version_id), func.count().label("n"))
        .group_by(col(Step.version_id))
        .subquery()
    )
    rows = conn.execute(
        select(
            col(Procedure.id),
            col(ProcedureVersion.id),
            col(Agency.id),
            col(Agency.code),
            col(Procedure.code),
            col(ProcedureVersion.sla_days),
            n_steps.c.n,
        )
        .join(
            ProcedureVersion,
            (col(ProcedureVersion.procedure_id) == Procedure.id)
            & (col(ProcedureVersion.version) == Procedure.current_version),
        )
        .join(Agency, col(Agency.id) == Procedure.agency_id)
        .join(n_steps, n_steps.c.version_id == ProcedureVersion.id)
        .where(col(Procedure.active).is_(True))
        .order_by(col(Procedure.code))
    ).all()
    if not rows:
        from egovctl.resources import procedures_dir

        raise NotFound(
            _(
                "no active procedures in the catalogue; seed-demo spreads its requests over "
                "them, so import the catalogue first: egovctl procedure import {folder}"
            ).format(folder=procedures_dir())
        )
    return [Proc(*row) for row in rows]


def read_counters(conn: Connection) -> dict[tuple[int, int], int]:
    from sqlmodel import col, select

    from egovctl.models import RegCounter

    return {
        (a, y): last
        for a, y, last in conn.execute(
            select(col(RegCounter.agency_id), col(RegCounter.year), col(RegCounter.last))
        )
    }


def next_request_id(conn: Connection) -> int:
    from sqlmodel import col, func, select

    from egovctl.models import ServiceRequest

    return int(conn.execute(select(func.max(col(ServiceRequest.id)))).scalar_one() or 0) + 1


def requests_not_seeded(conn: Connection) -> int:
    """How many of the database's requests seed-demo did not make: real ones.

    Every run records in the audit log how many requests it added (``db.seed-demo``,
    ``requests``), in the transaction that adds them, and requests are never deleted; so the
    requests beyond the sum of those counts were logged some other way.
    """
    import json

    from sqlmodel import col, func, select

    from egovctl.models import AuditRecord, ServiceRequest

    total = conn.execute(select(func.count(col(ServiceRequest.id)))).scalar_one()
    if not total:
        return 0
    seeded = 0
    for details in conn.execute(
        select(col(AuditRecord.details)).where(col(AuditRecord.action) == "db.seed-demo")
    ).scalars():
        counts = json.loads(details)
        seeded += int(counts.get("requests", 0)) if isinstance(counts, dict) else 0
    return max(0, int(total) - seeded)


def make_setup(
    seed: int,
    procs: list[Proc],
    cal: WorkCalendar,
    tz: str,
    now: datetime,
    counters: dict[tuple[int, int], int],
    first_id: int,
    pg: bool,
) -> Setup:
    """The office's working days around the history, asked of its calendar once each."""
    today = local_date(now, tz)
    # Events run on past today before they are cut off at ``now``, and due dates lie up to
    # the longest SLA plus holds and delays beyond it.
    ahead = 400 + 2 * max(p.sla_days for p in procs)
    days, day = [], today - timedelta(days=HISTORY_DAYS)
    while day <= today + timedelta(days=ahead):
        if cal.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    today_index = bisect.bisect_right(days, today) - 1
    if today_index < 0:
        raise InvalidInput(_("the calendar has no working day in the last 24 months"))
    office = zone(tz)
    local = now.astimezone(office)
    cut = (
        local.hour * 3600 + local.minute * 60 + local.second
        if days[today_index] == today
        else 2 * 86400
    )
    midnights = [int(datetime(d.year, d.month, d.day, tzinfo=office).timestamp()) for d in days]
    return Setup(seed, procs, days, today, today_index, cut, midnights, counters, first_id, pg)

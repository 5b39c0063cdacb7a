"""Synthetic demo data: a deterministic, realistic history of service requests.

``seed_demo`` fills the database with requests spread over the procedures already in the
catalogue and the last 24 months, each with the events that lead to its stored state, so that
demos, training sessions and benchmarks see what an office would: mostly delivered files in the
past, a few rejected or withdrawn, work in progress and waiting for pickup now, some overdue.

The data must stay indistinguishable from what ``workflow`` writes: every request's status,
step, hold and dates are what replaying its events gives (``egovctl audit verify`` checks it),
due dates come from the office's ``WorkCalendar``, and registration numbers continue each
agency's yearly counter without gaps. Events fall on working days within office hours.

It is written for volume (a million requests in under a minute on two cores): rows are plain
values in their stored form, made in chronological order and written with the driver's
executemany in batches, all inside one write transaction. The calendar is asked once per day
of the period; a due date is then a position in that list of working days, the counting of
``WorkCalendar.due_date`` (the tests compare the two). Large loads make their rows in a
helper process while this one writes; on SQLite they go in through a rollback journal and
multi-row INSERTs, and the indexes are rebuilt once at the end.

The modules of this package, in the order the work flows: ``plan`` reads what the history is
made from, ``history`` makes the rows (with the people of ``population``), ``helper`` runs
that in a second process for large loads, ``load`` writes them.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypedDict

from egovctl.config import DEFAULT_TIMEZONE
from egovctl.demo import helper, load, plan
from egovctl.errors import InvalidInput
from egovctl.formats import say_number
from egovctl.i18n import _, ngettext
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from egovctl.db import Database
    from egovctl.demo.history import Outcome
    from egovctl.demo.load import Progress
    from egovctl.demo.plan import Setup

#: More than this is not a demo any more; it would also take minutes and gigabytes.
MAX_REQUESTS = 5_000_000

#: What one run added, as ``db seed-demo --json`` prints it and the audit log records it:
#: counts per status, agency and year, and the first and last day anything was received.
SeedSummary = TypedDict(
    "SeedSummary",
    {
        "seed": int,
        "requests": int,
        "events": int,
        "statuses": dict[str, int],
        "overdue": int,
        "agencies": dict[str, int],
        "years": dict[str, int],
        "from": str,
        "to": str,
    },
)


def seed_demo(
    db: Database,
    actor: str,
    n: int,
    seed: int = 1,
    progress: Progress | None = None,
    *,
    tz: str = DEFAULT_TIMEZONE,
    now: datetime | None = None,
    force: bool = False,
) -> SeedSummary:
    """Add ``n`` synthetic requests with their events; the same seed gives the same data.

    Needs the catalogue imported. ``now`` (default: the clock) is the end of the history:
    nothing happens after it. Returns counts per status, agency and year.

    Refuses a database holding requests it did not make, unless ``force``
    (docs/staff-and-audit.md): the fake citizens would flow into that office's reports, IKM,
    site and Open311 export.
    """
    from egovctl.requests.calendar import load_calendar
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    if n < 1:
        raise InvalidInput(
            _("the number of requests (--requests) must be at least 1, got {n}").format(n=n)
        )
    if n > MAX_REQUESTS:
        raise InvalidInput(
            _(
                "--requests {n} is more than a demo needs; the most is {most} per run "
                "(run it again to add more)"
            ).format(n=say_number(n), most=say_number(MAX_REQUESTS))
        )
    now = (now or now_utc()).astimezone(UTC)
    tick = progress or (lambda _phase, _done, _total: None)
    with load.load_transaction(db, n) as session:
        authorize(session, actor, "db.admin")
        conn = session.connection()
        pg = conn.dialect.name == "postgresql"
        if pg:
            # Others may go on reading, but nobody may log a request or take a number.
            conn.exec_driver_sql(
                "LOCK TABLE service_request, request_event, reg_counter IN EXCLUSIVE MODE"
            )
        if not force:
            real = plan.requests_not_seeded(conn)
            if real:
                raise InvalidInput(
                    ngettext(
                        "the database holds {n} real request (not made by seed-demo); demo "
                        "data would mix with it in reports, the IKM, the public site and "
                        "Open311. Seed a separate database (egovctl --db demo.db ...), or add "
                        "--force to seed this one anyway",
                        "the database holds {n} real requests (not made by seed-demo); demo "
                        "data would mix with them in reports, the IKM, the public site and "
                        "Open311. Seed a separate database (egovctl --db demo.db ...), or add "
                        "--force to seed this one anyway",
                        real,
                    ).format(n=say_number(real))
                )
        procs = plan.read_procedures(conn)
        setup = plan.make_setup(
            seed,
            procs,
            load_calendar(session),
            tz,
            now,
            plan.read_counters(conn),
            plan.next_request_id(conn),
            pg,
        )
        with helper.row_source(setup, n) as source, load.bulk_load(conn, n):
            load.write_batches(conn, source.packed(n), pg, tick, n)
        outcome = source.outcome()
        load.save_counters(conn, outcome["counters"], pg)
        if pg:
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('service_request', 'id'), "
                "(SELECT max(id) FROM service_request))"
            )
        summary = _summary(setup, outcome)
        audit.append(session, actor, "db.seed-demo", "database", summary)
    return summary


def _summary(setup: Setup, outcome: Outcome) -> SeedSummary:
    by_agency: Counter[str] = Counter()
    by_year: Counter[int] = Counter()
    codes = {p.agency_id: p.agency for p in setup.procs}
    for (agency_id, year), last in outcome["counters"].items():
        added = last - setup.counters.get((agency_id, year), 0)
        by_agency[codes[agency_id]] += added
        by_year[year] += added
    return {
        "seed": setup.seed,
        "requests": sum(outcome["statuses"].values()),
        "events": outcome["events"],
        "statuses": dict(sorted(outcome["statuses"].items())),
        "overdue": outcome["overdue"],
        "agencies": dict(sorted(by_agency.items())),
        "years": {str(y): c for y, c in sorted(by_year.items())},
        "from": outcome["from"],  # the first and the last day anything was received
        "to": outcome["to"],
    }

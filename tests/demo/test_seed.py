"""`egovctl db seed-demo`: synthetic requests that look like, and replay like, real ones."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from egovctl.db import Database
from egovctl.demo import helper, history, load, plan
from egovctl.demo import seed as demo
from egovctl.identity import normalize_phone, validate_nik
from egovctl.requests.search import fold_name
from egovctl.timeutil import local_date, zone
from tests.conftest import Cli, Clock, sqlite_only, table_counts

TZ = "Asia/Jakarta"
# A Wednesday afternoon: the history ends here, so everything below is reproducible.
NOW = datetime(2026, 3, 11, 14, 30, tzinfo=zone(TZ)).astimezone(UTC)
N = 300


def _rows(db: Database) -> list[Any]:
    from sqlalchemy import select

    from egovctl.models import ServiceRequest as R

    with db.read() as session:
        return session.execute(
            select(
                R.id,
                R.reg_no,
                R.applicant_name,
                R.nik,
                R.phone,
                R.status,
                R.step,
                R.due_date,
                R.received_at,
                R.received_date,
                R.hold_started,
                R.ready_at,
                R.ready_date,
                R.delivered_at,
                R.closed_at,
                R.closed_date,
                R.version_id,
                R.agency_id,
                R.applicant_name_fold,
            ).order_by(R.id)
        ).all()


def _events(db: Database) -> dict[int, list[Any]]:
    from sqlalchemy import select

    from egovctl.models import RequestEvent as E

    out: dict[int, list[Any]] = defaultdict(list)
    with db.read() as session:
        for row in session.execute(
            select(E.request_id, E.seq, E.at, E.action, E.note).order_by(E.request_id, E.seq)
        ):
            out[row.request_id].append(row)
    return out


@pytest.fixture
def seeded(catalogue: Cli, db: Database) -> dict[str, Any]:
    return demo.seed_demo(db, "admin", N, seed=7, tz=TZ, now=NOW)


def test_summary_counts_what_was_written(seeded: dict[str, Any], db: Database) -> None:
    rows = _rows(db)
    assert seeded["requests"] == len(rows) == N
    assert sum(len(e) for e in _events(db).values()) == seeded["events"]
    assert sum(seeded["agencies"].values()) == sum(seeded["years"].values()) == N
    statuses = {s: sum(1 for r in rows if r.status == s) for s in seeded["statuses"]}
    assert statuses == seeded["statuses"]
    # Mostly delivered, some refused or withdrawn, and work still open at the end.
    assert seeded["statuses"]["delivered"] > N * 0.7
    assert {"rejected", "cancelled", "in_progress", "ready"} <= set(seeded["statuses"])
    assert seeded["overdue"] >= 1
    assert "2024-03-11" <= seeded["from"] < "2024-03-20" and seeded["to"] == "2026-03-11"


def test_every_request_replays_to_its_stored_state(seeded: dict[str, Any], db: Database) -> None:
    """What `egovctl audit verify` checks, and more: holds, due dates, dates and times."""
    from sqlalchemy import func, select

    from egovctl.models import ProcedureVersion, Step
    from egovctl.requests.calendar import load_calendar
    from egovctl.requests.verify import replay, verify_requests

    assert verify_requests(db, TZ) == N
    with db.read() as session:
        cal = load_calendar(session)
        n_steps = dict(
            session.execute(select(Step.version_id, func.count()).group_by(Step.version_id)).all()
        )
        sla = dict(session.execute(select(ProcedureVersion.id, ProcedureVersion.sla_days)).all())
    events = _events(db)
    without_holds = 0
    for r in _rows(db):
        history = events[r.id]
        assert [e.seq for e in history] == list(range(1, len(history) + 1))
        assert history[0].action == "log" and history[0].at == r.received_at
        assert local_date(r.received_at, TZ) == r.received_date
        ats = [e.at for e in history]
        assert ats == sorted(ats) and ats[-1] <= NOW, r.reg_no
        for at in ats:  # on a working day, within office hours
            local = at.astimezone(zone(TZ))
            assert cal.is_working_day(local.date()), (r.reg_no, local)
            assert time(8) <= local.time() <= time(16), (r.reg_no, local)
        got = replay([(e.action, e.at) for e in history], n_steps[r.version_id], TZ)
        assert (got.status, got.step) == (r.status, r.step)
        closed = [h for h in got.holds if h[1] is not None]
        assert r.due_date == cal.due_date(r.received_date, sla[r.version_id], closed), r.reg_no
        without_holds += not got.holds
        open_hold = got.holds[-1][0] if got.holds and got.holds[-1][1] is None else None
        assert r.hold_started == (open_hold if r.status == "on_hold" else None)
        by_action = {e.action: e for e in history}
        advances = [e for e in history if e.action == "advance"]
        if len(advances) == n_steps[r.version_id]:  # finished (perhaps never collected)
            assert r.ready_at == advances[-1].at
            assert r.ready_date == local_date(advances[-1].at, TZ)
        else:
            assert r.ready_at is None and r.ready_date is None
        assert r.delivered_at == (by_action["deliver"].at if "deliver" in by_action else None)
        if r.status in ("rejected", "cancelled"):
            assert r.closed_at == history[-1].at
            assert r.closed_date == local_date(r.closed_at, TZ)
            assert history[-1].note  # a reason is kept
        else:
            assert r.closed_at is None
    assert without_holds > N * 0.8


def test_numbers_are_gap_free_per_agency_and_year(seeded: dict[str, Any], db: Database) -> None:
    from sqlalchemy import select

    from egovctl.models import Agency, RegCounter

    numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for r in _rows(db):
        agency, year, number = re.fullmatch(r"(.+)-(\d{4})-(\d{6})", r.reg_no).groups()
        assert int(year) == r.received_date.year
        numbers[agency, int(year)].append(int(number))
    with db.read() as session:
        counters = {
            (code, year): last
            for code, year, last in session.execute(
                select(Agency.code, RegCounter.year, RegCounter.last).join(
                    Agency, Agency.id == RegCounter.agency_id
                )
            )
        }
    assert counters == {key: len(got) for key, got in numbers.items()}
    for got in numbers.values():
        assert got == list(range(1, len(got) + 1))  # in order of receipt, too


def test_applicants_are_plausible(seeded: dict[str, Any], db: Database) -> None:
    rows = _rows(db)
    for r in rows:
        assert validate_nik(r.nik) == r.nik
        assert r.phone is None or normalize_phone(r.phone) == r.phone
        assert r.applicant_name == r.applicant_name.strip()
        assert r.applicant_name_fold == fold_name(r.applicant_name)
    assert sum(r.nik.startswith("1906") for r in rows) > N * 0.7
    names = {r.applicant_name for r in rows}
    assert any("'" in name for name in names)
    assert any(not name.isascii() for name in names)
    assert len({r.nik for r in rows}) < N  # residents come back for other documents


def test_same_seed_same_data_and_numbers_continue(seeded: dict[str, Any], db: Database) -> None:
    first = _rows(db)
    again = demo.seed_demo(db, "admin", N, seed=7, tz=TZ, now=NOW)
    second = _rows(db)[N:]
    assert again == seeded
    same = (
        "applicant_name",
        "nik",
        "phone",
        "status",
        "step",
        "due_date",
        "received_at",
        "hold_started",
        "ready_at",
        "delivered_at",
        "closed_at",
    )
    assert [[getattr(r, k) for k in same] for r in first] == [
        [getattr(r, k) for k in same] for r in second
    ]
    assert [r.id for r in second] == list(range(first[-1].id + 1, first[-1].id + N + 1))
    # The second run's numbers follow the first run's, per agency and year.
    for a, b in zip(first, second, strict=True):
        prefix, number = a.reg_no.rsplit("-", 1)
        count = sum(1 for r in first if r.reg_no.startswith(prefix + "-"))
        assert b.reg_no == f"{prefix}-{int(number) + count:06d}"
    other = demo.seed_demo(db, "admin", N, seed=8, tz=TZ, now=NOW)
    assert other != seeded


def test_helper_process_makes_the_same_rows(catalogue: Cli, db: Database) -> None:
    from egovctl.requests.calendar import load_calendar

    with db.read() as session:
        conn = session.connection()
        setup = plan.make_setup(
            3,
            plan.read_procedures(conn),
            load_calendar(session),
            TZ,
            NOW,
            {},
            1,
            conn.dialect.name == "postgresql",
        )
    local = history.History(setup)
    expected = [list(map(list, b)) for b in local.packed(1000)]
    process = helper.Helper(setup)
    try:
        got = [list(map(list, b)) for b in process.packed(1000)]
    finally:
        process.close()
    assert got == expected
    assert process.outcome() == local.outcome()


def test_overdue_list_finds_seeded_requests(catalogue: Cli, db: Database) -> None:
    summary = demo.seed_demo(db, "admin", N, seed=7, tz=TZ, now=NOW)
    # Seen from today, whatever was still in progress in March 2026 is overdue.
    listed = catalogue.ok("request", "list", "--overdue", "--limit", "500", "--json").json()
    assert len(listed) >= summary["statuses"]["in_progress"] >= 1
    assert all(item["overdue"] for item in listed)


def test_overdue_count_is_the_rule_of_workdays(catalogue: Cli, db: Database, clock: Clock) -> None:
    from egovctl.requests.workdays import is_overdue

    clock.travel("2026-12-02T10:00+07:00")  # the seeded history ends now: the same every day
    summary = demo.seed_demo(db, "admin", 3000, seed=5, tz=TZ)
    today = local_date(datetime.now(UTC), TZ)
    rows = _rows(db)
    assert summary["overdue"] == sum(is_overdue(r.status, r.due_date, today) for r in rows)
    assert any(r.status == "on_hold" for r in rows)
    listed = catalogue.ok("request", "list", "--overdue", "--limit", "5000", "--json").json()
    assert len(listed) == summary["overdue"] >= 1


def test_cli_seed_with_todays_clock(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T10:00+07:00")
    out = catalogue.ok("db", "seed-demo", "--requests", "200", "--seed", "3", "--json").json()
    assert out["requests"] == 200
    assert out["to"] <= local_date(datetime.now(UTC), TZ).isoformat() < "9999"
    overdue = catalogue.ok("request", "list", "--overdue", "--limit", "500", "--json").json()
    assert len(overdue) == out["overdue"]
    reg = catalogue.ok("request", "list", "--limit", "1", "--json").json()[0]["reg_no"]
    shown = catalogue.ok("request", "show", reg, "--json").json()
    assert shown["events"][0]["action"] == "log"
    text = catalogue.ok("db", "seed-demo", "--requests", "5").stdout
    assert "added 5 requests" in text
    # The counters carry on: the next real request takes the next number of its year.
    year = local_date(datetime.now(UTC), TZ).year
    mine = catalogue.ok(
        "request", "list", "--search", f"DISDUKCAPIL-{year}-", "--limit", "1000", "--json"
    ).json()
    logged = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "Nur'aini Tjhin",
        "--nik",
        "1906034507890001",
        "--json",
    ).json()
    assert logged["reg_no"] == f"DISDUKCAPIL-{year}-{len(mine) + 1:06d}"


def test_one_audit_record_with_the_counts(seeded: dict[str, Any], db: Database) -> None:
    import json

    from sqlalchemy import select

    from egovctl.models import AuditRecord

    with db.read() as session:
        records = session.execute(
            select(AuditRecord.action, AuditRecord.details).where(AuditRecord.action.like("db.%"))
        ).all()
    assert [r.action for r in records] == ["db.seed-demo"]
    assert json.loads(records[0].details) == seeded


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("0", "must be at least 1"),
        ("-5", "must be at least 1"),
        ("5000001", "the most is 5,000,000"),
    ],
)
def test_refuses_absurd_counts(catalogue: Cli, count: str, message: str) -> None:
    result = catalogue.fails("db", "seed-demo", "--requests", count)
    assert message in result.stderr


def test_needs_the_catalogue(cli: Cli) -> None:
    result = cli.fails("db", "seed-demo", "--requests", "10")
    assert "import the catalogue first: egovctl procedure import" in result.stderr


def test_needs_an_admin(catalogue: Cli) -> None:
    catalogue.ok("staff", "add", "admin1", "--name", "Admin Satu", "--role", "admin")
    catalogue.ok(
        "staff", "add", "loket1", "--name", "Petugas Loket", "--role", "counter", user="admin1"
    )
    result = catalogue.fails("db", "seed-demo", "--requests", "10", user="loket1")
    assert "may not administer the database" in result.stderr
    catalogue.ok("db", "seed-demo", "--requests", "10", user="admin1")


def test_history_starts_on_a_working_day_when_today_is_not() -> None:
    """On a Sunday the last working day is over; nothing is cut short or lies ahead."""
    from egovctl.requests.workdays import WorkCalendar

    sunday = datetime(2026, 3, 15, 10, tzinfo=zone(TZ)).astimezone(UTC)
    proc = plan.Proc(1, 1, 1, "DISDUKCAPIL", "DUKCAPIL-KK", 1, 4)
    setup = plan.make_setup(1, [proc], WorkCalendar(), TZ, sunday, {}, 1, False)
    assert setup.days[setup.today_index] == date(2026, 3, 13)
    assert setup.cut_secs > 86400
    rows = [
        r
        for requests, _ in history.History(setup).batches(50)
        for r in load.as_rows(requests, load.REQUEST_WIDTH)
    ]
    assert rows[-1][15] <= "2026-03-13"
    assert setup.days[0] >= date(2024, 3, 15) and setup.days[0] - date(2024, 3, 15) < timedelta(
        days=4
    )


@sqlite_only
def test_bulk_load_keeps_the_schema_and_fails_cleanly(
    catalogue: Cli, db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The large-load path (indexes dropped and rebuilt, foreign keys unchecked, a rollback
    journal instead of the WAL) leaves the schema as it was, consistent data, a WAL database,
    and nothing at all when it fails half-way."""

    def schema() -> list[tuple[str, str]]:
        with db.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT name, sql FROM sqlite_master ORDER BY name").all()

    def settings() -> list[Any]:
        with db.engine.connect() as conn:
            return [
                conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in ("journal_mode", "foreign_keys", "synchronous", "cache_size")
            ]

    monkeypatch.setattr(load, "REBUILD_AT", 1)
    before, counts, normal = schema(), table_counts(db_url), settings()
    assert normal[:2] == ["wal", 1]
    write = load.write_batches
    during: list[Any] = []

    def broken(conn: Any, *args: Any, **kwargs: Any) -> None:
        during.append(
            [
                conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in ("journal_mode", "foreign_keys", "synchronous")
            ]
        )
        write(conn, *args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "write_batches", broken)
    with pytest.raises(RuntimeError):
        demo.seed_demo(db, "admin", 50, tz=TZ, now=NOW)
    assert during == [["delete", 0, 2]]  # synchronous=FULL
    assert table_counts(db_url) == counts and schema() == before and settings() == normal
    monkeypatch.setattr(load, "write_batches", write)
    demo.seed_demo(db, "admin", 50, tz=TZ, now=NOW)
    assert schema() == before and settings() == normal
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        # The search index was rebuilt from the table (its triggers are back: schema()).
        conn.exec_driver_sql(
            "INSERT INTO request_search(request_search) VALUES ('integrity-check')"
        )
        word = conn.exec_driver_sql(
            "SELECT applicant_name_fold FROM service_request ORDER BY id DESC LIMIT 1"
        ).scalar_one_or_none()
        assert word is not None
        hits = conn.exec_driver_sql(
            "SELECT count(*) FROM request_search WHERE request_search MATCH ?",
            (f'"{word.split()[0]}"',),
        ).scalar_one()
        assert hits >= 1


@sqlite_only
def test_bulk_load_killed_half_way_leaves_the_database_as_it_was(
    catalogue: Cli, db: Database, db_url: str
) -> None:
    """A process killed in the middle of a large load, with part of it already in the file:
    the rollback journal puts the old pages back when the database is next opened, and the
    first egovctl connection makes it a WAL database again."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    before = table_counts(db_url)
    script = f"""if True:
        import os, signal
        from egovctl.demo import load, seed as demo
        from egovctl.db import Database

        load.REBUILD_AT = 1
        write = load.write_batches

        def killed(conn, *args):
            conn.exec_driver_sql("PRAGMA cache_size=20")  # pages go to the file early
            write(conn, *args)
            os.kill(os.getpid(), signal.SIGKILL)

        load.write_batches = killed
        demo.seed_demo(Database({db_url!r}), "admin", 3000)
    """
    root = Path(demo.__file__).resolve().parents[2]  # the checkout holding egovctl/
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    path = Path(db_url.removeprefix("sqlite:///"))
    assert Path(f"{path}-journal").stat().st_size > 0  # hot: the rollback is still to come
    assert path.stat().st_size > 2 * Path(f"{path}-journal").stat().st_size
    assert table_counts(db_url) == before
    from egovctl.db import open_database

    reopened = open_database(db_url)  # as the next command opens it: back in WAL mode
    with reopened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    reopened.dispose()
    assert not Path(f"{path}-journal").exists()
    demo.seed_demo(db, "admin", 50, tz=TZ, now=NOW)
    assert table_counts(db_url)["service_request"] == 50


def test_refuses_a_database_with_real_requests_unless_forced(catalogue: Cli, db_url: str) -> None:
    """docs/staff-and-audit.md: demo data never mixes silently with an office's real requests."""
    # A database holding only demo data (from any number of runs) takes more.
    catalogue.ok("db", "seed-demo", "--requests", "20")
    catalogue.ok("db", "seed-demo", "--requests", "15", "--seed", "2")
    catalogue.ok(
        "request", "log", "DUKCAPIL-KK", "--name", "Nur'aini Tjhin", "--nik", "1906034507890001"
    )
    before = table_counts(db_url)
    refused = catalogue.fails("db", "seed-demo", "--requests", "10")
    assert refused.stderr.startswith("error: the database holds 1 real request ")
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert table_counts(db_url) == before
    forced = catalogue.ok("db", "seed-demo", "--requests", "10", "--force", "--json").json()
    assert forced["requests"] == 10
    # Forcing once does not make the real request demo data.
    assert "holds 1 real request" in catalogue.fails("db", "seed-demo", "--requests", "5").stderr


def test_real_requests_alone_are_enough_to_refuse(catalogue: Cli, db_url: str) -> None:
    for nik in ("1906034507890001", "1906034507890002"):
        catalogue.ok("request", "log", "DUKCAPIL-KK", "--name", "Siti Aminah", "--nik", nik)
    before = table_counts(db_url)
    refused = catalogue.fails("db", "seed-demo", "--requests", "10")
    assert "holds 2 real requests" in refused.stderr
    assert table_counts(db_url) == before

"""Calendar changes move the due dates of open requests
(docs/requests.md#calendar-changes-move-due-dates)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Cli, Clock, table_counts

NIK = "1906034507890001"
TZ = "Asia/Jakarta"


def _log(cli: Cli, at: str, code: str = "DUKCAPIL-KTP-EL") -> dict[str, Any]:
    data = cli.ok(
        "request", "log", code, "--name", "Siti Aminah", "--nik", NIK, "--at", at, "--json"
    ).json()
    assert isinstance(data, dict)
    return data


def _show(cli: Cli, reg: str) -> dict[str, Any]:
    data = cli.ok("request", "show", reg, "--json").json()
    assert isinstance(data, dict)
    return data


def test_closure_in_window_moves_one_day_and_back(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-11-27T10:00+07:00")
    # Received Friday 27 Nov with sla_days 3: due Wednesday 2 Dec (SPEC §5).
    reg = _log(catalogue, "2026-11-27T09:00")["reg_no"]
    assert _show(catalogue, reg)["due_date"] == "2026-12-02"

    out = catalogue.ok("calendar", "add", "2026-11-30", "--name", "HUT Kabupaten", "--json").json()
    assert out["moved"] == [
        {"reg_no": reg, "status": "in_progress", "old_due": "2026-12-02", "new_due": "2026-12-03"}
    ]
    assert _show(catalogue, reg)["due_date"] == "2026-12-03"

    # A closure after the due date changes nothing.
    after = catalogue.ok("calendar", "add", "2026-12-04", "--name", "Tutup", "--json").json()
    assert after["moved"] == []
    assert _show(catalogue, reg)["due_date"] == "2026-12-03"

    back = catalogue.ok("calendar", "remove", "2026-11-30").stdout
    assert "1 open request's due date moved" in back and reg in back
    shown = _show(catalogue, reg)
    assert shown["due_date"] == "2026-12-02"
    changes = [e for e in shown["events"] if e["action"] == "due_changed"]
    assert [e["note"] for e in changes] == [
        "2026-12-02 -> 2026-12-03 (calendar add 2026-11-30)",
        "2026-12-03 -> 2026-12-02 (calendar remove 2026-11-30)",
    ]
    catalogue.ok("audit", "verify")
    audit = catalogue.ok("audit", "log", "--json").json()
    assert isinstance(audit, list)
    assert sum(r["action"] == "request.due_changed" for r in audit) == 2


def test_declared_working_day_moves_due_date_earlier(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-11-27T10:00+07:00")
    reg = _log(catalogue, "2026-11-27T09:00")["reg_no"]  # due Wed 2 Dec
    out = catalogue.ok(
        "calendar", "add", "2026-11-28", "--name", "Pelayanan Sabtu", "--working", "--json"
    ).json()
    assert [(m["reg_no"], m["new_due"]) for m in out["moved"]] == [(reg, "2026-12-01")]
    catalogue.ok("audit", "verify")


def test_dry_run_writes_nothing(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-11-27T10:00+07:00")
    reg = _log(catalogue, "2026-11-27T09:00")["reg_no"]
    before = table_counts(catalogue.db_url)
    out = catalogue.ok("calendar", "add", "2026-11-30", "--name", "HUT", "--dry-run").stdout
    assert "Dry run" in out and "would move" in out and reg in out
    data = catalogue.ok(
        "calendar", "add", "2026-11-30", "--name", "HUT", "--dry-run", "--json"
    ).json()
    assert data["dry_run"] is True and data["moved"][0]["new_due"] == "2026-12-03"
    assert table_counts(catalogue.db_url) == before
    assert _show(catalogue, reg)["due_date"] == "2026-12-02"
    assert catalogue.ok("calendar", "recompute", "--dry-run", "--json").json() == {
        "dry_run": True,
        "checked": 1,
        "moved": [],
    }
    assert table_counts(catalogue.db_url) == before


def test_finished_requests_do_not_move(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-11-27T10:00+07:00")
    reg = _log(catalogue, "2026-11-27T09:00", "DUKCAPIL-KK")["reg_no"]
    for _ in range(_show(catalogue, reg)["steps"]):
        catalogue.ok("request", "advance", reg)
    assert _show(catalogue, reg)["status"] == "ready"
    due = _show(catalogue, reg)["due_date"]
    out = catalogue.ok("calendar", "add", "2026-11-30", "--name", "HUT", "--json").json()
    assert out["moved"] == []
    assert _show(catalogue, reg)["due_date"] == due


def test_hold_days_kept_when_calendar_changes_during_hold(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-11-06T10:00+07:00")
    # SPEC §5: received Mon 2 Nov, sla 5, on hold Wed 4 Nov, resumed Fri 6 Nov: due Wed 11 Nov.
    done = _log(catalogue, "2026-11-02T09:00", "DINSOS-REKOM-PBI-JK")["reg_no"]
    catalogue.ok("request", "hold", done, "--reason", "KK kurang", "--at", "2026-11-04T10:00")
    catalogue.ok("request", "resume", done, "--at", "2026-11-06T09:00")
    assert _show(catalogue, done)["due_date"] == "2026-11-11"
    # Still on hold: the hold began Wed 4 Nov.
    held = _log(catalogue, "2026-11-02T09:05", "DINSOS-REKOM-PBI-JK")["reg_no"]
    catalogue.ok("request", "hold", held, "--reason", "KK kurang", "--at", "2026-11-04T10:05")
    assert _show(catalogue, held)["due_date"] == "2026-11-09"

    # A closure on Thursday 5 Nov, inside both holds: the finished hold now costs one working
    # day (Fri) instead of two, and the 5 SLA days skip Thursday: the due date stays.
    out = catalogue.ok("calendar", "add", "2026-11-05", "--name", "Tutup", "--json").json()
    moved = {m["reg_no"]: m["new_due"] for m in out["moved"]}
    assert done not in moved
    # The open hold counts nothing yet, so its stored due date moves past the closure.
    assert moved == {held: "2026-11-10"}
    # Resumed Friday: the hold cost Fri only (Thu is closed): 5 + 1 working days after Mon,
    # skipping Thursday.
    resumed = catalogue.ok("request", "resume", held, "--at", "2026-11-06T09:30", "--json").json()
    assert resumed["due_date"] == "2026-11-11"
    catalogue.ok("audit", "verify")


def test_recompute_after_holiday_data_upgrade(
    catalogue: Cli, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import MappingProxyType

    from egovctl.requests import workdays

    clock.travel("2026-11-27T10:00+07:00")
    reg = _log(catalogue, "2026-11-27T09:00")["reg_no"]
    real = workdays._national_entries

    def upgraded(year: int) -> Any:
        entries = dict(real(year))
        if year == 2026:
            entries[date(2026, 12, 1)] = ("Cuti bersama baru", workdays.SOURCE_COLLECTIVE_LEAVE)
        return MappingProxyType(entries)

    monkeypatch.setattr(workdays, "_national_entries", upgraded)
    dry = catalogue.ok("calendar", "recompute", "--dry-run").stdout
    assert "1 open request checked" in dry and reg in dry
    assert _show(catalogue, reg)["due_date"] == "2026-12-02"
    out = catalogue.ok("calendar", "recompute", "--json").json()
    assert out["moved"][0] == {
        "reg_no": reg,
        "status": "in_progress",
        "old_due": "2026-12-02",
        "new_due": "2026-12-03",
    }
    assert catalogue.ok("calendar", "recompute", "--json").json()["moved"] == []
    catalogue.ok("audit", "verify")


def test_import_moves_due_dates(catalogue: Cli, clock: Clock, tmp_path: Any) -> None:
    clock.travel("2026-11-27T10:00+07:00")
    reg = _log(catalogue, "2026-11-27T09:00")["reg_no"]
    path = tmp_path / "libur.yaml"
    path.write_text(
        "- {date: 2026-11-30, name: HUT Kabupaten}\n- {date: 2026-12-01, name: Tutup}\n",
        encoding="utf-8",
    )
    out = catalogue.ok("calendar", "import", str(path), "--json").json()
    assert out["moved"] == [
        {"reg_no": reg, "status": "in_progress", "old_due": "2026-12-02", "new_due": "2026-12-04"}
    ]
    # Importing the same file again changes no day and moves nothing.
    assert catalogue.ok("calendar", "import", str(path), "--json").json()["moved"] == []
    catalogue.ok("audit", "verify")


def test_calendar_change_refused_for_counter_staff(catalogue: Cli) -> None:
    catalogue.ok("staff", "add", "admin", "--name", "Admin", "--role", "admin")
    catalogue.ok("staff", "add", "loket", "--name", "Petugas", "--role", "counter", user="admin")
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("calendar", "recompute", "--dry-run", user="loket").stderr
    assert "may not change the calendar" in err
    assert table_counts(catalogue.db_url) == before


def test_random_calendar_changes_equal_computing_from_scratch(db: Any, clock: Clock) -> None:
    """Property: after any sequence of calendar changes, every open request's stored due date
    is the one computed from scratch against the current calendar."""
    from egovctl.catalogue.store import import_catalogue
    from egovctl.requests import calendar as office
    from egovctl.requests.recompute import plan_moves
    from egovctl.requests.service import Applicant, log_request, transition
    from tests.conftest import PROCEDURES

    clock.travel("2026-12-31T12:00+07:00")
    import_catalogue(db, "setup", [str(PROCEDURES)])
    rng = random.Random(20)
    codes = ["DUKCAPIL-KTP-EL", "DUKCAPIL-KK", "DINSOS-REKOM-PBI-JK", "DINKES-SLHS"]
    start = datetime(2026, 10, 1, 8, 0, tzinfo=ZoneInfo(TZ))
    applicant = Applicant("Siti Aminah", NIK)
    for i in range(30):
        received = start + timedelta(days=rng.randrange(60), hours=rng.randrange(9))
        reg = log_request(db, "setup", rng.choice(codes), applicant, tz=TZ, at=received)["reg_no"]
        kind = rng.random()
        if kind < 0.4:  # a hold, resumed a few days later or still open
            began = received + timedelta(days=rng.randrange(5), minutes=i + 1)
            transition(db, "setup", reg, "hold", tz=TZ, note="berkas kurang", at=began)
            if rng.random() < 0.6:
                resumed = began + timedelta(days=rng.randrange(8), minutes=1)
                transition(db, "setup", reg, "resume", tz=TZ, at=resumed)
        elif kind < 0.5:
            transition(db, "setup", reg, "cancel", tz=TZ, note="batal", at=received)
    local: set[date] = set()
    moved = 0
    for _round in range(25):
        day = date(2026, 10, 1) + timedelta(days=rng.randrange(90))
        if day in local and rng.random() < 0.5:
            moved += len(office.remove_day(db, "setup", day, tz=TZ)["moved"])
            local.discard(day)
        else:
            moved += len(
                office.add_day(
                    db,
                    "setup",
                    day,
                    "Hari acak",
                    working=rng.random() < 0.3,
                    replace=True,
                    tz=TZ,
                )["moved"]
            )
            local.add(day)
        with db.read() as session:
            assert plan_moves(session, office.load_calendar(session), None, TZ) == []
    assert moved > 10  # the changes did touch requests
    from egovctl.requests.verify import verify_requests

    assert verify_requests(db, TZ) == 30


def test_many_moved_requests_listed_as_plain_columns(
    catalogue: Cli, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change that moves more requests than a table holds lists every one of them as plain
    columns (thousands print at once; a Rich table took seconds)."""
    import egovctl.commands.calendar as calendar_commands

    monkeypatch.setattr(calendar_commands, "TABLE_ROWS", 2)
    clock.travel("2026-11-27T10:00+07:00")
    regs = [_log(catalogue, f"2026-11-27T09:0{i}")["reg_no"] for i in range(3)]
    out = catalogue.ok("calendar", "add", "2026-11-30", "--name", "HUT Kabupaten").stdout
    lines = out.splitlines()
    assert "3 open requests' due dates moved:" in lines
    head = lines.index("3 open requests' due dates moved:") + 1
    assert lines[head].split() == ["Registration", "no.", "Was", "due", "Now", "due"]
    assert set(lines[head + 1]) == {"-", " "}
    rows = lines[head + 2 :]
    assert [row.split("  ")[0] for row in rows] == regs
    assert all(line == line.rstrip() for line in lines)
    for row in rows:
        # The columns line up under their heads.
        assert row.index("Wednesday, 2 December 2026") == lines[head].index("Was due")
        assert row.index("Thursday, 3 December 2026") == lines[head].index("Now due")
    # A short list keeps the table.
    monkeypatch.setattr(calendar_commands, "TABLE_ROWS", 100)
    back = catalogue.ok("calendar", "remove", "2026-11-30").stdout
    assert "┃" in back or "|" in back


def test_holds_are_read_through_their_partial_indexes(db: Any) -> None:
    """The queries of a calendar change name the hold events exactly as the partial indexes
    do; SQLite uses a partial index only for a condition written the same way."""
    from sqlalchemy import select, text

    from egovctl.models import RequestEvent
    from egovctl.models.request import HOLD_EVENTS, RESUME_EVENTS
    from tests.conftest import BACKEND

    if BACKEND != "sqlite":
        pytest.skip("SQLite's query plans")
    E = RequestEvent.__table__.c
    with db.read() as session:
        conn = session.connection()

        def plan(statement: Any) -> str:
            compiled = statement.compile(conn, compile_kwargs={"literal_binds": True})
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
            return " ".join(str(row[-1]) for row in rows)

        holds = select(E.request_id, E.action, E.at).where(
            E.request_id.in_([1, 2]), text(HOLD_EVENTS)
        )
        assert "COVERING INDEX ix_request_event_holds" in plan(holds)
        since = datetime(2026, 12, 1, tzinfo=ZoneInfo(TZ))
        resumes = select(E.request_id).where(text(RESUME_EVENTS), E.at >= since)
        assert "ix_request_event_resumes" in plan(resumes)

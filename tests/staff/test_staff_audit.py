"""Staff, roles, the audit trail, backup and restore."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import (
    PROCEDURES,
    Cli,
    Clock,
    postgres_only,
    sqlite_only,
    table_counts,
    terminal,
)

NIK = "1906034507890001"
NIP = "196711101992031001"


@pytest.fixture
def staffed(catalogue: Cli) -> Cli:
    catalogue.ok("staff", "add", "admin1", "--name", "Admin Satu", "--role", "admin")
    catalogue.ok(
        "staff", "add", "super1", "--name", "Supervisor", "--role", "supervisor", user="admin1"
    )
    catalogue.ok(
        "staff",
        "add",
        "loket1",
        "--name",
        "Petugas Loket",
        "--role",
        "counter",
        "--nip",
        NIP,
        user="admin1",
    )
    catalogue.ok("staff", "add", "clerk1", "--name", "Juru Tulis", "--role", "clerk", user="admin1")
    catalogue.ok(
        "staff",
        "add",
        "sosial1",
        "--name",
        "Loket Dinsos",
        "--role",
        "counter",
        "--agency",
        "DINSOS",
        user="admin1",
    )
    return catalogue


def _log(cli: Cli, user: str, procedure: str = "DUKCAPIL-KTP-EL") -> object:
    return cli("request", "log", procedure, "--name", "Siti", "--nik", NIK, "--json", user=user)


def test_single_user_mode_until_first_member(catalogue: Cli) -> None:
    assert _log(catalogue, "anyone").exit_code == 0
    err = catalogue.fails("staff", "add", "c1", "--name", "C", "--role", "counter").stderr
    assert "first staff member must be an admin" in err
    catalogue.ok("staff", "add", "admin1", "--name", "Admin", "--role", "admin")
    denied = _log(catalogue, "anyone")
    assert denied.exit_code == 1 and "'anyone' is not a staff member" in denied.stderr


# (command, roles allowed)
MATRIX = [
    (["procedure", "import", str(PROCEDURES)], {"admin1"}),
    (["procedure", "retire", "DUKCAPIL-KK"], {"admin1"}),
    (["staff", "add", "x1", "--name", "X", "--role", "clerk"], {"admin1"}),
    (["calendar", "add", "2026-12-30", "--name", "Tutup"], {"admin1", "super1"}),
    (
        ["request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK],
        {"admin1", "super1", "loket1"},
    ),
]


@pytest.mark.parametrize("user", ["admin1", "super1", "loket1", "clerk1"])
@pytest.mark.parametrize("case", range(len(MATRIX)))
def test_role_matrix(staffed: Cli, user: str, case: int) -> None:
    args, allowed = MATRIX[case]
    before = table_counts(staffed.db_url)
    result = staffed(*args, user=user)
    if user in allowed:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1, result.output
        assert f"'{user}'" in result.stderr and "needs role" in result.stderr
        assert table_counts(staffed.db_url) == before


@pytest.mark.parametrize(
    "user,allowed", [("admin1", True), ("super1", True), ("loket1", True), ("clerk1", False)]
)
def test_request_moves_by_role(staffed: Cli, user: str, allowed: bool) -> None:
    reg = staffed.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", NIK, "--json", user="loket1"
    ).json()["reg_no"]
    result = staffed("request", "advance", reg, user=user)
    assert (result.exit_code == 0) is allowed, result.output


def test_agency_bound_member(staffed: Cli) -> None:
    assert _log(staffed, "sosial1", "DINSOS-SKTM").exit_code == 0
    other = _log(staffed, "sosial1", "DUKCAPIL-KTP-EL")
    assert other.exit_code == 1 and "works for DINSOS" in other.stderr
    assert "for DISDUKCAPIL" in other.stderr, other.stderr


def test_disabled_member_can_do_nothing(staffed: Cli) -> None:
    staffed.ok("staff", "disable", "loket1", user="admin1")
    result = _log(staffed, "loket1")
    assert result.exit_code == 1 and "disabled" in result.stderr
    staffed.ok("staff", "enable", "loket1", user="admin1")
    assert _log(staffed, "loket1").exit_code == 0


def test_last_admin_is_protected_and_roles_change(staffed: Cli) -> None:
    assert "last active admin" in staffed.fails("staff", "disable", "admin1", user="admin1").stderr
    staffed.ok("staff", "role", "clerk1", "supervisor", user="admin1")
    rows = staffed.ok("staff", "list", "--json").json()
    assert next(r for r in rows if r["username"] == "clerk1")["role"] == "supervisor"
    before = table_counts(staffed.db_url)
    # A bad role is a usage error that Click reports, naming the roles there are.
    for args in (
        ["staff", "role", "clerk1", "boss"],
        ["staff", "add", "z", "--name", "Z", "--role", "boss"],
    ):
        err = staffed.fails(*args, code=2, user="admin1").stderr
        assert "'boss' is not one of 'admin', 'supervisor', 'counter', 'clerk'" in err, err
    assert table_counts(staffed.db_url) == before
    assert (
        "NIP"
        in staffed.fails(
            "staff", "add", "z", "--name", "Z", "--role", "clerk", "--nip", "123", user="admin1"
        ).stderr
    )


def test_nik_masked_unless_privileged(staffed: Cli) -> None:
    _log(staffed, "loket1")
    rows = staffed.ok("request", "list", "--json", user="loket1").json()
    assert rows[0]["applicant"]["nik"] == "190603********01"
    assert staffed("request", "list", "--show-nik", user="loket1").exit_code == 1
    full = staffed.ok("request", "list", "--show-nik", "--json", user="super1").json()
    assert full[0]["applicant"]["nik"] == NIK


def test_audit_answers_who_changed_this(staffed: Cli) -> None:
    reg = _log(staffed, "loket1").json()["reg_no"]
    staffed.ok("request", "hold", reg, "--reason", "KK kurang", user="loket1")
    records = staffed.ok("audit", "log", "--entity", f"request:{reg}", "--json").json()
    assert [(r["actor"], r["action"]) for r in records] == [
        ("loket1", "request.hold"),
        ("loket1", "request.log"),
    ]
    assert records[0]["details"]["note"] == "KK kurang"
    assert set(records[0]) == {"at", "actor", "action", "entity", "details"}
    out = staffed.ok("audit", "verify", "--json").json()
    assert out["ok"] and out["records"] >= 7 and out["requests"] == 1


def _sqlite_path(cli: Cli) -> str:
    return cli.db_url.removeprefix("sqlite:///")


@sqlite_only
@pytest.mark.parametrize(
    "tamper,expected",
    [
        ('UPDATE audit_log SET details = \'{"note":"x"}\' WHERE id = 2', "audit record 2"),
        ("DELETE FROM audit_log WHERE id = 2", "audit record 2 is missing"),
        ("UPDATE service_request SET status = 'ready'", "history leads to in_progress"),
        (
            "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
            "removed from the end",
        ),
        (
            "UPDATE service_request SET due_date = '2099-01-01'",
            "the due date was changed outside egovctl",
        ),
        (
            "UPDATE service_request SET applicant_name = 'Orang Lain'",
            "the applicant's name, NIK, phone or address differ",
        ),
        (
            "UPDATE service_request SET nik = '1906034507890002'",
            "the applicant's name, NIK, phone or address differ",
        ),
    ],
)
def test_tampering_is_detected(catalogue: Cli, tamper: str, expected: str) -> None:
    reg = _log(catalogue, "loket1").json()["reg_no"]
    catalogue.ok("request", "advance", reg)
    catalogue.ok("audit", "verify")
    conn = sqlite3.connect(_sqlite_path(catalogue))
    conn.execute(tamper)
    conn.commit()
    conn.close()
    err = catalogue.fails("audit", "verify").stderr
    assert expected in err
    assert catalogue("db", "check").exit_code == 1


@sqlite_only
def test_backup_and_restore_round_trip(catalogue: Cli, tmp_path: Path) -> None:
    reg = _log(catalogue, "x").json()["reg_no"]
    backup = tmp_path / "cadangan.db"
    catalogue.ok("db", "backup", str(backup))
    assert "already exists" in catalogue.fails("db", "backup", str(backup)).stderr
    catalogue.ok("request", "cancel", reg, "--reason", "salah input")
    restored = catalogue.ok("db", "restore", str(backup), "--json").json()
    assert Path(restored["previous"]).exists()
    assert catalogue.ok("request", "show", reg, "--json").json()["status"] == "in_progress"
    catalogue.ok("audit", "verify")
    actions = [r["action"] for r in catalogue.ok("audit", "log", "--json").json()]
    assert actions[0] == "db.restore"


@sqlite_only
def test_restore_refuses_foreign_files(catalogue: Cli, tmp_path: Path) -> None:
    text = tmp_path / "x.db"
    text.write_text("bukan database")
    assert "not an egovctl backup" in catalogue.fails("db", "restore", str(text)).stderr
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert "not an egovctl database" in catalogue.fails("db", "restore", str(other)).stderr
    assert "does not exist" in catalogue.fails("db", "restore", str(tmp_path / "no.db")).stderr


@postgres_only
def test_postgres_backup_uses_pg_dump(catalogue: Cli, tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "cadangan.dump"
    if shutil.which("pg_dump") is None:
        err = catalogue.fails("db", "backup", str(target)).stderr
        assert "needs pg_dump" in err
        return
    out = catalogue.ok("db", "backup", str(target), "--json").json()
    assert out["bytes"] > 1000 and target.read_bytes().startswith(b"PGDMP")


@postgres_only
def test_postgres_restore_explains_pg_restore(catalogue: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "x.db"
    backup.write_bytes(b"SQLite format 3\x00")
    assert "pg_restore" in catalogue.fails("db", "restore", str(backup)).stderr


@sqlite_only
def test_backup_is_consistent_while_a_counter_keeps_logging(catalogue: Cli, tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import python_argv

    script = tmp_path / "loket.py"
    script.write_text(
        "import sys\n"
        "from egovctl.db import Database\n"
        "from egovctl.requests.service import Applicant, log_request\n"
        "db = Database(sys.argv[1])\n"
        "a = Applicant.checked('Warga', '1906034507890001', None, None)\n"
        "print('ready', flush=True)\n"
        "for _ in range(40):\n"
        "    log_request(db, 'loket', 'DUKCAPIL-KK', a, tz='Asia/Jakarta')\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        python_argv(str(script), catalogue.db_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    backups = []
    for i in range(3):
        target = tmp_path / f"b{i}.db"
        catalogue.ok("db", "backup", str(target))
        backups.append(target)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    for target in backups:
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        Cli(str(target)).ok("audit", "verify")


# -- what staff read -------------------------------------------------------------------------


def test_role_choices_match_the_model() -> None:
    from egovctl.commands.staff import Role
    from egovctl.models.staff import ROLES

    assert tuple(r.value for r in Role) == ROLES


def test_staff_times_are_office_time_and_show_is_readable(staffed: Cli) -> None:
    shown = staffed.ok("staff", "show", "clerk1", "--json").json()
    assert shown["created_at"].endswith("+07:00"), shown
    rows = staffed.ok("staff", "list", "--json").json()
    assert all(r["created_at"].endswith("+07:00") for r in rows), rows
    changed = staffed.ok("staff", "role", "clerk1", "supervisor", "--json", user="admin1").json()
    assert changed["created_at"].endswith("+07:00")
    out = staffed.ok("staff", "show", "clerk1").stdout
    assert "None" not in out and "True" not in out and "False" not in out, out
    lines = {line.split()[0]: line.split(maxsplit=1)[1].strip() for line in out.splitlines()}
    assert lines["NIP"] == "-" and lines["Agency"] == "-" and lines["Active"] == "yes", out
    assert lines["Name"] == "Juru Tulis" and lines["Role"] == "supervisor"
    assert lines["Added"] == shown["created_at"][:16].replace("T", " ")
    staffed.ok("staff", "disable", "sosial1", user="admin1")
    out = staffed.ok("staff", "show", "sosial1").stdout
    assert "Active    no" in out and "DINSOS" in out, out


NOTE = "Kartu Keluarga pemohon belum dilampirkan, mohon dilengkapi di loket"


@pytest.mark.parametrize("width", [80, 100, 120])
def test_audit_log_is_readable_on_a_narrow_terminal(staffed: Cli, width: int) -> None:
    from rich.cells import cell_len

    reg = _log(staffed, "loket1").json()["reg_no"]
    staffed.ok("request", "hold", reg, "--reason", NOTE, user="loket1")
    with terminal(width):
        out = staffed.ok("audit", "log", "--entity", f"request:{reg}").stdout
    assert max(cell_len(line) for line in out.splitlines()) <= width, out
    tokens = re.split(r"[\s=,]+", out)
    # Identifiers whole, never cut with an ellipsis or broken across lines.
    assert f"request:{reg}" in tokens and "request.hold" in tokens, out
    assert "request.log" in tokens and "loket1" in tokens and "…" not in out
    assert all(word in tokens for word in NOTE.replace(",", "").split()), out
    # Stored UTC times in the details are shown in office time.
    assert "+00:00" not in out and "+07:00" in out, out


def test_audit_log_csv(staffed: Cli) -> None:
    import csv
    import io
    import json

    reg = _log(staffed, "loket1").json()["reg_no"]
    staffed.ok("request", "hold", reg, "--reason", "KK kurang", user="loket1")
    text = staffed.ok("audit", "log", "--entity", f"request:{reg}", "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == "at,actor,action,entity,details"
    as_json = staffed.ok("audit", "log", "--entity", f"request:{reg}", "--json").json()
    assert [r["action"] for r in rows] == ["request.hold", "request.log"]
    for row, record in zip(rows, as_json, strict=True):
        assert row["at"] == record["at"] and row["at"].endswith("+07:00")
        assert row["entity"] == f"request:{reg}" and row["actor"] == "loket1"
        assert json.loads(row["details"]) == record["details"]
    staffed.fails("audit", "log", "--csv", "--json", code=2)


def test_audit_log_limit_must_be_positive(staffed: Cli) -> None:
    for value in ("-1", "0"):
        err = staffed.fails("audit", "log", "--limit", value, code=2).stderr
        assert "Invalid value for '--limit'" in err


def test_verify_follows_due_dates_moved_by_holds(catalogue: Cli) -> None:
    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "Siti",
        "--nik",
        NIK,
        "--at",
        "2026-11-04T09:00",
        "--json",
    ).json()["reg_no"]
    catalogue.ok("request", "hold", reg, "--reason", "KK belum ada", "--at", "2026-11-04T10:00")
    moved = catalogue.ok("request", "resume", reg, "--at", "2026-11-06T10:00", "--json").json()[
        "due_date"
    ]
    assert moved == "2026-11-11"
    out = catalogue.ok("audit", "verify", "--json").json()
    assert out["requests"] >= 1


def test_request_show_masks_the_nik_for_non_members(staffed: Cli) -> None:
    reg = _log(staffed, "loket1").json()["reg_no"]
    assert (
        staffed.ok("request", "show", reg, "--json", user="loket1").json()["applicant"]["nik"]
        == NIK
    )
    for outsider in ("nobody", "admin-lama"):
        if outsider == "admin-lama":
            staffed.ok(
                "staff", "add", "admin-lama", "--name", "Lama", "--role", "clerk", user="admin1"
            )
            staffed.ok("staff", "disable", "admin-lama", user="admin1")
        shown = staffed.ok("request", "show", reg, "--json", user=outsider).json()
        assert shown["applicant"]["nik"] == "190603********01", outsider
        human = staffed.ok("request", "show", reg, user=outsider).stdout
        assert NIK not in human and "190603********01" in human


def test_usernames_typed_in_capitals_are_folded(catalogue: Cli, db_url: str) -> None:
    added = catalogue.ok(
        "staff", "add", "Admin1", "--name", "Admin Satu", "--role", "admin", "--json"
    ).json()
    assert added["username"] == "admin1"
    assert catalogue.ok("staff", "show", "ADMIN1", "--json").json()["username"] == "admin1"
    # --as in capitals acts as the member it names.
    catalogue.ok("staff", "add", "LOKET1", "--name", "Petugas", "--role", "counter", user="ADMIN1")
    logged = _log(catalogue, "Loket1")
    assert logged.exit_code == 0
    # The request's history names the member as stored, not as typed.
    reg = catalogue.ok("request", "list", "--json").json()[0]["reg_no"]
    events = catalogue.ok("request", "show", reg, "--json").json()["events"]
    assert [e["actor"] for e in events] == ["loket1"]
    catalogue.ok("staff", "disable", "Loket1", user="Admin1")
    assert catalogue.ok("staff", "show", "loket1", "--json").json()["active"] is False
    assert [m["username"] for m in catalogue.ok("staff", "list", "--json").json()] == [
        "admin1",
        "loket1",
    ]
    records = catalogue.ok("audit", "log", "--actor", "ADMIN1", "--json").json()
    assert [(r["actor"], r["action"], r["entity"]) for r in records] == [
        ("admin1", "staff.disable", "staff:loket1"),
        ("admin1", "staff.add", "staff:loket1"),
    ]
    before = table_counts(db_url)
    taken = catalogue.fails(
        "staff", "add", "LOKET1", "--name", "X", "--role", "clerk", user="admin1"
    )
    assert "staff member 'loket1' already exists" in taken.stderr
    bad = catalogue.fails("staff", "add", "Budi Santoso", "--name", "X", "--role", "clerk")
    assert bad.stderr.startswith("error: username 'Budi Santoso' may only use the letters a-z")
    assert table_counts(db_url) == before


def test_audit_log_refuses_since_after_until_like_request_list(catalogue: Cli, db_url: str) -> None:
    before = table_counts(db_url)
    dates = ("--since", "2026-03-10", "--until", "2026-03-01")
    audit = catalogue.fails("audit", "log", *dates)
    requests = catalogue.fails("request", "list", *dates)
    assert audit.exit_code == requests.exit_code == 1
    message = "error: --since 2026-03-10 is after --until 2026-03-01; give the earlier date first"
    assert audit.stderr.strip() == requests.stderr.strip() == message
    assert catalogue.ok("audit", "log", "--since", "2026-03-01", "--until", "2026-03-01")
    assert table_counts(db_url) == before


def test_audit_log_days_are_the_office_days(catalogue: Cli, clock: Clock) -> None:
    """06:30 on 3 December in Manggar is still 2 December in UTC: the office's day counts."""
    clock.travel("2026-12-03T06:30+07:00")
    catalogue.ok("calendar", "add", "2026-12-31", "--name", "Cuti bersama daerah")

    def actions(*days: str) -> list[str]:
        rows = catalogue.ok("audit", "log", *days, "--json").json()
        return [r["action"] for r in rows]

    assert "calendar.add" in actions("--since", "2026-12-03", "--until", "2026-12-03")
    assert "calendar.add" not in actions("--until", "2026-12-02")
    assert "calendar.add" not in actions("--since", "2026-12-04")


def test_audit_log_date_that_cannot_be_read_is_a_usage_error(catalogue: Cli) -> None:
    bad = catalogue.fails("audit", "log", "--since", "2026-13-01", code=2)
    assert "is not a date in the calendar; write it as 2026-11-27" in bad.stderr

"""Complaints (pengaduan): the register, its status machine, deadlines, anonymity, roles and
the audit check of the received text (docs/complaints.md)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.complaints.conftest import record
from tests.conftest import Cli, Clock, python_argv, table_counts

NO = "ADU-DISDUKCAPIL-2026-000001"


def test_record_numbers_per_agency_and_year(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    first = record(catalogue, "--contact", "0812 3456 7890", "--name", "Budi Santoso")
    assert first["number"] == NO
    assert first["status"] == "received"
    assert first["respond_due"] == "2026-12-16"
    assert first["received_at"] == "2026-12-02T09:00:00+07:00"
    assert first["complainant"] == {
        "name": "Budi Santoso",
        "contact": "0812 3456 7890",
        "anonymous": False,
    }
    assert first["events"][0]["action"] == "record"
    assert record(catalogue)["number"] == "ADU-DISDUKCAPIL-2026-000002"
    other = record(catalogue, "--procedure", "DINSOS-SKTM")
    assert other["number"] == "ADU-DINSOS-2026-000001"
    assert other["procedure"] == "DINSOS-SKTM" and other["agency"] == "DINSOS"
    old = record(catalogue, "--at", "2025-12-31T16:00")
    assert old["number"] == "ADU-DISDUKCAPIL-2025-000001"
    # Request numbers run on their own counter.
    req = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "Siti",
        "--nik",
        "1906034507890001",
        "--json",
    ).json()
    assert req["reg_no"] == "DISDUKCAPIL-2026-000001"


def test_link_to_a_request_takes_its_agency_and_procedure(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    req = catalogue.ok(
        "request", "log", "DINSOS-SKTM", "--name", "Siti", "--nik", "1906034507890001", "--json"
    ).json()
    data = record(
        catalogue,
        "--reg",
        req["reg_no"].lower(),
        "--channel",
        "sp4n-lapor",
        "--lapor-id",
        "LAP-2026-77",
    )
    assert data["number"] == "ADU-DINSOS-2026-000001"
    assert (data["reg_no"], data["procedure"], data["lapor_id"]) == (
        req["reg_no"],
        "DINSOS-SKTM",
        "LAP-2026-77",
    )
    shown = catalogue.ok("complaint", "show", data["number"], "--json").json()
    assert shown == data


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        ("2026-01-25T10:00", None, "2026-02-08"),  # across January's end
        ("2026-02-20T10:00", None, "2026-03-06"),  # across February's end (28 days)
        ("2028-02-20T10:00", None, "2028-03-05"),  # a leap year
        ("2026-12-25T10:00", None, "2027-01-08"),  # across the year's end
        ("2026-01-31T23:30", 30, "2026-03-02"),  # an office's own figure
    ],
)
def test_respond_due_is_calendar_days_after_receipt(
    catalogue: Cli, clock: Clock, tmp_path: Path, received: str, days: int | None, due: str
) -> None:
    clock.travel("2028-06-01T09:00+07:00")
    extra: list[str] = []
    if days is not None:
        cfg = tmp_path / "egovctl.toml"
        cfg.write_text(f"[complaints]\nrespond_days = {days}\n", encoding="utf-8")
        extra = ["--config", str(cfg)]
    args = [
        "complaint",
        "record",
        "--text",
        "x",
        "--channel",
        "surat",
        "--anonymous",
        "--agency",
        "DINSOS",
        "--at",
        received,
        "--json",
    ]
    data = catalogue.ok(*extra, *args).json()
    assert data["respond_due"] == due


def test_overdue_across_month_end(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-01-25T10:00+07:00")
    late = record(catalogue)["number"]
    answered = record(catalogue)["number"]
    catalogue.ok("complaint", "respond", answered, "--text", "Sudah ditindaklanjuti")
    clock.travel("2026-02-08T16:00+07:00")  # the last day: not overdue yet
    assert catalogue.ok("complaint", "list", "--overdue", "--json").json() == []
    clock.travel("2026-02-09T08:00+07:00")
    rows = catalogue.ok("complaint", "list", "--overdue", "--json").json()
    assert [r["number"] for r in rows] == [late]
    assert rows[0]["respond_overdue"] is True
    shown = catalogue.ok("complaint", "show", answered, "--json").json()
    assert shown["respond_overdue"] is False
    catalogue.ok("complaint", "respond", late, "--text", "Mohon maaf atas keterlambatan")
    shown = catalogue.ok("complaint", "show", late, "--json").json()
    assert shown["respond_overdue"] is True  # answered, but late
    assert catalogue.ok("complaint", "list", "--overdue", "--json").json() == []
    assert late in catalogue.ok("complaint", "list").stdout


# -- the status machine ------------------------------------------------------------------

MOVES = {
    "assign": ["--to", "budi"],
    "note": ["--text", "Koreksi: nama loket 3"],
    "respond": ["--text", "Terima kasih, sudah kami perbaiki"],
    "close": ["--outcome", "resolved"],
}
# The steps that bring a new complaint to each status.
TO = {
    "received": [],
    "in_progress": ["assign"],
    "responded": ["assign", "respond"],
    "closed": ["assign", "respond", "close"],
}
LEGAL = {
    ("received", "assign"): "in_progress",
    ("received", "note"): "received",
    ("received", "respond"): "responded",
    ("in_progress", "assign"): "in_progress",
    ("in_progress", "note"): "in_progress",
    ("in_progress", "respond"): "responded",
    ("responded", "note"): "responded",
    ("responded", "close"): "closed",
    ("closed", "note"): "closed",
}


@pytest.mark.parametrize("status", list(TO))
@pytest.mark.parametrize("action", list(MOVES))
def test_status_machine(catalogue: Cli, clock: Clock, status: str, action: str) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    number = record(catalogue)["number"]
    for step in TO[status]:
        catalogue.ok("complaint", step, number, *MOVES[step])
    before = table_counts(catalogue.db_url)
    args = ["complaint", action, number, *MOVES[action], "--json"]
    if (status, action) in LEGAL:
        data = catalogue.ok(*args).json()
        assert data["status"] == LEGAL[status, action]
        assert data["events"][-1]["action"] == action
        if action == "respond":
            assert data["response"] == MOVES["respond"][1] and data["responded_at"]
        if action == "close":
            assert data["outcome"] == "resolved" and data["closed_at"]
        if action == "assign":
            assert data["assigned_to"] == "budi"
    else:
        err = catalogue.fails(*args).stderr
        assert f"cannot {action} {number}" in err
        assert table_counts(catalogue.db_url) == before
    catalogue.ok("audit", "verify")


def test_respond_to_closed_complaint_is_refused(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    number = record(catalogue)["number"]
    catalogue.ok("complaint", "respond", number, "--text", "Jawaban")
    catalogue.ok("complaint", "close", number, "--outcome", "unfounded", "--note", "cek CCTV")
    err = catalogue.fails("complaint", "respond", number, "--text", "lagi").stderr
    assert "it is closed" in err


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--text", "", "--name", "A"], "needs its text"),
        (["--text", "   ", "--name", "A"], "needs its text"),
        (["--text", "x" * 5001, "--name", "A"], "keep it under 5000"),
        (["--text", "ada \x1b[31m merah", "--name", "A"], "--text"),
        (["--text", "terbalik \u202e", "--name", "A"], "--text"),
        (["--text", "x", "--name", "A", "--channel", "fax"], "unknown channel 'fax'"),
        (["--text", "x", "--anonymous", "--name", "A"], "--anonymous keeps no name"),
        (["--text", "x", "--anonymous", "--contact", "0812"], "--anonymous keeps no name"),
        (["--text", "x"], "--anonymous"),
        (["--text", "x", "--name", "A", "--reg", "DINSOS-2026-999999"], "no request"),
        (["--text", "x", "--name", "A", "--procedure", "NOPE"], "no procedure"),
        (["--text", "x", "--name", "A", "--agency", "NOPE"], "no agency"),
        (
            ["--text", "x", "--name", "A", "--procedure", "DINSOS-SKTM", "--agency", "DISDUKCAPIL"],
            "not the agency",
        ),
        (["--text", "x", "--name", "A", "--lapor-id", "a b"], "--lapor-id"),
        (["--text", "x", "--name", "A", "--at", "2030-01-01T09:00"], "future"),
    ],
)
def test_bad_input_writes_nothing(
    catalogue: Cli, clock: Clock, args: list[str], message: str
) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    before = table_counts(catalogue.db_url)
    if "--channel" not in args:
        args = [*args, "--channel", "langsung"]
    if not {"--agency", "--procedure", "--reg"} & set(args):
        args = [*args, "--agency", "DINSOS"]
    err = catalogue.fails("complaint", "record", *args).stderr
    assert message in err
    assert table_counts(catalogue.db_url) == before


@pytest.mark.parametrize(
    ("action", "args", "message"),
    [
        ("close", ["--outcome", "happy"], "unknown outcome 'happy'"),
        ("respond", ["--text", ""], "respond needs --text"),
        ("note", ["--text", "\x07"], "--text"),
        ("assign", ["--to", "nobody"], "no staff member 'nobody'"),
    ],
)
def test_bad_steps_write_nothing(
    catalogue: Cli, clock: Clock, action: str, args: list[str], message: str
) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    catalogue.ok("staff", "add", "admin", "--name", "Admin", "--role", "admin")
    catalogue.ok("staff", "add", "kepala", "--name", "Kepala", "--role", "supervisor", user="admin")
    number = record(catalogue, user="kepala")["number"]
    if action == "close":
        catalogue.ok("complaint", "respond", number, "--text", "Jawaban", user="kepala")
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("complaint", action, number, *args, user="kepala").stderr
    assert message in err
    assert table_counts(catalogue.db_url) == before


def test_unknown_number(catalogue: Cli) -> None:
    err = catalogue.fails("complaint", "show", "ADU-X-2026-000009").stderr
    assert "no complaint numbered 'ADU-X-2026-000009'" in err


# -- anonymity -----------------------------------------------------------------------------


def test_anonymous_complaint_keeps_no_name_or_contact(catalogue: Cli, clock: Clock) -> None:
    from sqlalchemy import create_engine, text

    clock.travel("2026-12-02T09:00+07:00")
    data = record(catalogue, "--anonymous", text="Ada pungutan liar di loket 2")
    assert data["complainant"] == {"name": None, "contact": None, "anonymous": True}
    number = data["number"]
    catalogue.ok("complaint", "respond", number, "--text", "Sudah kami periksa")
    shown = catalogue.ok("complaint", "show", number, "--json").json()
    assert shown["complainant"] == {"name": None, "contact": None, "anonymous": True}
    assert "(anonymous)" in catalogue.ok("complaint", "show", number).stdout
    (row,) = catalogue.ok("complaint", "list", "--json").json()
    assert row["complainant"] is None and row["anonymous"] is True
    assert "(anonymous)" in catalogue.ok("complaint", "list").stdout
    csv_row = catalogue.ok("complaint", "list", "--csv").stdout.splitlines()[1].split(",")
    assert csv_row[4:6] == ["", "true"]
    engine = create_engine(catalogue.db_url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT complainant_name, complainant_contact, anonymous FROM complaint")
        ).one()
    engine.dispose()
    assert row[0] is None and row[1] is None and row[2]


def test_named_complainant_never_in_audit_log(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    record(
        catalogue,
        "--name",
        "Rahasia Namanya",
        "--contact",
        "rahasia@example.id",
        text="Teks pengaduan rahasia",
    )
    log = catalogue.ok("audit", "log", "--json").stdout
    assert "Rahasia" not in log and "rahasia@" not in log


# -- immutability ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE complaint SET text = 'Pelayanan memuaskan'", "its text differs"),
        ("UPDATE complaint SET complainant_name = 'Orang Lain'", "name or contact"),
        ("UPDATE complaint SET response = 'Jawaban lain'", "its response differs"),
        ("UPDATE complaint SET status = 'closed'", "stored as closed"),
    ],
)
def test_edit_behind_egovctls_back_is_caught(
    catalogue: Cli, clock: Clock, sql: str, message: str
) -> None:
    from sqlalchemy import create_engine, text

    clock.travel("2026-12-02T09:00+07:00")
    number = record(catalogue)["number"]
    catalogue.ok("complaint", "respond", number, "--text", "Jawaban")
    catalogue.ok("audit", "verify")
    engine = create_engine(catalogue.db_url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()
    err = catalogue.fails("audit", "verify").stderr
    assert number in err and message in err
    checked = catalogue(*["db", "check", "--json"])
    assert message in checked.stdout


def test_no_command_changes_the_text(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    number = record(catalogue, text="Teks asli")["number"]
    catalogue.ok("complaint", "note", number, "--text", "Koreksi: maksudnya loket 3")
    shown = catalogue.ok("complaint", "show", number, "--json").json()
    assert shown["text"] == "Teks asli"
    assert shown["events"][-1]["note"] == "Koreksi: maksudnya loket 3"


# -- roles -----------------------------------------------------------------------------------


def test_roles(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-12-02T09:00+07:00")
    catalogue.ok("staff", "add", "admin", "--name", "Admin", "--role", "admin")
    for user, role in (("loket", "counter"), ("kepala", "supervisor"), ("humas", "clerk")):
        catalogue.ok("staff", "add", user, "--name", user.title(), "--role", role, user="admin")
    number = record(catalogue, user="loket")["number"]
    assert (
        "may not record complaints"
        in catalogue.fails(
            "complaint",
            "record",
            "--text",
            "x",
            "--channel",
            "surat",
            "--anonymous",
            "--agency",
            "DINSOS",
            user="humas",
        ).stderr
    )
    catalogue.ok("complaint", "note", number, "--text", "dicatat", user="loket")
    for action in ("assign", "respond"):
        err = catalogue.fails("complaint", action, number, *MOVES[action], user="loket").stderr
        assert "may not" in err
    err = catalogue.fails("complaint", "assign", number, "--to", "budi", user="kepala").stderr
    assert "no staff member 'budi'" in err
    catalogue.ok("complaint", "assign", number, "--to", "loket", user="kepala")
    catalogue.ok("complaint", "respond", number, *MOVES["respond"], user="kepala")
    assert (
        "may not"
        in catalogue.fails(
            "complaint", "close", number, "--outcome", "resolved", user="loket"
        ).stderr
    )
    catalogue.ok("complaint", "close", number, "--outcome", "referred", user="admin")
    actions = [
        r["action"] for r in catalogue.ok("audit", "log", "--entity", "complaint:", "--json").json()
    ]
    assert actions == [
        "complaint.close",
        "complaint.respond",
        "complaint.assign",
        "complaint.note",
        "complaint.record",
    ]
    catalogue.ok("audit", "verify")


# -- concurrency -----------------------------------------------------------------------------

SCRIPT = """
import sys
from egovctl.complaints.service import Intake, record_complaint
from egovctl.db import Database
db = Database(sys.argv[1])
intake = Intake.checked("Antrean lama", "langsung", anonymous=True, agency="DISDUKCAPIL")
sys.stdin.readline()
for i in range(6):
    record_complaint(db, "loket", intake, tz="Asia/Jakarta")
"""


def test_parallel_counters_get_numbers_one_to_n(catalogue: Cli, tmp_path: Path) -> None:
    script = tmp_path / "complain.py"
    script.write_text(SCRIPT, encoding="utf-8")
    procs = [
        subprocess.Popen(
            python_argv(str(script), catalogue.db_url),
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    rows = catalogue.ok("complaint", "list", "--json").json()
    assert sorted(int(r["number"].rsplit("-", 1)[1]) for r in rows) == list(range(1, 19))
    catalogue.ok("audit", "verify")

"""Service requests at the counter: logging, numbering, transitions, SLA, look-ups."""

from __future__ import annotations

import pytest

from tests.conftest import Cli, Clock, table_counts

NIK = "1906034507890001"
NIK2 = "1906031203850002"


def log(
    cli: Cli,
    *extra: str,
    procedure: str = "DUKCAPIL-KTP-EL",
    name: str = "Siti Aminah",
    nik: str = NIK,
) -> dict:
    return cli.ok(
        "request", "log", procedure, "--name", name, "--nik", nik, *extra, "--json"
    ).json()


def test_log_numbers_and_due_date(catalogue: Cli) -> None:
    data = log(catalogue, "--at", "2026-11-27T09:00", "--phone", "0812-3456-7890")
    assert data["reg_no"] == "DISDUKCAPIL-2026-000001"
    assert data["status"] == "in_progress" and data["step"] == 1
    assert data["due_date"] == "2026-12-02"  # docs/requests.md: Friday + 3 working days
    assert data["received_at"] == "2026-11-27T09:00:00+07:00"
    assert data["applicant"] == {
        "name": "Siti Aminah",
        "nik": NIK,
        "phone": "+6281234567890",
        "address": None,
    }
    second = log(catalogue, "--at", "2026-11-27T09:05")
    assert second["reg_no"] == "DISDUKCAPIL-2026-000002"
    other = log(catalogue, "--at", "2026-11-27T09:06", procedure="DINSOS-SKTM")
    assert other["reg_no"] == "DINSOS-2026-000001"
    last_year = log(catalogue, "--at", "2025-12-31T16:00")
    assert last_year["reg_no"] == "DISDUKCAPIL-2025-000001"


def test_show_json_has_spec_keys(catalogue: Cli) -> None:
    reg = log(catalogue)["reg_no"]
    shown = catalogue.ok("request", "show", reg, "--json").json()
    for key in (
        "reg_no",
        "procedure",
        "version",
        "agency",
        "status",
        "step",
        "steps",
        "applicant",
        "received_at",
        "due_date",
        "ready_at",
        "delivered_at",
        "overdue",
        "events",
    ):
        assert key in shown, key
    assert set(shown["applicant"]) == {"name", "nik", "phone", "address"}
    assert shown["events"][0]["action"] == "log"
    assert set(shown["events"][0]) == {"at", "action", "actor", "note"}
    human = catalogue.ok("request", "show", reg).stdout
    assert reg in human and "Steps" in human and "History" in human
    assert "Address" not in human and "(at the counter)" in human


def test_show_timeline_has_address_channel_and_note(catalogue: Cli) -> None:
    reg = log(
        catalogue, "--address", "Jl. Melati 3, Manggar", "--channel", "phone", "--note", "via WA"
    )["reg_no"]
    human = catalogue.ok("request", "show", reg).stdout
    assert "Address: Jl. Melati 3, Manggar" in human
    assert "(by phone)" in human and "via WA" in human


def test_log_answer_is_the_stored_request(catalogue: Cli) -> None:
    """What `request log --json` answers (built without reading back) is what `show` reads."""
    logged = log(catalogue, "--at", "2026-11-27T09:00", "--note", "berkas lengkap")
    shown = catalogue.ok("request", "show", logged["reg_no"], "--json").json()
    shown.pop("working_days_left", None)
    shown.pop("days_overdue", None)
    assert logged == shown
    assert logged["events"] == [
        {
            "at": "2026-11-27T09:00:00+07:00",
            "action": "log",
            "actor": logged["events"][0]["actor"],
            "note": "berkas lengkap",
        }
    ]


def test_log_confirmation_prints_names_as_typed(catalogue: Cli) -> None:
    out = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "[Ahmad] O'Neil",
        "--nik",
        NIK,
        "--at",
        "2026-11-27T09:00",
    ).stdout
    assert out.splitlines() == [
        "Request DISDUKCAPIL-2026-000001 logged; due Wednesday, 2 December 2026.",
        "Penerbitan KTP Elektronik (3 working days)",
    ]
    moved = catalogue.ok("request", "advance", "DISDUKCAPIL-2026-000001").stdout
    assert moved.startswith("DISDUKCAPIL-2026-000001: in progress, step 2/")


def test_names_that_look_like_markup_print_as_typed(catalogue: Cli, clock: Clock) -> None:
    """Terminal views print what was typed: no Rich markup or emoji codes read into it."""
    clock.travel("2026-11-27T10:00+07:00")
    name = "[Ahmad] O'Neil [/bold] :smile:"
    log(catalogue, name=name)
    listed = catalogue.ok("request", "list").stdout
    shown = catalogue.ok("request", "show", "DISDUKCAPIL-2026-000001").stdout
    for out in (listed, shown):
        flat = " ".join(out.replace("│", " ").split())
        assert "[Ahmad]" in flat and "[/bold]" in flat and ":smile:" in flat


def test_list_fits_an_80_column_terminal(catalogue: Cli, monkeypatch) -> None:
    long_name = "Raden Ajeng Kartini Sosroningrat Binti Raden Mas Adipati Ario Sosroningrat"
    log(catalogue, "--at", "2026-11-02T09:00", name=long_name)
    log(catalogue, name="Budi")
    monkeypatch.setenv("COLUMNS", "80")
    lines = catalogue.ok("request", "list").stdout.splitlines()
    assert lines[0] == "Requests (2)"
    assert lines[1].split() == ["Number", "Applicant", "Status", "Due"]
    assert all(len(line) <= 80 for line in lines)
    assert "!" in lines[3] and "Budi" in lines[-1]  # oldest due first, overdue marked
    # The long name is folded inside its column, not cut off.
    assert " ".join(line[25:].split("  ")[0].strip() for line in lines[3:-1]) == long_name
    monkeypatch.setenv("COLUMNS", "200")
    wide = catalogue.ok("request", "list").stdout.splitlines()
    assert wide[1].split()[:5] == ["Number", "Applicant", "NIK", "Service", "Step"]
    assert "190603********01" in wide[3] and NIK not in "".join(wide)


def test_list_colours_by_urgency() -> None:
    from egovctl.commands._views import request_table

    def row(reg: str, status: str, due: str, overdue: bool) -> dict:
        return {
            "reg_no": reg,
            "applicant": {"name": "A", "nik": "x"},
            "procedure": "P",
            "step": 1,
            "steps": 2,
            "status": status,
            "due_date": due,
            "overdue": overdue,
        }

    lines = request_table(
        [
            row("R-1", "in_progress", "2026-01-05", True),
            row("R-2", "delivered", "2026-01-05", False),
            row("R-3", "in_progress", "2999-01-01", False),
        ],
        80,
        tz="Asia/Jakarta",
    )
    late, done, calm = lines[3:]
    assert late.startswith("\x1b[31m") and "R-1" in late
    assert done.startswith("\x1b[2m") and "R-2" in done
    assert calm.startswith("R-3")


def test_list_colours_due_soon_by_the_office_day(clock: Clock) -> None:
    """01:00 in Manggar is still yesterday in UTC: "due tomorrow" counts from the office's day."""
    from egovctl.commands._views import request_table

    clock.travel("2026-12-03T01:00+07:00")
    row = {
        "reg_no": "R-1",
        "applicant": {"name": "A", "nik": "x"},
        "procedure": "P",
        "step": 1,
        "steps": 2,
        "status": "in_progress",
        "due_date": "2026-12-04",
        "overdue": False,
    }
    (line,) = request_table([row], 80, tz="Asia/Jakarta")[3:]
    assert line.startswith("\x1b[33m"), repr(line)  # due tomorrow, office time: yellow


def test_saturday_receipt(catalogue: Cli) -> None:
    data = log(catalogue, "--at", "2026-11-28T00:30", procedure="DUKCAPIL-KK")  # sla 1
    assert data["due_date"] == "2026-12-01"


def test_hold_pushes_due_date(catalogue: Cli, tmp_path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text(
        """code: UJI-LIMA
name: Layanan lima hari
agency: DISDUKCAPIL
steps: [{name: Proses, days: 5}]
sla_days: 5
fee: 0
product: Surat
""",
        encoding="utf-8",
    )
    catalogue.ok("procedure", "import", str(f))
    reg = log(catalogue, "--at", "2026-11-02T09:00", procedure="UJI-LIMA")["reg_no"]
    catalogue.ok("request", "hold", reg, "--reason", "KK belum dibawa", "--at", "2026-11-04T10:00")
    resumed = catalogue.ok("request", "resume", reg, "--at", "2026-11-06T10:00", "--json").json()
    assert resumed["due_date"] == "2026-11-11"
    # A hold resumed the same day costs nothing.
    catalogue.ok("request", "hold", reg, "--reason", "tanda tangan", "--at", "2026-11-09T08:00")
    same = catalogue.ok("request", "resume", reg, "--at", "2026-11-09T15:00", "--json").json()
    assert same["due_date"] == "2026-11-11"


def test_on_hold_past_its_due_date_is_overdue(catalogue: Cli) -> None:
    """docs/requests.md: overdue while in progress or on hold and today is after the due date.
    A hold moves the due date only when it ends, so a long hold shows as overdue meanwhile."""
    held = log(catalogue, "--at", "2026-11-02T09:00", procedure="DINSOS-SKTM")["reg_no"]
    fresh = log(catalogue, procedure="DINSOS-SKTM")["reg_no"]
    catalogue.ok("request", "hold", held, "--reason", "KK belum dibawa", "--at", "2026-11-03T10:00")
    catalogue.ok("request", "hold", fresh, "--reason", "KK belum dibawa")
    shown = catalogue.ok("request", "show", held, "--json").json()
    assert shown["status"] == "on_hold" and shown["due_date"] < "2026-11-27"
    assert shown["overdue"] is True
    assert catalogue.ok("request", "show", fresh, "--json").json()["overdue"] is False
    listed = [r["reg_no"] for r in catalogue.ok("request", "list", "--overdue", "--json").json()]
    assert listed == [held]
    # Resumed today, its due date moves back by every working day of the hold.
    resumed = catalogue.ok("request", "resume", held, "--json").json()
    assert resumed["due_date"] > shown["due_date"] and resumed["overdue"] is False


def test_full_lifecycle(catalogue: Cli) -> None:
    reg = log(catalogue, "--at", "2026-11-23T09:00")["reg_no"]
    shown = catalogue.ok("request", "show", reg, "--json").json()
    for i in range(shown["steps"]):
        data = catalogue.ok(
            "request", "advance", reg, "--at", f"2026-11-23T1{i}:00", "--json"
        ).json()
    assert data["status"] == "ready" and data["ready_at"].startswith("2026-11-23T")
    done = catalogue.ok("request", "deliver", reg, "--to", "Siti Aminah", "--json").json()
    assert done["status"] == "delivered" and done["delivered_at"]
    actions = [e["action"] for e in done["events"]]
    assert actions == ["log"] + ["advance"] * shown["steps"] + ["deliver"]


ILLEGAL = [
    ("resume", [], "in_progress"),
    ("deliver", [], "in_progress"),
]


@pytest.mark.parametrize("action,extra,status", ILLEGAL)
def test_illegal_moves_from_in_progress(catalogue: Cli, action, extra, status) -> None:
    reg = log(catalogue)["reg_no"]
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("request", action, reg, *extra).stderr
    assert f"status {status}" in err
    assert table_counts(catalogue.db_url) == before


def _delivered(cli: Cli) -> str:
    reg = log(cli, "--at", "2026-11-23T09:00")["reg_no"]
    n = cli.ok("request", "show", reg, "--json").json()["steps"]
    for _ in range(n):
        cli.ok("request", "advance", reg)
    cli.ok("request", "deliver", reg)
    return reg


@pytest.mark.parametrize(
    "args",
    [
        ["advance"],
        ["hold", "--reason", "x"],
        ["resume"],
        ["deliver"],
        ["reject", "--reason", "x"],
        ["cancel", "--reason", "x"],
    ],
)
def test_nothing_moves_a_delivered_request(catalogue: Cli, args) -> None:
    reg = _delivered(catalogue)
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("request", args[0], reg, *args[1:]).stderr
    assert "delivered" in err
    assert table_counts(catalogue.db_url) == before


def test_reject_cancel_and_hold_rules(catalogue: Cli) -> None:
    a = log(catalogue)["reg_no"]
    catalogue.ok("request", "hold", a, "--reason", "berkas kurang")
    assert "on hold" in catalogue.fails("request", "advance", a).stderr
    catalogue.ok("request", "reject", a, "--reason", "tidak memenuhi syarat")
    assert catalogue.ok("request", "show", a, "--json").json()["status"] == "rejected"
    b = log(catalogue)["reg_no"]
    assert catalogue.fails("request", "cancel", b, "--reason", " ").stderr.startswith("error:")
    data = catalogue.ok("request", "cancel", b, "--reason", "dibatalkan pemohon", "--json").json()
    assert data["status"] == "cancelled" and data["events"][-1]["note"] == "dibatalkan pemohon"


def test_at_in_future_or_before_previous_event(catalogue: Cli) -> None:
    reg = log(catalogue, "--at", "2026-11-20T09:00")["reg_no"]
    before = table_counts(catalogue.db_url)
    assert "future" in catalogue.fails("request", "advance", reg, "--at", "2099-01-01").stderr
    err = catalogue.fails("request", "advance", reg, "--at", "2026-11-19T09:00").stderr
    # Both times in office time, as typed and as shown everywhere else (not UTC).
    assert (
        "--at 2026-11-19T09:00:00+07:00 is before the request's previous event "
        "(2026-11-20T09:00:00+07:00)" in err
    )
    # An unreadable time is a usage error (exit 2, named by its option), as Click does.
    unreadable = catalogue.fails("request", "advance", reg, "--at", "kemarin", code=2).stderr
    assert "Invalid value for '--at'" in unreadable and "cannot read the time" in unreadable
    assert table_counts(catalogue.db_url) == before
    assert (
        "future"
        in catalogue.fails(
            "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK, "--at", "2099-01-01T08:00"
        ).stderr
    )


@pytest.mark.parametrize(
    "nik,part",
    [
        ("190603450789000", "16 digits"),
        ("19060345078900x1", "digit"),
        ("0006034507890001", "province"),
        ("1906037207890001", "day"),
        ("1906034513890001", "month"),
    ],
)
def test_bad_nik_refused(catalogue: Cli, nik: str, part: str) -> None:
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("request", "log", "DUKCAPIL-KTP-EL", "--name", "A", "--nik", nik).stderr
    assert part in err and nik in err
    assert table_counts(catalogue.db_url) == before


def test_names_kept_exactly_and_phone_checked(catalogue: Cli) -> None:
    name = "Ni Luh Putu Ayu O'Neil-Ñáñez"
    data = log(catalogue, name=name)
    assert data["applicant"]["name"] == name
    assert (
        "phone"
        in catalogue.fails(
            "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK, "--phone", "abc"
        ).stderr.lower()
    )


def test_retired_procedure_takes_no_requests(catalogue: Cli) -> None:
    catalogue.ok("procedure", "retire", "DUKCAPIL-KK")
    err = catalogue.fails("request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK).stderr
    assert "retired" in err


def test_unknown_request_and_procedure(catalogue: Cli) -> None:
    assert "no request" in catalogue.fails("request", "show", "DISDUKCAPIL-2026-999999").stderr
    assert (
        "no procedure"
        in catalogue.fails("request", "log", "NOPE", "--name", "A", "--nik", NIK).stderr
    )


def test_version_pinned_when_procedure_changes(catalogue: Cli, tmp_path) -> None:
    reg = log(catalogue, procedure="DUKCAPIL-KTP-EL")["reg_no"]
    exported = catalogue.ok("procedure", "export", "DUKCAPIL-KTP-EL").stdout
    f = tmp_path / "ktp.yaml"
    f.write_text(exported.replace("sla_days: 3", "sla_days: 5"), encoding="utf-8")
    catalogue.ok("procedure", "import", str(f))
    assert catalogue.ok("request", "show", reg, "--json").json()["version"] == 1
    assert log(catalogue)["version"] == 2


def test_list_filters_search_and_order(catalogue: Cli, clock: Clock) -> None:
    clock.travel("2026-11-27T10:00+07:00")  # the October request is overdue, November's not
    old = log(catalogue, "--at", "2026-10-01T09:00", name="Budi Santoso", nik=NIK2)
    new = log(catalogue, "--at", "2026-11-26T09:00", procedure="DINSOS-SKTM")
    rows = catalogue.ok("request", "list", "--json").json()
    assert [r["reg_no"] for r in rows] == [old["reg_no"], new["reg_no"]]  # oldest due first
    assert "events" not in rows[0]
    assert rows[0]["applicant"]["nik"] == "190603********02"  # masked in lists
    overdue = catalogue.ok("request", "list", "--overdue", "--json").json()
    assert [r["reg_no"] for r in overdue] == [old["reg_no"]] and overdue[0]["overdue"]
    by_nik = catalogue.ok("request", "list", "--search", NIK2, "--json").json()
    assert [r["reg_no"] for r in by_nik] == [old["reg_no"]]
    by_name = catalogue.ok("request", "list", "--search", "budi", "--json").json()
    assert [r["reg_no"] for r in by_name] == [old["reg_no"]]
    by_reg = catalogue.ok("request", "list", "--search", new["reg_no"].lower(), "--json").json()
    assert [r["reg_no"] for r in by_reg] == [new["reg_no"]]
    assert [
        r["reg_no"] for r in catalogue.ok("request", "list", "--agency", "DINSOS", "--json").json()
    ] == [new["reg_no"]]
    assert [
        r["reg_no"]
        for r in catalogue.ok("request", "list", "--since", "2026-11-01", "--json").json()
    ] == [new["reg_no"]]
    assert [
        r["reg_no"]
        for r in catalogue.ok("request", "list", "--until", "2026-10-31", "--json").json()
    ] == [old["reg_no"]]
    assert len(catalogue.ok("request", "list", "--limit", "1", "--json").json()) == 1
    assert catalogue.ok("request", "list", "--status", "ready", "--json").json() == []
    csv_lines = catalogue.ok("request", "list", "--csv").stdout.splitlines()
    assert csv_lines[0].startswith("reg_no,") and len(csv_lines) == 3
    for option, value in (
        ("--status", "done"),
        ("--limit", "0"),
        ("--since", "2026-13-01"),
        ("--until", "kemarin"),
        ("--due-within", "besok"),
    ):
        err = catalogue.fails("request", "list", option, value, code=2).stderr
        assert f"Invalid value for '{option}'" in err, err
    err = catalogue.fails(
        "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK, "--channel", "fax", code=2
    ).stderr
    assert "'fax' is not one of 'counter', 'online', 'phone', 'mail'" in err
    due_today = catalogue.ok("request", "list", "--due-within", "0", "--json").json()
    assert old["reg_no"] in [r["reg_no"] for r in due_today]


def test_command_choices_match_the_models() -> None:
    """The command line lists channels and statuses without importing the models."""
    from typing import get_args

    from egovctl.commands._params import Channel, Status
    from egovctl.models.request import CHANNELS, STATUSES

    assert get_args(Channel) == CHANNELS and get_args(Status) == STATUSES


def test_csv_keeps_formulas_inert_and_phone_numbers_as_typed(catalogue: Cli) -> None:
    log(catalogue, "--phone", "081234567890", name='=HYPERLINK("http://x","klik")')
    log(catalogue, name="-Budi", nik=NIK2)
    out = catalogue.ok("request", "list", "--csv").stdout
    assert '\'=HYPERLINK(""http://x"",""klik"")' in out
    assert ",'-Budi," in out and ",+6281234567890," in out


def test_implausible_times_and_ranges_are_refused(catalogue: Cli) -> None:
    before = table_counts(catalogue.db_url)
    for at in ("0001-01-01T00:00", "1999-12-31T23:00"):
        err = catalogue.fails(
            "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK, "--at", at
        ).stderr
        assert "2000-01-01" in err and "unexpected" not in err, err
    assert table_counts(catalogue.db_url) == before
    log(catalogue, "--at", "2000-01-01T08:00")
    err = catalogue.fails(
        "request", "list", "--since", "2026-12-01", "--until", "2026-01-01"
    ).stderr
    assert "--since 2026-12-01 is after --until 2026-01-01" in err


def test_free_text_with_terminal_escapes_is_refused(catalogue: Cli) -> None:
    before = table_counts(catalogue.db_url)
    err = catalogue.fails(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "A",
        "--nik",
        NIK,
        "--address",
        "Jl. \x1b[31mMerah",
    ).stderr
    assert "invalid address" in err and "U+001B" in err
    assert (
        "invalid --note"
        in catalogue.fails(
            "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK, "--note", "x\x07"
        ).stderr
    )
    assert table_counts(catalogue.db_url) == before
    reg = log(catalogue, "--note", "berkas\tlengkap", "--address", "  Jl. Melati  ")
    assert reg["applicant"]["address"] == "Jl. Melati"
    assert reg["events"][0]["note"] == "berkas\tlengkap"
    err = catalogue.fails("request", "hold", reg["reg_no"], "--reason", "KK\x1b]0;x").stderr
    assert "invalid --reason" in err
    assert (
        catalogue.ok("request", "show", reg["reg_no"], "--json").json()["status"] == "in_progress"
    )


def test_pasted_walls_of_text_are_refused(catalogue: Cli) -> None:
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("request", "log", "DUKCAPIL-KK", "--name", "A" * 201, "--nik", NIK).stderr
    assert "has 201 characters; a name has at most 200" in err
    err = catalogue.fails(
        "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", NIK, "--address", "Jl. " * 200
    ).stderr
    assert "address has 799 characters; keep it under 500" in err
    assert table_counts(catalogue.db_url) == before
    log(catalogue, name="Nur'aini binti Abdurrahman " * 7)  # long, but a name


def test_a_due_date_closed_later_moves_past_the_closure(catalogue: Cli) -> None:
    # A closure added on an open request's due date moves it (it used to stay on the closed
    # day, and the view had to say so): docs/requests.md#calendar-changes-move-due-dates.
    data = log(catalogue, procedure="DUKCAPIL-KK")  # one working day: due the next one
    catalogue.ok("calendar", "add", data["due_date"], "--name", "Libur mendadak")
    shown = catalogue.ok("request", "show", data["reg_no"], "--json").json()
    assert shown["due_date"] > data["due_date"]
    assert shown["events"][-1]["action"] == "due_changed"
    assert "today" not in shown


def test_usage_errors_read_plainly_and_help_lines_are_whole(catalogue: Cli) -> None:
    err = catalogue.fails("request", "list", "--status", "foo", code=2).stderr
    assert "Invalid value for '--status': 'foo' is not one of" in err
    assert "Value error" not in err
    helptext = catalogue.ok("request", "--help").stdout
    assert "Reject a request, for instance when its requirements are not met." in helptext


# -- issue 13: honest numbers and data ---------------------------------------------------------


def test_deliver_at_the_handover_step_completes_it(catalogue: Cli) -> None:
    """docs/requests.md: at its last step (Penyerahan dokumen) a request is delivered directly; the
    step's completion, ready and delivered are recorded at one time, and the history replays."""
    reg = log(catalogue, "--at", "2026-11-23T09:00")["reg_no"]
    shown = catalogue.ok("request", "show", reg, "--json").json()
    n = shown["steps"]
    for i in range(n - 1):
        data = catalogue.ok(
            "request", "advance", reg, "--at", f"2026-11-23T1{i}:00", "--json"
        ).json()
    assert data["status"] == "in_progress" and data["step"] == n
    done = catalogue.ok(
        "request", "deliver", reg, "--to", "Siti Aminah", "--at", "2026-11-24T10:00", "--json"
    ).json()
    assert done["status"] == "delivered" and done["step"] == n
    assert done["ready_at"] == done["delivered_at"] == "2026-11-24T10:00:00+07:00"
    assert done["delivered_to"] == "Siti Aminah"
    assert [e["action"] for e in done["events"]] == ["log"] + ["advance"] * n + ["deliver"]
    assert done["events"][-1]["note"] == "diserahkan kepada Siti Aminah"
    catalogue.ok("audit", "verify")
    actions = [r["action"] for r in catalogue.ok("audit", "log", "--json").json()]
    assert actions.count("request.advance") == n and actions.count("request.deliver") == 1


def test_deliver_before_the_handover_step_is_refused(catalogue: Cli) -> None:
    reg = log(catalogue)["reg_no"]
    before = table_counts(catalogue.db_url)
    err = catalogue.fails("request", "deliver", reg).stderr
    assert "status in_progress" in err and "last step" in err
    assert table_counts(catalogue.db_url) == before


def test_duplicate_application_warns_at_the_counter(catalogue: Cli) -> None:
    first = log(catalogue)["reg_no"]
    again = catalogue.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik", NIK, "--json"
    )
    data = again.json()
    assert data["reg_no"] != first
    assert len(data["warnings"]) == 1 and first in data["warnings"][0]
    assert again.stderr.count("warning: ") == 1 and first in again.stderr
    # Spacing and case do not make another name; another procedure is not a duplicate.
    fine = catalogue.ok(
        "request", "log", "DINSOS-SKTM", "--name", "SITI  aminah", "--nik", NIK, "--json"
    )
    assert "warnings" not in fine.json() and "warning" not in fine.stderr
    # Once the first request is closed, applying again is no duplicate.
    catalogue.ok("request", "cancel", first, "--reason", "salah input")
    catalogue.ok("request", "cancel", data["reg_no"], "--reason", "salah input")
    assert "warnings" not in log(catalogue)
    human = catalogue("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik", NIK)
    assert human.exit_code == 0 and human.stderr.startswith("warning: NIK")


def test_one_nik_under_two_names_warns(catalogue: Cli) -> None:
    first = log(catalogue)["reg_no"]
    other = catalogue.ok(
        "request", "log", "DUKCAPIL-KK", "--name", "Budi Santoso", "--nik", NIK, "--json"
    )
    (warning,) = other.json()["warnings"]
    assert f"registered as 'Siti Aminah' ({first}), not 'Budi Santoso'" in warning
    assert other.stderr == f"warning: {warning}\n"


@pytest.mark.parametrize(("answer", "logged"), [("n\n", False), ("y\n", True)])
def test_duplicate_is_confirmed_on_a_terminal(
    catalogue: Cli, monkeypatch: pytest.MonkeyPatch, answer: str, logged: bool
) -> None:
    from egovctl.commands import request as command

    first = log(catalogue)["reg_no"]
    monkeypatch.setattr(command, "_interactive", lambda: True)
    before = table_counts(catalogue.db_url)
    result = catalogue(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik", NIK, input=answer
    )
    assert first in result.stderr and "Log it anyway?" in result.stderr
    if logged:
        assert result.exit_code == 0 and "logged" in result.stdout
    else:
        assert result.exit_code == 1 and "error: not logged" in result.stderr
        assert table_counts(catalogue.db_url) == before


def test_search_matches_partial_nik_number_end_and_loose_names(catalogue: Cli) -> None:
    a = log(catalogue, name="Siti  Aminah")["reg_no"]  # stored with a double space
    b = log(catalogue, name="Budi Santoso", nik="3171012902000001")["reg_no"]

    def found(term: str) -> list[str]:
        rows = catalogue.ok("request", "list", "--search", term, "--json").json()
        return [r["reg_no"] for r in rows]

    assert found("190603") == [a]  # the start of a NIK (its region)
    assert found("1906 03") == [a]
    assert found("000002") == [b]  # the end of a registration number
    assert found(b[-11:]) == [b]  # year and serial, e.g. 2026-000002
    assert found(b.lower()) == [b]
    assert found("siti aminah") == [a]
    assert found("BUDI   SANTOSO") == [b]
    assert found("santoso") == [b]
    assert found("100%") == [] and found("_") == []


def test_search_and_echoes_are_bounded(catalogue: Cli) -> None:
    log(catalogue)
    err = catalogue.fails("request", "list", "--search", "x" * 100_000).stderr
    assert "--search" in err and "at most 100" in err and len(err) < 300
    assert "LIKE" not in err and "unexpected" not in err
    err = catalogue.fails("request", "show", "R" * 5000).stderr
    assert "R" * 40 + "…" in err and len(err) < 300
    err = catalogue.fails(
        "request", "log", "DUKCAPIL-KK", "--name", "A", "--nik", "9" * 5000
    ).stderr
    assert "9" * 40 + "…" in err and len(err) < 400
    err = catalogue.fails("request", "log", "P" * 100_000, "--name", "A", "--nik", NIK).stderr
    assert "P" * 40 + "…" in err and len(err) < 300
    for option in ("--procedure", "--agency"):
        err = catalogue.fails("request", "list", option, "Q" * 100_000).stderr
        assert "Q" * 40 + "…" in err and len(err) < 300


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u2066", "\ufeff", "\u00ad"])
def test_invisible_format_characters_are_refused(catalogue: Cli, char: str) -> None:
    before = table_counts(catalogue.db_url)
    for option in ("--name", "--address", "--note"):
        args = {"--name": "Siti Aminah", "--address": "Jl. Melati", "--note": "berkas"}
        args[option] = f"Siti {char}hanimA"
        err = catalogue.fails(
            "request", "log", "DUKCAPIL-KK", "--nik", NIK, *[x for kv in args.items() for x in kv]
        ).stderr
        assert f"U+{ord(char):04X}" in err and char not in err, err
    assert table_counts(catalogue.db_url) == before
    reg = log(catalogue)["reg_no"]
    err = catalogue.fails("request", "hold", reg, "--reason", f"KK{char}").stderr
    assert "invalid --reason" in err
    err = catalogue.fails("calendar", "add", "2026-12-30", "--name", f"Libur{char}").stderr
    assert "invisible" in err


def test_same_day_service_reads_as_on_paper(catalogue: Cli) -> None:
    out = catalogue.ok(
        "request", "log", "DPMPTSP-NIB", "--name", "A", "--nik", NIK, "--at", "2026-11-27T09:00"
    ).stdout
    assert out.splitlines()[0].endswith("; due Friday, 27 November 2026.")
    assert out.splitlines()[1].endswith(" (the same day)")
    shown = catalogue.ok("procedure", "show", "DPMPTSP-NIB").stdout
    assert "the same day" in shown and "0 working days" not in shown
    shown = catalogue.ok("--lang", "id", "procedure", "show", "DPMPTSP-NIB").stdout
    assert "hari yang sama" in shown and "0 hari kerja" not in shown


def test_bytes_that_are_not_text_get_a_plain_answer(catalogue: Cli) -> None:
    """A byte that is not UTF-8 on the command line arrives as a lone surrogate: every
    look-up answers with an error line, never 'unexpected UnicodeEncodeError'."""
    bad = "\udcff"
    for args in (
        ["request", "list", "--search", bad],
        ["request", "show", bad],
        ["request", "advance", bad],
        ["request", "log", bad, "--name", "A", "--nik", NIK],
        ["request", "list", "--procedure", bad],
        ["request", "log", "DUKCAPIL-KK", "--name", f"A{bad}", "--nik", NIK],
    ):
        err = catalogue.fails(*args).stderr
        assert "unexpected" not in err and "\\udcff" in err, err

"""Service hours and the cut-off for applications (docs/catalogue.md#service-hours)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from egovctl.catalogue.hours import ServiceHours
from tests.conftest import Cli, Clock, table_counts

NIK = "1906034507890001"
HOURS = '{mon-thu: "08:00-15:30", fri: "08:00-16:00", break: "12:00-13:00", cutoff: "14:00"}'
CATALOGUE = f"""\
kind: agency
code: DPMPTSP-UJI
name: Dinas Penanaman Modal dan PTSP
hours: {HOURS}
---
code: DPMPTSP-UJI-IZIN
name: Izin Uji
agency: DPMPTSP-UJI
steps: [{{name: Verifikasi}}, {{name: Penyerahan}}]
sla_days: 1
fee: 0
product: Surat Izin
"""


@pytest.fixture
def office(cli: Cli, tmp_path: Path) -> Cli:
    path = tmp_path / "uji.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    cli.ok("procedure", "import", str(path))
    return cli


def _log(cli: Cli, at: str, nik: str = NIK) -> dict[str, Any]:
    data = cli.ok(
        "request", "log", "DPMPTSP-UJI-IZIN", "--name", "Siti", "--nik", nik, "--at", at, "--json"
    ).json()
    assert isinstance(data, dict)
    return data


def test_hours_parse_normalise_and_print() -> None:
    hours = ServiceHours.parse(
        {"mon": "08.00-15.30", "tue-thu": "08:00-15:30", "fri": "8:00-16:00", "cutoff": "14.00"}
    )
    assert hours.canonical() == {"mon-thu": "08:00-15:30", "fri": "08:00-16:00", "cutoff": "14:00"}
    assert hours.lines()[:2] == ["Senin-Kamis 08.00-15.30", "Jumat 08.00-16.00"]
    assert "14.00" in hours.lines()[2]
    friday = date(2026, 11, 27)
    span = hours.hours_on(friday)
    assert hours.counts_from(datetime(2026, 11, 27, 13, 59), span) == friday
    assert hours.counts_from(datetime(2026, 11, 27, 14, 0), span) == date(2026, 11, 28)
    assert hours.counts_from(datetime(2026, 11, 27, 6, 30), span) == friday  # before opening
    saturday = date(2026, 11, 28)
    assert hours.hours_on(saturday) is None
    assert hours.hours_on(saturday, declared_working=True) == (time(8), time(16))
    own = (time(8), time(12))
    assert hours.hours_on(saturday, declared_working=True, own=own) == own
    # Closing earlier than the cut-off: closing time is the cut-off of that day.
    short = ServiceHours.parse({"mon-fri": "08:00-13:00", "cutoff": "14:00"})
    assert short.counts_from(datetime(2026, 11, 27, 13, 30), short.hours_on(friday)) == saturday


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"mon-fri": "16:00-08:00"}, "ends before it starts"),
        ({"mon-fri": "08:00-16:00", "fri": "08:00-11:00"}, "fri is given twice"),
        ({"fri-mon": "08:00-16:00"}, "runs backwards"),
        ({"cutoff": "14:00"}, "no day has hours"),
        ({"mon-fri": "08:00-12:00", "break": "12:30-13:00"}, "outside every day's hours"),
    ],
)
def test_hours_refused(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ServiceHours.parse(mapping)


def test_catalogue_errors_name_the_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "kind: agency\ncode: UJI\nname: Uji\nhours:\n"
        '  mon-thu: "08:00-15:30"\n  mon-xx: "08:00-11:00"\n  cutoff: "25:00"\n',
        encoding="utf-8",
    )
    before = table_counts(cli.db_url)
    err = cli.fails("procedure", "import", str(path)).stderr
    assert f"{path}:6:" in err and "hours.mon-xx: 'mon-xx' is not a day" in err
    assert f"{path}:7:" in err and "hours.cutoff: '25:00' is not a time of day" in err
    assert table_counts(cli.db_url) == before


def test_hours_round_trip_through_export(office: Cli, tmp_path: Path) -> None:
    shown = office.ok("agency", "show", "DPMPTSP-UJI", "--json").json()
    assert isinstance(shown, dict)
    assert shown["hours"] == {
        "mon-thu": "08:00-15:30",
        "fri": "08:00-16:00",
        "break": "12:00-13:00",
        "cutoff": "14:00",
    }
    out = tmp_path / "export.yaml"
    office.ok("procedure", "export", "DPMPTSP-UJI-IZIN", "-o", str(out))
    assert "cutoff" in out.read_text(encoding="utf-8")
    again = office.ok("procedure", "import", str(out)).stdout
    assert "0 created, 0 updated, 1 unchanged" in again


def test_cutoff_on_a_friday_before_a_monday_holiday(office: Cli, clock: Clock) -> None:
    clock.travel("2026-11-27T16:00+07:00")
    office.ok("calendar", "add", "2026-11-30", "--name", "Cuti bersama")
    # Before the 14:00 cut-off: received Friday, 1 working day: Tuesday (Monday is closed).
    before = _log(office, "2026-11-27T13:59")
    assert before["due_date"] == "2026-12-01" and "counted_from" not in before
    # After it: counts from the next working day, Tuesday; due Wednesday.
    after = _log(office, "2026-11-27T14:00", "1906034507890002")
    assert after["due_date"] == "2026-12-02" and after["counted_from"] == "2026-12-01"
    shown = office.ok("request", "show", after["reg_no"]).stdout
    assert "Counted from: Tuesday, 1 December 2026" in shown
    assert "Service hours: Senin-Kamis 08.00-15.30; Jumat 08.00-16.00" in shown
    shown = office.ok("--lang", "id", "request", "show", after["reg_no"]).stdout
    assert "Dihitung mulai: Selasa, 1 Desember 2026" in shown
    assert "Jam layanan: Senin-Kamis 08.00-15.30; Jumat 08.00-16.00" in shown
    # Removing the Monday closure moves it back by one working day, cut-off kept.
    moved = office.ok("calendar", "remove", "2026-11-30", "--json").json()
    assert isinstance(moved, dict)
    assert {m["reg_no"]: m["new_due"] for m in moved["moved"]} == {
        before["reg_no"]: "2026-11-30",
        after["reg_no"]: "2026-12-01",
    }
    office.ok("audit", "verify")


def test_saturday_service(office: Cli, clock: Clock) -> None:
    clock.travel("2026-11-28T17:00+07:00")
    office.ok("calendar", "add", "2026-11-28", "--name", "Pelayanan Sabtu", "--working")
    # A declared working Saturday uses the Friday hours (cut-off 14:00).
    morning = _log(office, "2026-11-28T10:00")
    assert morning["due_date"] == "2026-11-30"  # Saturday + 1 working day
    late = _log(office, "2026-11-28T14:30", "1906034507890002")
    assert late["counted_from"] == "2026-11-30" and late["due_date"] == "2026-12-01"


def test_saturday_with_its_own_hours(office: Cli, clock: Clock) -> None:
    clock.travel("2026-11-28T17:00+07:00")
    added = office.ok(
        "calendar",
        "add",
        "2026-11-28",
        "--name",
        "Sabtu",
        "--working",
        "--hours",
        "8.00-12.00",
        "--json",
    ).json()
    assert isinstance(added, dict) and added["hours"] == "08:00-12:00"
    late = _log(office, "2026-11-28T12:30")
    assert late["counted_from"] == "2026-11-30"


def test_calendar_hours_refused(cli: Cli) -> None:
    err = cli.fails("calendar", "add", "2026-11-28", "--name", "X", "--hours", "08:00-12:00")
    assert "--hours is only for a declared working day" in err.stderr
    err = cli.fails("calendar", "add", "2026-11-28", "--name", "X", "--working", "--hours", "8-12")
    assert "--hours: '8' is not a time of day" in err.stderr
    assert cli.ok("calendar", "list", "--year", "2026", "--json").json() != []


def test_papers_print_the_hours(office: Cli, clock: Clock, tmp_path: Path) -> None:
    clock.travel("2026-11-27T16:00+07:00")
    reg = _log(office, "2026-11-27T15:00")["reg_no"]
    line = "Senin-Kamis 08.00-15.30; Jumat 08.00-16.00; Istirahat 12.00-13.00"
    receipt = tmp_path / "bukti.html"
    office.ok("print", "receipt", reg, "-o", str(receipt))
    html = receipt.read_text(encoding="utf-8")
    assert line in html
    # Received Friday 15:00, after the 14:00 cut-off: counted from Monday.
    assert "dihitung mulai Senin, 30 November 2026" in html
    sheet = tmp_path / "standar.html"
    office.ok("print", "standard", "DPMPTSP-UJI-IZIN", "-o", str(sheet))
    assert "<div>Jumat 08.00-16.00</div>" in sheet.read_text(encoding="utf-8")
    maklumat = tmp_path / "maklumat.pdf"
    office.ok("print", "maklumat", "DPMPTSP-UJI", "-o", str(maklumat))
    from pypdf import PdfReader

    pages = PdfReader(maklumat).pages
    assert len(pages) == 1  # the hours fit beside the pledge and the signature
    assert "Berkas diterima sampai pukul 14.00" in pages[0].extract_text().replace("\n", " ")
    for _ in range(2):
        office.ok("request", "advance", reg)
    ready = tmp_path / "siap.html"
    office.ok("print", "ready-list", "--agency", "DPMPTSP-UJI", "-o", str(ready))
    html = ready.read_text(encoding="utf-8")
    assert f"jam pelayanan ({line})" in html and "14.00" not in html

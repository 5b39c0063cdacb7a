"""`egovctl calendar ...`: national days, local closures and declared working days."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli, table_counts

NIK = "1906034507890001"


def test_list_shows_national_and_collective_leave(cli: Cli) -> None:
    rows = cli.ok("calendar", "list", "--year", "2026", "--json").json()
    by_date = {r["date"]: r for r in rows}
    assert by_date["2026-12-25"]["source"] == "nasional"
    assert by_date["2026-12-24"]["source"] == "cuti bersama"
    assert "Natal" in by_date["2026-12-25"]["name"]
    assert "Hari Raya Natal" in cli.ok("calendar", "list", "--year", "2026").stdout


def test_local_closure_moves_due_dates(catalogue: Cli) -> None:
    catalogue.ok("calendar", "add", "2026-11-30", "--name", "HUT Kabupaten Belitung Timur")
    rows = catalogue.ok("calendar", "list", "--year", "2026", "--json").json()
    assert {
        "date": "2026-11-30",
        "name": "HUT Kabupaten Belitung Timur",
        "source": "lokal",
        "working": False,
        "weekend": False,
    } in rows
    # Received Friday 27 Nov, 3 working days: Tue 1, Wed 2, Thu 3 Dec (Mon 30 is closed).
    data = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "A",
        "--nik",
        NIK,
        "--at",
        "2026-11-27T09:00",
        "--json",
    ).json()
    assert data["due_date"] == "2026-12-03"


def test_declared_working_day(catalogue: Cli) -> None:
    catalogue.ok("calendar", "add", "2026-11-28", "--name", "Pelayanan Sabtu", "--working")
    data = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KK",
        "--name",
        "A",
        "--nik",
        NIK,
        "--at",
        "2026-11-27T09:00",
        "--json",
    ).json()
    assert data["due_date"] == "2026-11-28"  # Friday + 1 working day: the working Saturday


def test_remove_and_errors(cli: Cli) -> None:
    cli.ok("calendar", "add", "2026-12-31", "--name", "Tutup akhir tahun")
    err = cli.fails("calendar", "add", "2026-12-31", "--name", "Lagi").stderr
    assert "already in the local calendar" in err
    cli.ok("calendar", "remove", "2026-12-31")
    assert "not in the local calendar" in cli.fails("calendar", "remove", "2026-12-31").stderr
    bad_day = cli.fails("calendar", "add", "2026-02-30", "--name", "x", code=2).stderr
    assert "'2026-02-30' is not a date in the calendar" in bad_day
    assert (
        "Invalid value for '--year'"
        in cli.fails("calendar", "list", "--year", "20260", code=2).stderr
    )
    assert "--name is empty" in cli.fails("calendar", "add", "2026-12-30", "--name", " ").stderr


def test_import_all_or_nothing(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "libur.yaml"
    good.write_text(
        "- {date: 2026-07-12, name: HUT Kabupaten}\n"
        "- {date: 2026-12-19, name: Pelayanan Sabtu, working: true}\n",
        encoding="utf-8",
    )
    out = cli.ok("calendar", "import", str(good), "--json").json()
    assert out == {"created": 2, "updated": 0, "unchanged": 0, "dry_run": False, "moved": []}
    again = cli.ok("calendar", "import", str(good), "--json").json()
    assert again["unchanged"] == 2
    bad = tmp_path / "rusak.yaml"
    bad.write_text(
        "- {date: 2026-08-01, name: Baik}\n- {date: bukan-tanggal, name: X}\n"
        "- {date: 2026-08-03}\n",
        encoding="utf-8",
    )
    before = table_counts(cli.db_url)
    err = cli.fails("calendar", "import", str(bad)).stderr
    assert "rusak.yaml:2:" in err and "rusak.yaml:3:" in err and "nothing was imported" in err
    assert table_counts(cli.db_url) == before
    assert "does not exist" in cli.fails("calendar", "import", str(tmp_path / "x.yaml")).stderr


def test_list_includes_days_on_weekends(cli: Cli, tmp_path: Path) -> None:
    """A day an office adds is listed even on a Sunday; national days on a Saturday too."""
    days = tmp_path / "libur.yaml"
    days.write_text("- {date: 2026-07-12, name: HUT Kabupaten}\n", encoding="utf-8")
    cli.ok("calendar", "import", str(days))
    rows = {r["date"]: r for r in cli.ok("calendar", "list", "--year", "2026", "--json").json()}
    assert rows["2026-07-12"] == {
        "date": "2026-07-12",
        "name": "HUT Kabupaten",
        "source": "lokal",
        "working": False,
        "weekend": True,
    }
    assert rows["2026-03-21"]["weekend"] is True  # Idul Fitri 1447 H, a Saturday
    assert "Idul Fitri" in rows["2026-03-21"]["name"]
    assert rows["2026-12-25"]["weekend"] is False
    assert "HUT Kabupaten" in cli.ok("calendar", "list", "--year", "2026").stdout
    assert (
        "2026-07-12,HUT Kabupaten,lokal,false,true"
        in cli.ok("calendar", "list", "--year", "2026", "--csv").stdout
    )


def test_import_names_a_date_that_does_not_exist(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "libur.yaml"
    bad.write_text(
        "- {date: 2026-08-01, name: Baik}\n- {date: 2026-02-30, name: X}\n", encoding="utf-8"
    )
    before = table_counts(cli.db_url)
    done = cli.fails("calendar", "import", str(bad))
    assert "libur.yaml:2:3: date: 2026-02-30 is not a date in the calendar" in done.stderr
    assert "unexpected" not in done.stderr and "nothing was imported" in done.stderr
    assert table_counts(cli.db_url) == before


def test_days_outside_the_calendar_and_odd_files_are_named(cli: Cli, tmp_path: Path) -> None:
    before = table_counts(cli.db_url)
    assert (
        "outside the years the calendar covers"
        in cli.fails("calendar", "add", "0001-01-01", "--name", "x").stderr
    )
    assert "is a directory" in cli.fails("calendar", "import", str(tmp_path)).stderr
    bad = tmp_path / "libur.yaml"
    bad.write_text(
        "- {date: 9999-12-31, name: Akhir}\n- {date: 2026-08-01, name: [2]}\n", encoding="utf-8"
    )
    err = cli.fails("calendar", "import", str(bad)).stderr
    assert "libur.yaml:1:3: date: 9999-12-31 is outside 1900-2200" in err
    assert "libur.yaml:2:3: name: must be text" in err
    assert table_counts(cli.db_url) == before

"""`egovctl db backup` into a directory: a time-stamped file inside it, never a stray one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Cli, Clock, sqlite_only


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty directory (tmp_path itself also holds the test's HOME)."""
    path = tmp_path / "d"
    path.mkdir()
    return path


@sqlite_only
def test_backup_into_an_existing_directory(catalogue: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    for arg in (str(folder), f"{folder}/"):
        out = catalogue.ok("db", "backup", arg, "--json").json()
        written = Path(out["file"])
        assert written.parent == folder and written.name.startswith("egovctl-")
        assert written.suffix == ".db" and out["bytes"] == written.stat().st_size
        with sqlite3.connect(written) as conn:
            assert conn.execute("SELECT count(*) FROM procedure").fetchone()[0] > 0
        written.rename(folder / f"lama-{arg.endswith('/')}.db")  # the next one gets the name
    assert not list(folder.glob("*.part"))


@sqlite_only
def test_backup_into_a_new_folder_in_office_time(
    catalogue: Cli, tmp_path: Path, clock: Clock
) -> None:
    clock.travel("2026-12-01T23:30:05+00:00")
    out = catalogue.ok("db", "backup", f"{tmp_path}/baru/", "--json").json()
    written = Path(out["file"])
    assert written.parent == tmp_path / "baru" and written.is_file()
    assert written.name == "egovctl-20261202-063005.db"  # WIB, not the machine's UTC
    err = catalogue.fails("db", "backup", f"{tmp_path}/tidak/ada/").stderr
    assert "is not an existing directory" in err and not (tmp_path / "tidak").exists()
    assert "the backup file name is empty" in catalogue.fails("db", "backup", "").stderr


@sqlite_only
def test_backup_to_an_unwritable_place_is_one_clear_line(catalogue: Cli) -> None:
    err = catalogue.fails("db", "backup", "/proc/cadangan.db").stderr
    assert (
        err.startswith("error: cannot write the backup /proc/cadangan.db")
        and "choose another place" in err
        and "unexpected" not in err
    )


@sqlite_only
def test_restore_refuses_damaged_or_directory_backups_and_leaves_them_alone(
    catalogue: Cli, folder: Path
) -> None:
    tmp_path = folder
    good = tmp_path / "cadangan.db"
    catalogue.ok("db", "backup", str(good))
    damaged = tmp_path / "rusak.db"
    damaged.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    err = catalogue.fails("db", "restore", str(damaged)).stderr
    assert "rusak.db is damaged" in err and "choose another backup" in err
    assert "is a directory" in catalogue.fails("db", "restore", str(tmp_path)).stderr
    # Reading a backup leaves no -wal/-shm files beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cadangan.db", "rusak.db"]


def _sqlite_file(path: Path, sql: str) -> Path:
    with sqlite3.connect(path) as conn:
        conn.executescript(sql)
    conn.close()
    return path


def test_a_foreign_database_is_refused_and_left_byte_for_byte(folder: Path) -> None:
    tmp_path = folder
    other = _sqlite_file(tmp_path / "lain.db", "CREATE TABLE pelanggan (nama TEXT);")
    before = other.read_bytes()
    err = Cli(str(other)).fails("request", "list").stderr
    assert "holds tables but is not an egovctl database" in err
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lain.db"]


def test_files_that_are_no_database_or_have_no_revision(tmp_path: Path, catalogue: Cli) -> None:
    text = tmp_path / "catatan.db"
    text.write_text("bukan basis data " * 100, encoding="utf-8")
    err = Cli(str(text)).fails("procedure", "list").stderr
    assert "is not a SQLite database; check the --db path" in err
    if catalogue.db_url.startswith("sqlite"):
        copy = tmp_path / "salinan.db"
        catalogue.ok("db", "backup", str(copy))
        _sqlite_file(copy, "DELETE FROM alembic_version;")
        err = Cli(str(copy)).fails("procedure", "list").stderr
        assert "records no schema revision" in err and "restore a backup" in err
        half = tmp_path / "separuh.db"
        half.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
        err = Cli(str(half)).fails("procedure", "list").stderr
        assert "is damaged" in err and "egovctl db restore" in err


def test_output_files_name_the_problem(folder: Path) -> None:
    tmp_path = folder
    from egovctl.errors import EgovError
    from egovctl.fileio import write_text_atomic

    a_file = tmp_path / "ada.pdf"
    a_file.write_text("x", encoding="utf-8")
    for target, message in (
        (tmp_path, "it is a directory"),
        (a_file / "x.pdf", "ada.pdf is not a directory"),
        (tmp_path / "tidak" / "x.pdf", "tidak does not exist"),
        (Path("/proc/x.pdf"), "cannot write /proc/x.pdf"),
    ):
        with pytest.raises(EgovError, match=message):
            write_text_atomic(target, "isi")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.pdf"]


def test_an_empty_output_name_is_named(catalogue: Cli) -> None:
    assert "-o is empty" in catalogue.fails("print", "maklumat", "DISDUKCAPIL", "-o", "").stderr
    assert "-o is empty" in catalogue.fails("report", "summary", "-o", "").stderr


# -- registration numbers across a restore (docs/staff-and-audit.md) -----------------------

NIKS = [f"190603450789{n:04d}" for n in range(1, 10)]


def _log_request(cli: Cli, n: int) -> str:
    out = cli.ok(
        "request", "log", "DUKCAPIL-KTP-EL", "--name", f"Pemohon {n}", "--nik", NIKS[n], "--json"
    )
    return str(out.json()["reg_no"])


def _serial(reg_no: str) -> int:
    return int(reg_no.rsplit("-", 1)[1])


@sqlite_only
def test_numbers_are_never_given_again_after_restoring_an_older_backup(
    catalogue: Cli, folder: Path
) -> None:
    first = _log_request(catalogue, 0)
    backup = folder / "cadangan.db"
    catalogue.ok("db", "backup", str(backup))
    after = [_log_request(catalogue, 1), _log_request(catalogue, 2)]
    out = catalogue.ok("db", "restore", str(backup), "--json").json()
    assert out["numbers_not_in_backup"] == after
    again = _log_request(catalogue, 3)
    assert again not in [first, *after]
    assert _serial(again) == _serial(after[-1]) + 1
    # A second restore of the same backup names what was given since the first, and still
    # keeps the numbers given before the first.
    text = catalogue.ok("db", "restore", str(backup)).stdout
    assert (
        "1 registration number given after this backup is not in it and will not be "
        f"given again: {again}"
    ) in text
    assert _serial(_log_request(catalogue, 4)) == _serial(again) + 1
    actions = [r["action"] for r in catalogue.ok("audit", "log", "--json").json()]
    assert actions[:2] == ["request.log", "db.restore"]
    catalogue.ok("audit", "verify")


@sqlite_only
def test_numbers_continue_for_an_agency_the_backup_does_not_know(cli: Cli, folder: Path) -> None:
    """A backup of an empty database: after restoring it, the agencies come back with new
    ids, and their numbering still continues above what was given."""
    from tests.conftest import PROCEDURES

    empty = folder / "kosong.db"
    cli.ok("db", "backup", str(empty))
    cli.ok("procedure", "import", str(PROCEDURES))
    given = [_log_request(cli, 0), _log_request(cli, 1)]
    out = cli.ok("db", "restore", str(empty), "--json").json()
    assert out["numbers_not_in_backup"] == given
    cli.ok("procedure", "import", str(PROCEDURES))
    assert _serial(_log_request(cli, 2)) == _serial(given[-1]) + 1


def test_numbering_continues_above_the_high_water_mark(catalogue: Cli) -> None:
    """The mark a restore leaves behind, on both databases: the next number is above it,
    for the agency and year it names only."""
    from sqlalchemy import create_engine, text

    year = int(_log_request(catalogue, 0).split("-")[1])
    engine = create_engine(catalogue.db_url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO reg_high_water (agency_code, year, last) VALUES (:c, :y, :n)"),
            [
                {"c": "DISDUKCAPIL", "y": year, "n": 41},
                {"c": "DISDUKCAPIL", "y": year - 1, "n": 99},
            ],
        )
    engine.dispose()
    assert _serial(_log_request(catalogue, 1)) == 42
    assert _serial(_log_request(catalogue, 2)) == 43


# -- the live database is never a backup target or source ------------------------------------


@sqlite_only
def test_backup_or_restore_onto_the_live_database_is_refused(
    catalogue: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from tests.conftest import table_counts

    live = Path(catalogue.db_url.removeprefix("sqlite:///"))
    link = folder / "tautan.db"
    link.symlink_to(live)
    hard = folder / "keras.db"
    os.link(live, hard)
    monkeypatch.chdir(folder)
    before = table_counts(catalogue.db_url)
    for spelling in (
        str(live),
        f"../{live.name}",
        f"./../{live.name}",
        f"../{folder.name}/../{live.name}",
        "tautan.db",
        str(hard),
    ):
        err = catalogue.fails("db", "backup", spelling, "--force").stderr
        assert f"cannot back up onto {spelling}: it is the live database {live} itself" in err
        err = catalogue.fails("db", "restore", spelling).stderr
        assert f"cannot restore from {Path(spelling)}: it is the live database" in err
    err = catalogue.fails("db", "backup", f"../{live.name}-wal", "--force").stderr
    assert "it is egovctl.db-wal, a working file of the live database" in err
    assert table_counts(catalogue.db_url) == before
    assert sorted(p.name for p in folder.iterdir()) == ["keras.db", "tautan.db"]
    assert sorted(p.name for p in live.parent.glob("*.bak")) == []


@sqlite_only
def test_a_restore_stopped_half_way_changes_nothing(
    catalogue: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovctl import db_admin
    from tests.conftest import table_counts

    backup = folder / "cadangan.db"
    catalogue.ok("db", "backup", str(backup))
    _log_request(catalogue, 0)
    before = table_counts(catalogue.db_url)

    def stop(*_args: object, **_kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(db_admin, "_prepare_restored", stop)
    assert catalogue("db", "restore", str(backup)).exit_code == 130
    assert table_counts(catalogue.db_url) == before
    live = Path(catalogue.db_url.removeprefix("sqlite:///"))
    assert not list(live.parent.glob(".*.part*"))


@sqlite_only
def test_restore_into_a_new_place(catalogue: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "cadangan.db"
    catalogue.ok("db", "backup", str(backup))
    target = tmp_path / "baru" / "kantor.db"
    out = Cli(str(target)).ok("db", "restore", str(backup), "--json").json()
    assert out["previous"] is None and out["numbers_not_in_backup"] == []
    assert len(Cli(str(target)).ok("procedure", "list", "--json").json()) > 10
    assert sorted(p.name for p in target.parent.iterdir()) == ["kantor.db"]


@sqlite_only
def test_devices_are_neither_backup_targets_nor_sources(catalogue: Cli) -> None:
    err = catalogue.fails("db", "backup", "/dev/null", "--force").stderr
    assert "cannot back up onto /dev/null: it is a device or pipe" in err
    assert Path("/dev/null").is_char_device() and not Path("/dev/null.part").exists()
    err = catalogue.fails("db", "restore", "/dev/null").stderr
    assert "/dev/null is a device or pipe, not a backup file" in err

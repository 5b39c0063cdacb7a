"""Opening the database (egovctl.db): who may create one, paths that cannot be one, files on
read-only media, values the database refuses."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli, sqlite_only, table_counts

READ_COMMANDS = [
    ("procedure", "list", "--json"),
    ("procedure", "show", "DUKCAPIL-KTP-EL"),
    ("agency", "list"),
    ("request", "list"),
    ("request", "show", "DISDUKCAPIL-2026-000001"),
    ("calendar", "list"),
    ("staff", "list"),
    ("audit", "log"),
    ("audit", "verify"),
    ("report", "summary"),
    ("report", "ikm"),
    ("db", "check"),
    ("db", "backup", "cadangan.db"),
    # A writer with nothing to do in an empty database refuses it like a reader.
    ("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik", "1906034507890001"),
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_a_read_command_never_creates_a_database_or_folder(tmp_path: Path, args) -> None:
    """docs/configuration.md: a typo in --db must not make the data look gone."""
    path = tmp_path / "tidak" / "ada" / "x.db"
    err = Cli(str(path)).fails(*args).stderr
    assert f"error: database file {path} (given with --db) does not exist" in err
    assert "'egovctl procedure import FOLDER' or 'egovctl db upgrade'" in err
    assert not (tmp_path / "tidak").exists()
    assert not list(Path.cwd().iterdir())


def test_a_missing_database_names_where_its_path_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.db"
    monkeypatch.setenv("EGOVCTL_DB", str(path))
    err = Cli("").fails("request", "list", db=False).stderr
    assert f"database file {path} (named by EGOVCTL_DB) does not exist" in err
    monkeypatch.delenv("EGOVCTL_DB")
    (tmp_path / "egovctl.toml").write_text('db = "kantor.db"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    err = Cli("").fails("request", "list", db=False).stderr
    assert "kantor.db (named in the config file egovctl.toml) does not exist" in err
    monkeypatch.chdir(tmp_path / "work")
    err = Cli("").fails("request", "list", db=False).stderr
    assert "egovctl.db (the default place) does not exist" in err
    assert not (tmp_path / "home" / ".local").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["egovctl.toml", "home", "work"]


def test_an_empty_file_is_not_made_a_database_by_a_read(tmp_path: Path) -> None:
    path = tmp_path / "kosong.db"
    path.touch()
    err = Cli(str(path)).fails("request", "list").stderr
    assert "is empty; create its tables with 'egovctl procedure import FOLDER'" in err
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "kosong.db", "work"]


@pytest.mark.parametrize(
    "args",
    [
        ("procedure", "import", str(Path(__file__).parent.parent / "procedures")),
        ("db", "upgrade"),
        ("calendar", "add", "2026-12-30", "--name", "Cuti bersama"),
        ("staff", "add", "admin1", "--name", "Admin Satu", "--role", "admin"),
    ],
    ids=" ".join,
)
def test_a_writing_command_creates_the_database_and_its_folders(tmp_path: Path, args) -> None:
    path = tmp_path / "sub" / "baru.db"
    cli = Cli(str(path))
    cli.ok(*args)
    assert path.exists()
    assert cli.ok("request", "list", "--json").json() == []


# -- a database on read-only media (docs/configuration.md, issue 13 item 20) ---------------

_RO_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"'


def _read_only_runner(folder: Path):
    """Run egovctl with ``folder`` truly read-only: a read-only bind mount in a private mount
    namespace when running as root (root ignores permission bits), else permission bits."""
    import shutil

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    base = [sys.executable, "-m", "egovctl"]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda *args: subprocess.run(
            [*base, *args], capture_output=True, text=True, env=env, timeout=120
        )
    unshare = shutil.which("unshare")
    probe = [unshare or "unshare", "-m", "sh", "-c", _RO_MOUNT, "sh", str(folder), "true"]
    if unshare is None or subprocess.run(probe, capture_output=True).returncode != 0:
        pytest.skip("needs a read-only mount (unshare -m, CAP_SYS_ADMIN) or a non-root user")
    wrap = [unshare, "-m", "sh", "-c", _RO_MOUNT, "sh", str(folder)]
    return lambda *args: subprocess.run(
        [*wrap, *base, *args], capture_output=True, text=True, env=env, timeout=120
    )


@sqlite_only
def test_a_wal_database_on_read_only_media_can_be_read(catalogue: Cli, tmp_path: Path) -> None:
    reg = catalogue.ok(
        "request",
        "log",
        "DUKCAPIL-KTP-EL",
        "--name",
        "Siti Aminah",
        "--nik",
        "1906034507890001",
        "--json",
    ).json()["reg_no"]
    folder = tmp_path / "cd"
    folder.mkdir()
    db = folder / "kantor.db"
    catalogue.ok("db", "backup", str(db))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()
    before = sorted(p.name for p in folder.iterdir())
    run = _read_only_runner(folder)
    try:
        done = run("--db", str(db), "request", "show", reg, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["reg_no"] == reg
        done = run("--db", str(db), "procedure", "list", "--json")
        assert done.returncode == 0 and len(json.loads(done.stdout)) > 10, done.stderr
        # Checking a backup on read-only media, and copying it somewhere writable.
        done = run("--db", str(db), "db", "check", "--json")
        assert done.returncode == 0 and json.loads(done.stdout)["ok"], done.stdout
        copy = tmp_path / "salinan.db"
        done = run("--db", str(db), "db", "backup", str(copy))
        assert done.returncode == 0 and copy.is_file(), done.stderr
        # A command that writes says why it cannot, in one line.
        done = run("--db", str(db), "calendar", "add", "2026-12-30", "--name", "Cuti bersama")
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"error: cannot change sqlite:///{db}: the file or its")
        assert "read-only here" in done.stderr
    finally:
        folder.chmod(0o755)
    assert sorted(p.name for p in folder.iterdir()) == before


@sqlite_only
def test_changes_still_in_the_wal_file_are_read_or_named(catalogue: Cli, tmp_path: Path) -> None:
    """A copy taken while a counter was writing holds changes in its -wal file: with the -shm
    file beside it they are read; without it, the message says the folder must be writable."""
    import shutil

    live = Path(catalogue.db_url.removeprefix("sqlite:///"))
    folder = tmp_path / "salinan"
    folder.mkdir()
    writer = sqlite3.connect(live, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute(
            "INSERT INTO calendar_day (day, name, working) VALUES ('2026-12-30', 'Libur', 0)"
        )
        for suffix in ("", "-wal", "-shm"):
            shutil.copyfile(f"{live}{suffix}", folder / f"kantor.db{suffix}")
    finally:
        writer.close()
    assert (folder / "kantor.db-wal").stat().st_size > 0
    db = str(folder / "kantor.db")
    run = _read_only_runner(folder)
    try:
        done = run("--db", db, "calendar", "list", "--year", "2026", "--json")
        assert done.returncode == 0, done.stderr
        assert "2026-12-30" in done.stdout
    finally:
        folder.chmod(0o755)
    (folder / "kantor.db-shm").unlink()
    run = _read_only_runner(folder)
    try:
        done = run("--db", db, "calendar", "list", "--year", "2026", "--json")
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"error: {db} has changes still in kantor.db-wal")
    assert "copy the database together with kantor.db-wal to a writable folder" in done.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{tmp}", "{tmp} is a directory, not a database file"),
        ("/dev/null", "/dev/null is a device or pipe, not a database file"),
        (
            "{tmp}/berkas/x.db",
            "cannot create the database {tmp}/berkas/x.db: {tmp}/berkas is a file",
        ),
        ("sqlite://", "sqlite:// is a database in memory, which keeps nothing"),
    ],
)
def test_a_database_path_that_cannot_be_one_is_named(
    tmp_path: Path, value: str, message: str
) -> None:
    (tmp_path / "berkas").write_text("x", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    for args in (("request", "list"), ("calendar", "add", "2026-12-30", "--name", "Libur")):
        err = Cli(value.format(tmp=tmp_path)).fails(*args).stderr
        expected = message
        if args[0] == "request" and "berkas/" in value:
            expected = "{tmp}/berkas/x.db (given with --db) does not exist"  # a read looks only
        assert err.startswith("error: ") and expected.format(tmp=tmp_path) in err, err
    assert sorted(tmp_path.rglob("*")) == before


def test_an_empty_postgres_database_gets_its_tables_from_a_writer_only() -> None:
    import uuid

    from tests.conftest import PG_BASE, _drop_pg, _pg_admin, _pg_url

    if not PG_BASE:
        pytest.skip("PostgreSQL counterpart; set EGOVCTL_TEST_PG to run")
    name = f"egovctl_empty_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        cli = Cli(_pg_url(name))
        err = cli.fails("request", "list").stderr
        assert "is empty; create its tables with 'egovctl procedure import FOLDER'" in err
        assert table_counts(cli.db_url) == {}
        cli.ok("calendar", "add", "2026-12-30", "--name", "Cuti bersama")
        assert cli.ok("request", "list", "--json").json() == []
    finally:
        _drop_pg(name)


def test_a_value_the_database_refuses_is_one_line(db) -> None:
    """A safety net under the input checks (PostgreSQL enforces column lengths)."""
    from sqlalchemy import text

    from egovctl.errors import DatabaseError
    from tests.conftest import BACKEND

    if BACKEND != "postgresql":
        pytest.skip("PostgreSQL counterpart; SQLite does not enforce column lengths")
    with pytest.raises(DatabaseError, match="the database refused a value: value too long") as err:
        with db.write() as session:
            session.execute(
                text("INSERT INTO reg_high_water (agency_code, year, last) VALUES (:c, 2026, 1)"),
                {"c": "X" * 40},
            )
    assert "\n" not in err.value.message and "INSERT" not in err.value.message
    assert table_counts(str(db.url.render_as_string(hide_password=False)))["reg_high_water"] == 0

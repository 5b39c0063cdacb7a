"""The base: configuration, database creation and schema checks, errors, start-up, help."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from egovctl.config import load_config
from tests.conftest import Cli, sqlite_only, table_counts

HEAVY = (
    "sqlmodel",
    "sqlalchemy",
    "jinja2",
    "weasyprint",
    "holidays",
    "babel",
    "openpyxl",
    "yaml",
    "psycopg",
    "alembic",
)


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from egovctl.cli import app; from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_help_and_one_noun_load_only_what_they_need() -> None:
    """`egovctl --help` loads no noun's commands; `egovctl config show` loads only its own."""
    code = (
        "import sys; from egovctl.cli import app; from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, {args!r}); assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in sys.modules if m.startswith('egovctl.commands.') "
        "and not m.split('.')[-1].startswith('_')))"
    )
    for args, loaded in (
        (["--help"], "[]"),
        (["config", "show", "--json"], "['egovctl.commands.config']"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", code.format(args=args)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == loaded, args


def test_misspelt_noun_gets_a_suggestion(cli: Cli) -> None:
    result = cli.fails("reqest", "list", code=2, db=False)
    assert "No such command 'reqest'. Did you mean 'request'?" in result.output


def _walk(group: object, path: tuple[str, ...] = ()):
    yield path, group
    if hasattr(group, "list_commands"):
        for name in group.list_commands(None):
            yield from _walk(group.get_command(None, name), (*path, name))


def test_every_command_has_help_text() -> None:
    from egovctl.cli import app

    root = typer.main.get_command(app)
    missing = [" ".join(p) for p, cmd in _walk(root) if p and not (cmd.help or "").strip()]
    assert missing == []
    names = {" ".join(p) for p, _ in _walk(root)}
    assert {
        "procedure import",
        "request log",
        "staff add",
        "audit verify",
        "db upgrade",
        "config show",
    } <= names


def test_version_flag(cli: Cli) -> None:
    assert cli.ok("--version", db=False).stdout.startswith("egovctl 0.")


def test_config_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "egovctl.toml"
    cfg.write_text('db = "kantor.db"\n[office]\nplace = "Gantung"\nnmae = "x"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    c = load_config(env={})
    assert c.db_url.value == f"sqlite:///{(tmp_path / 'kantor.db').resolve()}"
    assert c.db_url.source.startswith("config file")
    assert c.office.place == "Gantung"
    assert any("did you mean 'office.name'" in w for w in c.warnings)
    env = {"EGOVCTL_DB": "postgresql://u@h/egov", "EGOVCTL_USER": "budi"}
    c = load_config(env=env)
    assert c.db_url.value == "postgresql+psycopg://u@h/egov"
    assert c.db_url.source == "EGOVCTL_DB" and c.actor.value == "budi"
    c = load_config(cli_db="x.db", cli_as="sari", env=env)
    assert c.db_url.source == "--db" and c.actor.source == "--as"


def test_default_database_in_user_data_dir(tmp_path: Path) -> None:
    c = load_config(env={})
    assert c.db_url.source.startswith("default")
    assert str(tmp_path / "home") in c.db_url.value


def test_config_show_and_bad_config(cli: Cli, tmp_path: Path) -> None:
    shown = cli.ok("config", "show", "--json").json()
    assert shown["db"]["source"] == "--db"
    bad = tmp_path / "bad.toml"
    bad.write_text("db = \n", encoding="utf-8")
    err = cli.fails("--config", str(bad), "config", "show", db=False).stderr
    assert "not valid TOML" in err and "bad.toml" in err
    err = cli.fails("--config", str(tmp_path / "nope.toml"), "config", "show", db=False).stderr
    assert "does not exist" in err


def test_config_show_json_unset_values_are_null(cli: Cli) -> None:
    shown = cli.ok("config", "show", "--json").json()
    assert set(shown) == {
        "db",
        "config",
        "as",
        "templates",
        "locale",
        "office.government",
        "office.name",
        "office.address",
        "office.place",
        "office.logo",
        "office.timezone",
    }
    assert shown["templates"] == {"value": None, "source": "default (bundled only)"}
    assert shown["office.logo"] == {"value": None, "source": "default"}
    assert shown["config"]["value"] is None
    assert shown["office.timezone"]["value"] == "Asia/Jakarta"
    assert "-" not in [entry["value"] for entry in shown.values()]


def test_config_show_keeps_values_whole_at_80_columns(tmp_path: Path) -> None:
    """Long paths and URLs fold onto more lines instead of being cut with an ellipsis."""
    work = tmp_path / "a-rather-long-directory-name" / "kantor-mal-pelayanan-publik"
    work.mkdir(parents=True)
    logo = work / "aset" / "logo-kabupaten-belitung-timur-berwarna-resolusi-tinggi.png"
    (work / "egovctl.toml").write_text(
        f'templates = "templates-kantor"\n[office]\nlogo = "{logo}"\n', encoding="utf-8"
    )
    db = work / "data" / "egovctl-kantor-utama.db"
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run(
        [sys.executable, "-m", "egovctl", "--db", str(db), "config", "show"],
        capture_output=True,
        text=True,
        cwd=work,
        env={**env, "COLUMNS": "80"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in done.stdout
    # Each cell of the Value column, joined back up in order, holds every value whole.
    values = "".join(line.split("│")[2].strip() for line in lines if line.count("│") == 4)
    for value in (
        f"sqlite:///{db}",
        str(logo),
        str(work / "templates-kantor"),
        "Mal Pelayanan Publik",
    ):
        assert value.replace(" ", "") in values.replace(" ", ""), value


def test_unknown_config_key_is_a_warning(cli: Cli, tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('lokale = "id"\n', encoding="utf-8")
    result = cli.ok("--config", str(cfg), "config", "show", db=False)
    assert "warning:" in result.stderr and "did you mean 'locale'" in result.stderr


def test_migrated_schema_matches_models(db) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from egovctl.models import load_all

    load_all()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_head_constant_matches_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from egovctl.db import MIGRATIONS_DIR
    from egovctl.migrations import HEAD, KNOWN_REVISIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == HEAD
    assert set(KNOWN_REVISIONS) == {r.revision for r in script.walk_revisions()}


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
    """SPEC §17: a typo in --db must not make the data look gone."""
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


@sqlite_only
def test_outdated_database_is_refused_then_upgraded(cli: Cli) -> None:
    cli.ok("procedure", "list")
    path = cli.db_url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0000'")
    conn.commit()
    conn.close()
    err = cli.fails("procedure", "list").stderr
    assert "unknown to this egovctl" in err


@sqlite_only
def test_foreign_sqlite_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "lain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE penduduk (x)")
    conn.close()
    err = Cli(str(path)).fails("procedure", "list").stderr
    assert "not an egovctl database" in err


def test_unreachable_postgres_is_one_clean_line(tmp_path: Path) -> None:
    cli = Cli("postgresql+psycopg://nobody@127.0.0.1:1/egov?connect_timeout=2")
    err = cli.fails("procedure", "list").stderr
    assert err.count("\n") <= 2 and "cannot reach the database server" in err


def test_debug_shows_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "egovctl",
            "--db",
            str(tmp_path / "x.db"),
            "--debug",
            "procedure",
            "show",
            "NOPE",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "Traceback" in done.stderr
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "egovctl",
            "--db",
            str(tmp_path / "x.db"),
            "procedure",
            "show",
            "NOPE",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_usage_error_exits_2(cli: Cli) -> None:
    assert cli("procedure", "list", "--bogus").exit_code == 2
    assert cli("request", "log").exit_code == 2


def test_json_output_is_only_json(cli: Cli) -> None:
    out = cli.ok("procedure", "list", "--json").stdout
    assert json.loads(out) == []


def test_older_schema_refused_until_db_upgrade(tmp_path: Path) -> None:
    from egovctl.db import Database
    from egovctl.migrations import HEAD
    from tests.conftest import BACKEND

    if BACKEND != "sqlite":
        pytest.skip("the file backup part needs SQLite; PostgreSQL upgrades are in CI's run")
    path = tmp_path / "lama.db"
    old = Database(f"sqlite:///{path}")
    old.migrate("0001")
    old.dispose()
    cli = Cli(str(path))
    err = cli.fails("procedure", "list").stderr
    assert "older schema (0001)" in err and "egovctl db upgrade" in err
    out = cli.ok("db", "upgrade", "--json").json()
    assert out["from"] == "0001" and out["to"] == HEAD
    assert Path(out["backup"]).exists()
    # Named in the office's time, like the files of db backup and db restore.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    stamp = datetime.strptime(Path(out["backup"]).name.split(".")[3], "%Y%m%d-%H%M%S")
    office_now = datetime.now(ZoneInfo("Asia/Jakarta")).replace(tzinfo=None)
    assert abs((office_now - stamp).total_seconds()) < 120
    assert cli.ok("procedure", "list", "--json").json() == []
    assert "nothing to do" in cli.ok("db", "upgrade").stdout


def test_progress_bar_appears_after_a_second() -> None:
    from egovctl.commands._output import LazyProgress

    bar = LazyProgress()
    bar("reading", 0, 2)
    assert bar.bar is None  # quick work shows nothing
    bar.start -= 2  # as if two seconds had passed
    bar("writing", 1, 2)
    bar("writing", 2, 2)
    assert bar.bar is not None
    bar.close()


@sqlite_only
def test_a_finished_process_closes_its_database(tmp_path: Path) -> None:
    """egovctl skips the interpreter's exit-time garbage collection, so it must close its
    connections itself: SQLite removes the -wal and -shm files only when the last one closes
    (after a checkpoint), so a leftover file means a connection was abandoned."""
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "kantor.db"
    run = [sys.executable, "-m", "egovctl", "--db", str(db)]
    bundled = str(Path(__file__).parent.parent / "procedures")
    for args, code in (
        (["procedure", "import", bundled], 0),
        (
            [
                "request",
                "log",
                "DUKCAPIL-KTP-EL",
                "--name",
                "Siti Aminah",
                "--nik",
                "1906034507890001",
            ],
            0,
        ),
        (["request", "show", "DISDUKCAPIL-2099-000001"], 1),
    ):
        done = subprocess.run([*run, *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == code, done.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["kantor.db"], args
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM service_request").fetchone() == (1,)


def test_blank_or_odd_settings_are_refused_not_guessed(cli: Cli, tmp_path: Path) -> None:
    from egovctl.errors import ConfigError

    with pytest.raises(ConfigError, match="the database value is empty"):
        load_config(cli_db="", env={})
    for value in ("", " "):
        with pytest.raises(ConfigError, match="--as is empty"):
            load_config(cli_as=value, env={})
    with pytest.raises(ConfigError, match="EGOVCTL_USER is empty"):
        load_config(env={"EGOVCTL_USER": "  "})
    with pytest.raises(ConfigError, match="holds control characters"):
        load_config(cli_as="a\x1b[31m", env={})
    with pytest.raises(ConfigError, match=r"--as 'aaaaaaaaaaaaaaaaaaaa'\.\.\. is longer than 64"):
        load_config(cli_as="a" * 100_000, env={})
    assert load_config(cli_as="a" * 64, env={}).actor.value == "a" * 64
    for invisible in ("admin\u202e1nimda", "admin\u200b", "\ufeffadmin"):
        with pytest.raises(ConfigError, match="holds control characters or invisible"):
            load_config(cli_as=invisible, env={})
    assert load_config(cli_as=" sari ", env={}).actor.value == "sari"
    before = table_counts(cli.db_url)
    err = cli.fails("calendar", "add", "2026-12-30", "--name", "x", user=" ").stderr
    assert "--as is empty" in err and table_counts(cli.db_url) == before


def test_config_locale_and_timezone_name_the_file(tmp_path: Path) -> None:
    from egovctl.errors import ConfigError

    cfg = tmp_path / "egovctl.toml"
    cfg.write_text('locale = "fr"\n', encoding="utf-8")
    warnings = load_config(cli_config=str(cfg), env={}).warnings
    assert any("locale 'fr' is not supported" in w and str(cfg) in w for w in warnings)
    cfg.write_text('[office]\ntimezone = "Asia/Manggar"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=f"config file {cfg}: unknown timezone 'Asia/Manggar'"):
        load_config(cli_config=str(cfg), env={})


def test_a_config_directory_is_named_as_such(tmp_path: Path) -> None:
    from egovctl.errors import ConfigError

    with pytest.raises(ConfigError, match="is a directory, not a file .named by EGOVCTL_CONFIG"):
        load_config(env={"EGOVCTL_CONFIG": str(tmp_path)})
    with pytest.raises(ConfigError, match="is a directory, not a file .given with --config"):
        load_config(cli_config=str(tmp_path), env={})


# -- a database on read-only media (SPEC §17, issue 13 item 20) ----------------------------

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
        "request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik", "1906034507890001"
    ).stdout.split()[0]
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


def _interrupted_check(*_args: object, **_kw: object) -> None:
    raise KeyboardInterrupt


def _interrupted_prompt(*_args: object, **_kw: object) -> None:
    # What Click's prompt and confirm do with Ctrl-C.
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        raise typer.Abort() from None


@pytest.mark.parametrize("stop", [_interrupted_check, _interrupted_prompt], ids=["work", "prompt"])
def test_ctrl_c_exits_130_with_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch, stop) -> None:
    from egovctl import db_admin

    monkeypatch.setattr(db_admin, "check", stop)
    result = cli("db", "check")
    assert result.exit_code == 130, result.output
    assert result.stderr == "error: interrupted; nothing was changed by the unfinished command\n"
    assert result.stdout == ""


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

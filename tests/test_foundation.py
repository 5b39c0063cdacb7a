"""The base: configuration, database creation and schema checks, errors, start-up, help."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from egovctl.config import load_config
from tests.conftest import Cli, egovctl_argv, sqlite_only, table_counts, terminal

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
        "lang",
        "office.government",
        "office.name",
        "office.address",
        "office.place",
        "office.logo",
        "office.timezone",
        "survey.weight",
        "survey.population",
        "complaints.respond_days",
        "staff.session_hours",
        *(
            f"sign.{key}"
            for key in (
                "key",
                "cert",
                "chain",
                "passphrase_env",
                "command",
                "name",
                "title",
                "verify_url",
                "tsa_url",
                "trust",
            )
        ),
        *(f"notify.{key}" for key in ("survey_url", "max_attempts", "timeout", "retry_seconds")),
        *(f"notify.email.{key}" for key in ("host", "port", "starttls", "sender", "username")),
        *(f"notify.{ch}.{key}" for ch in ("wa", "sms") for key in ("gateway", "url", "session")),
    }
    assert shown["sign.key"] == {"value": None, "source": "default"}
    assert shown["sign.passphrase_env"]["value"] == "EGOVCTL_SIGN_PASSPHRASE"
    assert shown["templates"] == {"value": None, "source": "default (bundled only)"}
    assert shown["office.logo"] == {"value": None, "source": "default"}
    assert shown["config"]["value"] is None
    assert shown["office.timezone"]["value"] == "Asia/Jakarta"
    assert "-" not in [entry["value"] for entry in shown.values()]


def test_config_show_keeps_values_whole_at_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long paths and URLs fold onto more lines instead of being cut with an ellipsis."""
    work = tmp_path / "a-rather-long-directory-name" / "kantor-mal-pelayanan-publik"
    work.mkdir(parents=True)
    logo = work / "aset" / "logo-kabupaten-belitung-timur-berwarna-resolusi-tinggi.png"
    (work / "egovctl.toml").write_text(
        f'templates = "templates-kantor"\n[office]\nlogo = "{logo}"\n', encoding="utf-8"
    )
    db = work / "data" / "egovctl-kantor-utama.db"
    monkeypatch.chdir(work)
    with terminal(80):
        done = Cli(str(db)).ok("config", "show")
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
    from egovctl.models.request import HOLD_INDEXES
    from egovctl.requests.search import is_index_table

    load_all()
    # The name-search index (FTS5 on SQLite) is made of tables no model describes; the
    # partial indexes of hold events are declared by their migration alone.
    opts = {
        "include_name": lambda name, type_, parents: (
            not (is_index_table(name) or name in HOLD_INDEXES)
        )
    }
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), SQLModel.metadata)
    assert diff == []


def test_commands_do_not_load_the_postgresql_dialect_on_sqlite() -> None:
    """A dialect option in a model (postgresql_where=...) makes SQLAlchemy import its whole
    PostgreSQL dialect, 35 ms, in every command that loads the models."""
    import subprocess
    import sys

    code = (
        "import sys; from egovctl.models import load_all; load_all(); "
        "print('sqlalchemy.dialects.postgresql' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


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
    from egovctl.errors import EgovError

    cli = Cli(str(tmp_path / "x.db"))
    # --debug lets the error through to Python, which prints its traceback.
    with pytest.raises(EgovError):
        cli("--debug", "procedure", "show", "NOPE")
    cli.fails("procedure", "show", "NOPE")  # exit 1, "error: ...", no traceback


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
    run = egovctl_argv("--db", str(db))
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


def test_upgrade_to_0013_keeps_the_audit_chain(catalogue: Cli) -> None:
    """Migration 0013 (down and up again on a database holding records): the audit chain
    still verifies, audit_log.hash has no unique index any more, and the two partial indexes
    of hold events exist."""
    import sqlalchemy as sa

    from egovctl.db import Database
    from tests.conftest import migrate_down

    catalogue.ok("request", "log", "DUKCAPIL-KTP-EL", "--name", "Siti Aminah", "--nik",
                 "1906034507890001")  # fmt: skip
    before = catalogue.ok("audit", "verify", "--json").json()
    migrate_down(catalogue.db_url, "0012")
    database = Database(catalogue.db_url)
    try:
        with database.engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert any(
                u["column_names"] == ["hash"] for u in inspector.get_unique_constraints("audit_log")
            )
            assert "ix_request_event_holds" not in {
                i["name"] for i in inspector.get_indexes("request_event")
            }
    finally:
        database.dispose()
    catalogue.ok("db", "upgrade")
    after = catalogue.ok("audit", "verify", "--json").json()
    assert after["records"] == before["records"] + 1  # the upgrade is recorded too
    database = Database(catalogue.db_url)
    try:
        with database.engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert not any(
                u["column_names"] == ["hash"] for u in inspector.get_unique_constraints("audit_log")
            )
            indexes = {i["name"] for i in inspector.get_indexes("request_event")}
            assert {"ix_request_event_holds", "ix_request_event_resumes"} <= indexes
    finally:
        database.dispose()
    catalogue.ok("request", "list", "--json")

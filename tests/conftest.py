"""Shared fixtures: an isolated environment, a fresh database per test, a CLI runner.

The database backend is chosen by one environment variable: unset, each test gets a copy of
a SQLite file migrated once per run; with ``EGOVCTL_TEST_PG`` set to a PostgreSQL server URL
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) each test gets its own
database cloned from a migrated template database.

The clock: a test that reads "now" pins it with the ``clock`` fixture (time-machine). With
``EGOVCTL_TEST_CLOCK_SHIFT_DAYS=N`` the whole run starts N days ahead of the real date
(``.ci/clock-ahead`` runs it a year ahead), so a test that forgot to pin the clock fails today
rather than on some future morning; a pinned ``clock`` overrides the shift.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = ROOT / "procedures"
PG_BASE = os.environ.get("EGOVCTL_TEST_PG", "").strip()
BACKEND = "postgresql" if PG_BASE else "sqlite"

# A fixed, wide console so rich tables never wrap differently between machines.
os.environ["COLUMNS"] = "200"
os.environ["TERM"] = "dumb"
os.environ.pop("EGOVCTL_DEBUG", None)


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"egovctl test database: {BACKEND}"]
    if _SHIFT in config.stash:
        days = _shift_days()
        lines.append(f"egovctl test clock: {days} days ahead of the real date")
    return lines


# -- the clock -----------------------------------------------------------------------------


def _shift_days() -> int:
    raw = os.environ.get("EGOVCTL_TEST_CLOCK_SHIFT_DAYS", "").strip()
    try:
        return int(raw or 0)
    except ValueError:
        raise pytest.UsageError(
            f"EGOVCTL_TEST_CLOCK_SHIFT_DAYS must be a whole number of days, not {raw!r}"
        ) from None


_SHIFT = pytest.StashKey[time_machine.travel]()
# Whether the clock in force ticks: the session shift does, a pinned clock need not.
_clock_ticks: list[bool] = []


def pytest_configure(config: pytest.Config) -> None:
    # Started here rather than in a fixture, so code run at collection sees the shift too.
    days = _shift_days()
    if days:
        ahead = datetime.now(UTC) + timedelta(days=days)
        config.stash[_SHIFT] = time_machine.travel(ahead, tick=True)
        config.stash[_SHIFT].start()
        _clock_ticks.append(True)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SHIFT in config.stash:
        config.stash[_SHIFT].stop()
        _clock_ticks.pop()


class Clock:
    """This test's "now": ``clock.travel("2026-11-27T09:00+07:00")`` pins it there (for this
    process and, through ``python_argv``, its children); ``clock.shift(days=3)`` moves it on.

    ``tick=True`` lets it run on from the destination, for code that waits on the clock.
    """

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None
        self._traveller: time_machine.Traveller | None = None

    def travel(self, destination: str | datetime, *, tick: bool = False) -> None:
        if isinstance(destination, str):
            destination = datetime.fromisoformat(destination)
        if destination.tzinfo is None:
            raise ValueError("give the clock a timezone, e.g. 2026-11-27T09:00+07:00")
        self.stop()
        self._travel = time_machine.travel(destination, tick=tick)
        self._traveller = self._travel.start()
        _clock_ticks.append(tick)

    def shift(self, **delta: float) -> None:
        if self._traveller is None:
            raise RuntimeError("clock.travel(...) first, then shift it")
        self._traveller.shift(timedelta(**delta))

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            _clock_ticks.pop()
            self._travel = self._traveller = None


@pytest.fixture
def clock() -> Iterator[Clock]:
    pinned = Clock()
    yield pinned
    pinned.stop()


# Runs a child's `-m module`, `-c code` or script as python would, after travelling to the
# parent's "now": time-machine patches one process, and a child left on the real date would
# disagree with its parent about which day it is.
_CHILD_CLOCK = """import datetime, os, runpy, sys, time_machine
now, mode, *args = sys.argv[1:]
time_machine.travel(datetime.datetime.fromisoformat(now), tick=mode == "tick").start()
if args[0] == "-m":
    sys.argv = [args[1], *args[2:]]
    runpy.run_module(args[1], run_name="__main__", alter_sys=True)
elif args[0] == "-c":
    sys.argv = ["-c", *args[2:]]
    exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})
else:
    sys.argv = args
    sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
    runpy.run_path(args[0], run_name="__main__")
"""


def python_argv(*args: str) -> list[str]:
    """``[sys.executable, *args]`` for a child process that keeps this test's clock.

    ``python_argv("-m", "egovctl", "--db", url, ...)`` is the installed command, run the way
    a user runs it but without depending on PATH.
    """
    if not _clock_ticks:
        return [sys.executable, *args]
    now = datetime.now(UTC).isoformat()
    return [sys.executable, "-c", _CHILD_CLOCK, now, "tick" if _clock_ticks[-1] else "pin", *args]


def egovctl_argv(*args: str) -> list[str]:
    """The ``egovctl`` command in a child process (see ``python_argv``)."""
    return python_argv("-m", "egovctl", *args)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test reads the developer's own config, data dir or environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for var in ("EGOVCTL_DB", "EGOVCTL_CONFIG", "EGOVCTL_USER", "EGOVCTL_DEBUG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    # The suite asserts the source (English) wording of the terminal; tests/test_i18n.py
    # checks the Indonesian that users get by default.
    monkeypatch.setenv("EGOVCTL_LANG", "en")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work
    # A command run in this process chose its language for the process; the next test starts
    # in English again, as a fresh process would.
    from egovctl import i18n

    i18n.set_language("en")


# -- databases -----------------------------------------------------------------------------


def _pg_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_BASE).set(database=name).render_as_string(hide_password=False)


def _pg_admin(sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _migrated(tmp_path_factory: pytest.TempPathFactory, label: str, with_catalogue: bool) -> str:
    """Create one migrated database (optionally holding the bundled catalogue)."""
    from egovctl.db import Database

    if PG_BASE:
        name = f"egovctl_{label}_{uuid.uuid4().hex[:10]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        url = _pg_url(name)
        ref = name
    else:
        path = tmp_path_factory.mktemp(label) / f"{label}.db"
        url = ref = f"sqlite:///{path}"
        ref = str(path)
    db = Database(url)
    db.migrate()
    if with_catalogue:
        from egovctl.catalogue.store import import_catalogue

        import_catalogue(db, "setup", [str(PROCEDURES)])
    db.dispose()
    return ref


def _drop_pg(name: str) -> None:
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head once per test run."""
    ref = _migrated(tmp_path_factory, "tpl", with_catalogue=False)
    yield ref
    if PG_BASE:
        _drop_pg(ref)


@pytest.fixture(scope="session")
def catalogue_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database holding the bundled catalogue, imported once per run."""
    ref = _migrated(tmp_path_factory, "cat", with_catalogue=True)
    yield ref
    if PG_BASE:
        _drop_pg(ref)


def _clone(template: str, tmp_path: Path) -> Iterator[str]:
    if PG_BASE:
        name = f"egovctl_t_{uuid.uuid4().hex[:12]}"
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        yield _pg_url(name)
        _drop_pg(name)
    else:
        path = tmp_path / "egovctl.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def db_url(template_db: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    yield from _clone(template_db, tmp_path)


@pytest.fixture
def db(db_url: str) -> Iterator[object]:
    from egovctl.db import Database

    database = Database(db_url)
    yield database
    database.dispose()


sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="needs a SQLite file database")
postgres_only = pytest.mark.skipif(
    BACKEND != "postgresql", reason="PostgreSQL counterpart; set EGOVCTL_TEST_PG to run"
)


# -- the CLI -------------------------------------------------------------------------------


def _cache_command_tree() -> None:
    """Build the Click command tree once per run instead of once per invocation.

    Typer rebuilds it on every ``CliRunner.invoke``; the tree never changes during a run.
    """
    import typer.testing

    build = typer.testing._get_command
    built: dict[int, object] = {}

    def cached(app: object) -> object:
        if id(app) not in built:
            built[id(app)] = build(app)  # type: ignore[arg-type]
        return built[id(app)]

    typer.testing._get_command = cached  # type: ignore[assignment]


_cache_command_tree()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> object:
        import json

        return json.loads(self.stdout)


class Cli:
    """Runs egovctl in-process against one database, as a user would type it."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.runner = CliRunner()

    def __call__(
        self, *args: str, user: str | None = None, input: str | None = None, db: bool = True
    ) -> Result:
        from egovctl.cli import app

        argv: list[str] = []
        if db:
            argv += ["--db", self.db_url]
        if user:
            argv += ["--as", user]
        result = self.runner.invoke(app, [*argv, *args], input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kw: object) -> Result:
        result = self(*args, **kw)  # type: ignore[arg-type]
        assert result.exit_code == 0, result.output
        return result

    def fails(self, *args: str, code: int = 1, **kw: object) -> Result:
        result = self(*args, **kw)  # type: ignore[arg-type]
        assert result.exit_code == code, result.output
        if code == 1:
            assert result.stderr.startswith("error: "), result.stderr
            assert "Traceback" not in result.output
        return result


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def catalogue(db_url: str, catalogue_template: str) -> Cli:
    """The test's database (the same one ``db`` and ``cli`` use), holding the bundled
    catalogue: a copy of a database it was imported into once per run (by user 'setup')."""
    if PG_BASE:
        from sqlalchemy.engine import make_url

        name = make_url(db_url).database
        _drop_pg(name)
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{catalogue_template}"')
    else:
        shutil.copyfile(catalogue_template, db_url.removeprefix("sqlite:///"))
    return Cli(db_url)


@contextmanager
def terminal(width: int) -> Iterator[None]:
    """The shared console as an N-column terminal (conftest fixes it at 200)."""
    from egovctl.commands._output import console

    real = console.real()
    old = real.width
    real.width = width
    try:
        yield
    finally:
        real.width = old


def migrate_down(db_url: str, revision: str) -> None:
    """Take a database back to an older schema revision with its migrations' downgrades
    (egovctl itself only upgrades), so a test can run the upgrade again on the data."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from egovctl.db import MIGRATIONS_DIR, Database

    database = Database(db_url)
    try:
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with database.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        database.dispose()


def table_counts(db_url: str) -> dict[str, int]:
    """Row counts of every table: 'the database as it was' in one comparable value."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in sorted(inspect(conn).get_table_names())
            }
    finally:
        engine.dispose()

"""The database: one engine, read and write sessions, schema checks and migrations.

Everything that must differ between SQLite and PostgreSQL is decided here (connection
pragmas, how a write transaction begins, upserts, backups), so the rest of the code is
written once for both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from egovctl.errors import DatabaseError, SchemaOutdated
from egovctl.i18n import _
from egovctl.migrations import HEAD, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _describe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def table_of(model: type[Any]) -> Table:
    """The Core table of a SQLModel table class, typed (``Model.__table__`` is not)."""
    return cast("Table", model.__table__)


class Database:
    """An egovctl database reachable at ``url``.

    ``origin`` says where the URL came from ("given with --db"), for the message about a
    missing file.
    """

    def __init__(self, url: str, *, origin: str | None = None) -> None:
        from sqlalchemy.engine import make_url

        self.origin = origin
        try:
            self.url = make_url(url)
        except Exception:
            raise DatabaseError(
                _(
                    "'{url}' is not a database path or URL; use a file path or e.g. "
                    "postgresql+psycopg://user@host:5432/egovctl"
                ).format(url=url)
            ) from None
        self.dialect = self.url.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise DatabaseError(
                _(
                    "unsupported database '{dialect}' in {url}; "
                    "use SQLite (a file path) or PostgreSQL (postgresql+psycopg://...)"
                ).format(dialect=self.dialect, url=_describe(url))
            )
        if self.is_sqlite and self.url.database in (None, "", ":memory:"):
            raise DatabaseError(
                _(
                    "{url} is a database in memory, which keeps nothing after the "
                    "command; give a file path such as egovctl.db"
                ).format(url=url)
            )
        self._engine: Engine | None = None
        self.read_only = False

    # -- engine ---------------------------------------------------------------------------
    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def describe(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    def _make_engine(self) -> Engine:
        from sqlalchemy import create_engine, event

        if self.is_sqlite:
            url: Any = self.url
            read_only = self._read_only_uri()
            if read_only is not None:
                url, self.read_only = read_only, True
            engine = create_engine(url, connect_args={"timeout": 30})

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                # Let us issue BEGIN ourselves, so writers can take the lock up front.
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                # WAL is a property of the file, set when egovctl creates it (see migrate);
                # setting it here would also rewrite a foreign file before it is refused.
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.close()

            @event.listens_for(engine, "begin")
            def _on_begin(conn: Any) -> None:
                # A writer that began deferred could fail to upgrade its lock while another
                # counter writes ("database is locked"); BEGIN IMMEDIATE waits its turn instead.
                mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
                conn.exec_driver_sql(f"BEGIN {mode}")

            return engine
        return create_engine(self.url, pool_pre_ping=False)

    def _read_only_uri(self) -> Any:
        """A read-only URL for a SQLite file in a folder egovctl cannot write, else None.

        SQLite keeps a WAL database's -wal and -shm files beside it and creates them on first
        read, which a read-only disk or folder (a backup being checked, a CD) forbids. Such a
        file is opened read-only; ``immutable`` lets SQLite read it without the -shm file,
        which is right only while no -wal file holds changes: those need the -shm file too.
        """
        from urllib.parse import quote

        from sqlalchemy.engine import URL

        path = self.sqlite_path
        if path is None or not path.exists() or os.access(path.parent, os.W_OK):
            return None
        wal = path.with_name(path.name + "-wal")
        shm = path.with_name(path.name + "-shm")
        if all(p.exists() and os.access(p, os.W_OK) for p in (path, wal, shm)):
            return None  # an office's shared file: SQLite writes through the files there
        query = {"mode": "ro", "uri": "true"}
        if wal.exists() and wal.stat().st_size > 0:
            if not shm.exists():
                raise DatabaseError(
                    _(
                        "{path} has changes still in {wal} and its folder {folder} "
                        "is read-only, so they cannot be read; copy the database together "
                        "with {wal} to a writable folder, or make the folder writable"
                    ).format(path=path, wal=wal.name, folder=path.parent)
                )
        else:
            query["immutable"] = "1"
        return URL.create("sqlite", database="file:" + quote(str(path.resolve())), query=query)

    def create_folder(self) -> None:
        """The folder of a SQLite file about to be created (only commands that write do)."""
        path = self.sqlite_path
        if path is None or path.parent.is_dir():
            return
        blocker = next((p for p in path.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise DatabaseError(
                _("cannot create the database {path}: {blocker} is a file, not a folder").format(
                    path=path, blocker=blocker
                )
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                _("cannot create the folder {folder} for the database: {reason}").format(
                    folder=path.parent, reason=exc.strerror or exc
                )
            ) from None

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- sessions -------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with self._translate_errors(), Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls everything back on any error."""
        from sqlmodel import Session

        bind = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with self._translate_errors(), Session(bind) as session:
            with session.begin():
                yield session

    def _translate_errors(self) -> AbstractContextManager[None]:
        from egovctl.db_errors import translating

        return translating(self.describe())

    # -- schema ---------------------------------------------------------------------------
    def current_revision(self) -> str | None:
        """The schema revision stamped in the database, None for an empty one."""
        from sqlalchemy import inspect, text
        from sqlalchemy.exc import DBAPIError

        with self._translate_errors(), self.engine.connect() as conn:
            # The common case in one cheap query; reflection only when the table is missing.
            try:
                with conn.begin_nested() if conn.in_transaction() else conn.begin():
                    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
                if row:
                    return str(row[0])
            except DBAPIError as exc:
                if "alembic_version" not in str(exc):
                    raise
                conn.rollback()
            names = inspect(conn).get_table_names()
            if "alembic_version" not in names:
                if names:
                    raise DatabaseError(
                        _("{database} holds tables but is not an egovctl database").format(
                            database=self.describe()
                        )
                    )
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            conn.rollback()
            if row is None and len(names) > 1:
                raise DatabaseError(
                    _(
                        "{database} records no schema revision although it holds tables; "
                        "it is damaged or not an egovctl database: restore a backup"
                    ).format(database=self.describe())
                )
            return row[0] if row else None

    def ensure_ready(self, *, create: bool = True) -> None:
        """Create a missing database at head (``create``, for commands that write); refuse a
        missing or empty one otherwise, and an outdated or foreign one always."""
        path = self.sqlite_path
        if path is not None and path.exists() and not path.is_file():
            if path.is_dir():
                raise DatabaseError(
                    _("{path} is a directory, not a database file; check the --db path").format(
                        path=path
                    )
                )
            raise DatabaseError(
                _("{path} is a device or pipe, not a database file; check the --db path").format(
                    path=path
                )
            )
        if path is not None and not path.exists():
            if not create:
                if self.origin:
                    raise DatabaseError(
                        _(
                            "database file {path} ({origin}) does not exist; check the path, "
                            "or create one with 'egovctl procedure import FOLDER' or "
                            "'egovctl db upgrade'"
                        ).format(path=path, origin=self.origin)
                    )
                raise DatabaseError(
                    _(
                        "database file {path} does not exist; check the path, "
                        "or create one with 'egovctl procedure import FOLDER' or "
                        "'egovctl db upgrade'"
                    ).format(path=path)
                )
            self.create_folder()
        rev = self.current_revision()
        if rev == HEAD:
            self._keep_wal()
            return
        if rev is None:
            if not create:
                raise DatabaseError(
                    _(
                        "the database {database} is empty; create its tables with "
                        "'egovctl procedure import FOLDER' or 'egovctl db upgrade'"
                    ).format(database=self.describe())
                )
            self.migrate()
            return
        if rev in KNOWN_REVISIONS:
            raise SchemaOutdated(
                _(
                    "the database {database} has an older schema ({revision}); "
                    "run 'egovctl db upgrade' (it backs the file up first)"
                ).format(database=self.describe(), revision=rev)
            )
        raise DatabaseError(
            _(
                "the database {database} has schema revision {revision}, unknown to this "
                "egovctl; it was made by a newer version or is not an egovctl database"
            ).format(database=self.describe(), revision=rev)
        )

    def _keep_wal(self) -> None:
        """Counters read while others write: an egovctl SQLite file stays in WAL mode (a bulk
        load that was killed half-way may have left it in rollback-journal mode)."""
        if not self.is_sqlite:
            return
        engine = self.engine  # decides whether the file is opened read-only
        if self.read_only:
            return
        raw = engine.raw_connection()  # outside any transaction, as the switch needs
        try:
            driver = raw.driver_connection
            if driver is None:  # pragma: no cover - a pooled connection always has one
                return
            if driver.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                driver.execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()

    def migrate(self, target: str = "head") -> None:
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        self._keep_wal()
        with self._translate_errors(), self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)

    def upgrade(self, stamp: str | None = None) -> tuple[str | None, str, Path | None]:
        """Back the file up, then migrate to head. Returns (from, to, backup path).

        ``stamp`` names the backup (the office's time, from the caller); default local time.
        """
        self.create_folder()
        rev = self.current_revision()
        if rev == HEAD:
            return rev, HEAD, None
        if rev is not None and rev not in KNOWN_REVISIONS:
            raise DatabaseError(
                _(
                    "schema revision {revision} is unknown to this egovctl; cannot upgrade it"
                ).format(revision=rev)
            )
        from egovctl.timeutil import now_utc

        backup = None
        if rev is not None and self.sqlite_path is not None:
            stamp = stamp or now_utc().astimezone().strftime("%Y%m%d-%H%M%S")
            backup = self.sqlite_path.with_name(f"{self.sqlite_path.name}.{rev}.{stamp}.bak")
            self.backup_to(backup)
        self.migrate()
        return rev, HEAD, backup

    def backup_to(self, target: Path) -> None:
        """A consistent copy of a SQLite database, also while counters keep writing."""
        import sqlite3

        if self.sqlite_path is None:
            raise DatabaseError(_("file backup works on SQLite databases only"))
        # Read through the engine's own connection: it is opened read-only where the folder
        # cannot be written (a backup being checked on read-only media).
        raw = self.engine.raw_connection()
        tmp = target.with_name(target.name + ".part")
        try:
            src = raw.driver_connection
            if not isinstance(src, sqlite3.Connection):  # pragma: no cover - pysqlite always
                raise DatabaseError(
                    _("cannot read {database} for a backup").format(database=self.describe())
                )
            dst = sqlite3.connect(str(tmp))
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
        except BaseException:
            tmp.unlink(missing_ok=True)  # never leave half a backup behind
            raise
        finally:
            raw.close()
        shutil.move(str(tmp), str(target))


def open_database(
    url: str, *, create: bool = True, check: bool = True, origin: str | None = None
) -> Database:
    db = Database(url, origin=origin)
    if check:
        try:
            db.ensure_ready(create=create)
        except BaseException:
            db.dispose()  # a refused file is left as it was, without -wal/-shm beside it
            raise
    return db


@contextmanager
def bulk_objects() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bulk change builds tens of thousands
    of short-lived rows, dicts and tuples (a calendar change moving every open request's due
    date): none of them is in a reference cycle, so reference counting frees them all, and
    the collections their allocations would trigger, each walking every object the imports
    made, cost 60 ms of such a change (bench/README.md, issue 20)."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def executemany(session: Session, statement: Any, rows: list[dict[str, Any]]) -> None:
    """Run one Core INSERT or UPDATE for many rows through the driver's own executemany.

    For a bulk write of thousands of rows (a calendar change moving every open request's due
    date), SQLAlchemy's per-row parameter processing costs about as much as the database's
    work; here the statement is compiled once and each row's values are given to the driver
    as it takes them: numbers and text as they are, dates and aware datetimes as SQLAlchemy
    itself stores them (ISO text in UTC on SQLite, see ``models.base.AwareDateTime``; native
    values on PostgreSQL). Every row must have the same keys.
    """
    from datetime import UTC, date, datetime

    if not rows:
        return
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    compiled = statement.compile(dialect=conn.dialect, column_keys=list(rows[0]))

    as_is = {str, int, float, bool, bytes, type(None)}
    # A bulk write repeats a few dates and one time stamp over thousands of rows: each is
    # converted once.
    converted: dict[Any, Any] = {}

    def convert(v: Any) -> Any:
        if isinstance(v, datetime):
            if v.tzinfo is None:
                raise ValueError("naive datetime given for a timezone-aware column")
            v = v.astimezone(UTC)
            return v.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else v
        if isinstance(v, date) and sqlite:
            return v.isoformat()
        return v

    def value(v: Any) -> Any:
        if type(v) in as_is:
            return v
        try:
            return converted[v]
        except KeyError:
            result = converted[v] = convert(v)
            return result
        except TypeError:  # not hashable
            return convert(v)

    # Column by column: a column of plain values (most of them) is passed on as it is.
    keys = list(compiled.positiontup or []) if compiled.positional else list(rows[0])
    columns = []
    for key in keys:
        column = [row[key] for row in rows]
        if not set(map(type, column)) <= as_is:
            column = [value(v) for v in column]
        columns.append(column)
    params: list[Any] = list(zip(*columns, strict=True))
    if not compiled.positional:
        params = [dict(zip(keys, values, strict=True)) for values in params]
    conn.exec_driver_sql(compiled.string, params)

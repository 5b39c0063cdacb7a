"""Writing a demo history into the database in bulk, inside one transaction.

Rows are plain values in their stored form, written with the driver's executemany in
batches: on SQLite as multi-row INSERTs, through a rollback journal for large loads, with
the secondary indexes rebuilt once at the end; on PostgreSQL as rows, which psycopg
pipelines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from egovctl.db import Database

Progress = Callable[[str, int, int], None]

#: On SQLite, rows per INSERT statement: a multi-row VALUES list costs a fraction of as many
#: single-row statements (half the time for events). Each stays within 999 parameters, the
#: limit of SQLite builds before 3.32.
REQUESTS_PER_INSERT = 39
EVENTS_PER_INSERT = 166
#: From this many new requests (and at least as many as there are), indexes are rebuilt.
REBUILD_AT = 50_000

# fmt: off
REQUEST_COLUMNS = (
    "id", "reg_no", "agency_id", "procedure_id", "version_id", "status", "step",
    "applicant_name", "applicant_name_fold", "nik", "phone", "address", "channel", "note",
    "received_at", "received_date", "due_date", "hold_started", "ready_at", "ready_date",
    "delivered_at", "delivered_to", "closed_at", "closed_date", "updated_at",
)
# fmt: on
EVENT_COLUMNS = ("request_id", "seq", "at", "action", "actor", "note")
REQUEST_WIDTH, EVENT_WIDTH = len(REQUEST_COLUMNS), len(EVENT_COLUMNS)


@contextmanager
def load_transaction(db: Database, n: int) -> Iterator[Session]:
    """``Database.write``, with settings for a load made on SQLite when the write session
    takes its connection from the pool, before the BEGIN that ``Database`` issues (SQLite
    ignores them inside a transaction), and restored once the transaction is over, before
    the connection is used again.

    Foreign keys are not checked: every row refers to ids read inside this same transaction,
    so the checks (a primary-key look-up per reference: three per request, one per event)
    could only pass; skipping them saves a tenth of the load.

    A large load (see ``is_large``) goes through a rollback journal instead of the WAL when
    no other connection has the database open. Through the WAL every new page is written
    twice, to the WAL and again by the checkpoint at commit, and while the transaction is
    open each page read looks in the WAL first; a rollback journal keeps only the pages that
    existed before (a few), so new pages go straight to the database file: a third less CPU
    for a million requests, and no WAL as large as the database left on disk. It is as safe:
    an error rolls back, and after a crash the journal puts the old pages back the next time
    the database is opened (synchronous=FULL meanwhile, as a rollback journal needs against
    power loss). The database is a WAL database again as soon as the load is over (and any
    egovctl connection would make it one). While the load runs, other connections wait (up
    to their busy timeout) instead of reading the state from before the load.
    """
    if not db.is_sqlite:
        with db.write() as session:
            yield session
        return
    import sqlite3

    from sqlalchemy import event

    touched: list[tuple[Any, list[str]]] = []

    def prepare(raw: Any, _record: Any, _proxy: Any) -> None:
        restore = ["foreign_keys=ON"]
        touched.append((raw, restore))
        raw.execute("PRAGMA foreign_keys=OFF")
        mode = raw.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" or not is_large(
            n, raw.execute("SELECT count(*) FROM service_request").fetchone()[0]
        ):
            return
        timeout = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
        raw.execute("PRAGMA busy_timeout=0")  # another connection open: load through the WAL
        try:
            with suppress(sqlite3.OperationalError):
                if raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete":
                    restore[:0] = ["journal_mode=WAL", f"synchronous={int(synchronous)}"]
                    raw.execute("PRAGMA synchronous=FULL")
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(timeout)}")

    # (A "begin" listener would come too late: the engine's own one, which issues the
    # BEGIN, runs first.)
    event.listen(db.engine, "checkout", prepare)
    try:
        with db.write() as session:
            session.connection()  # takes the connection and begins the transaction now
            event.remove(db.engine, "checkout", prepare)
            yield session
    finally:
        if event.contains(db.engine, "checkout", prepare):
            event.remove(db.engine, "checkout", prepare)
        for raw, restore in touched:
            for setting in restore:
                with suppress(sqlite3.Error):
                    raw.execute(f"PRAGMA {setting}")


def is_large(n: int, existing: int) -> bool:
    """Whether adding ``n`` requests to ``existing`` ones is a bulk load on SQLite: indexes
    are rebuilt, and the journal is a rollback journal while it runs."""
    return n >= max(REBUILD_AT, existing)


@contextmanager
def bulk_load(conn: Connection, n: int) -> Iterator[None]:
    """SQLite settings for a large load, on this connection only and restored afterwards.

    While rows go in, a page cache of half a KiB per request (at most 512 MiB) keeps the
    pages being filled in memory. When the load is large compared with what is there, the
    secondary indexes of the two tables are dropped and built again from their own
    definitions at the end: sorting once costs a fraction of millions of B-tree inserts
    (keeping even the index on event times, which grows almost in order, triples the cost
    of inserting the events). The sorter runs in this thread only: with helper threads
    (PRAGMA threads) the phase took 40 % more CPU, for nothing when another job holds the
    second core. It all happens inside the one transaction, so an error or an interruption
    leaves the database as it was.

    The name-search index (docs/requests.md#finding-a-request) is treated alike: its
    triggers are dropped and the index rebuilt from the table at the end, in one pass,
    rather than fed one name at a time.
    """
    if conn.dialect.name != "sqlite":
        yield
        return

    from egovctl.requests.search import WORDS_TABLE, fill_words

    saved = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    last_id = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM service_request").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size={-min(max(n // 2, 64 * 1024), 512 * 1024)}")  # KiB
    indexes: list[tuple[str, str]] = []
    searchable = False
    try:
        existing = conn.exec_driver_sql("SELECT count(*) FROM service_request").scalar_one()
        if is_large(n, existing):
            indexes = [
                (str(name), str(sql))
                for name, sql in conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND tbl_name IN ('service_request', 'request_event') ORDER BY name"
                )
            ]
            for name, _sql in indexes:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
            searchable = _drop_search_triggers(conn)
        yield
        if indexes:  # the sorter takes as much again; with less it merges, for the same CPU
            conn.exec_driver_sql("PRAGMA cache_size=-16384")
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
        if indexes and searchable:
            _rebuild_search(conn)
        has_words = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = ?", (WORDS_TABLE,)
        ).scalar_one()
        if has_words:  # the words of the names loaded, which no request's log wrote
            fill_words(conn, last_id)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(saved)}")


def _drop_search_triggers(conn: Connection) -> bool:
    """Drop the triggers that keep the search index; whether there is an index."""
    from egovctl.requests.search import FTS_TABLE, sqlite_ddl

    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name = ?", (FTS_TABLE,)
    ).scalar_one()
    if not found:
        return False
    for statement in sqlite_ddl()[1:]:  # the triggers, after the table
        name = statement.split()[2]
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    return True


def _rebuild_search(conn: Connection) -> None:
    from egovctl.requests.search import FTS_TABLE, sqlite_ddl

    for statement in sqlite_ddl()[1:]:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def insert_sql(table: str, columns: tuple[str, ...], pg: bool, rows: int = 1) -> str:
    mark = "%s" if pg else "?"
    values = f"({', '.join([mark] * len(columns))})"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([values] * rows)}"


Rows = list[tuple[Any, ...]]
#: Requests and their events: each a flat list, one value after another in the order of
#: REQUEST_COLUMNS (or EVENT_COLUMNS), so no tuple is made per row (``as_rows`` makes them).
Batch = tuple[list[Any], list[Any]]
#: A batch as the writer takes it: requests in chunks of REQUESTS_PER_INSERT rows, each chunk
#: one tuple of their values for one multi-row INSERT, then the rows left over; likewise the
#: events. (On PostgreSQL, where psycopg's executemany already pipelines, all are rows.)
Packed = tuple[Rows, Rows, Rows, Rows]


def as_rows(values: list[Any], width: int) -> Rows:
    """Flat values as rows of ``width``."""
    return list(zip(*[iter(values)] * width, strict=True))


def pack_batches(batches: Iterator[Batch], pg: bool) -> Iterator[Packed]:
    """The batches as the writer takes them (emptying their lists)."""
    for requests, events in batches:
        if pg:
            yield [], as_rows(requests, REQUEST_WIDTH), [], as_rows(events, EVENT_WIDTH)
        else:
            yield (
                *_chunks(requests, REQUEST_WIDTH * REQUESTS_PER_INSERT, REQUEST_WIDTH),
                *_chunks(events, EVENT_WIDTH * EVENTS_PER_INSERT, EVENT_WIDTH),
            )


def _chunks(values: list[Any], size: int, width: int) -> tuple[Rows, Rows]:
    whole = len(values) - len(values) % size
    chunks = [tuple(values[i : i + size]) for i in range(0, whole, size)]
    rest = as_rows(values[whole:], width)
    # Emptied, so that the values are held by the chunks alone: marshal then writes them as
    # they are, where it looks up each value held twice in a table, to write it once.
    values.clear()
    return chunks, rest


def write_batches(
    conn: Connection, batches: Iterator[Packed], pg: bool, tick: Progress, n: int
) -> None:
    # The driver's executemany with ready-made tuples: the values are already in their
    # stored form, and SQLAlchemy's per-value processing would cost more than the insert.
    statements = (
        insert_sql("service_request", REQUEST_COLUMNS, pg, REQUESTS_PER_INSERT),
        insert_sql("service_request", REQUEST_COLUMNS, pg),
        insert_sql("request_event", EVENT_COLUMNS, pg, EVENTS_PER_INSERT),
        insert_sql("request_event", EVENT_COLUMNS, pg),
    )
    from egovctl.i18n import _

    phase = _("Adding demo requests")
    done = 0
    tick(phase, 0, n)
    for batch in batches:
        for sql, rows in zip(statements, batch, strict=True):
            if rows:
                conn.exec_driver_sql(sql, rows)
        done += len(batch[1]) + len(batch[0]) * REQUESTS_PER_INSERT
        tick(phase, done, n)


def save_counters(conn: Connection, used: dict[tuple[int, int], int], pg: bool) -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    from egovctl.models import RegCounter

    rows = [{"agency_id": a, "year": y, "last": last} for (a, y), last in sorted(used.items())]
    keys = ["agency_id", "year"]
    if pg:
        on_pg = postgresql.insert(RegCounter)
        conn.execute(
            on_pg.on_conflict_do_update(index_elements=keys, set_={"last": on_pg.excluded.last}),
            rows,
        )
    else:
        on_sqlite = sqlite.insert(RegCounter)
        conn.execute(
            on_sqlite.on_conflict_do_update(
                index_elements=keys, set_={"last": on_sqlite.excluded.last}
            ),
            rows,
        )

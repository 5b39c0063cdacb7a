"""Synthetic demo data: a deterministic, realistic history of service requests.

``seed_demo`` fills the database with requests spread over the procedures already in the
catalogue and the last 24 months, each with the events that lead to its stored state, so that
demos, training sessions and benchmarks see what an office would: mostly delivered files in the
past, a few rejected or withdrawn, work in progress and waiting for pickup now, some overdue.

The data must stay indistinguishable from what ``workflow`` writes: every request's status,
step, hold and dates are what replaying its events gives (``egovctl audit verify`` checks it),
due dates come from the office's ``WorkCalendar``, and registration numbers continue each
agency's yearly counter without gaps. Events fall on working days within office hours.

It is written for volume (a million requests in under a minute on two cores): rows are plain
values in their stored form, made in chronological order and written with the driver's
executemany in batches, all inside one write transaction. The calendar is asked once per day
of the period; a due date is then a position in that list of working days, the counting of
``WorkCalendar.due_date`` (the tests compare the two). Large loads make their rows in a
helper process while this one writes; on SQLite they go in through a rollback journal and
multi-row INSERTs, and the indexes are rebuilt once at the end.
"""

from __future__ import annotations

import bisect
import os
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.config import DEFAULT_TIMEZONE
from egovctl.errors import EgovError, InvalidInput, NotFound
from egovctl.timeutil import local_date, now_utc, zone

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.requests.workdays import WorkCalendar

Progress = Callable[[str, int, int], None]

#: More than this is not a demo any more; it would also take minutes and gigabytes.
MAX_REQUESTS = 5_000_000
#: Requests per executemany (with about six times as many events).
BATCH = 20_000
#: On SQLite, rows per INSERT statement: a multi-row VALUES list costs a fraction of as many
#: single-row statements (half the time for events). Each stays within 999 parameters, the
#: limit of SQLite builds before 3.32.
REQUESTS_PER_INSERT = 39
EVENTS_PER_INSERT = 166
#: From this many new requests (and at least as many as there are), indexes are rebuilt.
REBUILD_AT = 50_000
#: From this many, the rows are made in a helper process while this one writes.
PARALLEL_AT = 100_000
#: How far back the history goes.
HISTORY_DAYS = 730
#: Office hours as seconds after local midnight: files are logged 08:00-14:00, later events
#: of a day follow within minutes, so the last one ends well before 16:00.
OPENS = 8 * 3600
LOG_SPAN = 6 * 3600
WORK_SPAN = 4 * 3600

# -- the population -----------------------------------------------------------------------------
# Names as they are written on a KTP, by the regions Belitung Timur's residents come from:
# Belitung Malay and Hakka Chinese families, and settlers from Java, Sunda, Sumatra, Sulawesi,
# Bali and the east. (male first names, female first names, family or second names)
_REGIONS: tuple[tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        0.34,  # Melayu Belitung
        (
            "Muhammad",
            "Ahmad",
            "Rahmat",
            "Zulkifli",
            "Syahrul",
            "Hendra",
            "Rizal",
            "Firdaus",
            "Jamaluddin",
            "Ma'ruf",
            "Syafi'i",
            "Ja'far",
            "Abdul",
            "Idris",
            "Harun",
            "Yusuf",
            "Amran",
            "Samsudin",
            "Rusli",
            "Fadli",
        ),
        (
            "Nurhayati",
            "Siti",
            "Rohani",
            "Zubaidah",
            "Aisyah",
            "Nur'aini",
            "Fatimah",
            "Mas'amah",
            "Rosmala",
            "Sa'diyah",
            "Ni'mah",
            "Halimah",
            "Maimunah",
            "Rahmawati",
            "Zaleha",
            "Juliana",
            "Yuliani",
            "Marlina",
        ),
        (
            "Saputra",
            "Hamdani",
            "Syamsuddin",
            "Ramli",
            "Zainal",
            "Rahman",
            "Hasan",
            "Ismail",
            "Fauzi",
            "Mahmud",
            "Aminah",
            "Sari",
            "Wati",
            "Hidayati",
        ),
    ),
    (
        0.14,  # Tionghoa (Hakka) of Belitung
        (
            "Hendra",
            "Budi",
            "Yohanes",
            "Rudy",
            "Akiong",
            "Ahan",
            "Fransiskus",
            "Kevin",
            "Suryadi",
            "Tjhin Fuk",
            "Bong Kim",
            "Lie Jun",
        ),
        (
            "Susanti",
            "Lina",
            "Meiliana",
            "Fransiska",
            "Lilis",
            "Meiling",
            "Apin",
            "Chrestella",
            "Phang Mei",
            "Tjhai Siu",
            "Renée",
        ),
        (
            "Wijaya",
            "Gunawan",
            "Halim",
            "Salim",
            "Kurniadi",
            "Tanoto",
            "Tjhin",
            "Bong",
            "Lie",
            "Phang",
            "Tjhai",
            "Liem",
            "Hakim",
        ),
    ),
    (
        0.20,  # Jawa
        (
            "Sutrisno",
            "Bambang",
            "Slamet",
            "Agus",
            "Joko",
            "Budi",
            "Wahyu",
            "Eko",
            "Teguh",
            "Sugeng",
            "Heru",
            "Dwi",
            "Tri",
            "Yudi",
        ),
        (
            "Sri",
            "Suharti",
            "Wulandari",
            "Endang",
            "Dwi",
            "Rini",
            "Lestari",
            "Sumiyati",
            "Tri",
            "Ratna",
            "Puji",
            "Siti",
        ),
        (
            "Santoso",
            "Susanto",
            "Wibowo",
            "Prasetyo",
            "Nugroho",
            "Setiawan",
            "Hidayat",
            "Kurniawan",
            "Purnomo",
            "Wahyuni",
            "Rahayu",
            "Handayani",
            "Astuti",
            "Utami",
        ),
    ),
    (
        0.08,  # Sunda
        ("Asep", "Ujang", "Cecep", "Dadang", "Yayan", "Deden", "Ade"),
        ("Euis", "Neneng", "Ai", "Iis", "Imas", "Tati", "Nining"),
        ("Suryana", "Sumarna", "Permana", "Hidayat", "Kusnadi", "Rohayati", "Nurjanah"),
    ),
    (
        0.08,  # Batak and Minang
        ("Togar", "Parlindungan", "Maruli", "Hotman", "Binsar", "Afrizal", "Yusrizal", "Irwan"),
        ("Romauli", "Tiurma", "Rotua", "Lasma", "Yusnidar", "Rahmi", "Desi"),
        (
            "Siregar",
            "Nasution",
            "Simanjuntak",
            "Hutapea",
            "Sitompul",
            "Pardede",
            "Situmorang",
            "Panjaitan",
            "Harahap",
            "Lubis",
            "Chaniago",
            "Piliang",
            "Tanjung",
            "Sikumbang",
        ),
    ),
    (
        0.07,  # Bugis and Makassar
        ("Andi", "Baso", "Arifuddin", "Syamsul", "Muh. Ridwan", "La Ode"),
        ("Andi", "Hasnah", "Nurhaeda", "St. Hajrah", "Wa Ode"),
        ("Rahim", "Bakri", "Mappiasse", "Daeng Ngemba", "Amiruddin", "Nurdin"),
    ),
    (
        0.05,  # Bali
        ("I Made", "I Wayan", "I Nyoman", "I Ketut", "I Gede", "I Putu"),
        ("Ni Luh", "Ni Made", "Ni Putu", "Ni Wayan", "Ni Kadek"),
        ("Suartana", "Sudarsana", "Ariani", "Sukerti", "Wirawan", "Astawa", "Suryani"),
    ),
    (
        0.04,  # Manado, Maluku, NTT
        ("Yohanis", "Fransiskus", "Marthen", "Yakobus", "Stevanus", "Agustinus"),
        ("Maria", "Grace", "Stéfanie", "Yuliana", "Agustina", "Théresia"),
        (
            "Pangemanan",
            "Wowor",
            "Lumenta",
            "Sumampouw",
            "Pattiasina",
            "Latuheru",
            "Fanggidae",
            "Ndun",
            "Bessie",
        ),
    ),
)
# NIK region codes (PPKKCC): most applicants live in Belitung Timur (19 06 01-07: Manggar,
# Gantung, Dendang, Kelapa Kampit, Damar, Simpang Renggiang, Simpang Pesak), some elsewhere in
# Bangka Belitung, a few moved in from other provinces.
_DISTRICTS = (
    "Manggar",
    "Gantung",
    "Dendang",
    "Kelapa Kampit",
    "Damar",
    "Simpang Renggiang",
    "Simpang Pesak",
)
_VILLAGES = (
    (
        "Kurnia Jaya",
        "Lalang",
        "Lalang Jaya",
        "Baru",
        "Mekar Jaya",
        "Padang",
        "Kelubi",
        "Buku Limau",
        "Mekar Jaya",
    ),
    ("Gantung", "Lilangan", "Selinsing", "Jangkang", "Limbongan", "Lenggang", "Batu Penyu"),
    ("Dendang", "Jangkar Asam", "Balok", "Nyuruk"),
    ("Mayang", "Buding", "Pembaharuan", "Senyubuk", "Cendil", "Mentawak"),
    ("Air Kelik", "Mengkubang", "Sukamandi", "Burung Mandi", "Mempaya"),
    ("Simpang Tiga", "Lintang", "Renggiang", "Aik Madu"),
    ("Simpang Pesak", "Dukong", "Tanjung Batu Itam", "Tanjung Kelumpang"),
)
_OTHER_REGIONS = (
    "190101",
    "190102",
    "190201",
    "190203",
    "190301",
    "190401",
    "190501",
    "197101",
    "197104",
    "317404",
    "327301",
    "337401",
    "127101",
    "737101",
    "517101",
    "717101",
)
_STREETS = (
    "Jl. Jenderal Sudirman",
    "Jl. Ahmad Yani",
    "Jl. Lipat Kajang",
    "Jl. Pramuka",
    "Jl. Merdeka",
    "Jl. Raya Gantung",
    "Jl. Kampung Baru",
    "Jl. Pelabuhan",
    "Jl. Masjid Al-Ikhlas",
    "Jl. Sekolah",
    "Jl. Air Mancur",
    "Jl. Jend. Gatot Subroto",
    "Jl. Depati Rahat",
    "Jl. Mayor Haryanto",
    "Gg. Pinang",
)
_MOBILE_PREFIXES = (
    "811",
    "812",
    "813",
    "821",
    "822",
    "823",
    "851",
    "852",
    "853",
    "814",
    "815",
    "816",
    "855",
    "856",
    "857",
    "858",
    "817",
    "818",
    "819",
    "859",
    "877",
    "878",
    "831",
    "832",
    "838",
    "895",
    "896",
    "897",
    "898",
    "881",
    "882",
    "887",
)
# February has 29 days in a NIK: its two-digit year cannot tell leap years apart.
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# -- the work -----------------------------------------------------------------------------------
# How popular each bundled procedure is; any other procedure gets weight 1.
_POPULARITY = {
    "DUKCAPIL-KK": 20.0,
    "DUKCAPIL-KTP-EL": 18.0,
    "DUKCAPIL-AKTA-LAHIR": 12.0,
    "DUKCAPIL-KIA": 7.0,
    "DUKCAPIL-PINDAH": 6.0,
    "DUKCAPIL-AKTA-MATI": 3.0,
    "DUKCAPIL-AKTA-KAWIN": 2.0,
    "DINSOS-SKTM": 5.0,
    "DINSOS-DTSEN": 4.0,
    "DINSOS-REKOM-PBI-JK": 3.0,
    "DPMPTSP-NIB": 5.0,
    "DPMPTSP-REKLAME": 1.0,
    "DPMPTSP-PBG": 1.0,
    "DPMPTSP-IZIN-PRAKTIK-DOKTER": 0.3,
    "DPMPTSP-IZIN-PRAKTIK-BIDAN": 0.3,
    "DINKES-PIRT": 1.0,
    "DINKES-SLHS": 0.5,
    "KEC-MANGGAR-SK-DOMISILI-USAHA": 3.0,
    "KEC-MANGGAR-SK-AHLI-WARIS": 1.5,
    "KEC-MANGGAR-REKOM-KERAMAIAN": 1.0,
}
# Monday to Sunday: Monday brings the weekend's queue, Friday has short hours.
_WEEKDAY_LOAD = (1.25, 1.05, 1.0, 1.0, 0.8, 0.5, 0.5)
_LOG_NOTES = (
    "Berkas diantar oleh keluarga pemohon",
    "Permohonan prioritas (lansia)",
    "Pemohon penyandang disabilitas, dilayani di loket prioritas",
    "Berkas diterima melalui layanan jemput bola",
)
_HOLD_REASONS = (
    "Menunggu kelengkapan berkas: fotokopi Kartu Keluarga",
    "Surat pengantar RT/RW belum dilampirkan",
    "Pemohon diminta melengkapi surat keterangan dari desa",
    "Data pada formulir tidak sesuai dengan KK, menunggu perbaikan",
    "Menunggu tanda tangan saksi",
    "Pas foto belum sesuai ketentuan",
)
_REJECT_REASONS = (
    "Persyaratan tidak lengkap dan tidak dilengkapi",
    "Data tidak sesuai dengan database kependudukan",
    "Pemohon tidak memenuhi syarat layanan",
    "Dokumen pendukung tidak sah",
)
_CANCEL_REASONS = (
    "Permohonan ditarik oleh pemohon",
    "Pemohon mengajukan ulang secara daring",
    "Permohonan ganda",
)
_ABANDONED_REASON = "Berkas tidak dilengkapi dalam batas waktu, permohonan ditutup"
_UNCOLLECTED_REASON = "Dokumen tidak diambil pemohon lebih dari tiga bulan"
# Fates, as cumulative shares: rejected, withdrawn, stuck in the backlog; the rest finish.
_P_REJECT, _P_WITHDRAW, _P_STUCK = 0.025, 0.040, 0.044
_P_HOLD, _P_ABANDON = 0.07, 0.12
_P_LATE = 0.10
_P_UNCOLLECTED, _P_CANCEL_READY = 0.010, 0.014

_REQUEST_COLUMNS = (
    "id",
    "reg_no",
    "agency_id",
    "procedure_id",
    "version_id",
    "status",
    "step",
    "applicant_name",
    "applicant_name_fold",
    "nik",
    "phone",
    "address",
    "channel",
    "note",
    "received_at",
    "received_date",
    "due_date",
    "hold_started",
    "ready_at",
    "ready_date",
    "delivered_at",
    "delivered_to",
    "closed_at",
    "closed_date",
    "updated_at",
)
_EVENT_COLUMNS = ("request_id", "seq", "at", "action", "actor", "note")
_REQUEST_WIDTH, _EVENT_WIDTH = len(_REQUEST_COLUMNS), len(_EVENT_COLUMNS)


@dataclass(frozen=True)
class _Proc:
    procedure_id: int
    version_id: int
    agency_id: int
    agency: str
    code: str
    sla_days: int
    n_steps: int


@dataclass(frozen=True)
class _Setup:
    """Everything the history is made from: plain values read from the database once."""

    seed: int
    procs: list[_Proc]
    days: list[date]  # working days from 24 months ago to well beyond today
    today: date
    today_index: int  # the last working day on or before today
    cut_secs: int  # events of that day up to this many seconds after local midnight happened
    midnights: list[int]  # UTC epoch seconds of each working day's local midnight
    counters: dict[tuple[int, int], int]
    first_id: int
    pg: bool


def seed_demo(
    db: Database,
    actor: str,
    n: int,
    seed: int = 1,
    progress: Progress | None = None,
    *,
    tz: str = DEFAULT_TIMEZONE,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Add ``n`` synthetic requests with their events; the same seed gives the same data.

    Needs the catalogue imported. ``now`` (default: the clock) is the end of the history:
    nothing happens after it. Returns counts per status, agency and year.
    """
    from egovctl.requests.calendar import load_calendar
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    if n < 1:
        raise InvalidInput(f"the number of requests (--requests) must be at least 1, got {n}")
    if n > MAX_REQUESTS:
        raise InvalidInput(
            f"--requests {n:,} is more than a demo needs; the most is "
            f"{MAX_REQUESTS:,} per run (run it again to add more)"
        )
    now = (now or now_utc()).astimezone(UTC)
    tick = progress or (lambda _phase, _done, _total: None)
    with _load_transaction(db, n) as session:
        authorize(session, actor, "db.admin")
        conn = session.connection()
        pg = conn.dialect.name == "postgresql"
        if pg:
            # Others may go on reading, but nobody may log a request or take a number.
            conn.exec_driver_sql(
                "LOCK TABLE service_request, request_event, reg_counter IN EXCLUSIVE MODE"
            )
        procs = _procedures(conn)
        setup = _setup(
            seed, procs, load_calendar(session), tz, now, _counters(conn), _next_id(conn), pg
        )
        with _source(setup, n) as source, _bulk_load(conn, n):
            _write(conn, source.packed(n), pg, tick, n)
        outcome = source.outcome()
        _save_counters(conn, outcome["counters"], pg)
        if pg:
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('service_request', 'id'), "
                "(SELECT max(id) FROM service_request))"
            )
        summary = _summary(setup, outcome)
        audit.append(session, actor, "db.seed-demo", "database", summary)
    return summary


@contextmanager
def _load_transaction(db: Database, n: int) -> Iterator[Session]:
    """``Database.write``, with settings for a load made on SQLite when the write session
    takes its connection from the pool, before the BEGIN that ``Database`` issues (SQLite
    ignores them inside a transaction), and restored once the transaction is over, before
    the connection is used again.

    Foreign keys are not checked: every row refers to ids read inside this same transaction,
    so the checks (a primary-key look-up per reference: three per request, one per event)
    could only pass; skipping them saves a tenth of the load.

    A large load (see ``_is_large``) goes through a rollback journal instead of the WAL when
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
        if mode != "wal" or not _is_large(
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


def _is_large(n: int, existing: int) -> bool:
    """Whether adding ``n`` requests to ``existing`` ones is a bulk load on SQLite: indexes
    are rebuilt, and the journal is a rollback journal while it runs."""
    return n >= max(REBUILD_AT, existing)


# -- reading what exists ------------------------------------------------------------------------


def _procedures(conn: Connection) -> list[_Proc]:
    from sqlalchemy import func, select

    from egovctl.models import Agency, Procedure, ProcedureVersion, Step

    n_steps = select(Step.version_id, func.count().label("n")).group_by(Step.version_id).subquery()
    rows = conn.execute(
        select(
            Procedure.id,
            ProcedureVersion.id,
            Agency.id,
            Agency.code,
            Procedure.code,
            ProcedureVersion.sla_days,
            n_steps.c.n,
        )
        .join(
            ProcedureVersion,
            (ProcedureVersion.procedure_id == Procedure.id)
            & (ProcedureVersion.version == Procedure.current_version),
        )
        .join(Agency, Agency.id == Procedure.agency_id)
        .join(n_steps, n_steps.c.version_id == ProcedureVersion.id)
        .where(Procedure.active.is_(True))
        .order_by(Procedure.code)
    ).all()
    if not rows:
        from egovctl.resources import procedures_dir

        raise NotFound(
            "no active procedures in the catalogue; seed-demo spreads its requests over them, "
            f"so import the catalogue first: egovctl procedure import {procedures_dir()}"
        )
    return [_Proc(*row) for row in rows]


def _counters(conn: Connection) -> dict[tuple[int, int], int]:
    from sqlalchemy import select

    from egovctl.models import RegCounter

    return {
        (a, y): last
        for a, y, last in conn.execute(
            select(RegCounter.agency_id, RegCounter.year, RegCounter.last)
        )
    }


def _next_id(conn: Connection) -> int:
    from sqlalchemy import func, select

    from egovctl.models import ServiceRequest

    return int(conn.execute(select(func.max(ServiceRequest.id))).scalar_one() or 0) + 1


def _setup(
    seed: int,
    procs: list[_Proc],
    cal: WorkCalendar,
    tz: str,
    now: datetime,
    counters: dict[tuple[int, int], int],
    first_id: int,
    pg: bool,
) -> _Setup:
    """The office's working days around the history, asked of its calendar once each."""
    today = local_date(now, tz)
    # Events run on past today before they are cut off at ``now``, and due dates lie up to
    # the longest SLA plus holds and delays beyond it.
    ahead = 400 + 2 * max(p.sla_days for p in procs)
    days, day = [], today - timedelta(days=HISTORY_DAYS)
    while day <= today + timedelta(days=ahead):
        if cal.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    today_index = bisect.bisect_right(days, today) - 1
    if today_index < 0:
        raise InvalidInput("the calendar has no working day in the last 24 months")
    office = zone(tz)
    local = now.astimezone(office)
    cut = (
        local.hour * 3600 + local.minute * 60 + local.second
        if days[today_index] == today
        else 2 * 86400
    )
    midnights = [int(datetime(d.year, d.month, d.day, tzinfo=office).timestamp()) for d in days]
    return _Setup(seed, procs, days, today, today_index, cut, midnights, counters, first_id, pg)


# -- writing ------------------------------------------------------------------------------------


@contextmanager
def _bulk_load(conn: Connection, n: int) -> Iterator[None]:
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
    """
    if conn.dialect.name != "sqlite":
        yield
        return

    saved = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size={-min(max(n // 2, 64 * 1024), 512 * 1024)}")  # KiB
    indexes: list[tuple[str, str]] = []
    try:
        existing = conn.exec_driver_sql("SELECT count(*) FROM service_request").scalar_one()
        if _is_large(n, existing):
            indexes = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('service_request', 'request_event') ORDER BY name"
            ).all()
            for name, _sql in indexes:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
        yield
        if indexes:  # the sorter takes as much again; with less it merges, for the same CPU
            conn.exec_driver_sql("PRAGMA cache_size=-16384")
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(saved)}")


def _insert_sql(table: str, columns: tuple[str, ...], pg: bool, rows: int = 1) -> str:
    mark = "%s" if pg else "?"
    values = f"({', '.join([mark] * len(columns))})"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([values] * rows)}"


Rows = list[tuple[Any, ...]]
#: Requests and their events: each a flat list, one value after another in the order of
#: _REQUEST_COLUMNS (or _EVENT_COLUMNS), so no tuple is made per row (``_rows`` makes them).
Batch = tuple[list[Any], list[Any]]
#: A batch as the writer takes it: requests in chunks of REQUESTS_PER_INSERT rows, each chunk
#: one tuple of their values for one multi-row INSERT, then the rows left over; likewise the
#: events. (On PostgreSQL, where psycopg's executemany already pipelines, all are rows.)
Packed = tuple[Rows, Rows, Rows, Rows]


def _rows(values: list[Any], width: int) -> Rows:
    """Flat values as rows of ``width``."""
    return list(zip(*[iter(values)] * width, strict=True))


def _packed(batches: Iterator[Batch], pg: bool) -> Iterator[Packed]:
    """The batches as the writer takes them (emptying their lists)."""
    for requests, events in batches:
        if pg:
            yield [], _rows(requests, _REQUEST_WIDTH), [], _rows(events, _EVENT_WIDTH)
        else:
            yield (
                *_chunks(requests, _REQUEST_WIDTH * REQUESTS_PER_INSERT, _REQUEST_WIDTH),
                *_chunks(events, _EVENT_WIDTH * EVENTS_PER_INSERT, _EVENT_WIDTH),
            )


def _chunks(values: list[Any], size: int, width: int) -> tuple[Rows, Rows]:
    whole = len(values) - len(values) % size
    chunks = [tuple(values[i : i + size]) for i in range(0, whole, size)]
    rest = _rows(values[whole:], width)
    # Emptied, so that the values are held by the chunks alone: marshal then writes them as
    # they are, where it looks up each value held twice in a table, to write it once.
    values.clear()
    return chunks, rest


def _write(conn: Connection, batches: Iterator[Packed], pg: bool, tick: Progress, n: int) -> None:
    # The driver's executemany with ready-made tuples: the values are already in their
    # stored form, and SQLAlchemy's per-value processing would cost more than the insert.
    statements = (
        _insert_sql("service_request", _REQUEST_COLUMNS, pg, REQUESTS_PER_INSERT),
        _insert_sql("service_request", _REQUEST_COLUMNS, pg),
        _insert_sql("request_event", _EVENT_COLUMNS, pg, EVENTS_PER_INSERT),
        _insert_sql("request_event", _EVENT_COLUMNS, pg),
    )
    done = 0
    tick("requests", 0, n)
    for batch in batches:
        for sql, rows in zip(statements, batch, strict=True):
            if rows:
                conn.exec_driver_sql(sql, rows)
        done += len(batch[1]) + len(batch[0]) * REQUESTS_PER_INSERT
        tick("requests", done, n)


def _save_counters(conn: Connection, used: dict[tuple[int, int], int], pg: bool) -> None:
    from egovctl.models import RegCounter

    if pg:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(RegCounter.__table__)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["agency_id", "year"], set_={"last": stmt.excluded["last"]}
        ),
        [{"agency_id": a, "year": y, "last": last} for (a, y), last in sorted(used.items())],
    )


# -- the history --------------------------------------------------------------------------------

Person = tuple[str, str, str, str | None, str | None]  # name, casefolded, NIK, phone, address


class _History:
    """Makes the requests, day by day from 24 months ago up to ``now``, oldest first.

    Days are indexes into the list of working days and times are seconds after local
    midnight; both become stored text through tables made once. Request ids and
    registration numbers follow on from what the database holds.
    """

    def __init__(self, setup: _Setup) -> None:
        self.setup = setup
        self.rng = random.Random(setup.seed)
        self.procs = setup.procs
        self.days = setup.days
        self.day_text = [d.isoformat() for d in setup.days]
        self.counters = dict(setup.counters)
        self.counters_used: dict[tuple[int, int], int] = {}
        self.next_id = setup.first_id
        self.statuses: Counter[str] = Counter()
        self.events = 0
        self.overdue = 0
        self.persons: dict[int, Person] = {}
        self.first_day = self.last_day = ""
        self.proc_cum = _cumulative([_POPULARITY.get(p.code, 1.0) for p in self.procs])
        self.region_cum = _cumulative([share for share, *_ in _REGIONS])
        self.actors = {
            p.agency: tuple(f"{p.agency.lower()}{i}" for i in (1, 2, 3)) for p in self.procs
        }
        # An instant is stored as UTC text (as SQLAlchemy writes it on SQLite; PostgreSQL
        # reads it as timestamptz thanks to the offset). Per working day: where its local
        # midnight falls in the UTC day, and the texts of that UTC date and the next.
        suffix = ".000000+00:00" if setup.pg else ".000000"
        self.clock = [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(86400)
        ]
        self.utc_days = []
        for midnight in setup.midnights:
            first = datetime.fromtimestamp(midnight - midnight % 86400, UTC).date()
            self.utc_days.append(
                (
                    midnight % 86400,
                    f"{first.isoformat()} ",
                    f"{(first + timedelta(days=1)).isoformat()} ",
                )
            )

    def stamp(self, index: int, secs: int) -> str:
        """The stored text of ``secs`` after local midnight of working day ``index``."""
        offset, first, second = self.utc_days[index]
        secs += offset
        return first + self.clock[secs] if secs < 86400 else second + self.clock[secs - 86400]

    def day_counts(self, n: int) -> list[tuple[int, int]]:
        """(working-day index, requests received) for each day of the history: growing over
        the two years, busiest on Mondays, quieter on Fridays, a rush in July (school
        enrolment needs birth certificates and family cards)."""
        s = self.setup
        last = s.today_index
        if s.cut_secs < OPENS + 1800:
            last -= 1  # today's counters have hardly opened
        days = self.days[: last + 1]
        if not days:
            raise InvalidInput("the calendar has no working day in the last 24 months")
        span = max(1, (days[-1] - days[0]).days)
        weights = []
        for d in days:
            w = (1.0 + 0.35 * (d - days[0]).days / span) * _WEEKDAY_LOAD[d.weekday()]
            weights.append(w * 1.3 if d.month == 7 else w)
        total = sum(weights)
        exact = [n * w / total for w in weights]
        counts = [int(x) for x in exact]
        # Largest remainders, so the counts add up to exactly n.
        for i in sorted(range(len(days)), key=lambda i: counts[i] - exact[i])[: n - sum(counts)]:
            counts[i] += 1
        busy = [(i, c) for i, c in enumerate(counts) if c]
        self.first_day, self.last_day = self.day_text[busy[0][0]], self.day_text[busy[-1][0]]
        return busy

    # -- people ---------------------------------------------------------------------------------

    def person(self, key: int) -> Person:
        """One resident of the regency, the same each time ``key`` comes back."""
        found = self.persons.get(key)
        if found is not None:
            return found
        rnd = self.rng.random
        _, men, women, families = _REGIONS[bisect.bisect_left(self.region_cum, rnd())]
        female = rnd() < 0.5
        firsts = women if female else men
        name = firsts[int(rnd() * len(firsts))]
        u = rnd()
        if u < 0.25:
            second = firsts[int(rnd() * len(firsts))]
            if second != name:
                name += " " + second
        if u > 0.15:
            family = families[int(rnd() * len(families))]
            if family not in name:
                name += " " + family
        district = int(rnd() * len(_DISTRICTS))
        if rnd() < 0.88:
            region = f"1906{district + 1:02d}"
        else:  # born elsewhere, living in Belitung Timur
            region = _OTHER_REGIONS[int(rnd() * len(_OTHER_REGIONS))]
        month = 1 + int(rnd() * 12)
        day = 1 + int(rnd() * _MONTH_DAYS[month - 1]) + (40 if female else 0)
        year = (1945 + int(rnd() * 62)) % 100
        nik = f"{region}{day:02d}{month:02d}{year:02d}{1 + int(rnd() * 2999):04d}"
        phone = None
        if rnd() < 0.85:
            digits = 8 if rnd() < 0.6 else 7
            phone = (
                f"+62{_MOBILE_PREFIXES[int(rnd() * len(_MOBILE_PREFIXES))]}"
                f"{int(rnd() * 10**digits):0{digits}d}"
            )
        address = None
        if rnd() < 0.7:
            villages = _VILLAGES[district]
            address = (
                f"{_STREETS[int(rnd() * len(_STREETS))]} No. {1 + int(rnd() * 120)}, "
                f"RT {1 + int(rnd() * 12):03d}/RW {1 + int(rnd() * 5):03d}, "
                f"Desa {villages[int(rnd() * len(villages))]}, "
                f"Kec. {_DISTRICTS[district]}"
            )
        found = self.persons[key] = (name, name.casefold(), nik, phone, address)
        return found

    def someone(self) -> str:
        """A relative's name, for documents collected on the applicant's behalf."""
        rnd = self.rng.random
        _, men, women, families = _REGIONS[bisect.bisect_left(self.region_cum, rnd())]
        firsts = women if rnd() < 0.5 else men
        return f"{firsts[int(rnd() * len(firsts))]} {families[int(rnd() * len(families))]}"

    # -- requests -------------------------------------------------------------------------------

    def batches(self, n: int) -> Iterator[Batch]:
        """Requests and their events, about BATCH requests at a time, flat (see ``Batch``)."""
        rnd = self.rng.random
        population = max(20, n * 2 // 5)  # residents come back: ~2.5 requests each
        today, cut = self.setup.today_index, self.setup.cut_secs
        requests: list[Any] = []
        events: list[Any] = []
        for index, count in self.day_counts(n):
            span = LOG_SPAN if index < today else max(1, min(LOG_SPAN, cut - OPENS))
            for secs in sorted(OPENS + int(rnd() * span) for _ in range(count)):
                proc = self.procs[bisect.bisect_left(self.proc_cum, rnd())]
                self.request(
                    proc, index, secs, self.person(int(rnd() * population)), requests, events
                )
            if len(requests) >= BATCH * _REQUEST_WIDTH:
                self.tally(requests, len(events) // _EVENT_WIDTH)
                yield requests, events
                requests, events = [], []
        if requests:
            self.tally(requests, len(events) // _EVENT_WIDTH)
            yield requests, events

    def packed(self, n: int) -> Iterator[Packed]:
        """The batches as the writer takes them."""
        return _packed(self.batches(n), self.setup.pg)

    def plan(self, proc: _Proc, r: int) -> list[tuple[int, str, str | None]]:
        """What happens to a request received on working day ``r``: (day, action, note),
        in order, also beyond today (the caller cuts the history at ``now``)."""
        rnd = self.rng.random
        k, sla = proc.n_steps, proc.sla_days
        if rnd() < _P_LATE:
            took = sla + 1 + int(rnd() ** 2 * max(3, sla))
        else:
            took = sla // 3 + int(rnd() * (sla - sla // 3 + 1))
        fate = rnd()
        at_step = 1 if rnd() < 0.6 else 1 + int(rnd() * k)  # most problems show at step 1
        hold_before, hold_days, abandoned = 0, 0, False
        if rnd() < _P_HOLD:
            hold_before = 1 if rnd() < 0.5 else 1 + int(rnd() * k)
            hold_days = 0 if rnd() < 0.1 else 1 + int(rnd() ** 2 * 8)
            abandoned = rnd() < _P_ABANDON
        note = _LOG_NOTES[int(rnd() * len(_LOG_NOTES))] if rnd() < 0.03 else None
        out: list[tuple[int, str, str | None]] = [(r, "log", note)]
        day, shift = r, 0
        for j in range(1, k + 1):
            if j == hold_before:  # waiting on the applicant before step j can go on
                out.append((day, "hold", _HOLD_REASONS[int(rnd() * len(_HOLD_REASONS))]))
                if abandoned:
                    out.append((day + 20 + int(rnd() * 20), "cancel", _ABANDONED_REASON))
                    return out
                shift += hold_days
                out.append((day + hold_days, "resume", None))
            day = r + shift + took * j // k
            if j == at_step and fate < _P_STUCK:
                if fate < _P_REJECT:
                    out.append((day, "reject", _REJECT_REASONS[int(rnd() * len(_REJECT_REASONS))]))
                elif fate < _P_WITHDRAW:
                    out.append((day, "cancel", _CANCEL_REASONS[int(rnd() * len(_CANCEL_REASONS))]))
                # else forgotten in the backlog: overdue until someone notices
                return out
            out.append((day, "advance", None))
        u = rnd()
        if u < _P_UNCOLLECTED:
            return out
        if u < _P_CANCEL_READY:
            out.append((day + 60 + int(rnd() * 60), "cancel", _UNCOLLECTED_REASON))
            return out
        wait = 0 if rnd() < 0.35 else 1 + int(rnd() ** 2 * 15)
        out.append((day + wait, "deliver", None))
        return out

    def request(
        self,
        proc: _Proc,
        r: int,
        log_secs: int,
        who: Person,
        requests: list[Any],
        events: list[Any],
    ) -> None:
        """Plan one request, cut its history at ``now`` and add its rows: the stored state is
        what replaying the events gives, as ``workflow`` would have written it."""
        rnd = self.rng.random
        today, cut = self.setup.today_index, self.setup.cut_secs
        day_text, utc_days, clock = self.day_text, self.utc_days, self.clock
        extend = events.extend
        rid = self.next_id
        self.next_id += 1
        actors = self.actors[proc.agency]
        status, step, pushed = "in_progress", 1, 0
        hold_started = hold_day = None
        ready_at = ready_date = delivered_at = delivered_to = closed_at = closed_date = None
        history = self.plan(proc, r)
        prev, secs, seq, at, received_at = r, log_secs, 0, "", ""
        for day, action, note in history:
            if seq:
                secs = (
                    secs + 60 + int(rnd() * 600) if day == prev else OPENS + int(rnd() * WORK_SPAN)
                )
            if day > today or (day == today and secs > cut):
                break
            prev = day
            seq += 1
            offset, first, second = utc_days[day]  # self.stamp(day, secs), inlined: hot
            at = (
                first + clock[secs + offset]
                if secs + offset < 86400
                else second + clock[secs + offset - 86400]
            )
            if action == "advance":
                if step >= proc.n_steps:
                    status, ready_at, ready_date = "ready", at, day_text[day]
                else:
                    step += 1
            elif action == "hold":
                status, hold_day, hold_started = "on_hold", day, day_text[day]
            elif action == "resume":
                # The working days after the day the hold began, up to the day it ended.
                status, hold_started, pushed = "in_progress", None, pushed + day - hold_day
            elif action == "deliver":
                status, delivered_at = "delivered", at
                if rnd() < 0.2:
                    delivered_to = self.someone()
                    note = f"diserahkan kepada {delivered_to}"
            elif action != "log":
                status = "rejected" if action == "reject" else "cancelled"
                closed_at, closed_date, hold_started = at, day_text[day], None
            extend((rid, seq, at, action, actors[int(rnd() * 3)], note))
            if seq == 1:
                received_at = at

        year = self.days[r].year
        key = (proc.agency_id, year)
        number = self.counters[key] = self.counters_used[key] = self.counters.get(key, 0) + 1
        u = rnd()
        channel = (
            "counter" if u < 0.72 else "online" if u < 0.94 else "phone" if u < 0.97 else "mail"
        )
        requests.extend(
            (
                rid,
                f"{proc.agency}-{year}-{number:06d}",
                proc.agency_id,
                proc.procedure_id,
                proc.version_id,
                status,
                step,
                *who,
                channel,
                history[0][2],
                received_at,
                day_text[r],
                day_text[r + proc.sla_days + pushed],
                hold_started,
                ready_at,
                ready_date,
                delivered_at,
                delivered_to,
                closed_at,
                closed_date,
                at,
            )
        )

    def tally(self, requests: list[Any], events: int) -> None:
        today = self.setup.today.isoformat()
        statuses, dues = requests[5::_REQUEST_WIDTH], requests[16::_REQUEST_WIDTH]
        self.statuses.update(statuses)
        self.events += events
        # Overdue as workdays.is_overdue has it (docs/requests.md): open and past due, also on hold
        # (a hold's push is added to the due date only on resume).
        self.overdue += sum(
            1
            for status, due in zip(statuses, dues, strict=True)
            if due < today and status in ("in_progress", "on_hold")
        )

    def outcome(self) -> dict[str, Any]:
        """What was made, in plain values (they cross the pipe from a helper process)."""
        return {
            "counters": dict(self.counters_used),
            "statuses": dict(self.statuses),
            "events": self.events,
            "overdue": self.overdue,
            "from": self.first_day,
            "to": self.last_day,
        }


def _summary(setup: _Setup, outcome: dict[str, Any]) -> dict[str, Any]:
    by_agency: Counter[str] = Counter()
    by_year: Counter[int] = Counter()
    codes = {p.agency_id: p.agency for p in setup.procs}
    for (agency_id, year), last in outcome["counters"].items():
        added = last - setup.counters.get((agency_id, year), 0)
        by_agency[codes[agency_id]] += added
        by_year[year] += added
    return {
        "seed": setup.seed,
        "requests": sum(outcome["statuses"].values()),
        "events": outcome["events"],
        "statuses": dict(sorted(outcome["statuses"].items())),
        "overdue": outcome["overdue"],
        "agencies": dict(sorted(by_agency.items())),
        "years": {str(y): c for y, c in sorted(by_year.items())},
        "from": outcome["from"],  # the first and the last day anything was received
        "to": outcome["to"],
    }


def _cumulative(weights: list[float]) -> list[float]:
    total, acc, out = sum(weights), 0.0, []
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0  # no rounding gap at the top for bisect
    return out


# -- a helper process -----------------------------------------------------------------------------


@contextmanager
def _source(setup: _Setup, n: int) -> Iterator[_History | _Helper]:
    """Where the rows come from: this process for small loads; for large ones a second
    process, so that making rows (pure Python) overlaps with writing them (mostly SQLite)."""
    import sys

    if n < PARALLEL_AT or (os.cpu_count() or 1) < 2 or not sys.executable:
        yield _History(setup)
        return
    helper = _Helper(setup)
    try:
        yield helper
    finally:
        helper.close()


class _Helper:
    """Runs ``_History`` in ``python -c`` and reads its packed batches from a pipe.

    Setup goes in pickled on stdin; each batch comes back as a frame (kind byte, length,
    marshal data), the last frame being the outcome. The pipe holds one batch, so the helper
    makes the next batch while this process writes the current one.
    """

    def __init__(self, setup: _Setup) -> None:
        import subprocess
        import sys

        self.setup = setup
        self._outcome: dict[str, Any] | None = None
        # The helper must run this very egovctl, not one it might find in its working
        # directory (-P) or elsewhere on the path.
        here = str(Path(__file__).resolve().parent.parent.parent)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-c",
                f"import sys; sys.path.insert(0, {here!r}); "
                "from egovctl.demo.seed import _helper_main; _helper_main()",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def packed(self, n: int) -> Iterator[Packed]:
        import marshal
        import pickle

        assert self.proc.stdin is not None and self.proc.stdout is not None
        pickle.dump((self.setup, n), self.proc.stdin)
        self.proc.stdin.close()
        read = self.proc.stdout.read
        while True:
            head = read(9)
            size = int.from_bytes(head[1:], "little") if len(head) == 9 else -1
            blob = read(size) if size >= 0 else b""
            if len(blob) != size:
                raise self._failure()
            if head[:1] == b"E":
                self._outcome = marshal.loads(blob)
                return
            yield marshal.loads(blob)

    def outcome(self) -> dict[str, Any]:
        assert self._outcome is not None
        return self._outcome

    def _failure(self) -> EgovError:
        self.proc.wait()
        assert self.proc.stderr is not None
        lines = self.proc.stderr.read().decode(errors="replace").strip().splitlines()
        return EgovError(
            f"the helper process that makes the demo data stopped "
            f"(exit {self.proc.returncode}): {lines[-1] if lines else 'no message'}"
        )

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def _helper_main() -> None:
    """The helper process: make the history and write it to stdout in frames."""
    import gc
    import marshal
    import pickle
    import sys

    # Millions of tuples and no reference cycles: the collector would only walk them.
    gc.disable()
    setup, n = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    history = _History(setup)

    def frame(kind: bytes, value: Any) -> None:
        blob = marshal.dumps(value)
        out.write(kind + len(blob).to_bytes(8, "little"))
        out.write(blob)

    for batch in history.packed(n):
        frame(b"B", batch)
    frame(b"E", history.outcome())
    out.flush()
